// records.ts: n8n items ↔ Salesforce CSV records.
import { parse as csvParse } from 'csv-parse/sync';

import { parseCsv } from '../../../nodes/shared/codecs/csv';
import {
	RecordError,
	collectColumns,
	flattenRecord,
	formatNumber,
	formatValue,
	recordToRow,
	recordsToCsv,
	cellTypeOf,
	cellValue,
	rowConverter,
	typedValue,
} from '../../../nodes/shared/codecs/records';
import { asAsync, collect } from './random';

/** One CSV row as an item. */
const rowToItem = (header: string[], row: string[], options?: Parameters<typeof rowConverter>[1]) => rowConverter(header, options)(row);

describe('items → rows', () => {
	it('collects the union of fields in first-seen order, flattening relationships', () => {
		const items = [
			{ Name: 'A', Account: { Legacy_Id__c: 'X' } },
			{ Id: '001', Name: 'B', attributes: { type: 'Contact' }, sf__Error: 'x' },
			{ Account: { Owner: { Email: 'e' } }, Phone: null },
		];
		expect(collectColumns(items)).toEqual(['Name', 'Account.Legacy_Id__c', 'Id', 'Account.Owner.Email', 'Phone']);
	});

	it('refuses lists, naming the item and field', () => {
		expect(() => flattenRecord({ Name: 'a', Tags: ['x'] }, 3)).toThrow(RecordError);
		expect(() => flattenRecord({ Account: { Ids: [1] } }, 7)).toThrow(/Item 7: field "Account.Ids" is a list/);
		expect(() => collectColumns([{ a: 1 }, { b: [] }])).toThrow(expect.objectContaining({ itemIndex: 1, field: 'b' }));
		expect(() => collectColumns([{ b: [] }], 5)).toThrow(expect.objectContaining({ itemIndex: 5, message: expect.stringMatching(/^Item 5:/) }));
	});

	it('formats values the way Salesforce reads them', () => {
		expect(formatValue('  as is  ')).toBe('  as is  ');
		expect(formatValue(null)).toBe('#N/A');
		expect(formatValue(null, { nullValue: '' })).toBe('');
		expect(formatValue(undefined)).toBe('');
		expect(formatValue(true)).toBe('true');
		expect(formatValue(false)).toBe('false');
		expect(formatValue(12345678901234567890n)).toBe('12345678901234567890');
		expect(formatValue(new Date(Date.UTC(2024, 1, 29, 23, 59, 58, 7)))).toBe('2024-02-29T23:59:58.007Z');
		// Luxon DateTime, duck-typed (luxon is not a dependency)
		const luxon = { isLuxonDateTime: true, toJSDate: () => new Date(Date.UTC(2020, 0, 1)) };
		expect(formatValue(luxon)).toBe('2020-01-01T00:00:00.000Z');
		expect(() => formatValue(new Date(NaN), {}, 2, 'CloseDate')).toThrow(/Item 2: field "CloseDate" is an invalid date/);
		expect(() => formatValue(Infinity, {}, 0, 'Amount')).toThrow(RecordError);
		expect(() => formatValue(() => 1, {}, 0, 'f')).toThrow(RecordError);
	});

	it.each([
		[0, '0'],
		[-0, '0'],
		[42, '42'],
		[-7.25, '-7.25'],
		[1e21, '1000000000000000000000'],
		[-1.5e22, '-15000000000000000000000'],
		[2 ** 53, '9007199254740992'],
		[0.1 + 0.2, '0.3'],
		[1.005 * 1000, '1005'],
		[1.5e-7, '0.00000015'],
		[-2.5e-10, '-0.00000000025'],
		[123456.789, '123456.789'],
		[1 / 3, '0.333333333333333'],
	])('formatNumber(%p) = %s', (n, text) => {
		expect(formatNumber(n)).toBe(text);
		expect(formatNumber(n)).not.toMatch(/e/i);
	});

	it('builds rows for given columns, ignoring other fields', () => {
		const row = recordToRow({ Name: 'A', Extra: 1, Account: { Ext__c: 'X' }, Done: false }, ['Account.Ext__c', 'Name', 'Missing', 'Done'], 0);
		expect(row).toEqual(['X', 'A', '', 'false']);
		expect([{ a: 1 }, { a: null }].map((record, i) => recordToRow(record, ['a'], i))).toEqual([['1'], ['#N/A']]);
	});

	it('streams CSV with a header, quoting as needed; csv-parse reads it back', async () => {
		const items = Array.from({ length: 3000 }, (_, i) => ({
			Name: `Acme, "${i}"`,
			Description: i % 2 ? 'line1\nline2' : undefined,
			Amount: i / 4,
			Active__c: i % 3 === 0,
			Account: { Ext__c: `E${i}` },
			Phone: i === 5 ? null : '555',
		}));
		const chunks = await collect(recordsToCsv(items));
		expect(chunks.length).toBeGreaterThan(1);
		const rows = csvParse(chunks.join('')) as string[][];
		expect(rows[0]).toEqual(['Name', 'Description', 'Amount', 'Active__c', 'Account.Ext__c', 'Phone']);
		expect(rows).toHaveLength(3001);
		expect(rows[6]).toEqual(['Acme, "5"', 'line1\nline2', '1.25', 'false', 'E5', '#N/A']);
		expect(rows[1]).toEqual(['Acme, "0"', '', '0', 'true', 'E0', '555']);
	});

	it('streams from async sources when columns are given, in any dialect', async () => {
		const text = (
			await collect(recordsToCsv(asAsync([{ a: 'x;y', b: 1 }]), { columns: ['b', 'a'], delimiter: 'SEMICOLON', lineEnding: 'CRLF' }))
		).join('');
		expect(text).toBe('b;a\r\n1;"x;y"\r\n');
		await expect(collect(recordsToCsv(asAsync([{ a: 1 }])))).rejects.toThrow(/Columns must be given/);
		await expect(collect(recordsToCsv([{ attributes: {} }]))).rejects.toThrow(/no fields/);
		await expect(collect(recordsToCsv([{ a: 1 }, { a: [1] }]))).rejects.toThrow(/Item 1: field "a" is a list/);
	});

	it('writes 200,000 items as 200,001 lines', async () => {
		const items = Array.from({ length: 200000 }, (_, i) => ({ Id: `001${i}`, Name: `N${i}`, Amount: i * 1.5, Active: true }));
		let size = 0;
		let rows = 0;
		for await (const chunk of recordsToCsv(items)) {
			size += chunk.length;
			rows += chunk.split('\n').length - 1;
		}
		expect(size).toBeGreaterThan(4_000_000);
		expect(rows).toBe(200001);
	});
});

describe('rows → items', () => {
	it('gives each flat item its columns in header order, the last of a repeated name winning, as plain assignment would', () => {
		const header = ['Name', '2', 'constructor', 'Id', 'toString', '10', 'Name', 'hasOwnProperty', 'x y', ''];
		const row = header.map((_, i) => `v${i}`);
		const expected: Record<string, string> = {};
		header.forEach((name, i) => (expected[name] = row[i]));
		for (const options of [{ typed: false }, { typed: true }, { columnTypes: new Map([['Id', 'number' as const]]) }]) {
			const convert = rowConverter(header, options);
			const items = [convert(row), convert(row.slice(0, 3))];
			expect(Object.entries(items[0])).toEqual(Object.entries(expected));
			expect(Object.getPrototypeOf(items[0])).toBe(Object.prototype);
			// A short row: the missing cells are empty (or null when typed), never another item's values.
			expect(items[1].Id).toBe(options.typed || options.columnTypes ? null : '');
		}
	});

	it('nests relationship columns by default', () => {
		expect(rowToItem(['Id', 'Account.Name', 'Account.Owner.Email'], ['003', 'Acme', 'a@b'])).toEqual({
			Id: '003',
			Account: { Name: 'Acme', Owner: { Email: 'a@b' } },
		});
		expect(rowToItem(['Account.Name'], ['Acme'], { nested: false })).toEqual({ 'Account.Name': 'Acme' });
	});

	it('keeps a dotted column flat when its prefix is a column too, or the name is odd', () => {
		expect(rowToItem(['Account', 'Account.Name', 'a..b', '.x'], ['1', 'Acme', '2', '3'])).toEqual({
			Account: '1',
			'Account.Name': 'Acme',
			'a..b': '2',
			'.x': '3',
		});
	});

	it('types values only when asked', () => {
		const header = ['Id', 'Active', 'Count', 'Amount', 'Code', 'Empty', 'Big', 'When', 'Neg'];
		const row = ['001A', 'true', '42', '1234.50', '007', '', '12345678901234567', '2024-01-01', '-0.5'];
		expect(rowToItem(header, row)).toEqual(Object.fromEntries(header.map((h, i) => [h, row[i]])));
		expect(rowToItem(header, row, { typed: true })).toEqual({
			Id: '001A',
			Active: true,
			Count: 42,
			Amount: 1234.5,
			Code: '007',
			Empty: null,
			Big: '12345678901234567',
			When: '2024-01-01',
			Neg: -0.5,
		});
	});

	it.each([
		['0', 0],
		['-12', -12],
		['0.25', 0.25],
		['100.0', 100],
		['999999999999999', 999999999999999],
		['1234567890123456', '1234567890123456'],
		['0.000000000000001', 0.000000000000001],
		['00', '00'],
		['01.5', '01.5'],
		['+1', '+1'],
		['1e5', '1e5'],
		['1.', '1.'],
		['.5', '.5'],
		['-0', '-0'],
		[' 1', ' 1'],
		['TRUE', 'TRUE'],
		['NaN', 'NaN'],
		['Infinity', 'Infinity'],
		['001000000000001AAA', '001000000000001AAA'],
	])('typedValue(%j) = %p', (text, value) => {
		expect(typedValue(text)).toBe(value);
	});

	it('reads a results file into items with one converter', () => {
		const rows = parseCsv('"sf__Id","sf__Created",Name,Account.Ext__c\n001A,true,Acme,X1\n001B,false,,\n');
		const convert = rowConverter(rows[0], { typed: true });
		expect(rows.slice(1).map(convert)).toEqual([
			{ sf__Id: '001A', sf__Created: true, Name: 'Acme', Account: { Ext__c: 'X1' } },
			{ sf__Id: '001B', sf__Created: false, Name: null, Account: { Ext__c: null } },
		]);
	});

	it.each([
		['int', 'number'],
		['double', 'number'],
		['currency', 'number'],
		['percent', 'number'],
		['long', 'number'],
		['boolean', 'boolean'],
		['string', 'text'],
		['phone', 'text'],
		['textarea', 'text'],
		['id', 'text'],
		['reference', 'text'],
		['picklist', 'text'],
		['date', 'text'],
		['datetime', 'text'],
	])('the cell type of a %s field is %s', (fieldType, cellType) => {
		expect(cellTypeOf(fieldType)).toBe(cellType);
	});

	it.each([
		['12345', 'text', '12345'],
		['007', 'text', '007'],
		['', 'text', null],
		['1500.50', 'number', 1500.5],
		['-3', 'number', -3],
		['123456789012', 'number', 123456789012],
		['', 'number', null],
		['n/a', 'number', 'n/a'],
		['true', 'boolean', true],
		['false', 'boolean', false],
		['', 'boolean', null],
		['yes', 'boolean', 'yes'],
	] as const)('cellValue(%j, %s) = %p', (text, type, value) => {
		expect(cellValue(text, type)).toBe(value);
	});

	it('types columns by their field, the others (an aggregate, an unknown column) by the guess or as text', () => {
		const header = ['AccountNumber', 'NumberOfEmployees', 'Active__c', 'Owner.Name', 'expr0', 'Unknown'];
		const columnTypes = new Map([
			['AccountNumber', 'text'],
			['NumberOfEmployees', 'number'],
			['Active__c', 'boolean'],
			['Owner.Name', 'text'],
		] as const);
		const row = ['12345', '42', 'true', '555', '17', ''];
		expect(rowConverter(header, { typed: true, columnTypes })(row)).toEqual({ AccountNumber: '12345', NumberOfEmployees: 42, Active__c: true, Owner: { Name: '555' }, expr0: 17, Unknown: null });
		expect(rowConverter(header, { typed: false, nested: false, columnTypes })(row)).toEqual({ AccountNumber: '12345', NumberOfEmployees: 42, Active__c: true, 'Owner.Name': '555', expr0: '17', Unknown: '' });
	});

	it('treats __proto__ columns as plain data', () => {
		const item = rowToItem(['__proto__', 'a.__proto__.polluted', '__proto__.x'], ['1', '2', '3']);
		expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.keys(item)).toContain('__proto__');
	});

	it('round-trips items through CSV', async () => {
		const items = [
			{ Name: 'Zoë 😀', Count: 3, Active: false, Account: { Ext__c: 'A,1' } },
			{ Name: 'q"uote', Count: 0.5, Active: true, Account: { Ext__c: 'line\nbreak' } },
		];
		const rows = parseCsv((await collect(recordsToCsv(items))).join(''));
		const convert = rowConverter(rows[0], { typed: true });
		expect(rows.slice(1).map(convert)).toEqual(items);
	});
});
