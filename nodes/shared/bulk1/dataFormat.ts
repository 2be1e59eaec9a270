/** The three formats of Bulk API 1.0 batch data, and how to tell which one a body holds. */
export type DataFormat = 'CSV' | 'XML' | 'JSON';

/** What Salesforce sends as a CSV result set of a query that matched nothing. */
export const NO_RECORDS = 'Records not found for this query';

/** The format of a job's records and results: ZIP_CSV → CSV. */
export function dataFormatOf(contentType: string): DataFormat {
	return contentType.replace(/^ZIP_/, '') as DataFormat;
}

/** What a body holds, from its first bytes: a zip, XML, JSON, else CSV; undefined when blank. */
export function detectFormat(head: Buffer | string): DataFormat | 'ZIP' | undefined {
	const bytes = typeof head === 'string' ? Buffer.from(head.slice(0, 256)) : head.subarray(0, 256);
	if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5)) return 'ZIP';
	const text = bytes.toString('utf8').replace(/^\uFEFF/, '').trimStart();
	if (!text) return undefined;
	if (text.startsWith('<')) return 'XML';
	return text.startsWith('[') || text.startsWith('{') ? 'JSON' : 'CSV';
}
