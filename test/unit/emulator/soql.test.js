'use strict';
const { Org } = require('../../../test/emulator/org');
const { SoqlError, compileQuery, runQuery, rowValues, objectOf } = require('../../../test/emulator/soql');

const NOW = Date.parse('2024-03-15T12:00:00.000Z');
let org, acme, beta, gamma;

beforeEach(() => {
	org = new Org({ clock: () => NOW });
	acme = org.insertSystem('Account', { Name: 'Acme', Industry: 'Tech', NumberOfEmployees: 50, AnnualRevenue: 1500000, Active__c: true, SLA_Expiration_Date__c: '2024-03-14' });
	beta = org.insertSystem('Account', { Name: 'beta', Industry: 'Retail', NumberOfEmployees: 5, AnnualRevenue: 2.5, ParentId: acme.Id, SLA_Expiration_Date__c: '2024-01-31' });
	gamma = org.insertSystem('Account', { Name: "O'Brien\\Co", NumberOfEmployees: 500, Description: 'line1\nline2' });
	org.insertSystem('Contact', { LastName: 'Smith', FirstName: 'Ann', AccountId: beta.Id, Email: 'ann@example.com' });
	org.insertSystem('Contact', { LastName: 'Jones', AccountId: null });
	org.insertSystem('Invoice__c', { Name: 'INV-1', Account__c: acme.Id, Issued_At__c: '2024-01-31T09:00:00.000Z', Due_Date__c: '2024-03-15' });
	org.insertSystem('Invoice__c', { Name: 'INV-2', Account__c: beta.Id, Issued_At__c: '2024-03-14T23:30:00.000Z', Due_Date__c: '2024-03-20' });
});

/** Runs a query and returns its CSV cells. */
const rows = (soql, options) => {
	const compiled = compileQuery(soql);
	return runQuery(org, compiled, options).map((record) => rowValues(org, compiled, record));
};
const names = (where, object = 'Account') => rows(`SELECT Name FROM ${object} WHERE ${where}`).map(([name]) => name);
const errorOf = (soql) => {
	try {
		compileQuery(soql);
	} catch (error) {
		expect(error).toBeInstanceOf(SoqlError);
		return error;
	}
	throw new Error(`no error for ${soql}`);
};

describe('columns and values', () => {
	test('column names use the schema case, relationship names for parents, up to two levels', () => {
		expect(compileQuery('select id, NAME, parent.name, owner.USERNAME from account').columns).toEqual(['Id', 'Name', 'Parent.Name', 'Owner.Username']);
		expect(compileQuery('SELECT account__r.name, Account__r.Owner.Username FROM invoice__c').columns).toEqual(['Account__r.Name', 'Account__r.Owner.Username']);
		expect(compileQuery('SELECT Account.Owner.Username FROM Contact').object).toBe('Contact');
	});

	test('rowValues prints CSV text: numbers, booleans, dates, nulls and parents through null references', () => {
		const all = rows('SELECT Name, NumberOfEmployees, AnnualRevenue, Active__c, SLA_Expiration_Date__c, Parent.Name, Parent.Owner.Username, Industry, CreatedDate FROM Account');
		expect(all).toEqual([
			['Acme', '50', '1500000', 'true', '2024-03-14', '', '', 'Tech', '2024-03-15T12:00:00.000Z'],
			['beta', '5', '2.5', 'false', '2024-01-31', 'Acme', 'bulk.user@example.com', 'Retail', '2024-03-15T12:00:00.000Z'],
			["O'Brien\\Co", '500', '', 'false', '', '', '', '', '2024-03-15T12:00:00.000Z'],
		]);
		expect(rows('SELECT LastName, Account.Name, Account.Parent.Name FROM Contact')).toEqual([
			['Smith', 'beta', 'Acme'],
			['Jones', '', ''],
		]);
	});
});

describe('WHERE', () => {
	test('= and != compare strings case-insensitively; != and NOT IN keep nulls', () => {
		expect(names("Name = 'ACME'")).toEqual(['Acme']);
		expect(names("Industry != 'tech'")).toEqual(['beta', "O'Brien\\Co"]);
		expect(names("Industry <> 'Tech'")).toEqual(['beta', "O'Brien\\Co"]);
		expect(names('Industry = null')).toEqual(["O'Brien\\Co"]);
		expect(names('Industry != null')).toEqual(['Acme', 'beta']);
		expect(names("Industry IN ('TECH', 'Retail')")).toEqual(['Acme', 'beta']);
		expect(names("Industry NOT IN ('Tech')")).toEqual(['beta', "O'Brien\\Co"]);
		expect(names("Industry IN ('Tech', null)")).toEqual(['Acme', "O'Brien\\Co"]);
	});

	test('numbers compare numerically, booleans by value', () => {
		expect(names('NumberOfEmployees > 5')).toEqual(['Acme', "O'Brien\\Co"]);
		expect(names('NumberOfEmployees >= 5 AND NumberOfEmployees < 500')).toEqual(['Acme', 'beta']);
		expect(names('NumberOfEmployees <= 50.0')).toEqual(['Acme', 'beta']);
		expect(names('AnnualRevenue > -1 AND AnnualRevenue < 3')).toEqual(['beta']);
		expect(names('NumberOfEmployees IN (5, 500)')).toEqual(['beta', "O'Brien\\Co"]);
		expect(names('Active__c = TRUE')).toEqual(['Acme']);
		expect(names('Active__c != true')).toEqual(['beta', "O'Brien\\Co"]);
	});

	test('LIKE wildcards are case-insensitive; string escapes decode', () => {
		expect(names("Name LIKE 'a%'")).toEqual(['Acme']);
		expect(names("Name LIKE '_eta'")).toEqual(['beta']);
		expect(names("Name LIKE '%\\'b%'")).toEqual(["O'Brien\\Co"]);
		expect(names("Name = 'o\\'brien\\\\co'")).toEqual(["O'Brien\\Co"]);
		expect(names("Name LIKE 'ac\\%'")).toEqual([]);
	});

	test('AND, OR, NOT and parentheses; parent fields filter too', () => {
		expect(names("(Industry = 'Tech' OR Industry = 'Retail') AND NOT NumberOfEmployees > 10")).toEqual(['beta']);
		expect(names("NOT (Name = 'Acme' OR Name = 'beta')")).toEqual(["O'Brien\\Co"]);
		expect(names("Parent.Name = 'acme'")).toEqual(['beta']);
		expect(names("Account.Parent.Name = 'Acme'", 'Contact')).toEqual(['Ann Smith']);
	});

	test('IDs match in 15- and 18-character forms, on Id and reference fields', () => {
		expect(names(`Id = '${beta.Id.slice(0, 15)}'`)).toEqual(['beta']);
		expect(names(`Id IN ('${acme.Id}', '${gamma.Id.slice(0, 15)}')`)).toEqual(['Acme', "O'Brien\\Co"]);
		expect(names(`ParentId = '${acme.Id.slice(0, 15)}'`)).toEqual(['beta']);
	});

	test('dates and dateTimes compare chronologically; dateTime literals compare instants', () => {
		expect(names('SLA_Expiration_Date__c < 2024-02-01')).toEqual(['beta']);
		expect(names('SLA_Expiration_Date__c = 2024-03-14')).toEqual(['Acme']);
		expect(names('Issued_At__c = 2024-01-31T10:00:00+01:00', 'Invoice__c')).toEqual(['INV-1']);
		expect(names('Issued_At__c > 2024-01-31T09:00:00Z', 'Invoice__c')).toEqual(['INV-2']);
		expect(names('Issued_At__c >= 2024-01-31T09:00:00.000Z', 'Invoice__c')).toEqual(['INV-1', 'INV-2']);
	});

	test('TODAY, YESTERDAY and LAST_N_DAYS:n follow the clock (whole days in UTC)', () => {
		expect(names('Due_Date__c = TODAY', 'Invoice__c')).toEqual(['INV-1']);
		expect(names('Due_Date__c > TODAY', 'Invoice__c')).toEqual(['INV-2']);
		expect(names('SLA_Expiration_Date__c = YESTERDAY')).toEqual(['Acme']);
		expect(names('Issued_At__c = YESTERDAY', 'Invoice__c')).toEqual(['INV-2']);
		expect(names('Issued_At__c = LAST_N_DAYS:1', 'Invoice__c')).toEqual(['INV-2']);
		expect(names('Issued_At__c < LAST_N_DAYS:30', 'Invoice__c')).toEqual(['INV-1']);
		expect(names('CreatedDate = TODAY').length).toBe(3);
	});
});

describe('ORDER BY, LIMIT, deleted records', () => {
	test('sorts ASC/DESC with nulls first ascending and last descending unless told', () => {
		expect(names('Name != null ORDER BY Industry')).toEqual(["O'Brien\\Co", 'beta', 'Acme']);
		expect(names('Name != null ORDER BY Industry DESC')).toEqual(['Acme', 'beta', "O'Brien\\Co"]);
		expect(names('Name != null ORDER BY Industry ASC NULLS LAST')).toEqual(['beta', 'Acme', "O'Brien\\Co"]);
		expect(names('Name != null ORDER BY Industry DESC NULLS FIRST')).toEqual(["O'Brien\\Co", 'Acme', 'beta']);
		expect(names('Name != null ORDER BY Name')).toEqual(['Acme', 'beta', "O'Brien\\Co"]); // case-insensitive
		expect(names('Name != null ORDER BY Active__c DESC, NumberOfEmployees DESC')).toEqual(['Acme', "O'Brien\\Co", 'beta']);
		expect(rows('SELECT Name FROM Invoice__c ORDER BY Account__r.Name DESC').map((r) => r[0])).toEqual(['INV-2', 'INV-1']);
	});

	test('LIMIT applies after sorting; insertion order without ORDER BY', () => {
		expect(rows('SELECT Name FROM Account LIMIT 2')).toEqual([['Acme'], ['beta']]);
		expect(rows('SELECT Name FROM Account ORDER BY NumberOfEmployees DESC LIMIT 1')).toEqual([["O'Brien\\Co"]]);
		expect(rows('SELECT Name FROM Account LIMIT 0')).toEqual([]);
	});

	test('deleted records only with includeDeleted (queryAll)', () => {
		beta.IsDeleted = true;
		expect(rows('SELECT Name FROM Account')).toEqual([['Acme'], ["O'Brien\\Co"]]);
		expect(rows('SELECT Name, IsDeleted FROM Account WHERE IsDeleted = true', { includeDeleted: true })).toEqual([['beta', 'true']]);
	});
});

describe('errors', () => {
	test('unknown fields, relationships and objects', () => {
		const noColumn = errorOf('SELECT Foo FROM Account');
		expect(noColumn.errorCode).toBe('INVALID_FIELD');
		expect(noColumn.message).toMatch(/^\nSELECT Foo FROM Account\n {7}\^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'Account'\. If you are attempting to use a custom field/);
		expect(errorOf('SELECT Account.Foo FROM Contact').message).toContain("No such column 'Foo' on entity 'Account'");
		expect(errorOf('SELECT Acount.Name FROM Contact')).toMatchObject({ errorCode: 'INVALID_FIELD', message: expect.stringContaining("Didn't understand relationship 'Acount'") });
		expect(errorOf("SELECT Name FROM Account WHERE Nope = 'x'").message).toContain('Column:32\nNo such column');
		const noObject = errorOf('SELECT Name\nFROM Nope');
		expect(noObject.errorCode).toBe('INVALID_TYPE');
		expect(noObject.message).toMatch(/^\nFROM Nope\n {5}\^\nERROR at Row:2:Column:6\nsObject type 'Nope' is not supported\./);
	});

	test.each([
		['', 'SOQL statements cannot be empty or null'],
		['   ', 'SOQL statements cannot be empty or null'],
		['SELECT Name Account', "unexpected token: 'Account'"],
		['SELECT Name', "unexpected token: '<EOF>'"],
		['SELECT Name FROM Account WHERE', "unexpected token: '<EOF>'"],
		['SELECT Name FROM Account LIMIT 5 garbage', "unexpected token: 'garbage'"],
		["SELECT Name FROM Account WHERE Name ~ 'x'", "unexpected token: '~'"],
		["SELECT Name FROM Account WHERE Name == 'x'", "unexpected token: '='"],
		["SELECT Name FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c'", "unexpected token: 'OR'"],
		['SELECT Name FROM Account LIMIT -1', "unexpected token: '-1'"],
		['SELECT * FROM Account', "unexpected token: '*'"],
		['SELECT Industry FROM Account GROUP BY Industry', 'GROUP BY is not supported by the Bulk API'],
		['SELECT Name FROM Account LIMIT 10 OFFSET 5', 'OFFSET is not supported by the Bulk API'],
		['SELECT TYPEOF Owner WHEN User THEN Name END FROM Account', 'TYPEOF is not supported by the Bulk API'],
		['SELECT COUNT() FROM Account', 'Aggregate functions such as COUNT() are not supported by the Bulk API'],
		['SELECT SUM(AnnualRevenue) FROM Account', 'Aggregate functions such as SUM() are not supported by the Bulk API'],
		['SELECT Name, (SELECT LastName FROM Contacts) FROM Account', 'Parent-to-child subqueries (Aggregate Relationships) are not supported by the Bulk API'],
		['SELECT FIELDS(ALL) FROM Account LIMIT 200', 'FIELDS() is not supported by the Bulk API'],
		['SELECT Name, Id, name FROM Account', 'duplicate field selected: Name'],
		["SELECT Name FROM Account WHERE Name = 'a\\q'", "Illegal character sequence '\\q' in string literal."],
		['SELECT Name FROM Account WHERE CreatedDate > 2024-02-30T00:00:00Z', "unexpected token: '2024-02-30T00:00:00Z'"],
	])('%j is MALFORMED_QUERY', (soql, text) => {
		const error = errorOf(soql);
		expect(error.errorCode).toBe('MALFORMED_QUERY');
		expect(error.message.split('\n').pop()).toContain(text);
	});

	test.each([
		["SELECT Name FROM Account WHERE NumberOfEmployees = '5'", "value of filter criterion for field 'NumberOfEmployees' must be of type integer and should not be enclosed in quotes"],
		['SELECT Name FROM Account WHERE Name = 5', "value of filter criterion for field 'Name' must be of type string and should be enclosed in quotes"],
		['SELECT Name FROM Account WHERE SLA_Expiration_Date__c = 2024-01-01T00:00:00Z', 'must be of type date'],
		['SELECT Name FROM Account WHERE CreatedDate = 2024-01-01', 'must be of type dateTime'],
		["SELECT Name FROM Account WHERE NumberOfEmployees LIKE '5%'", 'invalid operator on int field'],
		['SELECT Name FROM Account WHERE Active__c > false', 'invalid operator on boolean field'],
		["SELECT Name FROM Account WHERE Description = 'x'", "field 'Description' can not be filtered in a query call"],
		['SELECT Name FROM Account ORDER BY Description', "field 'Description' can not be sorted in a query call"],
	])('%j is INVALID_FIELD', (soql, text) => {
		const error = errorOf(soql);
		expect(error.errorCode).toBe('INVALID_FIELD');
		expect(error.message).toContain(text);
	});

	test('a malformed ID literal is an invalid filter', () => {
		expect(errorOf("SELECT Name FROM Account WHERE Id = '001xyz'")).toMatchObject({ errorCode: 'INVALID_QUERY_FILTER_OPERATOR', message: expect.stringContaining('invalid ID field: 001xyz') });
	});
});

test('objectOf reads the FROM object without validating the rest', () => {
	expect(objectOf("select Id from account where Name = 'from Contact'")).toBe('Account');
	expect(objectOf('SELECT Name, (SELECT Id FROM Contacts) FROM invoice__C WHERE')).toBe('Invoice__c');
	expect(objectOf('SELECT Foo FROM Custom_Thing__c')).toBe('Custom_Thing__c');
	expect(objectOf('SELECT Name')).toBeUndefined();
	expect(objectOf(undefined)).toBeUndefined();
});
