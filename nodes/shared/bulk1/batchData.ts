/**
 * Bulk API 1.0 batch data in its three formats (CSV, XML, JSON): items → batch bodies within the batch
 * limits, request and result bodies → records, load results → one outcome per row (Bulk 1.0 returns them
 * in input order), and the result sets of a query joined into one document. Pure: no HTTP, no n8n context.
 */
import type { IDataObject } from 'n8n-workflow';

import { csvLineWriter, parseCsv } from '../codecs/csv';
import { flattenRecord, formatValue, isIgnoredKey, RecordError, rowConverter, typedValue } from '../codecs/records';
import { ASYNC_API_NS, parseXml, toXml, XmlError, XSI_NS, type XmlElement } from '../codecs/xml';

export type DataFormat = 'CSV' | 'XML' | 'JSON';

export const BATCH_MAX_RECORDS = 10000;
/** A batch holds at most 10 MB and 10 million characters; 10,000,000 bytes keeps within both. */
export const BATCH_MAX_BYTES = 10_000_000;
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

// ---- bodies → records ----

function xmlRecord(el: XmlElement, typed: boolean): IDataObject {
	const out: IDataObject = {};
	for (const child of el.children) {
		// `type` is the sObject type of query records, and a nil Id the unselected Id slot: no fields.
		if ((child.name === 'type' && child.children.length === 0) || (child.name === 'Id' && child.nil)) continue;
		out[child.name] = child.nil ? null : child.children.length ? xmlRecord(child, typed) : typed ? typedValue(child.text) : child.text;
	}
	return out;
}

function withoutAttributes(value: unknown): IDataObject {
	const out: IDataObject = {};
	for (const [key, v] of Object.entries(value as IDataObject)) {
		if (key === 'attributes') continue;
		out[key] = v !== null && typeof v === 'object' && !Array.isArray(v) ? withoutAttributes(v) : v;
	}
	return out;
}

/**
 * The records of a batch request or a query result set: CSV rows keyed by the header (dotted columns
 * nested), XML `sObject`/`records` elements, JSON objects; without Salesforce's type metadata.
 */
export function parseRecords(format: DataFormat, text: string, options: { typed?: boolean } = {}): IDataObject[] {
	const body = text.replace(/^\uFEFF/, '');
	if (!body.trim() || body.trim() === NO_RECORDS) return [];
	if (format === 'CSV') {
		const [header, ...rows] = parseCsv(body, { lineEnding: 'auto' });
		const convert = rowConverter(header, { typed: options.typed });
		return rows.map(convert);
	}
	if (format === 'XML') {
		return parseXml(body)
			.children.filter((c) => c.name === 'sObject' || c.name === 'records')
			.map((c) => xmlRecord(c, options.typed === true));
	}
	const value = JSON.parse(body) as unknown;
	return (Array.isArray(value) ? value : [value]).map(withoutAttributes);
}

// ---- load results ----

/** One row's load result, whatever the format. `error` in the CSV form: `CODE:message:fields --`. */
export interface LoadResult {
	id: string | null;
	success: boolean;
	created: boolean;
	error: string | null;
}

export type RowStatus = 'created' | 'updated' | 'deleted' | 'failed' | 'unprocessed';

export interface BatchRowOutcome extends IDataObject {
	status: RowStatus;
	success: boolean;
	created: boolean;
	id: string | null;
	error: string | null;
	/** The part of the error before the first ':', e.g. REQUIRED_FIELD_MISSING. */
	errorCode: string | null;
}

function errorText(statusCode: unknown, message: unknown, fields: unknown): string {
	const list = (Array.isArray(fields) ? fields : fields ? [fields] : []).map(String);
	return `${String(statusCode ?? 'UNKNOWN_EXCEPTION')}:${String(message ?? '')}:${list.length ? `${list.join(',')} ` : ''}--`;
}

/** A batch's load results, one per input row in input order. */
export function parseLoadResults(format: DataFormat, text: string): LoadResult[] {
	if (!text.trim()) return [];
	if (format === 'CSV') {
		const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''), { lineEnding: 'auto' });
		const col = (name: string) => header.findIndex((h) => h.toLowerCase() === name);
		const [id, success, created, error] = ['id', 'success', 'created', 'error'].map(col);
		return rows.map((r) => ({ id: r[id] || null, success: r[success] === 'true', created: r[created] === 'true', error: r[error] || null }));
	}
	if (format === 'XML') {
		return parseXml(text)
			.children.filter((c) => c.name === 'result')
			.map((result) => {
				const get = (name: string) => result.children.find((c) => c.name === name)?.text ?? '';
				const errors = result.children
					.filter((c) => c.name === 'errors')
					.map((e) => {
						const of = (name: string) => e.children.filter((c) => c.name === name).map((c) => c.text);
						return errorText(of('statusCode')[0], of('message')[0], of('fields'));
					});
				return { id: get('id') || null, success: get('success') === 'true', created: get('created') === 'true', error: errors.join(' ') || null };
			});
	}
	const list = JSON.parse(text) as Array<{ id?: string | null; success?: boolean; created?: boolean; errors?: IDataObject[] }>;
	return list.map((r) => ({
		id: r.id || null,
		success: r.success === true,
		created: r.created === true,
		error: (r.errors ?? []).map((e) => errorText(e.statusCode, e.message, e.fields)).join(' ') || null,
	}));
}

/** A row's outcome from its result; no result = not processed (`reason` says why, e.g. the batch's stateMessage). */
export function rowOutcome(result: LoadResult | undefined, operation: string, reason?: string): BatchRowOutcome {
	if (!result) return { status: 'unprocessed', success: false, created: false, id: null, error: reason ?? null, errorCode: null };
	const status: RowStatus = !result.success ? 'failed' : result.created ? 'created' : /delete/i.test(operation) ? 'deleted' : 'updated';
	return { status, success: result.success, created: result.created, id: result.id, error: result.error, errorCode: result.error ? result.error.split(':')[0] : null };
}

// ---- query result sets → one document ----

type Chunks = AsyncIterable<Buffer | string>;
const HOLD = 256;
const MAX_HEAD = 65536;
const XML_ROOT = /<(?:[\w.-]+:)?queryResult\b[^>]*?(\/?)>/;

const toBuffer = (chunk: Buffer | string) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk);

/**
 * The bytes of a document between its opening part and its closing part, streamed: `start` finds where
 * the content begins in the head read so far (undefined: read more; 'empty': nothing inside), `end` where
 * the closing part begins in the last bytes. Offsets are in bytes (latin1 maps bytes to characters).
 */
async function* contentBetween(chunks: Chunks, start: (head: string) => number | 'empty' | undefined, end: (tail: string) => number): AsyncGenerator<Buffer> {
	let head: Buffer | undefined = Buffer.alloc(0);
	let tail: Buffer = Buffer.alloc(0);
	for await (const chunk of chunks) {
		let data = toBuffer(chunk);
		if (head) {
			head = Buffer.concat([head, data]);
			const at = start(head.toString('latin1'));
			if (at === 'empty') return;
			if (at === undefined) {
				if (head.length > MAX_HEAD) throw new Error('A query result set does not start as its format requires');
				continue;
			}
			data = head.subarray(at);
			head = undefined;
		}
		tail = tail.length ? Buffer.concat([tail, data]) : data;
		if (tail.length > HOLD) {
			yield tail.subarray(0, tail.length - HOLD);
			tail = Buffer.from(tail.subarray(tail.length - HOLD));
		}
	}
	if (head) {
		if (head.toString('utf8').trim()) throw new Error('A query result set does not start as its format requires');
		return;
	}
	const at = end(tail.toString('latin1'));
	if (at < 0) throw new Error('A query result set ends before its closing part');
	if (at > 0) yield tail.subarray(0, at);
}

async function* joinCsv(sets: AsyncIterable<Chunks>): AsyncGenerator<Buffer> {
	let headerWritten = false;
	for await (const set of sets) {
		let head: Buffer | undefined = Buffer.alloc(0);
		let last = 10;
		for await (const chunk of set) {
			let data = toBuffer(chunk);
			if (head) {
				head = Buffer.concat([head, data]);
				const newline = head.indexOf(10);
				if (newline < 0) continue;
				if (head.toString('utf8').trim() === NO_RECORDS) break;
				data = headerWritten ? head.subarray(newline + 1) : head;
				headerWritten = true;
				head = undefined;
			}
			if (data.length) {
				last = data[data.length - 1];
				yield data;
			}
		}
		// No line end at all: the "no records" text, or a header alone.
		const rest = head?.toString('utf8').trim();
		if (rest && rest !== NO_RECORDS && !headerWritten) {
			headerWritten = true;
			yield Buffer.concat([head as Buffer, Buffer.from('\n')]);
		} else if (last !== 10) yield Buffer.from('\n');
	}
}

async function* joinXml(sets: AsyncIterable<Chunks>): AsyncGenerator<Buffer> {
	yield Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><queryResult xmlns="${ASYNC_API_NS}" xmlns:xsi="${XSI_NS}">`);
	for await (const set of sets) {
		yield* contentBetween(
			set,
			(head) => {
				const m = XML_ROOT.exec(head);
				return m ? (m[1] ? 'empty' : m.index + m[0].length) : undefined;
			},
			(tail) => tail.lastIndexOf('</'),
		);
	}
	yield Buffer.from('</queryResult>');
}

async function* joinJson(sets: AsyncIterable<Chunks>): AsyncGenerator<Buffer> {
	yield Buffer.from('[');
	let wrote = false;
	for await (const set of sets) {
		let started = false;
		const content = contentBetween(
			set,
			(head) => {
				const k = head.search(/\S/);
				if (k < 0) return undefined;
				if (head[k] !== '[') throw new Error('A JSON query result set is not an array');
				return k + 1;
			},
			(tail) => tail.lastIndexOf(']'),
		);
		for await (let piece of content) {
			if (!started) {
				const k = piece.toString('latin1').search(/\S/);
				if (k < 0) continue;
				piece = piece.subarray(k);
				started = true;
				if (wrote) yield Buffer.from(',');
				wrote = true;
			}
			yield piece;
		}
	}
	yield Buffer.from(']');
}

/**
 * Query result sets (each a stream of one CSV, XML or JSON document) as one document of the same format:
 * CSV with one header, XML with one `queryResult` root, JSON as one array. Streams; holds a few bytes.
 */
export function joinResultSets(format: DataFormat, sets: AsyncIterable<Chunks>): AsyncGenerator<Buffer> {
	return format === 'CSV' ? joinCsv(sets) : format === 'XML' ? joinXml(sets) : joinJson(sets);
}
