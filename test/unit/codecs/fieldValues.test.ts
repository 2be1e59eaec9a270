import { DateTime } from 'luxon';

import { FieldValueError, toFieldValue } from '../../../nodes/shared/codecs/fieldValues';

const reason = (field: Parameters<typeof toFieldValue>[0], value: unknown) => {
	try {
		toFieldValue(field, value);
	} catch (error) {
		expect(error).toBeInstanceOf(FieldValueError);
		return (error as FieldValueError).reason;
	}
	throw new Error(`${JSON.stringify(value)} was converted for ${field.type}`);
};

describe('values converted to what a Salesforce field takes', () => {
	it('undefined is not sent; null and empty text are empty', () => {
		expect(toFieldValue({ type: 'string' }, undefined)).toBeUndefined();
		expect(toFieldValue({ type: 'int' }, null)).toBeNull();
		expect(toFieldValue({ type: 'date' }, '')).toBeNull();
	});

	it('text fields keep text as it is, whatever it holds; numbers and booleans become their text', () => {
		expect(toFieldValue({ type: 'string' }, '007')).toBe('007');
		expect(toFieldValue({ type: 'phone' }, 5550100)).toBe('5550100');
		expect(toFieldValue({ type: 'picklist' }, 'Customer - Direct')).toBe('Customer - Direct');
		expect(toFieldValue({ type: 'textarea' }, true)).toBe('true');
		expect(reason({ type: 'string' }, { a: 1 })).toMatch(/not text/);
		expect(reason({ type: 'string' }, ['a'])).toMatch(/list/);
	});

	it('booleans from true/false, 1/0 and yes/no', () => {
		for (const yes of [true, 'true', 'TRUE', 1, '1', 'yes', ' Yes ']) expect(toFieldValue({ type: 'boolean' }, yes)).toBe(true);
		for (const no of [false, 'false', 0, '0', 'no', 'NO']) expect(toFieldValue({ type: 'boolean' }, no)).toBe(false);
		expect(reason({ type: 'boolean' }, 'maybe')).toMatch(/not a boolean/);
		expect(reason({ type: 'boolean' }, 2)).toMatch(/not a boolean/);
	});

	it('numbers from numbers and decimal text, rounded to the field scale, within its precision', () => {
		expect(toFieldValue({ type: 'currency', precision: 18, scale: 2 }, 10.126)).toBe(10.13);
		expect(toFieldValue({ type: 'currency', precision: 18, scale: 2 }, '1234.5')).toBe(1234.5);
		expect(toFieldValue({ type: 'double', precision: 18, scale: 0 }, '7.6')).toBe(8);
		expect(toFieldValue({ type: 'percent' }, 0.125)).toBe(0.125);
		expect(toFieldValue({ type: 'int' }, '42')).toBe(42);
		expect(reason({ type: 'int' }, 4.5)).toMatch(/whole number/);
		expect(reason({ type: 'int' }, 'many')).toMatch(/not a number/);
		expect(reason({ type: 'currency', precision: 5, scale: 2 }, 1000)).toMatch(/more than 3 digits before the decimal point/);
		expect(reason({ type: 'double' }, Number.NaN)).toMatch(/finite/);
	});

	it('dates from ISO text, DateTimes, JS Dates and epoch seconds or milliseconds', () => {
		expect(toFieldValue({ type: 'date' }, '2024-02-29')).toBe('2024-02-29');
		expect(toFieldValue({ type: 'date' }, '2024-03-01T23:30:00-05:00')).toBe('2024-03-01'); // the date as written
		expect(toFieldValue({ type: 'date' }, DateTime.fromISO('2024-05-06T01:00:00', { zone: 'Asia/Tokyo' }))).toBe('2024-05-06');
		expect(toFieldValue({ type: 'date' }, new Date(Date.UTC(2024, 0, 2)))).toBe('2024-01-02');
		expect(toFieldValue({ type: 'date' }, 1_700_000_000)).toBe('2023-11-14');
		expect(toFieldValue({ type: 'date' }, 1_700_000_000_000)).toBe('2023-11-14');
		expect(reason({ type: 'date' }, '2023-02-29')).toMatch(/not a valid date/);
		expect(reason({ type: 'date' }, '14/11/2023')).toMatch(/not a date/);
	});

	it('datetimes as UTC ISO text; text without an offset is read as UTC', () => {
		expect(toFieldValue({ type: 'datetime' }, '2024-05-01T09:30:00+02:00')).toBe('2024-05-01T07:30:00.000Z');
		expect(toFieldValue({ type: 'datetime' }, '2024-05-01T09:30:00')).toBe('2024-05-01T09:30:00.000Z');
		expect(toFieldValue({ type: 'datetime' }, '2024-05-01')).toBe('2024-05-01T00:00:00.000Z');
		expect(toFieldValue({ type: 'datetime' }, DateTime.fromISO('2024-05-01T09:30:00', { zone: 'America/New_York' }))).toBe('2024-05-01T13:30:00.000Z');
		expect(toFieldValue({ type: 'datetime' }, 1_700_000_000_123)).toBe('2023-11-14T22:13:20.123Z');
		expect(reason({ type: 'datetime' }, 'tomorrow')).toMatch(/not a date-time/);
		expect(reason({ type: 'datetime' }, DateTime.fromISO('nope'))).toMatch(/invalid DateTime/);
	});

	it('times as HH:mm:ss.SSSZ text', () => {
		expect(toFieldValue({ type: 'time' }, '09:30:00.000Z')).toBe('09:30:00.000Z');
		expect(reason({ type: 'time' }, '9.30')).toMatch(/not a time/);
	});
});
