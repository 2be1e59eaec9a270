import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Bulk2Api } from '../../../shared/bulk2';
import { connect } from '../../../shared/client';
import { csvInputOf, csvInputParameters } from '../../../shared/csvInput';
import { CsvError, csvLineWriter, LINE_ENDINGS, parseCsv, type ColumnDelimiter, type LineEnding } from '../../../shared/csv';
import { errorJson, withItemIndex } from '../../../shared/items';
import { loadResults, nodeError, uploadParts, type LoadedJob, type LoadPart } from '../../../shared/load';
import { collectColumns, formatValue, RecordError, recordToRow, rowConverter } from '../../../shared/records';
import { BULK2_MAX_UPLOAD_BYTES, splitCsv } from '../../../shared/split';
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

/** Items → CSV columns and rows (strings as written). All Fields: the union of the items' fields. */
function itemRows(ctx: IExecuteFunctions, s: Settings): { columns: string[]; rows: string[][] } {
	const items = ctx.getInputData();
	const format = { nullValue: s.nullValue };
	try {
		if (ctx.getNodeParameter('fieldsToSend', 0) === 'all') {
			const records = items.map((item) => item.json);
			const columns = collectColumns(records);
			if (!columns.length) throw new NodeOperationError(ctx.getNode(), 'The input items have no fields to send', { itemIndex: 0 });
			return { columns, rows: records.map((record, i) => recordToRow(record, columns, i, format)) };
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
		return { columns, rows: items.map((item, i) => fields.map((f) => formatValue(valueAt(item.json, f.path, i), format, i, f.column))) };
	} catch (error) {
		if (!(error instanceof RecordError)) throw nodeError(ctx.getNode(), error);
		throw new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex: Math.max(0, error.itemIndex),
			description: 'Fix the field in the input items, or send only the fields you need (Fields to Send: Selected Fields)',
		});
	}
}

/** Rows → parts of at most maxBytes / maxRows each, every part with the header. */
async function* itemParts(ctx: IExecuteFunctions, columns: string[], rows: string[][], s: Settings): AsyncGenerator<LoadPart> {
	const lineEnding = s.lineEnding ?? 'LF';
	const eol = LINE_ENDINGS[lineEnding];
	const line = csvLineWriter({ delimiter: s.delimiter, lineEnding });
	const header = line(columns);
	const headerBytes = Buffer.byteLength(header);
	let lines: string[] = [];
	let bytes = headerBytes;
	let start = 0;
	const part = (end: number): LoadPart => ({ body: Buffer.from(header + lines.join('')), header: columns, rows: rows.slice(start, end), lineEnding });
	for (let k = 0; k < rows.length; k++) {
		let text = line(rows[k]);
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

/** The CSV of one item (text or binary file), split at row boundaries; each part buffered and parsed. */
async function* csvParts(ctx: IExecuteFunctions, i: number, s: Settings): AsyncGenerator<LoadPart> {
	const node = ctx.getNode();
	const input = await csvInputOf(ctx, i)();
	const source = Buffer.isBuffer(input) ? [input] : (input as AsyncIterable<Buffer>);
	let firstRow = 1; // 1-based number of the next data row, for messages
	try {
		for await (const part of splitCsv(source, { maxBytes: s.maxBytes, maxRows: s.maxRows, lineEnding: s.lineEnding ?? 'auto' })) {
			const chunks: Buffer[] = [];
			for await (const chunk of part.chunks) chunks.push(chunk);
			const body = Buffer.concat(chunks);
			const crlf = part.header.length > 1 && part.header[part.header.length - 2] === 13 && part.header[part.header.length - 1] === 10;
			const lineEnding: LineEnding = crlf ? 'CRLF' : 'LF';
			if (s.lineEnding && s.lineEnding !== lineEnding) {
				throw new NodeOperationError(node, `The CSV's lines end with ${lineEnding}, but the Line Ending option says ${s.lineEnding}`, { itemIndex: i });
			}
			let parsed: string[][];
			try {
				parsed = parseCsv(body.toString('utf8'), { delimiter: s.delimiter, lineEnding, expectColumns: 'header' });
			} catch (error) {
				if (!(error instanceof CsvError)) throw nodeError(node, error);
				const where = part.index > 0 ? ` (counting from data row ${firstRow}, where this job's part starts)` : '';
				throw new NodeOperationError(node, `The CSV is not valid: ${error.message}${where}`, { itemIndex: i });
			}
			const [header, ...rows] = parsed;
			firstRow += rows.length;
			yield { body, header, rows, lineEnding };
		}
	} catch (error) {
		if (!(error instanceof CsvError)) throw nodeError(node, error);
		const what = error.code === 'ROW_TOO_LARGE' ? 'A CSV row does not fit in one job: raise Split Size' : 'The CSV is not valid';
		throw new NodeOperationError(node, `${what}: ${error.message}`, { itemIndex: i });
	}
	if (firstRow === 1) {
		const check = s.lineEnding ? ` (or its lines do not end with ${s.lineEnding}, as the Line Ending option says)` : '';
		throw new NodeOperationError(node, `The CSV has no data rows: give a header row and at least one row${check}`, { itemIndex: i });
	}
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

/** One load: upload all parts, then either the jobs (not waiting) or one item per row with its outcome. */
async function load(ctx: IExecuteFunctions, bulk2: Bulk2Api, i: number, s: Settings, parts: AsyncIterable<LoadPart>, itemOf: (row: number) => number): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const jobs: LoadedJob[] = await uploadParts(node, bulk2, ingestJobSpec(ctx, i), parts, s.abortOnFailure);
	if (!s.wait) {
		return jobs.map(({ job, rows, firstRow }) => ({ json: { ...job, uploadedRows: rows.length }, pairedItem: pairedItems(itemOf, firstRow, rows.length) }));
	}
	const out: INodeExecutionData[] = [];
	const hints: string[] = [];
	for (const [j, report] of (await loadResults(node, bulk2, jobs, s.timeoutMs)).entries()) {
		const { header, rows, firstRow } = jobs[j];
		const { job, outcomes, counts, problems } = report;
		const toRecord = rowConverter(header, { nested: false });
		outcomes.forEach((outcome, r) => {
			out.push({ json: { ...outcome, jobId: job.id, record: toRecord(rows[r]) }, pairedItem: { item: itemOf(firstRow + r) } });
		});
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
				const { columns, rows } = itemRows(this, s);
				return await load(this, bulk2, 0, s, itemParts(this, columns, rows, s), (row) => row);
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
