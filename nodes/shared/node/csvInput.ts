import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { detectFormat } from '../bulk1/dataFormat';
import { readCsvBatches, type CsvReadOptions } from '../codecs/csv';
import { MAX_FIELD_CHARS } from '../codecs/records';
import { readableFrom } from '../codecs/streams';
import { openBinary, type OpenInput } from './binaryInput';
import { showWith } from './descriptions';

/** Text (for Input Data = Text) and Input Binary Field (for Input Data = Binary File): the same labels in both nodes. */
export function csvInputParameters(show: INodeProperties['displayOptions']): INodeProperties[] {
	return [
		{
			displayName: 'Text',
			name: 'csvData',
			type: 'string',
			typeOptions: { rows: 6 },
			default: '',
			required: true,
			placeholder: 'Name,Phone\nAcme,555-0100',
			description: 'A header row of field API names, then one row per record',
			displayOptions: showWith(show, { inputDataType: ['csv'] }),
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input binary field holding the CSV file',
			displayOptions: showWith(show, { inputDataType: ['binary'] }),
		},
	];
}

/**
 * The item's CSV, as a function that opens it (again, when asked): the text, or the binary file streamed from
 * n8n's binary store (its base64 data when the store keeps binaries in memory).
 */
export function csvInputOf(ctx: IExecuteFunctions, i: number): OpenInput {
	if (ctx.getNodeParameter('inputDataType', i) === 'csv') {
		const csv = ctx.getNodeParameter('csvData', i) as string;
		if (!csv.trim()) throw new NodeOperationError(ctx.getNode(), 'Text is empty: give a CSV with a header row and at least one row', { itemIndex: i });
		return async () => Buffer.from(csv);
	}
	return openBinary(ctx, ctx.helpers.assertBinaryData(i, ctx.getNodeParameter('binaryPropertyName', i) as string));
}

/** Where an item's CSV comes from, for messages: the parameter (and the file). */
export function csvSourceOf(ctx: IExecuteFunctions, i: number, textParameter = 'Text'): string {
	if (ctx.getNodeParameter('inputDataType', i) !== 'binary') return `${textParameter} of item ${i}`;
	const property = ctx.getNodeParameter('binaryPropertyName', i) as string;
	const name = ctx.getInputData()[i]?.binary?.[property]?.fileName;
	return `the file${name ? ` "${name}"` : ''} in binary field "${property}" (Input Binary Field) of item ${i}`;
}

/** What the first bytes of a file show it is when it is not CSV text, else undefined. */
export function notCsv(head: Buffer): string | undefined {
	const magic = head.subarray(0, 4).toString('latin1');
	if (magic === '\x89PNG') return 'a PNG image';
	if (magic === '%PDF') return 'a PDF document';
	if (magic.startsWith('PK\x03\x04') || magic.startsWith('PK\x05\x06')) return 'a zip archive (an Excel .xlsx file is one)';
	if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip-compressed data';
	if (head.subarray(0, 4096).includes(0)) return 'binary data, not text';
	const format = detectFormat(head);
	return format === 'XML' || format === 'JSON' ? format : undefined;
}

/** The byte offset of the first byte that is not UTF-8, or -1. */
export function invalidUtf8At(bytes: Buffer): number {
	const text = bytes.toString('utf8');
	if (!text.includes('\uFFFD')) return -1;
	// U+FFFD may be in the text itself: only bytes that do not come back the same are invalid.
	const back = Buffer.from(text, 'utf8');
	if (back.equals(bytes)) return -1;
	let k = 0;
	while (k < bytes.length && bytes[k] === back[k]) k++;
	return k;
}

/** The line ending of the first line (outside quotes) of a CSV's first bytes, if it ends within them. */
export function firstLineEnding(head: Buffer): 'LF' | 'CRLF' | undefined {
	let quoted = false;
	for (let k = 0; k < head.length; k++) {
		if (head[k] === 0x22) quoted = !quoted;
		else if (head[k] === 0x0a && !quoted) return head[k - 1] === 0x0d ? 'CRLF' : 'LF';
	}
	return undefined;
}

/** The input without a leading UTF-8 BOM, which Salesforce would read as part of the first field name. */
export function withoutBom(open: OpenInput): OpenInput {
	const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
	return async () => {
		const input = await open();
		if (Buffer.isBuffer(input)) return input.subarray(0, 3).equals(BOM) ? input.subarray(3) : input;
		async function* strip(): AsyncGenerator<Buffer> {
			let start = Buffer.alloc(0);
			let checked = false;
			for await (const chunk of input as AsyncIterable<Buffer>) {
				if (checked) {
					yield chunk;
					continue;
				}
				start = Buffer.concat([start, chunk]);
				if (start.length < 3) continue;
				checked = true;
				yield start.subarray(0, 3).equals(BOM) ? start.subarray(3) : start;
			}
			if (!checked && start.length) yield start;
		}
		return readableFrom(input, strip());
	};
}

/**
 * CSV bytes as text, refusing what is not UTF-8 (Salesforce reads CSV as UTF-8): `invalid(seen)` makes the
 * error, `seen` being the bytes read so far. A BOM is kept as text unless `stripBom`.
 */
export async function* utf8Text(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, invalid: (seen: number) => Error | Promise<Error>, stripBom = false): AsyncGenerator<string> {
	const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: !stripBom });
	let seen = 0;
	const decode = async (chunk?: Buffer): Promise<string> => {
		try {
			return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
		} catch {
			throw await invalid(seen);
		}
	};
	for await (const chunk of chunks) {
		seen += chunk.length;
		const text = await decode(chunk);
		if (text) yield text;
	}
	const tail = await decode();
	if (tail) yield tail;
}

/** What checkCsvRows has read so far: the header, and the data rows counted. */
export interface CsvCheck {
	header: string[] | undefined;
	count: number;
}

/**
 * Reads a CSV's header and rows into `read`, refusing a field longer than Salesforce takes (`refuse` makes the
 * error; rows are numbered from `firstRow`), and calls `onRow` for each data row. Yields after each batch of
 * rows, so that a caller can pass on the bytes checked so far (a part checked while it is sent).
 */
export async function* checkCsvRows(
	texts: AsyncIterable<string>,
	options: CsvReadOptions,
	refuse: (message: string) => Error,
	read: CsvCheck,
	{ firstRow = 1, onRow }: { firstRow?: number; onRow?: (row: string[]) => void } = {},
): AsyncGenerator<void> {
	for await (const batch of readCsvBatches(texts, { ...options, expectColumns: 'header' })) {
		for (const row of batch) {
			if (!read.header) {
				read.header = row;
				continue;
			}
			const c = row.findIndex((value) => value.length > MAX_FIELD_CHARS);
			if (c >= 0) throw refuse(`Row ${firstRow + read.count}, column "${read.header[c]}" holds ${row[c].length} characters; Salesforce takes at most ${MAX_FIELD_CHARS} in one field`);
			read.count++;
			onRow?.(row);
		}
		yield;
	}
}

/** checkCsvRows read to the end: the header and the row count. */
export async function readCheckedCsv(
	texts: AsyncIterable<string>,
	options: CsvReadOptions,
	refuse: (message: string) => Error,
	rowOptions: { firstRow?: number; onRow?: (row: string[]) => void } = {},
): Promise<CsvCheck> {
	const read: CsvCheck = { header: undefined, count: 0 };
	for await (const _ of checkCsvRows(texts, options, refuse, read, rowOptions)) void _;
	return read;
}
