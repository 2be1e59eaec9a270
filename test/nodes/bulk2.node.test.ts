import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { admin, setup, type Setup } from './setup';

let s: Setup;
const node = new SalesforceBulk2();
beforeAll(async () => {
	s = await setup();
});
afterAll(async () => await s.close());

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const json = (items: INodeExecutionData[]) => items.map((i) => i.json);

async function ingest(operation: string, parameters: IDataObject, items?: INodeExecutionData[], continueOnFail = false, typeVersion?: number) {
	const [out] = await s.harness.execute(node, { parameters: { resource: 'ingestJob', operation, ...parameters }, items, continueOnFail, typeVersion });
	return out;
}
/** Version 1.1: results as Salesforce's text unless Typed Values is on (1.2 types them by the schema: valueTyping.test.ts). */
const ingestV11 = async (operation: string, parameters: IDataObject) => await ingest(operation, parameters, undefined, false, 1.1);

async function query(operation: string, parameters: IDataObject) {
	const [out] = await s.harness.execute(node, { parameters: { resource: 'queryJob', operation, ...parameters } });
	return out;
}

async function finished(kind: 'ingestJob' | 'queryJob', id: string): Promise<IDataObject> {
	for (let i = 0; i < 200; i++) {
		const [job] = json(kind === 'ingestJob' ? await ingest('get', { jobId: byId(id) }) : await query('get', { jobId: byId(id) }));
		if (['JobComplete', 'Failed', 'Aborted'].includes(String(job.state))) return job;
		await sleep(20);
	}
	throw new Error(`job ${id} did not finish`);
}

describe('Salesforce Bulk V2: ingest jobs step by step', () => {
	it('create, upload CSV text, close, get: the seed scenario', async () => {
		const [job] = json(await ingest('create', { object: 'Account', ingestOperation: 'insert' }));
		expect(job).toMatchObject({ object: 'Account', operation: 'insert', state: 'Open' });
		const uploaded = await ingest('uploadData', { jobId: byId(String(job.id)), inputDataType: 'csv', csvData: 'Name,Phone\nSeed One,555-0100\nSeed Two,555-0101\n' });
		expect(uploaded).toEqual([{ json: { id: job.id, uploaded: true }, pairedItem: { item: 0 } }]);
		expect(json(await ingest('close', { jobId: byId(String(job.id)) }))[0]).toMatchObject({ state: 'UploadComplete' });
		expect(await finished('ingestJob', String(job.id))).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 });
		expect([...s.emulator.org.table('Account').values()].filter((a) => String(a.Name).startsWith('Seed '))).toHaveLength(2);
	});

	it('uploads a binary CSV file from the input item and upserts on an external ID', async () => {
		const [job] = json(await ingest('create', { object: 'Account', ingestOperation: 'upsert', externalIdFieldName: 'Legacy_Id__c', options: { lineEnding: 'CRLF', columnDelimiter: 'SEMICOLON' } }));
		expect(job).toMatchObject({ operation: 'upsert', externalIdFieldName: 'Legacy_Id__c', lineEnding: 'CRLF', columnDelimiter: 'SEMICOLON' });
		const file = await s.harness.prepareBinary(Buffer.from('Legacy_Id__c;Name\r\nFILE-1;From File\r\n'), 'accounts.csv', 'text/csv');
		await ingest('uploadData', { jobId: byId(String(job.id)), inputDataType: 'binary', binaryPropertyName: 'data' }, [{ json: {}, binary: { data: file } }]);
		await ingest('close', { jobId: byId(String(job.id)) });
		expect(await finished('ingestJob', String(job.id))).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1 });
		expect([...s.emulator.org.table('Account').values()].find((a) => a.Legacy_Id__c === 'FILE-1')).toMatchObject({ Name: 'From File' });
	});

	it('uploads all input items as the rows of one upload, in the format of the job', async () => {
		const [job] = json(await ingest('create', { object: 'Contact', ingestOperation: 'insert', options: { columnDelimiter: 'TAB' } }));
		const items = [
			{ json: { LastName: 'Item One', Email: 'one@example.com', DoNotCall: true } },
			{ json: { LastName: 'Item, Two', Birthdate: '1990-01-02', Account: { Legacy_Id__c: 'FILE-1' } } },
		];
		const out = await ingest('uploadData', { jobId: byId(String(job.id)), inputDataType: 'items' }, items);
		expect(out).toEqual([{ json: { id: job.id, uploaded: true, records: 2 }, pairedItem: [{ item: 0 }, { item: 1 }] }]);
		await ingest('close', { jobId: byId(String(job.id)) });
		expect(await finished('ingestJob', String(job.id))).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 });
		const contacts = [...s.emulator.org.table('Contact').values()];
		expect(contacts.find((c) => c.LastName === 'Item One')).toMatchObject({ Email: 'one@example.com', DoNotCall: true });
		const two = contacts.find((c) => c.LastName === 'Item, Two');
		expect(two).toMatchObject({ Birthdate: '1990-01-02' });
		expect(s.emulator.org.find(String(two?.AccountId))?.record.Legacy_Id__c).toBe('FILE-1');
	});

	it('an item whose values are all empty is still a row (not a blank line Salesforce would skip)', async () => {
		const [job] = json(await ingest('create', { object: 'Account', ingestOperation: 'insert' }));
		await ingest('uploadData', { jobId: byId(String(job.id)), inputDataType: 'items' }, [{ json: { Name: 'Blank Row A' } }, { json: { Name: '' } }]);
		await ingest('close', { jobId: byId(String(job.id)) });
		// The empty Name fails as a row of its own: two rows processed, one failed.
		expect(await finished('ingestJob', String(job.id))).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 1 });
	});

	it('an item that cannot become a CSV row is named', async () => {
		const [job] = json(await ingest('create', { object: 'Contact', ingestOperation: 'insert' }));
		const items = [{ json: { LastName: 'Fine' } }, { json: { LastName: 'Bad', Tags: ['a', 'b'] } }];
		await expect(ingest('uploadData', { jobId: byId(String(job.id)), inputDataType: 'items' }, items)).rejects.toThrow(/Item 1/);
	});

	it('abort, then delete; a deleted job is gone', async () => {
		const [job] = json(await ingest('create', { object: 'Lead', ingestOperation: 'insert' }));
		expect(json(await ingest('abort', { jobId: byId(String(job.id)) }))[0]).toMatchObject({ state: 'Aborted' });
		expect(json(await ingest('delete', { jobId: byId(String(job.id)) }))).toEqual([{ id: job.id, deleted: true }]);
		await expect(ingest('get', { jobId: byId(String(job.id)) })).rejects.toThrow(`Job ${job.id} does not exist (any more): it was deleted, or it finished more than 7 days ago`);
	});

	it('Get Many follows pages, honours Limit, and filters by job type', async () => {
		await admin(s.emulator, 'config', { jobsPageSize: 2 });
		try {
			const created: unknown[] = [];
			for (let i = 0; i < 3; i++) created.push(json(await ingest('create', { object: 'Case', ingestOperation: 'insert' }))[0].id);
			const all = json(await ingest('getAll', { returnAll: true, filters: { jobType: 'V2Ingest' } }));
			expect(all.length).toBeGreaterThanOrEqual(5);
			expect(all.map((j) => j.id)).toEqual(expect.arrayContaining(created));
			expect(all.filter((j) => j.jobType !== 'V2Ingest')).toEqual([]);
			expect(await ingest('getAll', { returnAll: false, limit: 3 })).toHaveLength(3);
		} finally {
			await admin(s.emulator, 'config', { jobsPageSize: 1000 });
		}
	});

	it('Continue On Fail: a bad job ID becomes an error item paired with its input', async () => {
		const items = [{ json: { id: '7505e00000AAAAAAAA' } }, { json: { id: '7505e00000BBBBBBBB' } }];
		const out = await ingest('get', { jobId: { __rl: true, mode: 'id', value: '={{ $json.id }}' } }, items, true);
		expect(out).toHaveLength(2);
		expect(out[1]).toMatchObject({ json: { errorCode: 'NOT_FOUND', statusCode: 404, jobId: '7505e00000BBBBBBBB' }, pairedItem: { item: 1 } });
		expect(String(out[0].json.error)).toContain('Job 7505e00000AAAAAAAA does not exist (any more)');
	});

	it('an empty CSV is refused before anything is sent', async () => {
		const [job] = json(await ingest('create', { object: 'Account', ingestOperation: 'insert' }));
		await expect(ingest('uploadData', { jobId: byId(String(job.id)), inputDataType: 'csv', csvData: '  ' })).rejects.toThrow('Text is empty');
	});

	it('a missing binary field names the field', async () => {
		const [job] = json(await ingest('create', { object: 'Account', ingestOperation: 'insert' }));
		await expect(ingest('uploadData', { jobId: byId(String(job.id)), inputDataType: 'binary', binaryPropertyName: 'nope' }, [{ json: {} }])).rejects.toThrow(/nope/);
	});
});

describe('Salesforce Bulk V2: ingest results', () => {
	let jobId = '';
	beforeAll(async () => {
		const [job] = json(await ingest('create', { object: 'Account', ingestOperation: 'insert' }));
		jobId = String(job.id);
		await ingest('uploadData', { jobId: byId(jobId), inputDataType: 'csv', csvData: 'Name,NumberOfEmployees,Active__c\nResult One,12,true\n,5,false\nResult Two,,\n' });
		await ingest('close', { jobId: byId(jobId) });
		await finished('ingestJob', jobId);
	});

	it('successful results as items, with typed values when asked', async () => {
		const plain = json(await ingestV11('getSuccessfulResults', { jobId: byId(jobId) }));
		expect(plain.map((r) => [r.Name, r.sf__Created, r.NumberOfEmployees])).toEqual([['Result One', 'true', '12'], ['Result Two', 'true', '']]);
		const typed = json(await ingestV11('getSuccessfulResults', { jobId: byId(jobId), typedValues: true }));
		expect(typed[0]).toMatchObject({ Name: 'Result One', sf__Created: true, NumberOfEmployees: 12, Active__c: true });
		expect(typed[1]).toMatchObject({ NumberOfEmployees: null });
		expect(String(typed[0].sf__Id)).toMatch(/^001\w{15}$/);
	});

	it('failed results carry the Salesforce error', async () => {
		const failed = json(await ingestV11('getFailedResults', { jobId: byId(jobId) }));
		expect(failed).toEqual([{ sf__Id: '', sf__Error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --', Name: '', NumberOfEmployees: '5', Active__c: 'false' }]);
		const typed = json(await ingest('getFailedResults', { jobId: byId(jobId) }));
		expect(typed).toEqual([{ sf__Id: null, sf__Error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --', Name: null, NumberOfEmployees: 5, Active__c: false }]);
	});

	it('unprocessed records of a failed job as a binary CSV file', async () => {
		s.emulator.faults.failJobs({ message: 'InvalidBatch : Simulated', afterRows: 1, object: 'Lead' });
		const [job] = json(await ingest('create', { object: 'Lead', ingestOperation: 'insert' }));
		await ingest('uploadData', { jobId: byId(String(job.id)), inputDataType: 'csv', csvData: 'LastName,Company\nDone,X\nLeft,Y\nOver,Z\n' });
		await ingest('close', { jobId: byId(String(job.id)) });
		expect(await finished('ingestJob', String(job.id))).toMatchObject({ state: 'Failed', errorMessage: 'InvalidBatch : Simulated' });
		const [file] = await ingest('getUnprocessedRecords', { jobId: byId(String(job.id)), outputAs: 'binary', binaryPropertyName: 'csv', fileName: 'unprocessed.csv' });
		expect(file.json).toEqual({ jobId: job.id, results: 'unprocessedrecords' });
		expect(file.binary?.csv).toMatchObject({ fileName: 'unprocessed.csv', mimeType: 'text/csv' });
		expect((await s.harness.readBinary(file.binary!.csv)).toString()).toBe('LastName,Company\nLeft,Y\nOver,Z\n');
	});
});

describe('Salesforce Bulk V2: query jobs step by step', () => {
	it('create with queryAll, get, get many, delete', async () => {
		const [job] = json(await query('create', { query: 'SELECT Id, Name FROM Account', queryAll: true, options: { columnDelimiter: 'PIPE' } }));
		expect(job).toMatchObject({ operation: 'queryAll', object: 'Account', state: 'UploadComplete', columnDelimiter: 'PIPE' });
		expect(await finished('queryJob', String(job.id))).toMatchObject({ state: 'JobComplete' });
		expect(json(await query('getAll', { returnAll: true })).map((j) => j.id)).toContain(job.id);
		expect(json(await query('delete', { jobId: byId(String(job.id)) }))).toEqual([{ id: job.id, deleted: true }]);
	});

	it('abort a query job that is still running', async () => {
		await admin(s.emulator, 'config', { holdJobs: true });
		try {
			const [job] = json(await query('create', { query: 'SELECT Id FROM Contact' }));
			expect(json(await query('abort', { jobId: byId(String(job.id)) }))[0]).toMatchObject({ state: 'Aborted' });
		} finally {
			await admin(s.emulator, 'config', { holdJobs: false });
		}
	});
});

describe('Salesforce Bulk V2: dropdowns and lists', () => {
	it('loads objects and external ID fields from the org', async () => {
		const objects = await s.harness.loadOptions(node, 'getObjects', { parameters: { resource: 'ingestJob', operation: 'create' } });
		expect(objects).toEqual(expect.arrayContaining([{ name: 'Invoice (Invoice__c)', value: 'Invoice__c' }, { name: 'Account (Account)', value: 'Account' }]));
		const fields = await s.harness.loadOptions(node, 'getExternalIdFields', { parameters: { resource: 'ingestJob', operation: 'create', object: 'Invoice__c', ingestOperation: 'upsert' } });
		expect(fields.map((f) => f.value)).toEqual(['Legacy_Id__c', 'Id']);
	});

	it('lists recent jobs of the right kind for the Job resource locator', async () => {
		const [open] = json(await ingest('create', { object: 'Contact', ingestOperation: 'insert' }));
		const [queryJob] = json(await query('create', { query: 'SELECT Id FROM Contact' }));
		const ingestJobs = await s.harness.listSearch(node, 'searchIngestJobs', { parameters: { resource: 'ingestJob', operation: 'get' } });
		// Salesforce's list order (oldest first in the emulator): the job just created comes last.
		expect(ingestJobs.results.at(-1)).toEqual({ name: expect.stringMatching(/^Contact insert · Open · \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/), value: open.id });
		expect(ingestJobs.results.map((r) => r.value)).not.toContain(queryJob.id);
		const openOnly = await s.harness.listSearch(node, 'searchOpenIngestJobs', { parameters: { resource: 'ingestJob', operation: 'close' } });
		expect(openOnly.results.map((r) => r.value)).toContain(open.id);
		expect(openOnly.results.filter((r) => !String(r.name).includes('· Open ·'))).toEqual([]);
		const queries = await s.harness.listSearch(node, 'searchQueryJobs', { parameters: { resource: 'queryJob', operation: 'get' }, filter: String(queryJob.id).slice(0, 15) });
		expect(queries.results.map((r) => r.value)).toEqual([queryJob.id]);
	});
});
