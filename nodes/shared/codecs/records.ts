/**
 * n8n items ↔ Salesforce CSV records.
 *
 * Items → rows: nested objects are relationship references (`{ Account: { Ext__c: 'X' } }` →
 * column `Account.Ext__c`); values are written the way Salesforce reads them (empty = leave
 * unchanged, `#N/A` = set to null, `true|false`, plain decimals, ISO date-times).
 * Rows → items: the reverse, optionally typed (booleans, numbers, null).
 */
import type { IDataObject } from 'n8n-workflow';

import { CsvChunkWriter, type CsvWriteOptions } from './csv';

export class RecordError extends Error {
	constructor(
		message: string,
		/** 0-based index of the offending item, -1 when not about one item. */
		readonly itemIndex = -1,
		readonly field = '',
	) {
		super(message);
		this.name = 'RecordError';
	}
}

export interface RecordFormatOptions {
	/** What null becomes. Default `#N/A` (Salesforce: set the field to null); `''` leaves it unchanged. */
	nullValue?: string;
}

export interface RecordsToCsvOptions extends RecordFormatOptions, CsvWriteOptions {
	/** Columns to write, in order; other fields are ignored. Default: union of all items' fields, first-seen order. */
	columns?: readonly string[];
}

/**
 * Keys never sent to Salesforce: `attributes` (REST metadata on records read back) and the `sf__*`
 * columns of Bulk result files (sf__Id, sf__Created, sf__Error), which Salesforce would reject as
 * unknown fields when results are fed into another job.
 */
export function isIgnoredKey(key: string): boolean {
	return key === 'attributes' || key.startsWith('sf__');
}

interface LuxonLike {
	isLuxonDateTime: true;
	toJSDate(): Date;
}

function isLuxon(value: object): value is LuxonLike {
	return (value as Partial<LuxonLike>).isLuxonDateTime === true && typeof (value as LuxonLike).toJSDate === 'function';
}

/** A value written as one cell (not flattened further). */
function isLeaf(value: unknown): boolean {
	return value === null || typeof value !== 'object' || value instanceof Date || isLuxon(value);
}

/**
 * Flattens one item to `column → leaf value`, relationship objects joined with dots. Arrays are
 * refused: Salesforce has no CSV form for them.
 */
export function flattenRecord(record: object, itemIndex: number): Map<string, unknown> {
	const out = new Map<string, unknown>();
	const walk = (obj: object, prefix: string, depth: number): void => {
		for (const key of Object.keys(obj)) {
			if (isIgnoredKey(key)) continue;
			const value = (obj as Record<string, unknown>)[key];
			const column = prefix + key;
			if (Array.isArray(value)) {
				throw new RecordError(
					`Item ${itemIndex}: field "${column}" is a list; Salesforce fields take one value (join it into a string first)`,
					itemIndex,
					column,
				);
			}
			if (isLeaf(value)) out.set(column, value);
			else if (depth >= 5) {
				throw new RecordError(`Item ${itemIndex}: field "${column}" is nested too deeply`, itemIndex, column);
			} else walk(value as object, `${column}.`, depth + 1);
		}
	};
	walk(record, '', 0);
	return out;
}

/** Whether every field of a record is one cell (no relationship object, no list): its own flat form. */
function isFlat(record: object): boolean {
	for (const key in record) {
		if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
		const value = (record as Record<string, unknown>)[key];
		if (!isLeaf(value) || Array.isArray(value)) return false;
	}
	return true;
}

/** Union of all items' flattened fields, in first-seen order; `firstIndex` numbers the items for errors. */
export function collectColumns(records: Iterable<object>, firstIndex = 0): string[] {
	const seen = new Set<string>();
	let i = firstIndex;
	for (const record of records) {
		// Flat records (the usual case) need no flattened copy.
		if (isFlat(record)) {
			for (const key of Object.keys(record)) if (!isIgnoredKey(key)) seen.add(key);
		} else {
			for (const key of flattenRecord(record, i).keys()) seen.add(key);
		}
		i++;
	}
	return [...seen];
}

/** Plain decimal text: never an exponent; non-integers keep 15 significant digits (drops float noise). */
export function formatNumber(n: number): string {
	if (!Number.isFinite(n)) throw new RecordError(`${n} is not a number Salesforce accepts`);
	if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n === 0 ? 0 : n) : BigInt(n).toString();
	// Up to 15 characters without an exponent hold at most 15 digits: already what the rounding gives.
	const plain = String(n);
	if (plain.length <= 15 && !plain.includes('e')) return plain;
	return expandExponent(String(Number(n.toPrecision(15))));
}

function expandExponent(s: string): string {
	const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(s);
	if (!m) return s;
	const digits = m[2] + (m[3] ?? '');
	const point = 1 + Number(m[4]); // position of the decimal point within `digits`
	if (point <= 0) return `${m[1]}0.${'0'.repeat(-point)}${digits}`;
	if (point >= digits.length) return m[1] + digits + '0'.repeat(point - digits.length);
	return `${m[1]}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** The most characters Salesforce takes in one field of a bulk load. */
export const MAX_FIELD_CHARS = 131072;

/** One cell as Salesforce expects it. `undefined` → '' (leave unchanged), null → nullValue. */
export function formatValue(value: unknown, options: RecordFormatOptions = {}, itemIndex = -1, field = ''): string {
	switch (typeof value) {
		case 'string':
			if (value.length > MAX_FIELD_CHARS) {
				throw new RecordError(`Item ${itemIndex}: field "${field}" holds ${value.length} characters; Salesforce takes at most ${MAX_FIELD_CHARS} in one field`, itemIndex, field);
			}
			return value;
		case 'undefined':
			return '';
		case 'boolean':
			return value ? 'true' : 'false';
		case 'bigint':
			return value.toString();
		case 'number':
			if (!Number.isFinite(value)) {
				throw new RecordError(`Item ${itemIndex}: field "${field}" is ${value}, not a number Salesforce accepts`, itemIndex, field);
			}
			return formatNumber(value);
		case 'object': {
			if (value === null) return options.nullValue ?? '#N/A';
			const date = value instanceof Date ? value : isLuxon(value) ? value.toJSDate() : undefined;
			if (date) {
				if (Number.isNaN(date.getTime())) {
					throw new RecordError(`Item ${itemIndex}: field "${field}" is an invalid date`, itemIndex, field);
				}
				return date.toISOString(); // yyyy-MM-ddTHH:mm:ss.SSSZ
			}
			break;
		}
	}
	throw new RecordError(`Item ${itemIndex}: field "${field}" has a value that cannot be written to CSV`, itemIndex, field);
}

/** One item as a row for `columns` (fields not in `columns` are ignored). */
export function recordToRow(
	record: object,
	columns: readonly string[],
	itemIndex: number,
	options: RecordFormatOptions = {},
): string[] {
	if (isFlat(record)) {
		// The record is its own flat form: read its fields directly instead of building a flattened copy.
		const fields = record as Record<string, unknown>;
		return columns.map((column) => formatValue(!isIgnoredKey(column) && Object.prototype.hasOwnProperty.call(fields, column) ? fields[column] : undefined, options, itemIndex, column));
	}
	const flat = flattenRecord(record, itemIndex);
	return columns.map((column) => formatValue(flat.get(column), options, itemIndex, column));
}

/**
 * Streams items as CSV text chunks, header first. Without `options.columns` the columns are the
 * union of all items, which takes a first pass: then `records` must be re-iterable (an array).
 */
export async function* recordsToCsv(
	records: Iterable<object> | AsyncIterable<object>,
	options: RecordsToCsvOptions = {},
): AsyncGenerator<string> {
	let columns = options.columns;
	if (!columns) {
		if (!(Symbol.iterator in records)) {
			throw new RecordError('Columns must be given when items come from an async source');
		}
		columns = collectColumns(records);
	}
	if (columns.length === 0) throw new RecordError('The items have no fields to send');
	const writer = new CsvChunkWriter(options);
	writer.add(columns);
	let i = 0;
	if (Symbol.iterator in records) {
		for (const record of records) {
			const chunk = writer.add(recordToRow(record, columns, i++, options));
			if (chunk !== undefined) yield chunk;
		}
	} else {
		for await (const record of records) {
			const chunk = writer.add(recordToRow(record, columns, i++, options));
			if (chunk !== undefined) yield chunk;
		}
	}
	const last = writer.flush();
	if (last !== undefined) yield last;
}

// ---- rows → items ----

export interface RowToItemOptions {
	/** 'true'/'false' → booleans, plain decimals → numbers, '' → null. Default false (all strings). */
	typed?: boolean;
	/** `Account.Name` → `{ Account: { Name } }`. Default true. */
	nested?: boolean;
	/**
	 * The value type of each column, as the field's describe says (see cellTypeOf); overrides `typed`
	 * for the columns it names. Columns it lacks are converted as `typed` says.
	 */
	columnTypes?: ReadonlyMap<string, CellType>;
}

/** What a cell becomes: text whatever it holds, a number, or a boolean ('' is null for all three). */
export type CellType = 'text' | 'number' | 'boolean';

const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent', 'long']);

/**
 * The cell type of a Salesforce field type (describe `type`): numbers for int, double, currency, percent
 * and long, booleans for boolean, text for everything else (strings, phones, IDs, picklists, dates and
 * date-times, which Salesforce already sends as ISO text).
 */
export function cellTypeOf(fieldType: string): CellType {
	if (NUMBER_TYPES.has(fieldType)) return 'number';
	return fieldType === 'boolean' ? 'boolean' : 'text';
}

/** A cell converted to its field's type; a cell that does not read as that type stays the text sent. */
export function cellValue(s: string, type: CellType): string | number | boolean | null {
	if (s === '') return null;
	if (type === 'number') {
		const n = s.trim() === '' ? NaN : Number(s);
		return Number.isFinite(n) ? n : s;
	}
	if (type === 'boolean') return s === 'true' ? true : s === 'false' ? false : s;
	return s;
}

const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/**
 * Typed value of one cell. Numbers only for plain decimals (no leading zeros like '007', no
 * exponent, no '+') of at most 15 significant digits, so the number holds exactly the value written;
 * longer digit strings (account numbers, IDs) stay strings. Dates stay strings.
 */
export function typedValue(s: string): string | number | boolean | null {
	if (s === '') return null;
	if (s === 'true') return true;
	if (s === 'false') return false;
	if (s.length > 40 || !DECIMAL.test(s)) return s;
	// At most 15 characters cannot hold more than 15 digits (the common case: no string work).
	if (s.length > 15 && s.replace(/^-/, '').replace('.', '').replace(/^0+/, '').length > 15) return s;
	const n = Number(s);
	return Object.is(n, -0) ? s : n;
}

/** Builds a fast row → item converter for one header. */
export function rowConverter(header: readonly string[], options: RowToItemOptions = {}): (row: readonly string[]) => IDataObject {
	const typed = options.typed === true;
	const columnTypes = options.columnTypes;
	const asText = (s: string) => s;
	// One converter per column: by its field's type when known, else as `typed` says.
	const converters = header.map((name): ((s: string) => IDataObject[string]) => {
		const type = columnTypes?.get(name);
		if (type) return (s) => cellValue(s, type);
		return typed ? typedValue : asText;
	});
	const columns = new Set(header);
	// A dotted column stays flat when a prefix of it is itself a column (its value can't be both).
	const paths = header.map((name) => {
		if (options.nested === false || !name.includes('.')) return [name];
		const parts = name.split('.');
		if (parts.some((p) => p === '')) return [name];
		for (let i = 1; i < parts.length; i++) if (columns.has(parts.slice(0, i).join('.'))) return [name];
		return parts;
	});
	if (paths.every((path) => path.length === 1 && path[0] !== '__proto__')) {
		// Flat columns (the usual case): one plain assignment per cell, into a copy of an object that has every
		// column already. JSON.parse gives that object its properties in-object, so each copy is one allocation
		// (`{}` grown past four properties takes a second one for the rest).
		const keys = paths.map((path) => path[0]);
		const blank = JSON.parse(JSON.stringify(Object.fromEntries(keys.map((key) => [key, null])))) as IDataObject;
		if (!columnTypes) {
			// Without field types, the plain loops of before (a converter call per cell costs in a hot loop).
			return typed
				? (row) => {
						const item: IDataObject = { ...blank };
						for (let c = 0; c < keys.length; c++) item[keys[c]] = typedValue(row[c] ?? '');
						return item;
					}
				: (row) => {
						const item: IDataObject = { ...blank };
						for (let c = 0; c < keys.length; c++) item[keys[c]] = row[c] ?? '';
						return item;
					};
		}
		return (row) => {
			const item: IDataObject = { ...blank };
			for (let c = 0; c < keys.length; c++) item[keys[c]] = converters[c](row[c] ?? '');
			return item;
		};
	}
	return (row) => {
		const item: IDataObject = {};
		for (let c = 0; c < paths.length; c++) {
			const raw = row[c] ?? '';
			const value = columnTypes ? converters[c](raw) : typed ? typedValue(raw) : raw;
			const path = paths[c];
			let target = item;
			for (let p = 0; p < path.length - 1; p++) {
				const exists = Object.prototype.hasOwnProperty.call(target, path[p]);
				let next = exists ? target[path[p]] : undefined;
				if (next === null || typeof next !== 'object') {
					next = {};
					setKey(target, path[p], next);
				}
				target = next as IDataObject;
			}
			setKey(target, path[path.length - 1], value);
		}
		return item;
	};
}

// `__proto__` as a column name must become a plain property, not the object's prototype.
function setKey(obj: IDataObject, key: string, value: IDataObject[string]): void {
	if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
	else obj[key] = value;
}
