/**
 * Items → Bulk API 1.0 batch bodies in the job's format (CSV, XML, JSON), each within the batch limits.
 * Pure: no HTTP, no n8n context.
 */
import type { IDataObject } from 'n8n-workflow';

import { csvLineWriter } from '../codecs/csv';
import { flattenRecord, formatValue, isIgnoredKey, RecordError } from '../codecs/records';
import { ASYNC_API_NS, toXml, XSI_NS, type XmlError } from '../codecs/xml';
import type { DataFormat } from './dataFormat';

export const BATCH_MAX_RECORDS = 10000;
/** A batch holds at most 10 MB and 10 million characters; 10,000,000 bytes keeps within both. */
export const BATCH_MAX_BYTES = 10_000_000;

const isDateLike = (value: object) => value instanceof Date || (value as { isLuxonDateTime?: boolean }).isLuxonDateTime === true;

/**
 * One item as a batch record. CSV: a flat `column → text` object (relationships dotted, `Account.Ext__c`);
 * XML: nested objects of text; JSON: nested JSON values. null sets the field to null in all three
 * (#N/A, xsi:nil, null); absent fields are left unchanged. Throws RecordError naming the item and field.
 */
export function prepareRecord(format: DataFormat, record: object, itemIndex: number): IDataObject {
	if (format === 'CSV') {
		const out: IDataObject = {};
		for (const [column, value] of flattenRecord(record, itemIndex)) out[column] = formatValue(value, {}, itemIndex, column);
		return out;
	}
	const walk = (obj: object, prefix: string, depth: number): IDataObject => {
		const out: IDataObject = {};
		for (const [key, value] of Object.entries(obj)) {
			const field = prefix + key;
			if (isIgnoredKey(key) || value === undefined) continue;
			if (Array.isArray(value)) {
				throw new RecordError(`Item ${itemIndex}: field "${field}" is a list; Salesforce fields take one value (join it into a string first)`, itemIndex, field);
			}
			if (value === null) out[key] = null;
			else if (typeof value === 'object' && !isDateLike(value)) {
				if (depth >= 5) throw new RecordError(`Item ${itemIndex}: field "${field}" is nested too deeply`, itemIndex, field);
				out[key] = walk(value, `${field}.`, depth + 1);
			} else if (format === 'JSON' && (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))) {
				out[key] = value;
			} else out[key] = formatValue(value, {}, itemIndex, field);
		}
		return out;
	};
	const out = walk(record, '', 0);
	if (format === 'XML') {
		// Field names must be XML names.
		const problem = xmlProblem(out);
		if (problem) throw new RecordError(`Item ${itemIndex}: ${problem}`, itemIndex);
	}
	return out;
}

function xmlProblem(record: IDataObject): string | undefined {
	try {
		toXml('sObject', record, { declaration: false });
		return undefined;
	} catch (error) {
		return (error as XmlError).message; // toXml throws only XmlError
	}
}

export interface BatchBody {
	body: Buffer;
	/** Index (in the records given) of the batch's first record. */
	first: number;
	count: number;
}

export interface BatchLimits {
	maxRecords: number;
	maxBytes: number;
}

/**
 * Prepared records as batch bodies in the job's format, each within the limits (default: Salesforce's
 * 10,000 records and 10 MB). CSV columns are the union of all records' fields.
 */
export function* batchBodies(format: DataFormat, records: readonly IDataObject[], limits: BatchLimits = { maxRecords: BATCH_MAX_RECORDS, maxBytes: BATCH_MAX_BYTES }): Generator<BatchBody> {
	let head: string;
	let foot = '';
	let separator = '';
	let piece: (record: IDataObject) => string;
	if (format === 'CSV') {
		const columns = [...new Set(records.flatMap((r) => Object.keys(r)))];
		if (records.length && !columns.length) throw new RecordError('The items have no fields to send');
		const line = csvLineWriter();
		head = line(columns);
		piece = (r) => line(columns.map((c) => (r[c] as string | undefined) ?? ''));
	} else if (format === 'XML') {
		head = `<?xml version="1.0" encoding="UTF-8"?><sObjects xmlns="${ASYNC_API_NS}" xmlns:xsi="${XSI_NS}">`;
		foot = '</sObjects>';
		// The root declares xsi, so a record's own declaration (written when it has a null) is dropped.
		const ownXsi = `<sObject xmlns:xsi="${XSI_NS}">`;
		piece = (r) => {
			const xml = toXml('sObject', r, { declaration: false });
			return xml.startsWith(ownXsi) ? `<sObject>${xml.slice(ownXsi.length)}` : xml;
		};
	} else {
		[head, foot, separator] = ['[', ']', ','];
		piece = (r) => JSON.stringify(r);
	}
	const fixed = Buffer.byteLength(head) + Buffer.byteLength(foot);
	let pieces: string[] = [];
	let bytes = fixed;
	let first = 0;
	const flush = (): BatchBody => ({ body: Buffer.from(head + pieces.join(separator) + foot), first, count: pieces.length });
	for (let k = 0; k < records.length; k++) {
		const text = piece(records[k]);
		const size = Buffer.byteLength(text) + separator.length;
		if (fixed + size > limits.maxBytes) {
			throw new RecordError(`The record takes ${size} bytes, more than the ${limits.maxBytes} bytes a batch holds`, k);
		}
		if (pieces.length && (bytes + size > limits.maxBytes || pieces.length >= limits.maxRecords)) {
			yield flush();
			[pieces, bytes, first] = [[], fixed, k];
		}
		pieces.push(text);
		bytes += size;
	}
	if (pieces.length) yield flush();
}

/**
 * The records in an XML or JSON batch sent as it is (text or a file): the elements of the JSON root array, or the
 * `sObject` elements of the XML. Undefined when the JSON does not parse (Salesforce then says why).
 */
export function recordsInBatch(format: 'XML' | 'JSON', bytes: Buffer): number | undefined {
	const text = bytes.toString('utf8');
	if (format === 'XML') return text.match(/<sObject[\s>]/g)?.length ?? 0;
	try {
		const parsed: unknown = JSON.parse(text);
		return Array.isArray(parsed) ? parsed.length : 1;
	} catch {
		return undefined;
	}
}
