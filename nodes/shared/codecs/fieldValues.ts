/**
 * Input values → what a Salesforce field of a given describe type takes, before anything is sent:
 * dates and datetimes from ISO strings, Luxon DateTimes, JS Dates and epoch numbers; booleans from
 * true/false/1/0/yes/no; numbers rounded to the field's scale; text and picklists as given.
 */
import { formatNumber } from './records';

/** The describe properties a conversion needs. */
export interface FieldSpec {
	type: string;
	scale?: number;
	precision?: number;
}

/** A converted value: null means "empty" (the caller decides whether that clears the field). */
export type FieldValue = string | number | boolean | null;

export class FieldValueError extends Error {
	constructor(readonly reason: string) {
		super(reason);
		this.name = 'FieldValueError';
	}
}

interface DateTimeLike {
	isLuxonDateTime: true;
	isValid: boolean;
	toJSDate(): Date;
	toISODate(): string | null;
}

const isLuxon = (value: object): value is DateTimeLike => (value as Partial<DateTimeLike>).isLuxonDateTime === true;

const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent', 'long']);
const DECIMAL_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const TIME = /^\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z?$/;
const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

/** Epoch numbers: seconds below 10^11 (until the year 5138), milliseconds from there on. */
function fromEpoch(n: number): Date {
	if (!Number.isFinite(n)) throw new FieldValueError('is not a date');
	return new Date(Math.abs(n) < 1e11 ? n * 1000 : n);
}

function validDate(date: Date): Date {
	if (Number.isNaN(date.getTime())) throw new FieldValueError('is not a valid date');
	return date;
}

function checkCalendarDate(text: string): string {
	const m = DATE_ONLY.exec(text);
	if (!m) throw new FieldValueError('is not a date (give YYYY-MM-DD, an ISO date-time, a DateTime or epoch seconds/milliseconds)');
	const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
	if (month < 1 || month > 12 || day < 1 || day > days) throw new FieldValueError('is not a valid date');
	return text;
}

/** An ISO date-time string as a Date; without an offset it is read as UTC, as Salesforce reads it. */
function parseDateTime(text: string): Date {
	const m = DATE_TIME.exec(text);
	if (!m) throw new FieldValueError('is not a date-time (give an ISO 8601 date-time such as 2024-05-01T09:30:00Z, a DateTime or epoch seconds/milliseconds)');
	return validDate(new Date(m[1] ? text.replace(' ', 'T') : `${text.replace(' ', 'T')}Z`));
}

function toDate(value: unknown): string {
	if (typeof value === 'number') return validDate(fromEpoch(value)).toISOString().slice(0, 10);
	if (value instanceof Date) return validDate(value).toISOString().slice(0, 10);
	if (typeof value === 'object' && value !== null && isLuxon(value)) {
		if (!value.isValid) throw new FieldValueError('is an invalid DateTime');
		return String(value.toISODate()); // the calendar date in the DateTime's own zone
	}
	if (typeof value !== 'string') throw new FieldValueError('is not a date');
	const text = value.trim();
	if (DATE_ONLY.test(text) || !DATE_TIME.test(text)) return checkCalendarDate(text);
	parseDateTime(text); // a full date-time: its date as written
	return checkCalendarDate(text.slice(0, 10));
}

function toDateTime(value: unknown): string {
	if (typeof value === 'number') return validDate(fromEpoch(value)).toISOString();
	if (value instanceof Date) return validDate(value).toISOString();
	if (typeof value === 'object' && value !== null && isLuxon(value)) {
		if (!value.isValid) throw new FieldValueError('is an invalid DateTime');
		return validDate(value.toJSDate()).toISOString();
	}
	if (typeof value !== 'string') throw new FieldValueError('is not a date-time');
	const text = value.trim();
	if (DATE_ONLY.test(text)) return `${checkCalendarDate(text)}T00:00:00.000Z`;
	return parseDateTime(text).toISOString();
}

function toBoolean(value: unknown): boolean {
	if (typeof value === 'boolean') return value;
	const word = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim().toLowerCase() : undefined;
	if (word !== undefined && TRUE_WORDS.has(word)) return true;
	if (word !== undefined && FALSE_WORDS.has(word)) return false;
	throw new FieldValueError('is not a boolean (give true/false, 1/0 or yes/no)');
}

function toNumber(field: FieldSpec, value: unknown): number {
	let n: number;
	if (typeof value === 'number') n = value;
	else if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) n = Number(value.trim());
	else throw new FieldValueError('is not a number');
	if (!Number.isFinite(n)) throw new FieldValueError('is not a finite number');
	if (field.type === 'int' || field.type === 'long') {
		if (!Number.isInteger(n)) throw new FieldValueError('is not a whole number');
		if (!Number.isSafeInteger(n)) throw new FieldValueError('is too large for a whole-number field');
		return n;
	}
	const scale = field.scale ?? 0;
	const rounded = field.scale === undefined ? n : Number(n.toFixed(Math.min(scale, 100)));
	const integerDigits = (field.precision ?? 0) - scale;
	if (field.precision && Math.abs(Math.trunc(rounded)) >= 10 ** integerDigits) {
		throw new FieldValueError(`has more than ${integerDigits} digits before the decimal point`);
	}
	return rounded;
}

function toText(value: unknown): string {
	switch (typeof value) {
		case 'string':
			return value;
		case 'number':
			return formatNumber(value);
		case 'boolean':
			return value ? 'true' : 'false';
		case 'bigint':
			return value.toString();
	}
	if (value instanceof Date) return validDate(value).toISOString();
	if (typeof value === 'object' && value !== null && isLuxon(value)) return toDateTime(value);
	throw new FieldValueError('is not text (an object or a list)');
}

/**
 * One value converted for one field: `undefined` stays undefined (not sent), null and '' become null
 * (empty), anything else the field's form or a FieldValueError saying why not.
 */
export function toFieldValue(field: FieldSpec, value: unknown): FieldValue | undefined {
	if (value === undefined) return undefined;
	if (value === null || value === '') return null;
	if (Array.isArray(value)) throw new FieldValueError('is a list; a Salesforce field takes one value');
	if (NUMBER_TYPES.has(field.type)) return toNumber(field, value);
	switch (field.type) {
		case 'boolean':
			return toBoolean(value);
		case 'date':
			return toDate(value);
		case 'datetime':
			return toDateTime(value);
		case 'time': {
			const text = toText(value).trim();
			if (!TIME.test(text)) throw new FieldValueError('is not a time (give HH:mm:ss.SSSZ)');
			return text;
		}
		default:
			return toText(value);
	}
}
