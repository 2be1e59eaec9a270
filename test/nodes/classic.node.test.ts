// The Salesforce Bulk (Classic) node against the emulator over HTTP: every operation, CSV, XML and JSON
// jobs, serial mode, PK chunking, attachments built from items, and the error paths.
/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: reads the example and package files */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeHelpers, sleep } from 'n8n-workflow';

import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { retryPolicy } from '../../nodes/shared/transport/retryPolicy';
import { waitDefaults } from '../../nodes/shared/transport/wait';
import { fileHandlesLeftOpen } from './fileHandles';
import { admin, CREDENTIAL, setup, type Setup } from './setup';

interface AdmEntry {
	entryName: string;
	getData(): Buffer;
}
// adm-zip ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AdmZip = require('adm-zip') as new (buffer?: Buffer) => { addFile(name: string, data: Buffer): void; toBuffer(): Buffer; getEntries(): AdmEntry[] };

let s: Setup;
const node = new SalesforceBulkClassic();
beforeAll(async () => {
	s = await setup();
	retryPolicy.baseDelayMs = 20;
	waitDefaults.initialIntervalMs = 20;
	waitDefaults.maxIntervalMs = 100;
});
afterAll(async () => await s.close());

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const json = (items: INodeExecutionData[]) => items.map((i) => i.json);
const records = (object: string) => [...s.emulator.org.table(object).values()];

async function run(resource: string, operation: string, parameters: IDataObject, items?: INodeExecutionData[], continueOnFail = false) {
	// Node version 1.1 (items sent as they are), as saved workflows have it; 1.2's Columns mapper: fieldMapping.test.ts.
	const [out] = await s.harness.execute(node, { typeVersion: 1.1, parameters: { resource, operation, ...parameters }, items, continueOnFail });
	return out;
}

/** Runs and returns the error thrown. */
async function failure(resource: string, operation: string, parameters: IDataObject, items?: INodeExecutionData[]) {
	try {
		await run(resource, operation, parameters, items);
	} catch (error) {
		return error as Error & { description?: string; context: IDataObject };
	}
	throw new Error('expected the node to fail');
}

async function createJob(parameters: IDataObject): Promise<string> {
	const [job] = json(await run('job', 'create', parameters));
	return String(job.id);
}

/** Polls Batch → Get Many until every batch has finished. */
async function batchesDone(jobId: string): Promise<IDataObject[]> {
	for (let k = 0; k < 300; k++) {
		const batches = json(await run('batch', 'getAll', { jobId: byId(jobId), returnAll: true }));
		if (batches.length && batches.every((b) => ['Completed', 'Failed', 'NotProcessed'].includes(String(b.state)))) return batches;
		await sleep(20);
	}
	throw new Error(`the batches of job ${jobId} did not finish`);
}

describe('Job', () => {
	it('create, get, close: the seed scenario (createJob, getJob, updateJob)', async () => {
		const jobId = await createJob({ object: 'Contact', jobOperation: 'insert', contentType: 'CSV', options: { concurrencyMode: 'Serial' } });
		expect(jobId).toMatch(/^750\w{15}$/);
		const [job] = json(await run('job', 'get', { jobId: byId(jobId) }));
		expect(job).toMatchObject({ id: jobId, object: 'Contact', operation: 'insert', contentType: 'CSV', concurrencyMode: 'Serial', state: 'Open', numberBatchesTotal: 0 });
		const closed = await run('job', 'update', { jobId: byId(jobId), state: 'Closed' });
		expect(closed).toEqual([{ json: expect.objectContaining({ id: jobId, state: 'Closed' }), pairedItem: { item: 0 } }]);
	});

	it('an assignment rule goes with the job', async () => {
		const jobId = await createJob({ object: 'Lead', jobOperation: 'insert', contentType: 'CSV', options: { assignmentRuleId: ' 01QR0000000abcdMAA ' } });
		expect(json(await run('job', 'get', { jobId: byId(jobId) }))[0]).toMatchObject({ assignmentRuleId: '01QR0000000abcdMAA', concurrencyMode: 'Parallel' });
	});

	it('upsert jobs name their external ID field; abort', async () => {
		const jobId = await createJob({ object: 'Invoice__c', jobOperation: 'upsert', externalIdFieldName: 'Legacy_Id__c', contentType: 'JSON', options: { assignmentRuleId: '' } });
		expect(json(await run('job', 'get', { jobId: byId(jobId) }))[0]).toMatchObject({ operation: 'upsert', externalIdFieldName: 'Legacy_Id__c', contentType: 'JSON' });
		expect(json(await run('job', 'update', { jobId: byId(jobId), state: 'Aborted' }))[0]).toMatchObject({ state: 'Aborted' });
	});

	it('Get Many lists Classic jobs only, follows pages, honours Limit and the kind filter', async () => {
		await admin(s.emulator, 'config', { jobsPageSize: 2 });
		try {
			const ingestId = await createJob({ object: 'Case', jobOperation: 'insert', contentType: 'XML' });
			const queryId = await createJob({ object: 'Case', jobOperation: 'query', contentType: 'CSV' });
			const all = json(await run('job', 'getAll', { returnAll: true }));
			expect(all.filter((j) => j.jobType !== 'Classic')).toEqual([]);
			expect(all.map((j) => j.id)).toEqual(expect.arrayContaining([ingestId, queryId]));
			expect(new Set(all.map((j) => j.id)).size).toBe(all.length);
			expect(await run('job', 'getAll', { returnAll: false, limit: 3 })).toHaveLength(3);
			const queries = json(await run('job', 'getAll', { returnAll: true, filters: { kind: 'query' } }));
			expect(queries.map((j) => j.id)).toContain(queryId);
			expect(queries.map((j) => j.id)).not.toContain(ingestId);
		} finally {
			await admin(s.emulator, 'config', { jobsPageSize: 1000 });
		}
	});

	it('lists Classic jobs for the resource locators, by kind and state', async () => {
		const open = await createJob({ object: 'Lead', jobOperation: 'insert', contentType: 'CSV' });
		const query = await createJob({ object: 'Lead', jobOperation: 'query', contentType: 'CSV' });
		const attachments = await createJob({ object: 'Attachment', jobOperation: 'insert', contentType: 'ZIP_JSON' });
		const list = async (method: string, filter?: string) => (await s.harness.listSearch(node, method, { parameters: { resource: 'job', operation: 'get' }, filter })).results;
		const everything = await list('searchClassicJobs');
		expect(everything.map((r) => r.value)).toEqual(expect.arrayContaining([open, query, attachments]));
		expect(everything.find((r) => r.value === open)?.name).toMatch(/^Lead insert · CSV · Open · \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
		expect((await list('searchClassicQueryJobs')).map((r) => r.value)).toContain(query);
		expect((await list('searchClassicQueryJobs')).map((r) => r.value)).not.toContain(open);
		expect((await list('searchAttachmentJobs')).map((r) => r.value)).toEqual([attachments, ...[]].filter((id) => id === attachments));
		expect((await list('searchClassicJobs', open.slice(0, 15))).map((r) => r.value)).toEqual([open]);
		const objects = await s.harness.loadOptions(node, 'getObjects', { parameters: { resource: 'job', operation: 'create' } });
		expect(objects).toEqual(expect.arrayContaining([{ name: 'Attachment (Attachment)', value: 'Attachment' }]));
		const fields = await s.harness.loadOptions(node, 'getExternalIdFields', { parameters: { resource: 'job', operation: 'create', object: 'Account', jobOperation: 'upsert' } });
		expect(fields.map((f) => f.value)).toEqual(['Legacy_Id__c', 'Id']);
	});

	it('Continue On Fail: a bad job ID becomes an error item with the v1 exceptionCode, paired with its input', async () => {
		const out = await run('job', 'get', { jobId: byId('={{ $json.id }}') }, [{ json: { id: '7505e00000AAAAAAAA' } }, { json: { id: '7505e00000BBBBBBBB' } }], true);
		expect(out).toHaveLength(2);
		expect(out[1]).toMatchObject({ json: { errorCode: 'InvalidJob', statusCode: 400, jobId: '7505e00000BBBBBBBB' }, pairedItem: { item: 1 } });
		// No API knows the ID (it is looked up as a V2 job too): the error says the job is gone, Salesforce's code kept.
		expect(String(out[0].json.error)).toBe('Job 7505e00000AAAAAAAA does not exist (any more): it was deleted, or it finished more than 7 days ago');
	});
});

describe('Batch: CSV, XML and JSON jobs step by step', () => {
	it('CSV: items become one batch; results come back paired to the rows sent, in input order', async () => {
		const jobId = await createJob({ object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
		const items = [{ json: { Name: 'Classic CSV 1', NumberOfEmployees: 5 } }, { json: { Name: '', Phone: '555' } }, { json: { Name: 'Classic CSV 3', Active__c: true } }];
		const added = await run('batch', 'add', { jobId: byId(jobId), inputDataType: 'items' }, items);
		expect(added).toHaveLength(1);
		expect(added[0]).toMatchObject({ json: { jobId, state: 'Queued', recordsSent: 3 }, pairedItem: [{ item: 0 }, { item: 1 }, { item: 2 }] });
		const batchId = String(added[0].json.id);
		await run('job', 'update', { jobId: byId(jobId), state: 'Closed' });
		await batchesDone(jobId);
		expect(json(await run('batch', 'get', { jobId: byId(jobId), batchId }))[0]).toMatchObject({ id: batchId, state: 'Completed', numberRecordsProcessed: 3, numberRecordsFailed: 1 });
		const results = json(await run('batch', 'getResults', { jobId: byId(jobId), batchId }));
		expect(results.map((r) => [r.status, r.errorCode, (r.record as IDataObject).Name])).toEqual([
			['created', null, 'Classic CSV 1'],
			['failed', 'REQUIRED_FIELD_MISSING', ''],
			['created', null, 'Classic CSV 3'],
		]);
		expect(records('Account').find((a) => a.Id === results[0].id)).toMatchObject({ Name: 'Classic CSV 1', NumberOfEmployees: 5 });
		const [file] = await run('batch', 'getResults', { jobId: byId(jobId), batchId, outputAs: 'binary', binaryPropertyName: 'out' });
		expect(file.binary?.out).toMatchObject({ fileName: `${batchId}-results.csv`, mimeType: 'text/csv' });
		expect((await s.harness.readBinary(file.binary!.out)).toString().split('\n')[0]).toBe('"Id","Success","Created","Error"');
		expect(json(await run('batch', 'getRequest', { jobId: byId(jobId), batchId }))).toEqual([
			{ Name: 'Classic CSV 1', NumberOfEmployees: '5', Phone: '', Active__c: '' },
			{ Name: '', NumberOfEmployees: '', Phone: '555', Active__c: '' },
			{ Name: 'Classic CSV 3', NumberOfEmployees: '', Phone: '', Active__c: 'true' },
		]);
	});

	it('XML: items with relationships by external ID; XML results read to the same outcomes', async () => {
		const parent = s.emulator.org.insertSystem('Account', { Name: 'XML Parent', Legacy_Id__c: 'XML-P1' });
		const jobId = await createJob({ object: 'Contact', jobOperation: 'insert', contentType: 'XML' });
		const items = [{ json: { LastName: 'Xml <One> & "Co"', Account: { Legacy_Id__c: 'XML-P1' }, Email: null } }, { json: { FirstName: 'No Last Name' } }];
		const [added] = await run('batch', 'add', { jobId: byId(jobId), inputDataType: 'items' }, items);
		await batchesDone(jobId);
		const results = json(await run('batch', 'getResults', { jobId: byId(jobId), batchId: added.json.id }));
		expect(results).toEqual([
			expect.objectContaining({ status: 'created', success: true, record: { LastName: 'Xml <One> & "Co"', Account: { Legacy_Id__c: 'XML-P1' }, Email: null } }),
			expect.objectContaining({ status: 'failed', errorCode: 'REQUIRED_FIELD_MISSING', record: { FirstName: 'No Last Name' } }),
		]);
		expect(records('Contact').find((c) => c.Id === results[0].id)).toMatchObject({ LastName: 'Xml <One> & "Co"', AccountId: parent.Id });
		const [request] = await run('batch', 'getRequest', { jobId: byId(jobId), batchId: added.json.id, outputAs: 'binary' });
		expect(request.binary?.data).toMatchObject({ mimeType: 'application/xml', fileName: `${added.json.id}-request.xml` });
		expect((await s.harness.readBinary(request.binary!.data)).toString()).toContain('<sObject><LastName>Xml &lt;One&gt; &amp; &quot;Co&quot;</LastName>');
	});

	it('JSON: JSON text as a batch; the job answers JSON; status, list, request and results', async () => {
		const jobId = await createJob({ object: 'Lead', jobOperation: 'insert', contentType: 'JSON' });
		const data = JSON.stringify([{ LastName: 'Json One', Company: 'J1' }, { LastName: 'Json Two' }]);
		const [batch] = json(await run('batch', 'add', { jobId: byId(jobId), inputDataType: 'text', data }));
		expect(batch).toMatchObject({ jobId, state: 'Queued' });
		await batchesDone(jobId);
		expect(json(await run('batch', 'getAll', { jobId: byId(jobId), returnAll: false, limit: 5 }))).toEqual([expect.objectContaining({ id: batch.id, state: 'Completed', numberRecordsProcessed: 2, numberRecordsFailed: 1 })]);
		expect(json(await run('batch', 'getRequest', { jobId: byId(jobId), batchId: batch.id }))).toEqual([{ LastName: 'Json One', Company: 'J1' }, { LastName: 'Json Two' }]);
		const results = json(await run('batch', 'getResults', { jobId: byId(jobId), batchId: batch.id, includeRequest: false }));
		expect(results).toEqual([
			{ status: 'created', success: true, created: true, id: expect.stringMatching(/^00Q/), error: null, errorCode: null, batchId: batch.id },
			{ status: 'failed', success: false, created: false, id: null, error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Company]:Company --', errorCode: 'REQUIRED_FIELD_MISSING', batchId: batch.id },
		]);
		expect(json(await run('job', 'get', { jobId: byId(jobId) }))[0]).toMatchObject({ numberBatchesCompleted: 1, numberRecordsProcessed: 2, numberRecordsFailed: 1 });
	});

	it('binary inputs are closed however the operation ends, not left to the garbage collector (DEP0137)', async () => {
		const rows = Array.from({ length: 12_000 }, (_, i) => `Closed ${i}`).join('\n');
		const csv = await s.harness.prepareBinary(Buffer.from(`Name\n${rows}\n`), 'many.csv', 'text/csv');
		const broken = await s.harness.prepareBinary(Buffer.from(`Name\n${rows}\n"unclosed\n`), 'broken.csv', 'text/csv');
		const refusal = { status: 400, method: 'POST', path: '/batch', errorCode: 'InvalidBatch', message: 'InvalidBatch : Simulated refusal' };
		const cases: Record<string, () => Promise<void>> = {
			// The first of two batches is refused: the rest of the file is never read.
			'a CSV batch refused': async () => {
				s.emulator.faults.add(refusal);
				const error = await failure('batch', 'add', { jobId: byId(await createJob({ object: 'Account', jobOperation: 'insert', contentType: 'CSV' })), inputDataType: 'binary' }, [{ json: {}, binary: { data: csv } }]);
				expect(error.message).toMatch(/Simulated refusal/);
			},
			// Not valid CSV at its end: refused while checking.
			'a CSV refused while checking': async () => {
				const error = await failure('batch', 'add', { jobId: byId(await createJob({ object: 'Account', jobOperation: 'insert', contentType: 'CSV' })), inputDataType: 'binary' }, [{ json: {}, binary: { data: broken } }]);
				expect(error.message).toMatch(/not valid/);
			},
		};
		const leftOpen: Record<string, string> = {};
		for (const [name, act] of Object.entries(cases)) {
			const handles = await fileHandlesLeftOpen(act);
			leftOpen[name] = `${handles.open} of ${handles.opened > 0 ? 'some' : 'none'} left open`;
		}
		expect(leftOpen).toEqual({ 'a CSV batch refused': '0 of some left open', 'a CSV refused while checking': '0 of some left open' });
	});

	it('binary CSV and XML files, checked against the job, sent as they are', async () => {
		const csvJob = await createJob({ object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
		const csv = await s.harness.prepareBinary(Buffer.from('Name,Phone\r\nBinary CSV,555-1\r\n'), 'accounts.csv', 'text/csv');
		const [batch] = json(await run('batch', 'add', { jobId: byId(csvJob), inputDataType: 'binary', binaryPropertyName: 'file' }, [{ json: {}, binary: { file: csv } }]));
		expect(batch).toMatchObject({ recordsSent: 1 });
		const xmlJob = await createJob({ object: 'Account', jobOperation: 'insert', contentType: 'XML' });
		const xml = await s.harness.prepareBinary(Buffer.from('<?xml version="1.0"?><sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload"><sObject><Name>Binary XML</Name></sObject></sObjects>'), 'a.xml', 'application/xml');
		await run('batch', 'add', { jobId: byId(xmlJob), inputDataType: 'binary' }, [{ json: {}, binary: { data: xml } }]);
		await batchesDone(csvJob);
		await batchesDone(xmlJob);
		expect(records('Account').filter((a) => ['Binary CSV', 'Binary XML'].includes(String(a.Name)))).toHaveLength(2);
	});

	it('serial mode runs one batch at a time; parallel mode all at once', async () => {
		await admin(s.emulator, 'config', { holdJobs: true });
		try {
			const states = async (mode: string) => {
				const jobId = await createJob({ object: 'Account', jobOperation: 'insert', contentType: 'CSV', options: { concurrencyMode: mode } });
				for (const name of ['A', 'B', 'C']) await run('batch', 'add', { jobId: byId(jobId), inputDataType: 'text', data: `Name\n${mode} ${name}\n` });
				await sleep(150);
				const seen = json(await run('batch', 'getAll', { jobId: byId(jobId), returnAll: true })).map((b) => b.state);
				while (s.emulator.jobs.finish(jobId)) await sleep(30);
				return { jobId, seen };
			};
			const serial = await states('Serial');
			expect(serial.seen).toEqual(['InProgress', 'Queued', 'Queued']);
			const parallel = await states('Parallel');
			expect(parallel.seen).toEqual(['InProgress', 'InProgress', 'InProgress']);
			expect(records('Account').filter((a) => String(a.Name).startsWith('Serial '))).toHaveLength(3);
		} finally {
			await admin(s.emulator, 'config', { holdJobs: false });
		}
	});

	it('more than 10,000 rows are split into batches: from CSV text and from items', async () => {
		const csvJob = await createJob({ object: 'Lead', jobOperation: 'insert', contentType: 'CSV' });
		const rows = Array.from({ length: 10050 }, (_, k) => `Split ${k},Co`).join('\n');
		const fromText = json(await run('batch', 'add', { jobId: byId(csvJob), inputDataType: 'text', data: `LastName,Company\n${rows}\n` }));
		expect(fromText.map((b) => b.recordsSent)).toEqual([10000, 50]);
		const jsonJob = await createJob({ object: 'Lead', jobOperation: 'insert', contentType: 'JSON' });
		const items = Array.from({ length: 10001 }, (_, k) => ({ json: { LastName: `Item ${k}`, Company: 'Co' } }));
		const fromItems = await run('batch', 'add', { jobId: byId(jsonJob), inputDataType: 'items' }, items);
		expect(fromItems.map((b) => b.json.recordsSent)).toEqual([10000, 1]);
		expect(fromItems[1].pairedItem).toEqual([{ item: 10000 }]);
		const batches = await batchesDone(jsonJob);
		expect(batches.map((b) => [b.state, b.numberRecordsProcessed])).toEqual([['Completed', 10000], ['Completed', 1]]);
		await batchesDone(csvJob);
	});
});

describe('Batch: error paths', () => {
	let csvJob = '';
	beforeAll(async () => {
		csvJob = await createJob({ object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
	});

	it('data that does not match the job’s content type is refused before sending, naming job, formats and item', async () => {
		const error = await failure('batch', 'add', { jobId: byId(csvJob), inputDataType: 'text', data: '<sObjects/>' });
		expect(error.message).toBe(`Job ${csvJob} takes CSV batches, but the text of item 0 is XML`);
		const zip = await s.harness.prepareBinary(Buffer.from('PK\u0003\u0004 not really'), 'files.zip', 'application/zip');
		const binary = await failure('batch', 'add', { jobId: byId(csvJob), inputDataType: 'binary' }, [{ json: {}, binary: { data: zip } }]);
		expect(binary.message).toBe(`Job ${csvJob} takes CSV batches, but the file "files.zip" of item 0 is ZIP`);
		const soql = await failure('batch', 'add', { jobId: byId(csvJob), inputDataType: 'soql', query: 'SELECT Id FROM Account' });
		expect(soql.message).toBe(`Job ${csvJob} is a load job (CSV, XML or JSON) (insert, CSV), not a query job`);
	});

	it('a closed job refuses batches: Salesforce’s InvalidJobState is shown', async () => {
		const jobId = await createJob({ object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
		await run('job', 'update', { jobId: byId(jobId), state: 'Closed' });
		const error = await failure('batch', 'add', { jobId: byId(jobId), inputDataType: 'text', data: 'Name\nLate\n' });
		expect(error.message).toBe(`Job ${jobId} is not in a state that allows this: Job ${jobId} is not open: its state is Closed`);
		expect(error.context).toMatchObject({ errorCode: 'InvalidJobState', statusCode: 400, itemIndex: 0 });
		expect(error.description).toContain(`Salesforce says: InvalidJobState – Job ${jobId} is not open: its state is Closed`);
	});

	it('an unknown batch is Salesforce’s InvalidBatch; a malformed ID never leaves n8n', async () => {
		const error = await failure('batch', 'get', { jobId: byId(csvJob), batchId: '751000000000000AAA' });
		expect(error.message).toBe('Salesforce refused the batch: Unable to find batch: 751000000000000AAA');
		expect(error.context).toMatchObject({ errorCode: 'InvalidBatch', statusCode: 400 });
		const malformed = await failure('batch', 'getResults', { jobId: byId(csvJob), batchId: '001000000000000' });
		expect(malformed.message).toBe('Batch ID "001000000000000" is not a batch ID: a batch ID starts with 751 and has 15 or 18 characters');
	});

	it('results of an unfinished batch, and of a query batch, get a clear error', async () => {
		await admin(s.emulator, 'config', { holdJobs: true });
		try {
			const [batch] = json(await run('batch', 'add', { jobId: byId(csvJob), inputDataType: 'text', data: 'Name\nPending\n' }));
			const error = await failure('batch', 'getResults', { jobId: byId(csvJob), batchId: batch.id });
			expect(error.message).toMatch(new RegExp(`^Batch ${batch.id} is (Queued|InProgress): it has results once it is Completed or Failed$`));
			s.emulator.jobs.finish(csvJob);
		} finally {
			await admin(s.emulator, 'config', { holdJobs: false });
		}
		const queryJob = await createJob({ object: 'Account', jobOperation: 'query', contentType: 'CSV' });
		const [batch] = json(await run('batch', 'add', { jobId: byId(queryJob), inputDataType: 'soql', query: 'SELECT Id FROM Account' }));
		const error = await failure('batch', 'getResults', { jobId: byId(queryJob), batchId: batch.id });
		expect(error.message).toBe(`Batch ${batch.id} belongs to query job ${queryJob}, whose results are query result sets`);
	});

	it('items that cannot be records: the item and field are named; with Continue On Fail the others still go', async () => {
		const items = [{ json: { Name: 'Good One' } }, { json: { Name: 'Bad', Tags: ['a', 'b'] } }, { json: { Name: 'Good Two' } }];
		const error = await failure('batch', 'add', { jobId: byId(csvJob), inputDataType: 'items' }, items);
		expect(error.message).toBe('Item 1: field "Tags" is a list; Salesforce fields take one value (join it into a string first)');
		expect(error.context.itemIndex).toBe(1);
		const out = await run('batch', 'add', { jobId: byId(csvJob), inputDataType: 'items' }, items, true);
		expect(out.map((o) => [o.json.error ?? o.json.recordsSent, o.pairedItem])).toEqual([
			[error.message, { item: 1 }],
			[2, [{ item: 0 }, { item: 2 }]],
		]);
	});

	it('a record larger than a batch is refused, naming its item; nothing is sent', async () => {
		const jobId = await createJob({ object: 'Account', jobOperation: 'insert', contentType: 'JSON' });
		const items = [{ json: { Name: 'Small' } }, { json: { Name: 'Huge', Description: 'x'.repeat(10_000_100) } }];
		const error = await failure('batch', 'add', { jobId: byId(jobId), inputDataType: 'items' }, items);
		expect(error.message).toMatch(/^Item 1: The record takes 100001\d\d bytes, more than the 10000000 bytes a batch holds$/);
		expect(error.context.itemIndex).toBe(1);
		expect(json(await run('batch', 'getAll', { jobId: byId(jobId), returnAll: true }))).toEqual([]);
	});

	it('an expired session (HTTP 400 InvalidSessionId) is renewed transparently, also between batches', async () => {
		const before = String(s.harness.credentialData(CREDENTIAL)?.accessToken);
		s.emulator.oauth.expireAll();
		const jobId = await createJob({ object: 'Account', jobOperation: 'insert', contentType: 'JSON' });
		s.emulator.oauth.expireAll();
		const [batch] = json(await run('batch', 'add', { jobId: byId(jobId), inputDataType: 'items' }, [{ json: { Name: 'After Renewal' } }]));
		expect(batch.state).toBe('Queued');
		expect(s.harness.credentialData(CREDENTIAL)?.accessToken).not.toBe(before);
		await batchesDone(jobId);
		expect(records('Account').filter((a) => a.Name === 'After Renewal')).toHaveLength(1);
	});
});

describe('Query results', () => {
	beforeAll(() => {
		for (let k = 0; k < 11; k++) s.emulator.org.insertSystem('Contact', { LastName: `Chunked ${String(k).padStart(2, '0')}`, Title: 'pk-chunk', Email: `c${k}@example.com` });
	});
	const soql = "SELECT Id, LastName, Email FROM Contact WHERE Title = 'pk-chunk'";

	it('PK chunking step by step: several chunk batches, the original NotProcessed, every result set read', async () => {
		const jobId = await createJob({ object: 'Contact', jobOperation: 'query', contentType: 'CSV', pkChunking: true, chunkSize: 4 });
		await run('batch', 'add', { jobId: byId(jobId), inputDataType: 'soql', query: soql });
		const batches = await batchesDone(jobId);
		expect(batches[0].state).toBe('NotProcessed');
		const chunks = batches.filter((b) => b.state === 'Completed');
		expect(chunks.length).toBeGreaterThan(1);
		const names: string[] = [];
		for (const chunk of chunks) {
			const ids = await run('queryResult', 'getResultIds', { jobId: byId(jobId), batchId: chunk.id });
			expect(ids[0].json).toEqual({ jobId, batchId: chunk.id, resultId: expect.stringMatching(/^752\w{12}$/) });
			for (const { json: ref } of ids) {
				names.push(...json(await run('queryResult', 'getResult', { jobId: byId(jobId), batchId: ref.batchId, resultId: ref.resultId })).map((r) => String(r.LastName)));
			}
		}
		expect(names.sort()).toEqual(Array.from({ length: 11 }, (_, k) => `Chunked ${String(k).padStart(2, '0')}`));
		const all = json(await run('queryResult', 'getAllResults', { jobId: byId(jobId) }));
		expect(all.map((r) => r.LastName).sort()).toEqual(names);
		const limited = await run('queryResult', 'getAllResults', { jobId: byId(jobId), returnAll: false, limit: 5 });
		expect(limited).toHaveLength(5);
		const [file] = await run('queryResult', 'getAllResults', { jobId: byId(jobId), outputAs: 'binary', fileName: 'contacts.csv' });
		expect(file.json).toEqual({ jobId, batches: chunks.length, resultSets: chunks.length });
		const lines = (await s.harness.readBinary(file.binary!.data)).toString().trim().split('\n');
		expect(lines[0]).toBe('"Id","LastName","Email"');
		expect(lines).toHaveLength(12);
	});

	it('Run Query with PK chunking in one step, as items and as one CSV file', async () => {
		const items = json(await run('job', 'runQuery', { query: soql, pkChunking: true, chunkSize: 3 }));
		expect(items.map((r) => r.LastName).sort()).toEqual(Array.from({ length: 11 }, (_, k) => `Chunked ${String(k).padStart(2, '0')}`));
		const [file] = await run('job', 'runQuery', { query: soql, pkChunking: true, chunkSize: 3, outputAs: 'binary' });
		expect(file.json).toMatchObject({ batches: 4, resultSets: 4 });
		expect(file.binary?.data).toMatchObject({ mimeType: 'text/csv', fileName: `${file.json.jobId}-results.csv` });
		expect((await s.harness.readBinary(file.binary!.data)).toString().trim().split('\n')).toHaveLength(12);
		const [job] = json(await run('job', 'get', { jobId: byId(String(file.json.jobId)) }));
		expect(job).toMatchObject({ state: 'Closed', numberBatchesTotal: 5, numberBatchesCompleted: 4 });
	});

	it('PK chunking from a start row; typed values for CSV and XML results', async () => {
		const ids = records('Contact').filter((c) => c.Title === 'pk-chunk').map((c) => String(c.Id)).sort();
		const fromSixth = json(await run('job', 'runQuery', { query: soql, pkChunking: true, chunkSize: 4, startRow: ids[5] }));
		expect(fromSixth.map((r) => r.Id).sort()).toEqual(ids.slice(5));
		s.emulator.org.insertSystem('Account', { Name: 'Typed Values', NumberOfEmployees: 42, Active__c: true });
		const typedSoql = "SELECT Name, NumberOfEmployees, Active__c, Phone FROM Account WHERE Name = 'Typed Values'";
		for (const contentType of ['CSV', 'XML']) {
			expect(json(await run('job', 'runQuery', { query: typedSoql, contentType }))).toEqual([{ Name: 'Typed Values', NumberOfEmployees: '42', Active__c: 'true', Phone: contentType === 'CSV' ? '' : null }]);
			expect(json(await run('job', 'runQuery', { query: typedSoql, contentType, typedValues: true }))).toEqual([{ Name: 'Typed Values', NumberOfEmployees: 42, Active__c: true, Phone: null }]);
		}
		expect(json(await run('job', 'runQuery', { query: typedSoql, contentType: 'JSON' }))).toEqual([{ Name: 'Typed Values', NumberOfEmployees: 42, Active__c: true, Phone: null }]);
	});

	it('XML and JSON query jobs: records as items, and chunks joined into one XML or JSON file', async () => {
		const expected = Array.from({ length: 11 }, (_, k) => `Chunked ${String(k).padStart(2, '0')}`);
		for (const contentType of ['XML', 'JSON']) {
			const items = json(await run('job', 'runQuery', { query: soql, contentType, pkChunking: true, chunkSize: 5 }));
			expect(items.map((r) => r.LastName).sort()).toEqual(expected);
			expect(Object.keys(items[0]).sort()).toEqual(['Email', 'Id', 'LastName']);
			const [file] = await run('job', 'runQuery', { query: soql, contentType, pkChunking: true, chunkSize: 5, outputAs: 'binary' });
			const text = (await s.harness.readBinary(file.binary!.data)).toString();
			expect(file.binary?.data.mimeType).toBe(`application/${contentType.toLowerCase()}`);
			const names = contentType === 'JSON' ? (JSON.parse(text) as IDataObject[]).map((r) => r.LastName) : [...text.matchAll(/<LastName>([^<]+)<\/LastName>/g)].map((m) => m[1]);
			expect(names.sort()).toEqual(expected);
		}
	});

	it('queryAll, an empty result, a failing query and a query without FROM', async () => {
		const deleted = s.emulator.org.insertSystem('Contact', { LastName: 'Deleted One', Title: 'gone' });
		deleted.IsDeleted = true;
		const gone = "SELECT Id, LastName FROM Contact WHERE Title = 'gone'";
		expect(json(await run('job', 'runQuery', { query: gone }))).toEqual([]);
		expect(json(await run('job', 'runQuery', { query: gone, queryAll: true }))).toEqual([{ Id: deleted.Id, LastName: 'Deleted One' }]);
		const error = await failure('job', 'runQuery', { query: 'SELECT Nope__c FROM Contact' });
		expect(error.message).toMatch(/^Batch 751\w+ of query job 750\w+ failed: InvalidBatch : Failed to process query: INVALID_FIELD/);
		const noFrom = await failure('job', 'runQuery', { query: 'SELECT Id' });
		expect(noFrom.message).toBe('The SOQL query has no FROM clause');
		const empty = await createJob({ object: 'Contact', jobOperation: 'query', contentType: 'CSV' });
		expect((await failure('queryResult', 'getAllResults', { jobId: byId(empty) })).message).toBe(`Query job ${empty} has no batches, so it has no results`);
		const load = await failure('queryResult', 'getAllResults', { jobId: byId(await createJob({ object: 'Contact', jobOperation: 'insert', contentType: 'CSV' })) });
		expect(load.message).toMatch(/^Job 750\w+ is a load job \(CSV, XML or JSON\) \(insert, CSV\), not a query job$/);
	});

	it('a timeout aborts the job and says so', async () => {
		await admin(s.emulator, 'config', { holdJobs: true });
		try {
			const error = await failure('job', 'runQuery', { query: 'SELECT Id FROM Account', options: { timeout: 0.3 } });
			expect(error.message).toMatch(/^Timed out after \d+ s waiting for the batches of job 750\w+/);
			const jobId = String(error.context.jobId);
			expect(error.description).toContain(`Aborted job ${jobId}`);
			expect(json(await run('job', 'get', { jobId: byId(jobId) }))[0]).toMatchObject({ state: 'Aborted' });
		} finally {
			await admin(s.emulator, 'config', { holdJobs: false });
		}
	});
});

describe('Load Records', () => {
	it('one item per input item with its outcome, in input order; conversion errors stay in place with Continue On Fail', async () => {
		const items = [{ json: { LastName: 'Load 1', Company: 'L' } }, { json: { LastName: 'Load 2', Tags: ['x'] } }, { json: { LastName: 'Load 3' } }, { json: { LastName: 'Load 4', Company: 'L' } }];
		const out = await run('job', 'loadRecords', { object: 'Lead', jobOperation: 'insert', contentType: 'XML', options: { concurrencyMode: 'Serial' } }, items, true);
		expect(out.map((o) => [o.pairedItem, o.json.status ?? 'error'])).toEqual([
			[{ item: 0 }, 'created'],
			[{ item: 1 }, 'error'],
			[{ item: 2 }, 'failed'],
			[{ item: 3 }, 'created'],
		]);
		expect(out[2].json).toMatchObject({ errorCode: 'REQUIRED_FIELD_MISSING', record: { LastName: 'Load 3' }, jobId: out[0].json.jobId });
		expect(s.harness.lastHints.map((h) => h.message)).toEqual([`Job ${out[0].json.jobId}: 1 of 3 records were not loaded; see "status" and "error" in their items`]);
		expect(records('Lead').filter((l) => ['Load 1', 'Load 4'].includes(String(l.LastName)))).toHaveLength(2);
	});

	it('upsert on an external ID: created, then updated', async () => {
		const parameters = { object: 'Invoice__c', jobOperation: 'upsert', externalIdFieldName: 'Legacy_Id__c', contentType: 'JSON' };
		const first = json(await run('job', 'loadRecords', parameters, [{ json: { Legacy_Id__c: 'INV-C1', Name: 'Invoice C1' } }]));
		expect(first[0]).toMatchObject({ status: 'created' });
		const second = json(await run('job', 'loadRecords', parameters, [{ json: { Legacy_Id__c: 'INV-C1', Name: 'Invoice C1 bis' } }]));
		expect(second[0]).toMatchObject({ status: 'updated', id: first[0].id });
		expect(records('Invoice__c').find((r) => r.Legacy_Id__c === 'INV-C1')).toMatchObject({ Name: 'Invoice C1 bis' });
	});

	it('without waiting: the batches, paired with their items', async () => {
		const out = await run('job', 'loadRecords', { object: 'Account', jobOperation: 'insert', contentType: 'CSV', options: { waitForCompletion: false } }, [{ json: { Name: 'NoWait 1' } }, { json: { Name: 'NoWait 2' } }]);
		expect(out).toEqual([{ json: expect.objectContaining({ state: 'Queued', recordsSent: 2 }), pairedItem: [{ item: 0 }, { item: 1 }] }]);
	});

	it('a batch that fails as a whole leaves its rows unprocessed, with the reason', async () => {
		s.emulator.faults.failJobs({ message: 'InvalidBatch : Simulated', afterRows: 1, object: 'Case' });
		const out = json(await run('job', 'loadRecords', { object: 'Case', jobOperation: 'insert', contentType: 'CSV' }, [{ json: { Subject: 'One' } }, { json: { Subject: 'Two' } }]));
		expect(out.map((o) => [o.status, o.error])).toEqual([
			['created', null],
			['unprocessed', 'InvalidBatch : Simulated'],
		]);
	});
});

describe('Binary attachments', () => {
	const file = async (text: string | Buffer, name: string) => await s.harness.prepareBinary(Buffer.isBuffer(text) ? text : Buffer.from(text), name, 'application/octet-stream');

	it('builds the zip from items with binary files: records and their bodies arrive in the org', async () => {
		const parent = s.emulator.org.insertSystem('Account', { Name: 'Attachment Parent' });
		const [job] = json(await run('attachment', 'createJob', { object: 'Attachment', jobOperation: 'insert', contentType: 'ZIP_CSV' }));
		expect(job).toMatchObject({ object: 'Attachment', contentType: 'ZIP_CSV', state: 'Open' });
		const logo = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
		const items = [
			{ json: { ParentId: parent.Id, Description: 'plain' }, binary: { data: await file('Hello, attachment', 'hello.txt') } },
			{ json: { ParentId: parent.Id, Name: 'Custom Name.bin' }, binary: { data: await file(logo, '../../logo.bin') } },
			{ json: { ParentId: parent.Id }, binary: { data: await file('same name', 'hello.txt') } },
		];
		const out = await run('attachment', 'uploadBatch', { jobId: byId(String(job.id)) }, items);
		expect(out).toEqual([{ json: expect.objectContaining({ state: 'Queued', files: 3 }), pairedItem: [{ item: 0 }, { item: 1 }, { item: 2 }] }]);
		await run('job', 'update', { jobId: byId(String(job.id)), state: 'Closed' });
		await batchesDone(String(job.id));
		const results = json(await run('batch', 'getResults', { jobId: byId(String(job.id)), batchId: out[0].json.id }));
		expect(results.map((r) => r.status)).toEqual(['created', 'created', 'created']);
		const stored = results.map((r) => s.emulator.org.find(String(r.id))!.record);
		expect(stored.map((a) => [a.Name, a.ParentId, a.Description ?? null, (a.Body as Buffer).toString('latin1')])).toEqual([
			['hello.txt', parent.Id, 'plain', 'Hello, attachment'],
			['Custom Name.bin', parent.Id, null, logo.toString('latin1')],
			['hello.txt', parent.Id, null, 'same name'],
		]);
		const [request] = await run('batch', 'getRequest', { jobId: byId(String(job.id)), batchId: out[0].json.id, outputAs: 'binary' });
		const zip = new AdmZip(await s.harness.readBinary(request.binary!.data));
		expect(zip.getEntries().map((e) => e.entryName)).toEqual(['request.txt', 'hello.txt', 'logo.bin', 'hello-2.txt']);
		expect(zip.getEntries()[0].getData().toString()).toBe(
			`ParentId,Description,Name,Body\n${parent.Id},plain,hello.txt,#hello.txt\n${parent.Id},,Custom Name.bin,#logo.bin\n${parent.Id},,hello.txt,#hello-2.txt\n`,
		);
	});

	it('ZIP_JSON with a VersionData-style body field and no name field; items over 10 MB go to more zips', async () => {
		const parent = s.emulator.org.insertSystem('Account', { Name: 'Big Parent' });
		const [job] = json(await run('attachment', 'createJob', { jobOperation: 'insert', contentType: 'ZIP_JSON' }));
		const big = (k: number) => Buffer.alloc(4 * 1024 * 1024, k);
		const items = await Promise.all([0, 1, 2].map(async (k) => ({ json: { ParentId: parent.Id, Name: `big-${k}.bin` }, binary: { data: await file(big(k), `big-${k}.bin`) } })));
		const out = await run('attachment', 'uploadBatch', { jobId: byId(String(job.id)), options: { fileNameField: '' } }, items);
		expect(out.map((o) => [o.json.files, o.pairedItem])).toEqual([
			[2, [{ item: 0 }, { item: 1 }]],
			[1, [{ item: 2 }]],
		]);
		expect(out.filter((o) => !(Number(o.json.zipBytes) <= 10_000_000))).toEqual([]);
		await batchesDone(String(job.id));
		const bodies = records('Attachment').filter((a) => a.ParentId === parent.Id);
		expect(bodies.map((a) => [a.Name, a.BodyLength])).toEqual([0, 1, 2].map((k) => [`big-${k}.bin`, 4 * 1024 * 1024]));
	});

	it('a file larger than a batch, a missing file, a wrong job: clear errors; Continue On Fail keeps the rest', async () => {
		const parent = s.emulator.org.insertSystem('Account', { Name: 'Error Parent' });
		const [job] = json(await run('attachment', 'createJob', { jobOperation: 'insert', contentType: 'ZIP_XML' }));
		const items = [
			{ json: { ParentId: parent.Id }, binary: { data: await file(Buffer.alloc(10_500_000), 'huge.bin') } },
			{ json: { ParentId: parent.Id } },
			{ json: { ParentId: parent.Id }, binary: { data: await file('<ok/>', 'ok.xml') } },
		];
		const error = await failure('attachment', 'uploadBatch', { jobId: byId(String(job.id)) }, items);
		expect(error.message).toBe('The file "huge.bin" of item 0 is 10500000 bytes; one attachment batch holds at most 10000000 bytes');
		const out = await run('attachment', 'uploadBatch', { jobId: byId(String(job.id)) }, items, true);
		expect(out.map((o) => [o.pairedItem, o.json.files ?? o.json.error])).toEqual([
			[{ item: 0 }, error.message],
			[{ item: 1 }, expect.stringContaining('data')],
			[[{ item: 2 }], 1],
		]);
		await batchesDone(String(job.id));
		expect(records('Attachment').filter((a) => a.ParentId === parent.Id).map((a) => a.Name)).toEqual(['ok.xml']);
		const csvJob = await createJob({ object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
		const wrong = await failure('attachment', 'uploadBatch', { jobId: byId(csvJob) }, [items[2]]);
		expect(wrong.message).toBe(`Job ${csvJob} is a load job (CSV, XML or JSON) (insert, CSV), not a binary-attachment job (ZIP_CSV, ZIP_XML or ZIP_JSON)`);
	});

	it('a ready zip from a binary field; anything else is refused', async () => {
		const parent = s.emulator.org.insertSystem('Account', { Name: 'Zip Parent' });
		const [job] = json(await run('attachment', 'createJob', { jobOperation: 'insert', contentType: 'ZIP_CSV' }));
		const zip = new AdmZip();
		zip.addFile('request.txt', Buffer.from(`Name,ParentId,Body\nready.txt,${parent.Id},#files/ready.txt\n`));
		zip.addFile('files/ready.txt', Buffer.from('ready made'));
		const out = await run('attachment', 'uploadBatch', { jobId: byId(String(job.id)), attachmentSource: 'zip' }, [{ json: {}, binary: { data: await file(zip.toBuffer(), 'batch.zip') } }]);
		expect(out[0]).toMatchObject({ json: { state: 'Queued' }, pairedItem: { item: 0 } });
		await batchesDone(String(job.id));
		expect(records('Attachment').find((a) => a.ParentId === parent.Id)).toMatchObject({ Name: 'ready.txt', BodyLength: 10 });
		const notZip = await failure('attachment', 'uploadBatch', { jobId: byId(String(job.id)), attachmentSource: 'zip' }, [{ json: {}, binary: { data: await file('Name\n', 'x.csv') } }]);
		expect(notZip.message).toBe('The file "x.csv" of item 0 is not a zip file');
	});
});

describe('node description, package and example workflow', () => {
	const root = dirname(require.resolve('../../package.json'));

	it('is registered, has its codex and icons, and is usable as a tool', () => {
		const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };
		expect(pkg.n8n.nodes).toContain('dist/nodes/SalesforceBulkClassic/SalesforceBulkClassic.node.js');
		const codex = JSON.parse(readFileSync(join(root, 'nodes/SalesforceBulkClassic/SalesforceBulkClassic.node.json'), 'utf8')) as IDataObject;
		expect(codex.node).toBe('n8n-nodes-salesforce-bulk.salesforceBulkClassic');
		for (const icon of ['salesforce.svg', 'salesforce.dark.svg']) expect(existsSync(join(root, 'nodes/SalesforceBulkClassic', icon))).toBe(true);
		expect(node.description).toMatchObject({ name: 'salesforceBulkClassic', displayName: 'Salesforce Bulk (Classic)', usableAsTool: true, credentials: [{ name: CREDENTIAL, required: true }] });
	});

	it('the example workflow uses only parameters the node knows, with nothing required missing', () => {
		const workflow = JSON.parse(readFileSync(join(root, 'examples/salesforce-bulk-classic.json'), 'utf8')) as { nodes: INode[]; connections: IDataObject };
		const classic = workflow.nodes.filter((n) => n.type === 'n8n-nodes-salesforce-bulk.salesforceBulkClassic');
		expect(classic.length).toBeGreaterThanOrEqual(6);
		for (const n of classic) {
			const kept = NodeHelpers.getNodeParameters(node.description.properties, n.parameters, true, false, n, node.description) ?? {};
			expect([n.name, Object.keys(n.parameters).filter((key) => !(key in kept))]).toEqual([n.name, []]);
			expect([n.name, NodeHelpers.getNodeParametersIssues(node.description.properties, { ...n, parameters: kept }, node.description)]).toEqual([n.name, null]);
		}
		const names = new Set(workflow.nodes.map((n) => n.name));
		for (const [from, value] of Object.entries(workflow.connections)) {
			expect(names.has(from)).toBe(true);
			for (const link of (value as { main: Array<Array<{ node: string }>> }).main.flat()) expect(names.has(link.node)).toBe(true);
		}
	});
});
