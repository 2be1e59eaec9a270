// The Columns mapper of node version 1.2 (issue 17): the fields of the object from its describe, Map
// Automatically and Map Each Column Manually, relationship columns by external ID, values converted per field
// type before anything is sent, unknown and unwritable fields refused before the job is created, the
// describe fetched once per run; and a saved 1.1 node still loading as it did.
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { DateTime } from 'luxon';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { waitDefaults } from '../../nodes/shared/transport/wait';
import { setup, type Setup } from './setup';

let s: Setup;
const v2 = new SalesforceBulk2();
const classic = new SalesforceBulkClassic();
beforeAll(async () => {
	waitDefaults.initialIntervalMs = 20;
	waitDefaults.maxIntervalMs = 100;
	s = await setup();
});
afterAll(async () => await s.close());

const items = (records: IDataObject[]): INodeExecutionData[] => records.map((json) => ({ json }));
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const route = (key: string) => s.emulator.stats.byRoute[key] ?? 0;
const INGEST_JOBS = 'POST /services/data/v63.0/jobs/ingest';
const describes = (object: string) => route(`GET /services/data/v63.0/sobjects/${object}/describe`);
const record = (id: unknown) => s.emulator.org.find(String(id))?.record as IDataObject;
const auto = { mappingMode: 'autoMapInputData', value: null };
const manual = (value: IDataObject, matchingColumns: string[] = []) => ({ mappingMode: 'defineBelow', value, matchingColumns, schema: [], attemptToConvertTypes: false, convertFieldsToString: false }) as unknown as INodeParameters;

async function load(parameters: IDataObject, input: INodeExecutionData[], continueOnFail = false) {
	const [out] = await s.harness.execute(v2, {
		parameters: { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert', inputDataType: 'items', columns: auto, ...parameters } as INodeParameters,
		items: input,
		continueOnFail,
	});
	return out;
}

async function failure(run: Promise<unknown>): Promise<Error & { description?: string; context: IDataObject }> {
	try {
		await run;
	} catch (error) {
		return error as Error & { description?: string; context: IDataObject };
	}
	throw new Error('the node did not fail');
}

describe('the Columns mapper: fields from the describe', () => {
	it('insert: createable fields with labels, n8n types, picklist options, required ones; relationship columns by external ID', async () => {
		const { fields } = await s.harness.resourceMapping(v2, 'getMappingColumns', { parameters: { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert' } });
		const field = (id: string) => fields.find((f) => f.id === id);
		expect(field('Name')).toMatchObject({ displayName: 'Account Name (Name)', type: 'string', required: true, display: true });
		expect(field('AnnualRevenue')).toMatchObject({ type: 'number', required: false });
		expect(field('Active__c')).toMatchObject({ type: 'boolean', required: false });
		expect(field('SLA_Expiration_Date__c')).toMatchObject({ type: 'dateTime' });
		expect(field('Industry')).toMatchObject({ type: 'options', options: expect.arrayContaining([{ name: 'Energy', value: 'Energy' }]) });
		expect(field('OwnerId')).toMatchObject({ required: false }); // not nillable, but defaulted on create
		expect(field('Parent.Legacy_Id__c')).toMatchObject({ type: 'string', removed: true, required: false });
		for (const readOnly of ['Id', 'CreatedDate', 'LastModifiedById', 'SystemModstamp', 'IsDeleted']) expect(field(readOnly)).toBeUndefined();
	});

	it('update: updateable fields and Id to match on; upsert: external IDs can match; the job mappers follow the job', async () => {
		const update = (await s.harness.resourceMapping(v2, 'getMappingColumns', { parameters: { object: 'Lead', ingestOperation: 'update' } })).fields;
		expect(update.find((f) => f.id === 'Id')).toMatchObject({ required: true, defaultMatch: true, canBeUsedToMatch: true });
		expect(update.find((f) => f.id === 'IsConverted')).toBeUndefined(); // createable, not updateable
		const upsert = (await s.harness.resourceMapping(v2, 'getMappingColumns', { parameters: { object: 'Account', ingestOperation: 'upsert' } })).fields;
		expect(upsert.filter((f) => f.canBeUsedToMatch).map((f) => f.id)).toEqual(['Id', 'Legacy_Id__c']);

		const [job] = await s.harness.execute(v2, { parameters: { resource: 'ingestJob', operation: 'create', object: 'Contact', ingestOperation: 'upsert', externalIdFieldName: 'Legacy_Id__c' } });
		const jobFields = (await s.harness.resourceMapping(v2, 'getJobMappingColumns', { parameters: { resource: 'ingestJob', operation: 'uploadData', jobId: byId(String(job[0].json.id)) } })).fields;
		expect(jobFields.find((f) => f.id === 'Legacy_Id__c')).toMatchObject({ required: true });
		expect(jobFields.find((f) => f.id === 'Account.Legacy_Id__c')).toBeDefined();

		const [classicJob] = await s.harness.execute(classic, { parameters: { resource: 'job', operation: 'create', object: 'Lead', jobOperation: 'insert', contentType: 'JSON' } });
		const classicFields = (await s.harness.resourceMapping(classic, 'getJobMappingColumns', { parameters: { resource: 'batch', operation: 'add', jobId: byId(String(classicJob[0].json.id)) } })).fields;
		expect(classicFields.filter((f) => f.required).map((f) => f.id)).toEqual(['LastName', 'Company']);
	});
});

describe('V2 Load Records 1.2', () => {
	it('Map Automatically: item keys that are field names; values converted per field type; the describe fetched once', async () => {
		const parent = s.emulator.org.insertSystem('Account', { Name: 'FM Auto Parent', Legacy_Id__c: 'FM-AUTO-P' });
		const before = { describes: describes('Account'), jobs: route(INGEST_JOBS) };
		const out = await load({}, items([
			{ Name: 'FM Auto 1', AccountNumber: 12345, NumberOfEmployees: '42', Active__c: 'yes', SLA_Expiration_Date__c: DateTime.fromISO('2025-03-04T10:00:00Z'), AnnualRevenue: '1500.4' },
			{ Name: 'FM Auto 2', Active__c: 0, SLA_Expiration_Date__c: 1_700_000_000, attributes: { type: 'Account' } },
			{ Name: 'FM Auto 3', Phone: '0044 20 7946 0000', Parent: { Legacy_Id__c: 'FM-AUTO-P' } },
		]));
		expect(out.map((o) => o.json.status)).toEqual(['created', 'created', 'created']);
		expect(record(out[0].json.id)).toMatchObject({ Name: 'FM Auto 1', AccountNumber: '12345', NumberOfEmployees: 42, Active__c: true, SLA_Expiration_Date__c: '2025-03-04', AnnualRevenue: 1500 });
		expect(record(out[1].json.id)).toMatchObject({ Active__c: false, SLA_Expiration_Date__c: '2023-11-14' });
		expect(record(out[2].json.id)).toMatchObject({ Phone: '0044 20 7946 0000', ParentId: parent.Id });
		// 1.2 also types the record in the output by the schema (resultTyping.ts)
		expect(out[0].json.record).toMatchObject({ Name: 'FM Auto 1', Active__c: true, SLA_Expiration_Date__c: '2025-03-04', AnnualRevenue: 1500 });
		expect(describes('Account') - before.describes).toBe(1); // the object, and the target of Parent.Legacy_Id__c: once
		expect(route(INGEST_JOBS) - before.jobs).toBe(1);
	});

	it('Map Each Column Manually: expressions per field; relationship by external ID in both modes, each describe once', async () => {
		s.emulator.org.insertSystem('Account', { Name: 'FM Parent', Legacy_Id__c: 'FM-ACC-1' });
		const before = { contact: describes('Contact'), account: describes('Account') };
		const columns = manual({ LastName: '={{ $json.surname }}', Birthdate: '={{ $json.born }}', 'Account.Legacy_Id__c': '={{ $json.company }}', Email: null });
		const out = await load({ object: 'Contact', columns }, items([{ surname: 'Manual One', born: '1990-07-01', company: 'FM-ACC-1', ignored: 'x' }, { surname: 'Manual Two', company: 'FM-ACC-1' }]));
		expect(out.map((o) => o.json.status)).toEqual(['created', 'created']);
		const parent = [...s.emulator.org.table('Account').values()].find((a) => a.Legacy_Id__c === 'FM-ACC-1') as IDataObject;
		expect(record(out[0].json.id)).toMatchObject({ LastName: 'Manual One', Birthdate: '1990-07-01', AccountId: parent.Id, Email: null });
		expect(describes('Contact') - before.contact).toBe(1);
		expect(describes('Account') - before.account).toBe(1); // the relationship's target

		const nested = await load({ object: 'Contact' }, items([{ LastName: 'Auto Nested', Account: { Legacy_Id__c: 'FM-ACC-1' } }, { LastName: 'Auto Dotted', 'Account.Legacy_Id__c': 'FM-ACC-1' }]));
		expect(nested.map((o) => record(o.json.id)?.AccountId)).toEqual([parent.Id, parent.Id]);
	});

	it('upsert matches on the Columns matching field; Set Empty Values to Null clears fields with #N/A', async () => {
		const existing = s.emulator.org.insertSystem('Account', { Name: 'FM Upsert', Legacy_Id__c: 'FM-UP-1', Phone: '111', Website: 'keep.example' });
		const columns = { ...manual({ Legacy_Id__c: '={{ $json.key }}', Name: '={{ $json.name }}', Phone: '={{ $json.phone }}', Website: null }, ['Legacy_Id__c']) };
		const kept = await load({ ingestOperation: 'upsert', columns }, items([{ key: 'FM-UP-1', name: 'FM Upserted', phone: null }, { key: 'FM-UP-2', name: 'FM Created' }]));
		expect(kept.map((o) => o.json.status)).toEqual(['updated', 'created']);
		expect(record(existing.Id)).toMatchObject({ Name: 'FM Upserted', Phone: '111', Website: 'keep.example' });
		const cleared = await load({ ingestOperation: 'upsert', columns, options: { setEmptyToNull: true } }, items([{ key: 'FM-UP-1', name: 'FM Upserted', phone: '' }]));
		expect(cleared[0].json.record).toMatchObject({ Phone: '#N/A', Website: '#N/A' });
		expect(record(existing.Id)).toMatchObject({ Phone: null, Website: null });
	});

	it('a value that cannot be converted: the item, field and value named, nothing sent; Continue On Fail and Skip Bad Rows', async () => {
		const bad = items([{ Name: 'FM Bad 0', NumberOfEmployees: 3 }, { Name: 'FM Bad 1', NumberOfEmployees: 'many' }, { Name: 'FM Bad 2', Active__c: 'perhaps' }]);
		const jobs = route(INGEST_JOBS);
		const error = await failure(load({}, bad));
		expect(error.message).toBe('Item 1: the value "many" of field "NumberOfEmployees" is not a number (int field Employees) (and 1 more rows that cannot be converted; nothing was sent)');
		expect(error.context.itemIndex).toBe(1);

		const continued = await load({}, bad, true);
		expect(continued.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(continued[0].json.error).toBe('Not sent: 2 of 3 rows cannot be converted (items 1, 2), so nothing was sent');
		expect(continued[2].json.error).toBe('Item 2: the value "perhaps" of field "Active__c" is not a boolean (give true/false, 1/0 or yes/no) (boolean field Active)');
		expect(route(INGEST_JOBS)).toBe(jobs); // nothing sent either time

		const skipped = await load({ options: { skipBadRows: true } }, bad);
		expect(skipped.map((o) => [o.pairedItem, o.json.status ?? o.json.error])).toEqual([
			[{ item: 0 }, 'created'],
			[{ item: 1 }, expect.stringContaining('Item 1: the value "many"')],
			[{ item: 2 }, expect.stringContaining('Item 2: the value "perhaps"')],
		]);
		expect(route(INGEST_JOBS)).toBe(jobs + 1);
	});

	it('fields unknown on the object or not writable for the operation: named with the closest field, before any job', async () => {
		const jobs = route(INGEST_JOBS);
		const error = await failure(load({}, items([{ Name: 'FM Unknown', Nmae: 'x', industry: 'Energy', CreatedDate: '2024-01-01', 'Parent.Legacy_ID__c': 'A' }])));
		expect(error.message).toBe(
			'Fields that insert on Account cannot take: "Nmae" is not a field of Account (did you mean "Name"?); "industry" is not a field of Account (did you mean "Industry"?); ' +
				'"CreatedDate" is not writable for insert (Salesforce sets it); "Parent.Legacy_ID__c": "Legacy_ID__c" is not a field of Account (did you mean "Parent.Legacy_Id__c"?)',
		);
		expect(error.description).toMatch(/^Nothing was sent\./);
		const update = await failure(load({ ingestOperation: 'update', columns: manual({ Name: 'x' }) }, items([{}])));
		expect(update.message).toBe('Fields that update on Account cannot take: the records have no Id column: update finds records by Id');
		expect(route(INGEST_JOBS)).toBe(jobs);
	});

	it('a saved 1.1 node keeps Fields to Send: items go as they are and Salesforce judges the values', async () => {
		const [out] = await s.harness.execute(v2, {
			typeVersion: 1.1,
			parameters: { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert', inputDataType: 'items', fieldsToSend: 'all' },
			items: items([{ Name: 'FM Old 1', NumberOfEmployees: 'many' }, { Name: 'FM Old 2', Phone: null }]),
		});
		expect(out.map((o) => [o.json.status, o.json.errorCode])).toEqual([['failed', expect.stringMatching(/^INVALID_/)], ['created', null]]);
		expect(out[1].json.record).toEqual({ Name: 'FM Old 2', NumberOfEmployees: '', Phone: '#N/A' });
	});
});

describe('the other loads from items in 1.2', () => {
	it('V2 Upload Data maps against the job object and operation', async () => {
		const [[job]] = await s.harness.execute(v2, { parameters: { resource: 'ingestJob', operation: 'create', object: 'Lead', ingestOperation: 'insert' } });
		const jobId = String(job.json.id);
		const [out] = await s.harness.execute(v2, {
			parameters: { resource: 'ingestJob', operation: 'uploadData', jobId: byId(jobId), inputDataType: 'items', columns: auto, options: { skipBadRows: true } },
			items: items([{ LastName: 'Up One', Company: 'FM Co', NumberOfEmployees: '12' }, { LastName: 'Up Two', Company: 'FM Co', NumberOfEmployees: 'lots' }]),
		});
		expect(out.map((o) => [o.pairedItem, o.json.error ?? o.json.records])).toEqual([[{ item: 1 }, expect.stringContaining('"lots"')], [[{ item: 0 }], 1]]);
		const uploaded = String((s.emulator.jobs as unknown as { get(id: string): IDataObject }).get(jobId)?.upload);
		expect(uploaded).toBe('LastName,Company,NumberOfEmployees\nUp One,FM Co,12\n');
	});

	it('Classic Load Records (JSON) and Add Batch (XML): converted values, relationships nested', async () => {
		s.emulator.org.insertSystem('Account', { Name: 'FM Classic Parent', Legacy_Id__c: 'FM-CL-1' });
		const [out] = await s.harness.execute(classic, {
			parameters: { resource: 'job', operation: 'loadRecords', object: 'Invoice__c', jobOperation: 'insert', contentType: 'JSON', columns: auto },
			items: items([{ Name: 'INV-1', Amount__c: '10.126', Paid__c: 'no', Issued_At__c: '2024-05-01T09:30:00+02:00', Account__r: { Legacy_Id__c: 'FM-CL-1' } }]),
		});
		expect(out[0].json).toMatchObject({ success: true });
		const invoice = record(out[0].json.id);
		expect(invoice).toMatchObject({ Name: 'INV-1', Amount__c: 10.13, Paid__c: false, Issued_At__c: '2024-05-01T07:30:00.000Z' });
		expect(record(invoice.Account__c)).toMatchObject({ Legacy_Id__c: 'FM-CL-1' });

		const [[job]] = await s.harness.execute(classic, { parameters: { resource: 'job', operation: 'create', object: 'Contact', jobOperation: 'insert', contentType: 'XML' } });
		const [added] = await s.harness.execute(classic, {
			parameters: { resource: 'batch', operation: 'add', jobId: byId(String(job.json.id)), inputDataType: 'items', columns: manual({ LastName: '={{ $json.n }}', 'Account.Legacy_Id__c': 'FM-CL-1', Birthdate: '={{ $json.b }}' }) },
			items: items([{ n: 'XML One', b: DateTime.fromISO('1980-01-02') }]),
		});
		expect(added[0].json).toMatchObject({ recordsSent: 1 });
		const bad = await failure(
			s.harness.execute(classic, { parameters: { resource: 'batch', operation: 'add', jobId: byId(String(job.json.id)), inputDataType: 'items', columns: auto }, items: items([{ LastName: 'X', Birthdate: 'soon' }]) }),
		);
		expect(bad.message).toBe('Item 0: the value "soon" of field "Birthdate" is not a date (give YYYY-MM-DD, an ISO date-time, a DateTime or epoch seconds/milliseconds) (date field Birthdate)');
	});
});
