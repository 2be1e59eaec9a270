// Bad input (issue 16): a job ID of the wrong kind given to any job operation, not only Wait for Job / Close, gets an
// error that says which kind the job is and which operation takes it; a job that is gone says so.
import type { IDataObject, INodeType } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { setup, type Setup } from './setup';

let s: Setup;
const v2 = new SalesforceBulk2();
const classic = new SalesforceBulkClassic();
beforeAll(async () => {
	s = await setup();
});
afterAll(async () => await s.close());

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
async function run(node: INodeType, resource: string, operation: string, parameters: IDataObject) {
	const [out] = await s.harness.execute(node, { parameters: { resource, operation, ...parameters } });
	return out.map((i) => i.json);
}
async function failure(node: INodeType, resource: string, operation: string, parameters: IDataObject) {
	const error = await run(node, resource, operation, parameters).then(
		() => undefined,
		(e: Error & { description?: string }) => e,
	);
	if (!error) throw new Error(`${resource} ${operation} was expected to fail`);
	return { message: error.message, description: error.description };
}

describe('a job of the wrong kind, or gone', () => {
	let ingestId: string;
	let queryId: string;
	let classicId: string;
	beforeAll(async () => {
		ingestId = String((await run(v2, 'ingestJob', 'create', { object: 'Account', ingestOperation: 'insert' }))[0].id);
		queryId = String((await run(v2, 'queryJob', 'create', { query: 'SELECT Id FROM Account' }))[0].id);
		classicId = String((await run(classic, 'job', 'create', { object: 'Account', jobOperation: 'insert', contentType: 'CSV' }))[0].id);
	});

	it('V2 Get, Abort, Delete and the result operations name the job kind and the operation to use', async () => {
		expect(await failure(v2, 'ingestJob', 'get', { jobId: byId(queryId) })).toEqual({
			message: `Job ${queryId} is a Bulk API 2.0 query job, not a Bulk API 2.0 ingest job`,
			description: 'Use Get of the Salesforce Bulk V2 node, resource Query Job.',
		});
		expect(await failure(v2, 'queryJob', 'abort', { jobId: byId(classicId) })).toEqual({
			message: `Job ${classicId} is a Bulk API 1.0 (Classic) job, not a Bulk API 2.0 query job`,
			description: 'Use Update (State: Aborted) of the Salesforce Bulk Classic node, resource Job.',
		});
		expect(await failure(v2, 'queryJob', 'delete', { jobId: byId(ingestId) })).toEqual({
			message: `Job ${ingestId} is a Bulk API 2.0 ingest job, not a Bulk API 2.0 query job`,
			description: 'Use Delete of the Salesforce Bulk V2 node, resource Ingest Job.',
		});
		expect(await failure(v2, 'ingestJob', 'getSuccessfulResults', { jobId: byId(queryId), outputAs: 'items' })).toEqual({
			message: `Job ${queryId} is a Bulk API 2.0 query job, not a Bulk API 2.0 ingest job`,
			description: 'Use Get Results of the Salesforce Bulk V2 node, resource Query Job.',
		});
		expect((await failure(v2, 'queryJob', 'getResults', { jobId: byId(ingestId), pages: 'all', outputAs: 'items' })).description).toBe(
			'Use Get Successful Results, Get Failed Results or Get Unprocessed Records of the Salesforce Bulk V2 node, resource Ingest Job.',
		);
	});

	it('Classic Get and Update name the V2 operation for a V2 job', async () => {
		expect(await failure(classic, 'job', 'get', { jobId: byId(queryId) })).toEqual({
			message: `Job ${queryId} is a Bulk API 2.0 query job, not a Bulk API 1.0 (Classic) job`,
			description: 'Use Get of the Salesforce Bulk V2 node, resource Query Job.',
		});
		expect((await failure(classic, 'job', 'update', { jobId: byId(ingestId), state: 'Closed' })).description).toBe('Use Close of the Salesforce Bulk V2 node, resource Ingest Job.');
		expect((await failure(classic, 'job', 'update', { jobId: byId(ingestId), state: 'Aborted' })).description).toBe('Use Abort of the Salesforce Bulk V2 node, resource Ingest Job.');
	});

	it('Upload Data, Batch → Add and the Classic result operations name the operation that takes the job', async () => {
		expect(await failure(v2, 'ingestJob', 'uploadData', { jobId: byId(classicId), inputDataType: 'csv', csvData: 'Name\nX\n' })).toEqual({
			message: `Job ${classicId} is a Bulk API 1.0 (Classic) job, not a Bulk API 2.0 ingest job`,
			description: 'Use Batch → Add of the Salesforce Bulk Classic node.',
		});
		expect((await failure(v2, 'ingestJob', 'uploadData', { jobId: byId(queryId), inputDataType: 'items' })).description).toBe(
			'Use Get Results of the Salesforce Bulk V2 node, resource Query Job (a query job takes its SOQL when it is created, no data).',
		);
		expect((await failure(classic, 'batch', 'add', { jobId: byId(ingestId), inputDataType: 'text', data: 'Name\nX\n' })).description).toBe('Use Upload Data of the Salesforce Bulk V2 node, resource Ingest Job.');
		expect((await failure(classic, 'queryResult', 'getAllResults', { jobId: byId(queryId), outputAs: 'items' })).description).toBe('Use Get Results of the Salesforce Bulk V2 node, resource Query Job.');
	});

	it('a deleted job says it is gone, on Get as on Wait for Job', async () => {
		const [gone] = await run(v2, 'queryJob', 'create', { query: 'SELECT Id FROM Account' });
		const goneId = String(gone.id);
		await run(v2, 'queryJob', 'waitForJob', { jobId: byId(goneId) });
		await run(v2, 'queryJob', 'delete', { jobId: byId(goneId) });
		expect((await failure(v2, 'queryJob', 'get', { jobId: byId(goneId) })).message).toBe(`Job ${goneId} does not exist (any more): it was deleted, or it finished more than 7 days ago`);
	});
});
