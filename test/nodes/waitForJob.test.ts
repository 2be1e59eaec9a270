// Wait for Job (V2 ingest and query jobs, Classic jobs), Close → Wait for Completion and Update → Closed →
// Wait for Completion, against the emulator over HTTP: final info, timeout, failed jobs, the Completed / Failed
// outputs, and the errors for a job of another kind or one that no longer exists.
import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { waitDefaults } from '../../nodes/shared/transport/wait';
import { setup, type Setup } from './setup';

let s: Setup;
const v2 = new SalesforceBulk2();
const classic = new SalesforceBulkClassic();
beforeAll(async () => {
	s = await setup();
	waitDefaults.initialIntervalMs = 20;
	waitDefaults.maxIntervalMs = 100;
});
afterAll(async () => await s.close());

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const json = (items: INodeExecutionData[]) => items.map((i) => i.json);

async function outputs(node: INodeType, resource: string, operation: string, parameters: IDataObject, items?: INodeExecutionData[], continueOnFail = false) {
	return await s.harness.execute(node, { parameters: { resource, operation, ...parameters }, items, continueOnFail });
}
async function run(node: INodeType, resource: string, operation: string, parameters: IDataObject, items?: INodeExecutionData[]) {
	return json((await outputs(node, resource, operation, parameters, items))[0]);
}
async function failure(node: INodeType, resource: string, operation: string, parameters: IDataObject) {
	try {
		await run(node, resource, operation, parameters);
	} catch (error) {
		return error as Error & { description?: string; context: IDataObject };
	}
	throw new Error('expected the node to fail');
}

/** An open V2 ingest job with two rows uploaded (one Salesforce rejects: no Name). */
async function uploadedIngestJob(): Promise<string> {
	const [job] = await run(v2, 'ingestJob', 'create', { object: 'Account', ingestOperation: 'insert' });
	await run(v2, 'ingestJob', 'uploadData', { jobId: byId(String(job.id)), inputDataType: 'csv', csvData: 'Name,Phone\nWaited One,555-0100\n,555-0101\n' });
	return String(job.id);
}

/** An open Classic CSV job with one batch of one good and one bad row. */
async function classicJobWithBatch(): Promise<string> {
	const [job] = await run(classic, 'job', 'create', { object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
	await run(classic, 'batch', 'add', { jobId: byId(String(job.id)), inputDataType: 'items' }, [{ json: { Name: 'Classic Waited' } }, { json: { Name: '' } }]);
	return String(job.id);
}

describe('V2 Wait for Job', () => {
	it('waits for an ingest job closed elsewhere and outputs its final info, paired to the item', async () => {
		const jobId = await uploadedIngestJob();
		await run(v2, 'ingestJob', 'close', { jobId: byId(jobId) });
		const [out] = await outputs(v2, 'ingestJob', 'waitForJob', { jobId: byId(jobId) });
		expect(out).toEqual([{ json: expect.objectContaining({ id: jobId, state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 1, timedOut: false }), pairedItem: { item: 0 } }]);
	});

	it('waits for a query job', async () => {
		const [job] = await run(v2, 'queryJob', 'create', { query: 'SELECT Id FROM Account' });
		expect(await run(v2, 'queryJob', 'waitForJob', { jobId: byId(String(job.id)) })).toEqual([expect.objectContaining({ id: job.id, state: 'JobComplete', timedOut: false })]);
	});

	it('on timeout fails naming the job and its state, or outputs the job with timedOut: true', async () => {
		const [open] = await run(v2, 'ingestJob', 'create', { object: 'Account', ingestOperation: 'insert' });
		const error = await failure(v2, 'ingestJob', 'waitForJob', { jobId: byId(String(open.id)), options: { timeout: 1 } });
		expect(error.message).toMatch(new RegExp(`Timed out after 1 s waiting for ingest job ${String(open.id)}; its state is Open`));
		const [timedOut] = await run(v2, 'ingestJob', 'waitForJob', { jobId: byId(String(open.id)), options: { timeout: 1, onTimeout: 'output' } });
		expect(timedOut).toMatchObject({ id: open.id, state: 'Open', timedOut: true });
	});

	it('a job Salesforce fails part-way: its message and the counts so far, output or (Fail on Failed Job) in the error', async () => {
		s.emulator.faults.failJobs({ message: 'InvalidBatch : Simulated part-way failure', afterRows: 1, object: 'Account' });
		const jobId = await uploadedIngestJob();
		await run(v2, 'ingestJob', 'close', { jobId: byId(jobId) });
		const [out] = await run(v2, 'ingestJob', 'waitForJob', { jobId: byId(jobId) });
		expect(out).toMatchObject({ id: jobId, state: 'Failed', errorMessage: 'InvalidBatch : Simulated part-way failure', numberRecordsProcessed: 1, numberRecordsFailed: 0 });
		const error = await failure(v2, 'ingestJob', 'waitForJob', { jobId: byId(jobId), options: { failOnFailedJob: true } });
		expect(error.message).toBe(`Job ${jobId} ended Failed: InvalidBatch : Simulated part-way failure`);
		expect(error.description).toMatch(/^Salesforce had processed 1 records \(0 failed\)\. Get its failed results and unprocessed records/);
		// …and the unprocessed row is there to fetch.
		expect(await run(v2, 'ingestJob', 'getUnprocessedRecords', { jobId: byId(jobId) })).toEqual([expect.objectContaining({ Phone: '555-0101' })]);
	});

	it('outputs an aborted job, or fails on it with Fail on Failed Job', async () => {
		const [job] = await run(v2, 'ingestJob', 'create', { object: 'Account', ingestOperation: 'insert' });
		await run(v2, 'ingestJob', 'abort', { jobId: byId(String(job.id)) });
		expect(await run(v2, 'ingestJob', 'waitForJob', { jobId: byId(String(job.id)) })).toEqual([expect.objectContaining({ state: 'Aborted', timedOut: false })]);
		const error = await failure(v2, 'ingestJob', 'waitForJob', { jobId: byId(String(job.id)), options: { failOnFailedJob: true } });
		expect(error.message).toBe(`Job ${String(job.id)} ended Aborted`);
		expect(error.context.itemIndex).toBe(0);
	});

	it('Separate Outputs: completed jobs on Completed, aborted jobs and Continue On Fail errors on Failed, each paired to its item', async () => {
		const done = await uploadedIngestJob();
		await run(v2, 'ingestJob', 'close', { jobId: byId(done) });
		const [aborted] = await run(v2, 'ingestJob', 'create', { object: 'Account', ingestOperation: 'insert' });
		await run(v2, 'ingestJob', 'abort', { jobId: byId(String(aborted.id)) });
		const items = [{ json: { id: String(aborted.id) } }, { json: { id: done } }, { json: { id: '750000000000000AAA' } }];
		const result = await outputs(v2, 'ingestJob', 'waitForJob', { jobId: byId('={{ $json.id }}'), options: { separateOutputs: true } }, items, true);
		expect(result).toHaveLength(2);
		const [completed, failed] = result;
		expect(completed.map((i) => [i.json.id, i.pairedItem])).toEqual([[done, { item: 1 }]]);
		expect(failed.map((i) => [i.json.id ?? i.json.error, i.pairedItem])).toEqual([
			[aborted.id, { item: 0 }],
			[expect.stringContaining('does not exist'), { item: 2 }],
		]);
		expect(v2.description.outputs).toEqual(expect.stringContaining('"Completed"'));
	});

	it('a query job given to Ingest Job, or a Classic job to V2, says which kind it is and where to use it', async () => {
		const [query] = await run(v2, 'queryJob', 'create', { query: 'SELECT Id FROM Account' });
		const wrongKind = await failure(v2, 'ingestJob', 'waitForJob', { jobId: byId(String(query.id)) });
		expect(wrongKind.message).toBe(`Job ${String(query.id)} is a Bulk API 2.0 query job, not a Bulk API 2.0 ingest job`);
		expect(wrongKind.description).toBe('Use Wait for Job of the Salesforce Bulk V2 node, resource Query Job.');
		const classicId = await classicJobWithBatch();
		const classicError = await failure(v2, 'queryJob', 'waitForJob', { jobId: byId(classicId) });
		expect(classicError.message).toBe(`Job ${classicId} is a Bulk API 1.0 (Classic) job, not a Bulk API 2.0 query job`);
		expect(classicError.description).toBe('Use Wait for Job of the Salesforce Bulk Classic node, resource Job.');
	});

	it('a deleted job: says it no longer exists and that jobs are kept 7 days', async () => {
		const jobId = await uploadedIngestJob();
		await run(v2, 'ingestJob', 'close', { jobId: byId(jobId) });
		await run(v2, 'ingestJob', 'waitForJob', { jobId: byId(jobId) });
		await run(v2, 'ingestJob', 'delete', { jobId: byId(jobId) });
		const error = await failure(v2, 'ingestJob', 'waitForJob', { jobId: byId(jobId) });
		expect(error.message).toBe(`Job ${jobId} does not exist (any more): it was deleted, or it finished more than 7 days ago`);
		expect(error.description).toMatch(/keeps bulk jobs for 7 days/);
	});
});

describe('V2 Close → Wait for Completion', () => {
	it('closes and outputs the finished job; without the option, the closed job as before', async () => {
		const jobId = await uploadedIngestJob();
		expect(await run(v2, 'ingestJob', 'close', { jobId: byId(jobId), options: { waitForCompletion: true } })).toEqual([
			expect.objectContaining({ id: jobId, state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 1, timedOut: false }),
		]);
		const other = await uploadedIngestJob();
		const [closed] = await run(v2, 'ingestJob', 'close', { jobId: byId(other) });
		expect(closed).toMatchObject({ id: other, state: 'UploadComplete' });
		expect(closed).not.toHaveProperty('timedOut');
	});
});

describe('Classic Wait for Job', () => {
	it('waits until every batch has finished and outputs the job; a failed row is not a failed job', async () => {
		const jobId = await classicJobWithBatch();
		const [out] = await outputs(classic, 'job', 'waitForJob', { jobId: byId(jobId), options: { separateOutputs: true } });
		expect(out).toEqual([{ json: expect.objectContaining({ id: jobId, state: 'Open', numberBatchesTotal: 1, numberBatchesCompleted: 1, numberRecordsFailed: 1, timedOut: false }), pairedItem: { item: 0 } }]);
	});

	it('an aborted job without batches is finished; Fail on Failed Job fails on it', async () => {
		const [job] = await run(classic, 'job', 'create', { object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
		await run(classic, 'job', 'update', { jobId: byId(String(job.id)), state: 'Aborted' });
		const [, failed] = await outputs(classic, 'job', 'waitForJob', { jobId: byId(String(job.id)), options: { separateOutputs: true } });
		expect(json(failed)).toEqual([expect.objectContaining({ id: job.id, state: 'Aborted' })]);
		const error = await failure(classic, 'job', 'waitForJob', { jobId: byId(String(job.id)), options: { failOnFailedJob: true } });
		expect(error.message).toBe(`Job ${String(job.id)} ended Aborted with 0 failed batch(es)`);
	});

	it('an open job without batches times out; a V2 job says it is one', async () => {
		const [job] = await run(classic, 'job', 'create', { object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
		expect(await run(classic, 'job', 'waitForJob', { jobId: byId(String(job.id)), options: { timeout: 1, onTimeout: 'output' } })).toEqual([expect.objectContaining({ state: 'Open', timedOut: true })]);
		const [v2Job] = await run(v2, 'ingestJob', 'create', { object: 'Account', ingestOperation: 'insert' });
		const error = await failure(classic, 'job', 'waitForJob', { jobId: byId(String(v2Job.id)) });
		expect(error.message).toBe(`Job ${String(v2Job.id)} is a Bulk API 2.0 ingest job, not a Bulk API 1.0 (Classic) job`);
	});

	it('Update → Closed → Wait for Completion closes and outputs the finished job', async () => {
		const jobId = await classicJobWithBatch();
		expect(await run(classic, 'job', 'update', { jobId: byId(jobId), state: 'Closed', options: { waitForCompletion: true } })).toEqual([
			expect.objectContaining({ id: jobId, state: 'Closed', numberBatchesCompleted: 1, numberRecordsProcessed: 2, timedOut: false }),
		]);
	});
});
