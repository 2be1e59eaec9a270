import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { LoadPart } from '../../../../shared/bulk2/load';
import { nodeError } from '../../../../shared/transport/errors';
import { csvLineWriter } from '../../../../shared/codecs/csv';
import { loopTurns, ROWS_PER_LOOK } from '../../../../shared/transport/loopTurns';
import { collectColumns, formatValue, RecordError, recordToRow, rowConverter } from '../../../../shared/codecs/records';
import { errorJson } from '../../../../shared/node/items';
import { mapItems } from '../../../../shared/node/mappedItems';
import { ingestJobSpec } from '../../common';
import type { LoadSettings } from './settings';

/** The input items as CSV: the columns, one record (column → value as written) per row, and the item of each row. */
export interface ItemTable {
	columns: string[];
	rows: Array<Record<string, string>>;
	itemOfRow: number[];
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

/** The columns of Fields to Send (all fields, or those of Fields to Include) and how to read each from an item. */
function columnsToSend(ctx: IExecuteFunctions): Array<{ column: string; path: string }> | 'all' {
	if (ctx.getNodeParameter('fieldsToSend', 0) === 'all') return 'all';
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
	return fields;
}

function itemError(ctx: IExecuteFunctions, error: unknown): Error {
	if (!(error instanceof RecordError)) return nodeError(ctx.getNode(), error);
	return new NodeOperationError(ctx.getNode(), error.message, {
		itemIndex: Math.max(0, error.itemIndex),
		description: 'Fix the field in the input items, or send only the fields you need (Fields to Send: Selected Fields)',
	});
}

/**
 * Items → CSV columns and rows, each row kept as the record it is in the output. A bad item (a list value,
 * a number Salesforce cannot take) stops the load, or with Continue On Fail becomes an error item in
 * `failures` while the others load: the same policy as Classic Load Records.
 */
export async function itemTable(ctx: IExecuteFunctions, settings: LoadSettings, failures: INodeExecutionData[]): Promise<ItemTable> {
	const items = ctx.getInputData();
	const turn = loopTurns();
	const format = { nullValue: settings.nullValue };
	const fields = columnsToSend(ctx);
	// Per item its values and its columns; items with the same fields in the same order (the usual case) share
	// one columns array, so 200,000 items hold one small array of values each (not a Map each).
	const written: Array<{ columns: string[]; values: string[] } | undefined> = [];
	const itemOfRow: number[] = [];
	let previous: string[] = fields === 'all' ? [] : fields.map((f) => f.column);
	for (let i = 0; i < items.length; i++) {
		if (i % ROWS_PER_LOOK === 0) await turn();
		try {
			const json = items[i].json;
			let columns = previous;
			if (fields === 'all') {
				columns = collectColumns([json], i);
				if (sameColumns(columns, previous)) columns = previous;
			}
			const values = fields === 'all' ? recordToRow(json, columns, i, format) : fields.map((f) => formatValue(valueAt(json, f.path, i), format, i, f.column));
			written.push({ columns, values });
			itemOfRow.push(i);
			previous = columns;
		} catch (error) {
			const failure = itemError(ctx, error);
			if (!ctx.continueOnFail()) throw failure;
			failures.push({ json: { ...errorJson(failure), jobIds: [] }, pairedItem: { item: i } });
		}
	}
	let columns = fields === 'all' ? [] : fields.map((f) => f.column);
	if (fields === 'all') {
		// The union of every item's fields, in order of appearance: each distinct columns array looked at once.
		const seen = new Set<string>();
		let last: string[] | undefined;
		for (let k = 0; k < written.length; k++) {
			if (k % ROWS_PER_LOOK === 0) await turn();
			const own = written[k]!.columns;
			if (own !== last) for (const column of own) seen.add(column);
			last = own;
		}
		columns = [...seen];
	}
	if (!columns.length && written.length) throw new NodeOperationError(ctx.getNode(), 'The input items have no fields to send', { itemIndex: 0 });
	const toRecord = rowConverter(columns, { nested: false }) as (row: readonly string[]) => Record<string, string>;
	const rows: Array<Record<string, string>> = new Array(written.length);
	let from: string[] | undefined;
	let positions: number[] = [];
	for (let k = 0; k < written.length; k++) {
		if (k % ROWS_PER_LOOK === 0) await turn();
		const { columns: own, values } = written[k]!;
		if (own !== from) {
			// Where each column of the load sits among this item's columns (-1: the item lacks it).
			from = own;
			positions = sameColumns(own, columns) ? [] : columns.map((column) => own.indexOf(column));
		}
		rows[k] = toRecord(positions.length ? positions.map((at) => (at < 0 ? '' : values[at])) : values);
		written[k] = undefined; // its values now live in the record
	}
	return { columns, rows, itemOfRow };
}

function sameColumns(a: readonly string[], b: readonly string[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let c = 0; c < a.length; c++) if (a[c] !== b[c]) return false;
	return true;
}

/**
 * Version 1.2: the items through the Columns mapper, checked and converted against the object's describe
 * before any job is created. Rows left out (Skip Bad Rows, Continue On Fail) become error items in `failures`.
 */
export async function mappedItemTable(ctx: IExecuteFunctions, failures: INodeExecutionData[]): Promise<ItemTable> {
	const spec = ingestJobSpec(ctx, 0);
	const items = ctx.getInputData();
	const mapped = await mapItems(ctx, items.map((_, i) => i), { object: spec.object, operation: spec.operation, externalIdFieldName: spec.externalIdFieldName });
	for (const failure of mapped.failures) failures.push({ ...failure, json: { ...failure.json, jobIds: [] } });
	const cell = (values: Record<string, unknown>, column: string) => (column in values ? formatValue(values[column], { nullValue: '#N/A' }) : '');
	return {
		columns: mapped.columns,
		rows: mapped.records.map((r) => Object.fromEntries(mapped.columns.map((column) => [column, cell(r.values, column)]))),
		itemOfRow: mapped.records.map((r) => r.item),
	};
}

/** Rows → parts of at most maxBytes / maxRows each, every part with the header. */
export async function* itemParts(ctx: IExecuteFunctions, table: ItemTable, settings: LoadSettings): AsyncGenerator<LoadPart> {
	const { columns, rows } = table;
	const lineEnding = settings.lineEnding ?? 'LF';
	const line = csvLineWriter({ delimiter: settings.delimiter, lineEnding });
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
	const turn = loopTurns();
	for (let k = 0; k < rows.length; k++) {
		if (k % ROWS_PER_LOOK === 0) await turn();
		const text = line(columns.map((column) => rows[k][column]));
		const size = Buffer.byteLength(text);
		if (headerBytes + size > settings.maxBytes) {
			const item = table.itemOfRow[k];
			throw new NodeOperationError(ctx.getNode(), `Item ${item} makes a CSV row of ${size} bytes, more than Split Size allows`, { itemIndex: item });
		}
		if (lines.length && (bytes + size > settings.maxBytes || lines.length >= settings.maxRows)) {
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
