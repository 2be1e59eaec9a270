import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Bulk2Api } from '../../../shared/api/bulk2Api';
import { connect } from '../../../shared/api/connect';
import { csvInputOf, csvInputParameters, csvSourceOf, invalidUtf8At, notCsv, readCheckedCsv, utf8Text } from '../../../shared/node/csvInput';
import { CsvError, csvLineWriter, LINE_ENDINGS, type ColumnDelimiter, type LineEnding } from '../../../shared/codecs/csv';
import { errorJson, withItemIndex } from '../../../shared/node/items';
import { loadResults, nodeError, uploadParts, type LoadedJob, type LoadPart } from '../../../shared/bulk2/load';
import { collectColumns, formatValue, RecordError, recordToRow, rowConverter } from '../../../shared/codecs/records';
import { BULK2_MAX_UPLOAD_BYTES, partFromSource, splitCsv } from '../../../shared/codecs/csvSplit';
import { showFor, type Operation } from '../common';
import { csvFormatOptions, ingestJobFields, ingestJobSpec } from './create.operation';

const displayOptions = showFor('ingestJob', 'loadRecords');
const only = (values: IDataObject) => ({ show: { ...displayOptions.show, ...values } });
const MB = 1024 * 1024;

interface Settings {
	wait: boolean;
	timeoutMs: number;
	abortOnFailure: boolean;
	maxBytes: number;
	maxRows: number;
	delimiter?: ColumnDelimiter;
	lineEnding?: LineEnding;
	nullValue: string;
}

function settingsOf(ctx: IExecuteFunctions, i: number): Settings {
	const o = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const splitSize = Number(o.splitSize ?? 100);
	if (!(splitSize > 0 && splitSize <= 100)) {
		throw new NodeOperationError(ctx.getNode(), `Split Size must be more than 0 and at most 100 (MB), not ${splitSize}`, { itemIndex: i });
	}
	return {
		wait: o.waitForCompletion !== false,
		timeoutMs: Math.max(0, Number(o.timeout ?? 3600)) * 1000,
		abortOnFailure: o.abortOnFailure !== false,
		// 100 MB is the most one job takes (Salesforce's 150 MB limit applies after base64).
		maxBytes: Math.min(Math.floor(splitSize * MB), BULK2_MAX_UPLOAD_BYTES),
		maxRows: Number(o.maxRowsPerJob) > 0 ? Number(o.maxRowsPerJob) : Infinity,
		delimiter: o.columnDelimiter as ColumnDelimiter | undefined,
		lineEnding: o.lineEnding as LineEnding | undefined,
		nullValue: o.nullValue === 'blank' ? '' : '#N/A',
	};
}

/** A value at `path` of an item: a key with dots as it is, else the path through nested objects. */
function valueAt(json: IDataObject, path: string, itemIndex: number): unknown {
	let value: unknown = json;
	if (path in json) value = json[path];
	else for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as IDataObject)[key] : undefined;
	if (Array.isArray(value)) {
		throw new RecordError(`Item ${itemIndex}: field "${path}" is a list; Salesforce fields take one value (join it into a string first)`, itemIndex, path);
	}
	return value;
}

/**
 * Items → CSV columns and rows, each row kept as the record it is in the output (column → value as written:
 * one object per row for the whole load, not an array and a record). All Fields: the union of the items' fields.
 */
function itemRows(ctx: IExecuteFunctions, s: Settings): { columns: string[]; rows: Array<Record<string, string>> } {
	const items = ctx.getInputData();
	const format = { nullValue: s.nullValue };
	try {
		if (ctx.getNodeParameter('fieldsToSend', 0) === 'all') {
			const records = items.map((item) => item.json);
			const columns = collectColumns(records);
			if (!columns.length) throw new NodeOperationError(ctx.getNode(), 'The input items have no fields to send', { itemIndex: 0 });
			const toRecord = rowConverter(columns, { nested: false }) as (row: readonly string[]) => Record<string, string>;
			return { columns, rows: records.map((record, i) => toRecord(recordToRow(record, columns, i, format))) };
		}
		const fields = (ctx.getNodeParameter('fieldsToInclude.field', 0, []) as Array<{ name: string; inputField?: string }>).map((f) => ({
			column: String(f.name).trim(),
			path: String(f.inputField ?? '').trim() || String(f.name).trim(),
		}));
		const columns = fields.map((f) => f.column);
		const duplicate = columns.find((c, k) => columns.indexOf(c) !== k);
		if (!columns.length || columns.includes('') || duplicate !== undefined) {
			const why = columns.length ? (duplicate !== undefined ? `"${duplicate}" is listed twice` : 'a Salesforce Field is empty') : 'no fields are listed';
			throw new NodeOperationError(ctx.getNode(), `Fields to Include: ${why}`, { itemIndex: 0 });
		}
		const toRecord = rowConverter(columns, { nested: false }) as (row: readonly string[]) => Record<string, string>;
		return { columns, rows: items.map((item, i) => toRecord(fields.map((f) => formatValue(valueAt(item.json, f.path, i), format, i, f.column)))) };
	} catch (error) {
		if (!(error instanceof RecordError)) throw nodeError(ctx.getNode(), error);
		throw new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex: Math.max(0, error.itemIndex),
			description: 'Fix the field in the input items, or send only the fields you need (Fields to Send: Selected Fields)',
		});
	}
}

/** Rows → parts of at most maxBytes / maxRows each, every part with the header. */
async function* itemParts(ctx: IExecuteFunctions, table: { columns: string[]; rows: Array<Record<string, string>> }, s: Settings): AsyncGenerator<LoadPart> {
	const { columns, rows } = table;
	const lineEnding = s.lineEnding ?? 'LF';
	const eol = LINE_ENDINGS[lineEnding];
	const line = csvLineWriter({ delimiter: s.delimiter, lineEnding });
	const header = line(columns);
	const headerBytes = Buffer.byteLength(header);
	let lines: string[] = [];
	let bytes = headerBytes;
	let start = 0;
	const part = (end: number): LoadPart => {
		// Written straight into a buffer of the exact size: no string of the whole part, no second copy.
		const body = Buffer.allocUnsafe(bytes);
		let at = body.write(header, 0);
		for (const text of lines) at += body.write(text, at);
		return { body: async () => body, header: columns, rows: rows.slice(start, end), rowCount: end - start, lineEnding };
	};
	for (let k = 0; k < rows.length; k++) {
		let text = line(columns.map((column) => rows[k][column]));
		if (text === eol) text = `""${eol}`; // one empty value would be a blank line, which Salesforce skips
		const size = Buffer.byteLength(text);
		if (headerBytes + size > s.maxBytes) {
			throw new NodeOperationError(ctx.getNode(), `Item ${k} makes a CSV row of ${size} bytes, more than Split Size allows`, { itemIndex: k });
		}
		if (lines.length && (bytes + size > s.maxBytes || lines.length >= s.maxRows)) {
			yield part(k);
			lines = [];
			bytes = headerBytes;
			start = k;
		}
		lines.push(text);
		bytes += size;
	}
	if (lines.length) yield part(rows.length);
}

/**
 * The CSV of one item (text or binary file), split at row boundaries into parts. Each part is checked as it
 * streams by (UTF-8, CSV, field lengths) and its rows are kept only when the results are to be matched to
 * them (waiting); its upload reads the part again from the source (the text, or n8n's binary store), so no
 * part is held in memory: a 300 MB file loads in constant memory.
 */
async function* csvParts(ctx: IExecuteFunctions, i: number, s: Settings): AsyncGenerator<LoadPart> {
	const node = ctx.getNode();
	const where = csvSourceOf(ctx, i);
	const refuse = (message: string, hint = '') => new NodeOperationError(node, message, { itemIndex: i, description: `In ${where}.${hint ? ` ${hint}` : ''}` });
	const open = csvInputOf(ctx, i);
	const input = await open();
	const chunks = Buffer.isBuffer(input) ? [input][Symbol.iterator]() : (input as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
	const first = await chunks.next();
	const head = first.done ? Buffer.alloc(0) : Buffer.from(first.value);
	const kind = notCsv(head);
	if (kind) {
		await chunks.return?.();
		throw refuse(`${where[0].toUpperCase()}${where.slice(1)} is not a CSV file: it is ${kind}`, 'Give a CSV file (UTF-8 text, a header row of field names, one row per record)');
	}
	async function* source(): AsyncGenerator<Buffer> {
		if (head.length) yield head;
		for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value as Buffer;
	}
	const splitRefusal = (error: CsvError) =>
		refuse(`${error.code === 'ROW_TOO_LARGE' ? 'A CSV row does not fit in one job: raise Split Size' : 'The CSV is not valid'}: ${error.message}`);
	// Where the next part's rows start in the source: after the BOM (which splitCsv drops) and the header.
	let offset = -1;
	const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
	let firstRow = 1; // 1-based number of the next data row, for messages
	try {
		for await (const part of splitCsv(source(), { maxBytes: s.maxBytes, maxRows: s.maxRows, lineEnding: s.lineEnding ?? 'auto' })) {
			const crlf = part.header.length > 1 && part.header[part.header.length - 2] === 13 && part.header[part.header.length - 1] === 10;
			const lineEnding: LineEnding = crlf ? 'CRLF' : 'LF';
			if (s.lineEnding && s.lineEnding !== lineEnding) {
				throw refuse(`The CSV's lines end with ${lineEnding}, but the Line Ending option says ${s.lineEnding}`);
			}
			if (offset < 0) offset = bom + part.header.length;
			const start = offset;
			const from = part.index > 0 ? ` (counting from data row ${firstRow}, where this job's part starts)` : '';
			const notUtf8 = async (seen: number) => {
				// Only on this error: the part's bytes read so far, to say where the bad byte is.
				const body = await readAll(await partFromSource(open, part.header, start, start + seen - part.header.length)());
				const bad = invalidUtf8At(body);
				const line = body.subarray(0, bad).toString('latin1').split('\n').length;
				return refuse(`The CSV is not UTF-8 text: byte 0x${body[bad].toString(16).toUpperCase()} on line ${line}${from} is not valid UTF-8`, 'Save the file as UTF-8 (Salesforce reads CSV as UTF-8)');
			};
			const rows: string[][] = [];
			let read: { header: string[] | undefined; count: number };
			try {
				read = await readCheckedCsv(utf8Text(part.chunks, notUtf8), { delimiter: s.delimiter, lineEnding }, refuse, {
					firstRow,
					onRow: s.wait ? (row) => rows.push(row) : undefined,
				});
			} catch (error) {
				// The parser's errors say where (a line); the splitter's own errors (line 0) are reported as such.
				if (error instanceof CsvError) throw error.line > 0 ? refuse(`The CSV is not valid: ${error.message}${from}`) : splitRefusal(error);
				throw nodeError(node, error);
			}
			const { header, count } = read;
			offset = start + part.bytes - part.header.length;
			firstRow += count;
			yield { body: partFromSource(open, part.header, start, offset), header: header ?? [], rows: s.wait ? rows : undefined, rowCount: count, lineEnding };
		}
	} catch (error) {
		if (!(error instanceof CsvError)) throw nodeError(node, error);
		throw splitRefusal(error);
	}
	if (firstRow === 1) {
		const check = s.lineEnding ? ` (or its lines do not end with ${s.lineEnding}, as the Line Ending option says)` : '';
		throw refuse(`The CSV has no data rows: give a header row and at least one row${check}`);
	}
}

async function readAll(body: Buffer | NodeJS.ReadableStream): Promise<Buffer> {
	if (Buffer.isBuffer(body)) return body;
	const chunks: Buffer[] = [];
	for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
	return Buffer.concat(chunks);
}

/** The items a range of rows came from, each once (rows come in item order). */
function pairedItems(itemOf: (row: number) => number, from: number, count: number): IPairedItemData[] {
	const paired: IPairedItemData[] = [];
	for (let r = from; r < from + count; r++) {
		const item = itemOf(r);
		if (paired[paired.length - 1]?.item !== item) paired.push({ item });
	}
	return paired;
}

const NO_ROW: string[] = [];

/** One load: upload all parts, then either the jobs (not waiting) or one item per row with its outcome. */
async function load(ctx: IExecuteFunctions, bulk2: Bulk2Api, i: number, s: Settings, parts: AsyncIterable<LoadPart>, itemOf: (row: number) => number): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const jobs: LoadedJob[] = await uploadParts(node, bulk2, ingestJobSpec(ctx, i), parts, s.abortOnFailure);
	if (!s.wait) {
		return jobs.map(({ job, rowCount, firstRow }) => ({ json: { ...job, uploadedRows: rowCount }, pairedItem: pairedItems(itemOf, firstRow, rowCount) }));
	}
	const out: INodeExecutionData[] = [];
	const hints: string[] = [];
	for (const [j, report] of (await loadResults(node, bulk2, jobs, s.timeoutMs)).entries()) {
		const { header, firstRow } = jobs[j];
		const rows = jobs[j].rows ?? [];
		const { job, outcomes, counts, problems } = report;
		const toRecord = rowConverter(header, { nested: false });
		for (let r = 0; r < outcomes.length; r++) {
			// The row's outcome (a fresh object per row) becomes its item: no copy of 200,000 objects.
			const json: IDataObject = outcomes[r] as unknown as IDataObject;
			json.jobId = job.id;
			const row = rows[r];
			json.record = Array.isArray(row) ? toRecord(row) : row; // rows from items already are their records
			out.push({ json, pairedItem: { item: itemOf(firstRow + r) } });
			rows[r] = NO_ROW; // its values now live in the record: the row can go
		}
		if (job.state !== 'JobComplete') {
			hints.push(`Job ${job.id} ended ${job.state}${job.errorMessage ? ` (${job.errorMessage})` : ''}: ${outcomes.filter((o) => o.status === 'unprocessed').length} rows were not processed`);
		}
		if (problems.length) hints.push(`Job ${job.id}: ${problems.join('; ')}. Check these rows in Salesforce before loading them again.`);
		if (counts.failedResults) hints.push(`Job ${job.id}: ${counts.failedResults} of ${rows.length} rows failed; see "error" in their items`);
	}
	if (hints.length) ctx.addExecutionHints(...hints.map((message) => ({ message, type: 'warning' as const, location: 'outputPane' as const })));
	return out;
}

/** With Continue On Fail, a failed load gives one error item per input item of the load. */
function failed(ctx: IExecuteFunctions, error: unknown, itemIndexes: number[]): INodeExecutionData[] {
	if (!ctx.continueOnFail()) {
		const known = (error as { context?: IDataObject }).context?.itemIndex;
		throw withItemIndex(ctx, error, typeof known === 'number' ? known : itemIndexes[0]);
	}
	const jobIds = ((error as { context?: IDataObject }).context?.jobIds as string[] | undefined) ?? [];
	return itemIndexes.map((item) => ({ json: { ...errorJson(error), jobIds }, pairedItem: { item } }));
}

/**
 * Load Records: the whole load in one step. Items input is one load (parameters from the first item);
 * a CSV text or file is one load per input item.
 */
export const loadRecords: Operation = {
	description: [
		...ingestJobFields(displayOptions),
		{
			displayName: 'Input Data',
			name: 'inputDataType',
			type: 'options',
			options: [
				{ name: 'Binary File', value: 'binary', description: 'A CSV file from a binary field of each input item' },
				{ name: 'CSV Text', value: 'csv', description: 'A CSV with a header row of field API names' },
				{ name: 'Input Items', value: 'items', description: 'One record per input item' },
			],
			default: 'items',
			displayOptions,
		},
		{
			displayName: 'Fields to Send',
			name: 'fieldsToSend',
			type: 'options',
			options: [
				{ name: 'All Fields', value: 'all', description: 'Every field of the items; nested objects become relationship columns such as Account.Legacy_Id__c' },
				{ name: 'Selected Fields', value: 'selected', description: 'Only the fields listed below' },
			],
			default: 'all',
			displayOptions: only({ inputDataType: ['items'] }),
		},
		{
			displayName: 'Fields to Include',
			name: 'fieldsToInclude',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Field',
			default: {},
			displayOptions: only({ inputDataType: ['items'], fieldsToSend: ['selected'] }),
			options: [
				{
					displayName: 'Field',
					name: 'field',
					values: [
						{ displayName: 'Salesforce Field', name: 'name', type: 'string', default: '', placeholder: 'Name', description: 'API name of the field (the CSV column), e.g. Name or Account.Legacy_Id__c' },
						{ displayName: 'Input Field', name: 'inputField', type: 'string', default: '', placeholder: 'company.name', description: 'Field of the input item to take the value from (dots for nested fields); empty = the same name as the Salesforce field' },
					],
				},
			],
		},
		...csvInputParameters(displayOptions),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions,
			options: [
				...csvFormatOptions(),
				{
					displayName: 'Abort Job on Failure',
					name: 'abortOnFailure',
					type: 'boolean',
					default: true,
					description: 'Whether to abort the jobs of a load that fails part-way (e.g. an upload error), so no half-loaded job goes on; off leaves them as they are',
				},
				{
					displayName: 'Max Rows per Job',
					name: 'maxRowsPerJob',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					description: 'Start a new job after this many rows; 0 = no limit (only Split Size)',
				},
				{
					displayName: 'Null Values',
					name: 'nullValue',
					type: 'options',
					options: [
						{ name: 'Leave Field Unchanged', value: 'blank', description: 'Null becomes an empty value, which keeps the current value' },
						{ name: 'Set Field to Null', value: 'null', description: 'Null becomes #N/A, which clears the field' },
					],
					default: 'null',
					description: 'What a null value in an input item does',
					displayOptions: { show: { '/inputDataType': ['items'] } },
				},
				{
					displayName: 'Split Size (MB)',
					name: 'splitSize',
					type: 'number',
					typeOptions: { minValue: 0.001, maxValue: 100, numberPrecision: 3 },
					default: 100,
					description: 'Most raw CSV per job; more data is split across several jobs at row boundaries. Salesforce takes up to 100 MB per job.',
				},
				{
					displayName: 'Timeout (Seconds)',
					name: 'timeout',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 3600,
					description: 'How long to wait for the jobs when waiting for completion; 0 = no limit. On timeout the jobs keep running and the error names them.',
				},
				{
					displayName: 'Wait for Completion',
					name: 'waitForCompletion',
					type: 'boolean',
					default: true,
					description: 'Whether to wait for the jobs and return one item per record with its outcome; off returns one item per job right after the upload',
				},
			],
		},
	],
	async execute(this: IExecuteFunctions) {
		const { bulk2 } = await connect(this);
		const items = this.getInputData();
		if (this.getNodeParameter('inputDataType', 0) === 'items') {
			const all = items.map((_, i) => i);
			try {
				const s = settingsOf(this, 0);
				return await load(this, bulk2, 0, s, itemParts(this, itemRows(this, s), s), (row) => row);
			} catch (error) {
				return failed(this, error, all);
			}
		}
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const s = settingsOf(this, i);
				for (const item of await load(this, bulk2, i, s, csvParts(this, i, s), () => i)) out.push(item);
			} catch (error) {
				out.push(...failed(this, error, [i]));
			}
		}
		return out;
	},
};
