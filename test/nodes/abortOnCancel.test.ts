// The one abort-on-cancel rule (shared/api/abortAfterFailure.ts: abortsJobs): cancelling the execution while an
// operation waits for the jobs it created aborts them, whatever the options — V2 Load Records and Run Query,
// Classic Load Records — and Wait for Job, whose job is not its own, leaves the job running. Jobs are held
// InProgress by the emulator (holdJobs) so that the cancel comes while the node waits.
import type { IDataObject, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { waitDefaults } from '../../nodes/shared/transport/wait';
import { admin, setup, until, type Setup } from './setup';

let s: Setup;
const v2 = new SalesforceBulk2();
const classic = new SalesforceBulkClassic();
beforeAll(async () => {
	waitDefaults.initialIntervalMs = 20;
	waitDefaults.maxIntervalMs = 100;
	s = await setup();
});
afterAll(async () => await s.close());
beforeEach(async () => await admin(s.emulator, 'config', { holdJobs: true }));
afterEach(async () => await admin(s.emulator, 'config', { holdJobs: false }));

const emulatorJobs = () => s.emulator.jobs as unknown as { get(id: string): IDataObject | undefined; jobs: Map<string, IDataObject> };
const jobState = (id: unknown) => String(emulatorJobs().get(String(id))?.state);
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/**
 * Runs the node, cancels it once it is waiting (a job it created has left Open, so the upload is done and the
 * node polls; a held job stays there), and returns the error it ended with. `cancelWhen` picks another moment.
 */
async function cancelWhileWaiting(node: INodeType, parameters: INodeParameters, items?: INodeExecutionData[], cancelWhen?: () => Promise<void>) {
	const before = new Set(emulatorJobs().jobs.keys());
	const controller = new AbortController();
	const running = s.harness.execute(node, { parameters, items, abortSignal: controller.signal }).then(
		() => undefined,
		(error: unknown) => error as Error & { context: IDataObject; description?: string },
	);
	if (cancelWhen) await cancelWhen();
	else await until('the job leaving Open', () => [...emulatorJobs().jobs.values()].some((j) => !before.has(String(j.id)) && j.state !== 'Open'), 1000);
	await sleep(100);
	controller.abort();
	const error = await running;
	if (!error) throw new Error('expected the cancelled run to fail');
	expect(error.message).toMatch(/The execution was cancelled/);
	return error;
}

describe('cancelling aborts the jobs the operation created', () => {
	it('V2 Load Records, even with Abort Job on Failure off', async () => {
		const error = await cancelWhileWaiting(v2, { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert', options: { abortOnFailure: false } }, [
			{ json: { Name: 'Cancelled Load' } },
		]);
		const [jobId] = error.context.jobIds as string[];
		expect(error.message).toContain(`aborted job ${jobId}`);
		expect(jobState(jobId)).toBe('Aborted');
	});

	it('V2 Load Records cancelled during its upload', async () => {
		// The upload is answered late, and the cancel comes while the node waits for that answer.
		s.emulator.faults.add({ kind: 'delay', ms: 1500, method: 'PUT', path: '/batches', count: 1 });
		const uploading = async () => void (await until('the upload going out', () => s.emulator.lateRequests > 0, 1000));
		const error = await cancelWhileWaiting(v2, { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert', options: { abortOnFailure: false } }, [{ json: { Name: 'Cancelled Upload' } }], uploading);
		const [jobId] = error.context.jobIds as string[];
		expect(error.message).toContain(`aborted job ${jobId}`);
		expect(jobState(jobId)).toBe('Aborted');
	});

	it('V2 Run Query, even with Abort Job on Timeout off', async () => {
		const before = new Set(emulatorJobs().jobs.keys());
		await cancelWhileWaiting(v2, { resource: 'queryJob', operation: 'runQuery', query: 'SELECT Id FROM Account' });
		const created = [...emulatorJobs().jobs.values()].filter((j) => !before.has(String(j.id)));
		expect(created.map((j) => [j.kind, j.state])).toEqual([['query', 'Aborted']]);
	});

	it('Classic Load Records, even with Abort Job on Failure off', async () => {
		const error = await cancelWhileWaiting(classic, { resource: 'job', operation: 'loadRecords', object: 'Account', jobOperation: 'insert', contentType: 'CSV', options: { abortOnFailure: false } }, [
			{ json: { Name: 'Cancelled Classic' } },
		]);
		expect(error.description).toMatch(/^Aborted job 750/m);
		expect(jobState(error.context.jobId)).toBe('Aborted');
	});
});

describe('cancelling never aborts a job the operation did not create', () => {
	it('V2 Wait for Job leaves the job running', async () => {
		const [[job]] = await s.harness.execute(v2, { parameters: { resource: 'ingestJob', operation: 'create', object: 'Account', ingestOperation: 'insert' } });
		const jobId = String(job.json.id);
		await s.harness.execute(v2, { parameters: { resource: 'ingestJob', operation: 'uploadData', jobId: byId(jobId), inputDataType: 'csv', csvData: 'Name\nHeld\n' } });
		await s.harness.execute(v2, { parameters: { resource: 'ingestJob', operation: 'close', jobId: byId(jobId) } });
		// The job is held in progress, so half a second in the node is polling it.
		await cancelWhileWaiting(v2, { resource: 'ingestJob', operation: 'waitForJob', jobId: byId(jobId) }, undefined, async () => await sleep(500));
		expect(jobState(jobId)).not.toBe('Aborted');
	});
});
