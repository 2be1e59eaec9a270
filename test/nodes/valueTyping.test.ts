// Values typed by the org's schema (issue 17): from node version 1.2 query and ingest results follow each
// field's type in the describe of the job's object and of the objects behind relationship columns;
// versions 1 and 1.1 keep the guess. Against the emulator over HTTP.
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { SalesforceBulkTrigger } from '../../nodes/SalesforceBulkTrigger/SalesforceBulkTrigger.node';
import { setup, type Setup } from './setup';

let s: Setup;
const v2 = new SalesforceBulk2();
const classic = new SalesforceBulkClassic();
const trigger = new SalesforceBulkTrigger();
const TYPED = 1.2;
/** Describe requests served so far, by object. */
const describes = () => Object.fromEntries(Object.entries(s.emulator.stats.byRoute).flatMap(([route, n]) => {
	const object = /^GET \/services\/data\/v63\.0\/sobjects\/(\w+)\/describe$/.exec(route)?.[1];
	return object ? [[object, n]] : [];
}));

const SOQL =
	"SELECT Id, Name, AccountNumber, Phone, NumberOfEmployees, AnnualRevenue, Active__c, SLA_Expiration_Date__c, CreatedDate, Website, Owner.Name, Parent.NumberOfEmployees FROM Account WHERE Name LIKE 'Typed %' ORDER BY Name";

let parentId = '';
let childId = '';
let created = '';
let childCreated = '';

beforeAll(async () => {
	s = await setup();
	// Text fields holding digits (an account number, a phone), numbers, a checkbox, a date, empties, a parent.
	const parent = s.emulator.org.insertSystem('Account', { Name: 'Typed 1', AccountNumber: '12345', Phone: '0044123', NumberOfEmployees: 42, AnnualRevenue: 1500.5, Active__c: true, SLA_Expiration_Date__c: '2026-12-31' });
	const child = s.emulator.org.insertSystem('Account', { Name: 'Typed 2', AccountNumber: '007', NumberOfEmployees: 0, Active__c: false, ParentId: parent.Id });
	parentId = String(parent.Id);
	childId = String(child.Id);
	created = String(parent.CreatedDate);
	childCreated = String(child.CreatedDate);
});
afterAll(async () => await s.close());

const json = (items: INodeExecutionData[]) => items.map((i) => i.json);
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

// Rows are compared with dotted relationship keys; nesting (1.2's default) has its own test.
async function run(node: SalesforceBulk2 | SalesforceBulkClassic, parameters: INodeParameters, typeVersion = TYPED, items?: INodeExecutionData[]) {
	const [out] = await s.harness.execute(node, { parameters: { nestedRelationshipFields: false, ...parameters }, typeVersion, items });
	return out;
}

const runQuery = async (parameters: INodeParameters = {}, typeVersion = TYPED) => json(await run(v2, { resource: 'queryJob', operation: 'runQuery', query: SOQL, ...parameters }, typeVersion));

/** The two accounts as the schema types them, relationship columns flat (the 1.2 default). */
const typedRows = () => [
	{
		Id: parentId,
		Name: 'Typed 1',
		AccountNumber: '12345',
		Phone: '0044123',
		NumberOfEmployees: 42,
		AnnualRevenue: 1500.5,
		Active__c: true,
		SLA_Expiration_Date__c: '2026-12-31',
		CreatedDate: childCreated,
		Website: null,
		'Owner.Name': 'Bulk User',
		'Parent.NumberOfEmployees': null,
	},
	{
		Id: childId,
		Name: 'Typed 2',
		AccountNumber: '007',
		Phone: null,
		NumberOfEmployees: 0,
		AnnualRevenue: null,
		Active__c: false,
		SLA_Expiration_Date__c: null,
		CreatedDate: created,
		Website: null,
		'Owner.Name': 'Bulk User',
		'Parent.NumberOfEmployees': 42,
	},
];

describe('V2 Run Query and Get Results, version 1.2: values typed by the schema', () => {
	it("types each column by its field: text holding digits stays text, numbers, booleans, dates as ISO text, empty as null, relationship columns by the related object's field", async () => {
		expect(created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
		expect(await runQuery()).toEqual(typedRows());
	});

	it('describes each object once per execution, whatever the number of items', async () => {
		const before = describes();
		const items = [{ json: {} }, { json: {} }, { json: {} }];
		const out = await run(v2, { resource: 'queryJob', operation: 'runQuery', query: SOQL }, TYPED, items);
		expect(out).toHaveLength(6);
		// Account, and User behind Owner.Name (Parent.NumberOfEmployees is on Account again).
		const after = describes();
		expect({ Account: after.Account - (before.Account ?? 0), User: after.User - (before.User ?? 0) }).toEqual({ Account: 1, User: 1 });
	});

	it('an object the user may not describe leaves its columns to the guess; other describe errors fail the run', async () => {
		s.emulator.faults.add({ status: 403, path: '/sobjects/User/describe', errorCode: 'INSUFFICIENT_ACCESS', message: 'no access', count: 1 });
		const [first] = await runQuery();
		expect(first).toEqual(typedRows()[0]);
		expect(s.emulator.faults.fired.filter((f) => f.path.endsWith('/sobjects/User/describe'))).toHaveLength(1);
		s.emulator.faults.add({ status: 400, path: '/sobjects/Account/describe', errorCode: 'INVALID_TYPE', message: 'broken', count: 1 });
		await expect(runQuery()).rejects.toThrow();
		s.emulator.faults.clear();
	});

	it('Keep Values as Text outputs every value as Salesforce sent it', async () => {
		const [first] = await runQuery({ keepValuesAsText: true });
		expect(first).toEqual({ ...typedRows()[0], NumberOfEmployees: '42', AnnualRevenue: '1500.5', Active__c: 'true', Website: '', 'Parent.NumberOfEmployees': '' });
	});

	it('Nested Relationship Fields turns Owner.Name into { Owner: { Name } }', async () => {
		const [, second] = await runQuery({ nestedRelationshipFields: true });
		expect(second).toMatchObject({ Owner: { Name: 'Bulk User' }, Parent: { NumberOfEmployees: 42 }, AccountNumber: '007' });
		expect(second['Owner.Name']).toBeUndefined();
	});

	it('Get Results types all pages and one page alike', async () => {
		const [job] = json(await run(v2, { resource: 'queryJob', operation: 'create', query: SOQL }));
		const jobId = byId(String(job.id));
		for (let state = ''; state !== 'JobComplete'; await sleep(20)) {
			state = String(json(await run(v2, { resource: 'queryJob', operation: 'get', jobId }))[0].state);
		}
		expect(json(await run(v2, { resource: 'queryJob', operation: 'getResults', jobId, pages: 'all', pageSize: 1 }))).toEqual(typedRows());
		const [page] = json(await run(v2, { resource: 'queryJob', operation: 'getResults', jobId, pages: 'one', pageSize: 5 }));
		expect(page.records).toEqual(typedRows());
	});
});

describe('versions 1 and 1.1 keep the guess', () => {
	it('Typed Values guesses from the text (digits become numbers) and nests relationship columns; off, every value is text', async () => {
		const [guessed] = await runQuery({ typedValues: true }, 1.1);
		expect(guessed).toMatchObject({ AccountNumber: 12345, Phone: '0044123', NumberOfEmployees: 42, Active__c: true, Website: null, Owner: { Name: 'Bulk User' } });
		const before = describes();
		const [text] = await runQuery({}, 1);
		expect(text).toMatchObject({ AccountNumber: '12345', NumberOfEmployees: '42', Active__c: 'true', Website: '', Owner: { Name: 'Bulk User' } });
		expect(describes()).toEqual(before); // no describe before 1.2
	});
});

describe('V2 Get Successful Results, version 1.2', () => {
	it('types the rows sent by the fields they went to, sf__Created as a boolean', async () => {
		const [job] = json(await run(v2, { resource: 'ingestJob', operation: 'create', object: 'Account', ingestOperation: 'insert' }));
		const jobId = byId(String(job.id));
		const csvData = 'Name,AccountNumber,NumberOfEmployees,Active__c\nLoaded 1,00123,7,true\n';
		await run(v2, { resource: 'ingestJob', operation: 'uploadData', jobId, inputDataType: 'csv', csvData });
		await run(v2, { resource: 'ingestJob', operation: 'close', jobId, waitForCompletion: true });
		for (let state = ''; state !== 'JobComplete'; await sleep(20)) {
			state = String(json(await run(v2, { resource: 'ingestJob', operation: 'get', jobId }))[0].state);
		}
		const [row] = json(await run(v2, { resource: 'ingestJob', operation: 'getSuccessfulResults', jobId }));
		expect(row).toEqual({ sf__Id: expect.stringMatching(/^001/), sf__Created: true, Name: 'Loaded 1', AccountNumber: '00123', NumberOfEmployees: 7, Active__c: true });
		const [asText] = json(await run(v2, { resource: 'ingestJob', operation: 'getSuccessfulResults', jobId, keepValuesAsText: true }));
		expect(asText).toMatchObject({ sf__Created: 'true', NumberOfEmployees: '7' });
	});
});

describe('V2 Load Records, version 1.2', () => {
	it("each row's record is typed by the fields it went to, from CSV and from items; 1.1 keeps the text", async () => {
		const csvData = 'Name,AccountNumber,NumberOfEmployees,Active__c\nLoaded CSV,00456,8,false\n';
		const [fromCsv] = json(await run(v2, { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert', inputDataType: 'csv', csvData }));
		expect(fromCsv).toMatchObject({ status: 'created', record: { Name: 'Loaded CSV', AccountNumber: '00456', NumberOfEmployees: 8, Active__c: false } });
		const items = [{ json: { Name: 'Loaded Item', AccountNumber: '789', NumberOfEmployees: 9 } }];
		const [fromItem] = json(await run(v2, { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert' }, TYPED, items));
		expect(fromItem.record).toEqual({ Name: 'Loaded Item', AccountNumber: '789', NumberOfEmployees: 9 });
		const [before] = json(await run(v2, { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert', inputDataType: 'csv', csvData }, 1.1));
		expect(before.record).toEqual({ Name: 'Loaded CSV', AccountNumber: '00456', NumberOfEmployees: '8', Active__c: 'false' });
	});
});

describe('Classic Run Query and Get All Results, version 1.2', () => {
	const CLASSIC_SOQL = "SELECT Name, AccountNumber, NumberOfEmployees, Active__c, Parent.Name FROM Account WHERE Name LIKE 'Typed %' ORDER BY Name";
	const expected = [
		{ Name: 'Typed 1', AccountNumber: '12345', NumberOfEmployees: 42, Active__c: true, 'Parent.Name': null },
		{ Name: 'Typed 2', AccountNumber: '007', NumberOfEmployees: 0, Active__c: false, 'Parent.Name': 'Typed 1' },
	];

	it.each(['CSV', 'XML'])('%s results are typed by the schema', async (contentType) => {
		expect(json(await run(classic, { resource: 'job', operation: 'runQuery', query: CLASSIC_SOQL, contentType }))).toEqual(expected);
	});

	it('Get All Results, with Keep Values as Text', async () => {
		const [job] = json(await run(classic, { resource: 'job', operation: 'create', object: 'Account', jobOperation: 'query', contentType: 'CSV' }));
		const jobId = byId(String(job.id));
		await run(classic, { resource: 'batch', operation: 'add', jobId, inputDataType: 'soql', query: CLASSIC_SOQL });
		let out: IDataObject[] = [];
		for (let k = 0; k < 200 && out.length === 0; k++, await sleep(20)) {
			const batches = json(await run(classic, { resource: 'batch', operation: 'getAll', jobId, returnAll: true }));
			if (batches.every((b) => b.state === 'Completed')) out = json(await run(classic, { resource: 'queryResult', operation: 'getAllResults', jobId }));
		}
		expect(out).toEqual(expected);
		const text = json(await run(classic, { resource: 'queryResult', operation: 'getAllResults', jobId, keepValuesAsText: true }));
		expect(text[1]).toEqual({ Name: 'Typed 2', AccountNumber: '007', NumberOfEmployees: '0', Active__c: 'false', 'Parent.Name': 'Typed 1' });
	});
});

describe('Salesforce Bulk Trigger: Type Values by Schema', () => {
	it('types the attached query results when asked', async () => {
		const parameters = { attachQueryResults: 'items', options: { typeValuesBySchema: true } };
		let state = (await s.harness.poll(trigger, { parameters, mode: 'trigger' })).staticData;
		await run(v2, { resource: 'queryJob', operation: 'create', query: SOQL });
		for (let k = 0; k < 200; k++, await sleep(20)) {
			const polled = await s.harness.poll(trigger, { parameters, mode: 'trigger', staticData: state });
			state = polled.staticData;
			const item = polled.result?.[0]?.find((i) => i.json.kind === 'query');
			if (!item) continue;
			// The trigger nests relationship columns, as it always has.
			const [first, second] = typedRows().map(({ 'Owner.Name': owner, 'Parent.NumberOfEmployees': parent, ...rest }) => ({ ...rest, Owner: { Name: owner }, Parent: { NumberOfEmployees: parent } }));
			expect(item.json.records).toEqual([first, second]);
			return;
		}
		throw new Error('the trigger never fired for the query job');
	});
});
