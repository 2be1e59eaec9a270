// Load Records with Resume Jobs (V2): an earlier run created and uploaded the jobs, then n8n died while it waited.
// The resume run gets the same items, loads nothing, and pairs every row's outcome from those jobs' results.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { batchBodies, prepareRecord } from '../../nodes/shared/bulk1/batchBodies';
import { waitDefaults } from '../../nodes/shared/transport/wait';
import { ClientProbe, setProbe, type Probe } from './probe';
import { setup, type Setup } from './setup';

let s: Setup;
const node = new SalesforceBulk2();
const classic = new SalesforceBulkClassic();
const probe = new ClientProbe();
beforeAll(async () => {
	waitDefaults.initialIntervalMs = 20;
	waitDefaults.maxIntervalMs = 100;
	s = await setup({ shuffleResults: true });
});
afterAll(async () => await s.close());
afterEach(() => {
	s.emulator.faults.clear();
	Object.assign(s.emulator.options, { holdJobs: false });
});

const items = (records: IDataObject[]): INodeExecutionData[] => records.map((json) => ({ json }));
const paired = (out: INodeExecutionData[]) => out.map((i) => (i.pairedItem as { item: number }).item);
const rowsOf = (object: string) => [...s.emulator.org.table(object).values()];
const requests = () => ({ ...s.emulator.stats.byRoute });
/** Requests made since `before`, by route. */
const madeSince = (before: Record<string, number>) =>
	Object.fromEntries(Object.entries(s.emulator.stats.byRoute).filter(([route, n]) => n !== (before[route] ?? 0)).map(([route, n]) => [route, n - (before[route] ?? 0)]));

async function client<T extends IDataObject>(fn: Probe): Promise<T> {
	setProbe(fn);
	const [[item]] = await s.harness.execute(probe);
	return item.json as T;
}

/** The "crashed" first run: each CSV as one job, created, uploaded and closed with the client, never waited for. */
async function crashedRun(object: string, csvs: string[], operation: 'insert' | 'upsert' = 'insert', externalIdFieldName?: string): Promise<string[]> {
	const out = await client<{ ids: string[] }>(async ({ bulk2 }) => {
		const ids: string[] = [];
		for (const csv of csvs) {
			const job = await bulk2.createIngestJob({ object, operation, externalIdFieldName });
			await bulk2.uploadJobData(job.id, async () => csv);
			await bulk2.closeJob(job.id);
			ids.push(job.id);
		}
		return { ids };
	});
	return out.ids;
}

async function waitUntilDone(ids: string[]) {
	await client(async ({ bulk2 }) => {
		for (const id of ids) await bulk2.waitForJob('ingest', id, { timeoutMs: 10000 });
		return {};
	});
}

async function resume(parameters: IDataObject, input: INodeExecutionData[], continueOnFail = false) {
	return await s.harness.execute(node, {
		parameters: { resource: 'ingestJob', operation: 'loadRecords', object: 'Lead', ingestOperation: 'insert', ...parameters },
		items: input,
		continueOnFail,
	});
}

async function failure(run: Promise<unknown>): Promise<{ message: string; description?: string; context?: IDataObject }> {
	try {
		await run;
	} catch (error) {
		return error as { message: string; description?: string };
	}
	throw new Error('expected the node to fail');
}

// Ten leads, two identical (matched in turn), two without the required Company (they fail).
const leads = Array.from({ length: 10 }, (_, k) => ({ LastName: k === 7 ? 'RS Twin' : k === 8 ? 'RS Twin' : `RS Lead ${k}`, Company: k === 3 || k === 5 ? '' : 'Resume Inc' }));
const csvOf = (rows: IDataObject[]) => `LastName,Company\n${rows.map((r) => `${String(r.LastName)},${String(r.Company)}`).join('\n')}\n`;

describe('Load Records → Resume Jobs (V2)', () => {
	it('pairs every row to its item from the jobs of a crashed run, loading nothing again', async () => {
		// The first run uploaded rows 0-4 and 5-8 in two jobs; it died before uploading row 9.
		const ids = await crashedRun('Lead', [csvOf(leads.slice(0, 5)), csvOf(leads.slice(5, 9))]);
		await waitUntilDone(ids);
		const leadsBefore = rowsOf('Lead').length;
		const before = requests();
		const [out] = await resume({ options: { resumeJobs: ` ${ids[1]}, ${ids[0]} ` } }, items(leads));
		expect(madeSince(before)).toEqual({
			'GET /services/data/v63.0/jobs/ingest/:id': 4, // each job checked, then its wait's one poll
			'GET /services/data/v63.0/jobs/ingest/:id/successfulResults': 2,
			'GET /services/data/v63.0/jobs/ingest/:id/failedResults': 2,
			'GET /services/data/v63.0/sobjects/Lead/describe': 1, // 1.2 types the output records by the schema
			'GET /services/data/v63.0/jobs/ingest/:id/unprocessedrecords': 2,
		});
		expect(rowsOf('Lead').length).toBe(leadsBefore); // nothing loaded again
		expect(paired(out)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
		const rows = out.map((i) => i.json);
		expect(rows.map((r) => r.status)).toEqual(['created', 'created', 'created', 'failed', 'created', 'failed', 'created', 'created', 'created', 'unprocessed']);
		expect(rows.map((r) => r.jobId)).toEqual([...Array(5).fill(ids[0]), ...Array(4).fill(ids[1]), null]);
		expect(rows.map((r) => (r.record as IDataObject).LastName)).toEqual(leads.map((l) => l.LastName));
		expect(rows[3]).toMatchObject({ success: false, errorCode: 'REQUIRED_FIELD_MISSING', id: null });
		expect(rows[9]).toEqual({
			status: 'unprocessed',
			success: false,
			id: null,
			error: 'This row is in no result of the resumed jobs: the earlier run stopped before uploading it, so it was not loaded. Load it again (without Resume Jobs).',
			errorCode: null,
			jobId: null,
			record: { LastName: 'RS Lead 9', Company: 'Resume Inc' },
		});
		// Each created row is the org's record of that item, and each record of the crashed run is output once.
		const created = rows.filter((r) => r.status === 'created');
		expect(new Set(created.map((r) => r.id)).size).toBe(7);
		for (const r of created) expect(s.emulator.org.find(String(r.id))?.record).toMatchObject({ LastName: (r.record as IDataObject).LastName, Company: 'Resume Inc' });
		expect(rowsOf('Lead').filter((l) => String(l.LastName).startsWith('RS ')).length).toBe(7);
		expect(s.harness.lastHints.map((h) => h.message)).toEqual([
			`Resumed job ${ids[1]}, ${ids[0]}: 1 rows are in no job's results: ${String(rows[9].error)}`,
			'2 of 10 rows failed; see "error" in their items',
		]);
	});

	it('waits for jobs still in progress, and sends rows to Separate Outputs as a load does', async () => {
		Object.assign(s.emulator.options, { holdJobs: true });
		const input = leads.map((l) => ({ ...l, LastName: `${String(l.LastName)} SO` }));
		const ids = await crashedRun('Lead', [csvOf(input.slice(0, 9))]);
		void sleep(300).then(() => s.emulator.jobs.finish(ids[0])); // Salesforce finishes while the resume waits
		const [successful, failed, unprocessed] = await resume({ options: { resumeJobs: ids[0], separateOutputs: true } }, items(input));
		expect(paired(successful)).toEqual([0, 1, 2, 4, 6, 7, 8]);
		expect(paired(failed)).toEqual([3, 5]);
		expect(paired(unprocessed)).toEqual([9]);
	});

	it('resumes a CSV text load and a multi-job load that timed out while waiting (the node made the jobs)', async () => {
		const csv = csvOf(leads.map((l) => ({ ...l, LastName: `${String(l.LastName)} CSV` })));
		Object.assign(s.emulator.options, { holdJobs: true });
		const first = await failure(resume({ inputDataType: 'csv', csvData: csv, options: { maxRowsPerJob: 4, timeout: 1 } }, [{ json: {} }]));
		const ids = first.context?.jobIds as string[];
		expect(ids).toHaveLength(3);
		expect(first.message).toMatch(/Salesforce keeps processing it/);
		for (const id of ids) expect(s.emulator.jobs.finish(id)).toBe(true);
		Object.assign(s.emulator.options, { holdJobs: false });
		const leadsBefore = rowsOf('Lead').length;
		const [out] = await resume({ inputDataType: 'csv', csvData: csv, options: { resumeJobs: ids.join(',') } }, [{ json: {} }]);
		expect(rowsOf('Lead').length).toBe(leadsBefore);
		expect(paired(out)).toEqual(Array(10).fill(0));
		expect(out.map((i) => i.json.status)).toEqual(['created', 'created', 'created', 'failed', 'created', 'failed', 'created', 'created', 'created', 'created']);
		expect(out.map((i) => i.json.jobId)).toEqual([ids[0], ids[0], ids[0], ids[0], ids[1], ids[1], ids[1], ids[1], ids[2], ids[2]]);
		expect(out[9].json.record).toEqual({ LastName: 'RS Lead 9 CSV', Company: 'Resume Inc' });
	});

	it('gives the rows of an aborted job as unprocessed, with the job named', async () => {
		Object.assign(s.emulator.options, { holdJobs: true });
		const input = leads.slice(0, 3).map((l) => ({ ...l, LastName: `${String(l.LastName)} AB` }));
		const [id] = await crashedRun('Lead', [csvOf(input)]);
		await client(async ({ bulk2 }) => ({ job: await bulk2.abortJob('ingest', id) }));
		const [out] = await resume({ options: { resumeJobs: id } }, items(input));
		expect(paired(out)).toEqual([0, 1, 2]);
		for (const row of out) {
			expect(row.json).toMatchObject({ status: 'unprocessed', success: false });
			expect(String(row.json.error)).toContain(`its job (${id} ended Aborted) never processed it`);
		}
	});

	it('checks the job IDs: kind, existence, object and operation, state, form', async () => {
		const [contactJob] = await crashedRun('Contact', ['LastName\nRS Contact\n']);
		const openJob = await client<{ id: string }>(async ({ bulk2 }) => await bulk2.createIngestJob({ object: 'Lead', operation: 'insert' }));
		const queryJob = await client<{ id: string }>(async ({ bulk2 }) => await bulk2.createQueryJob({ query: 'SELECT Id FROM Lead' }));
		const classicJob = await client<{ id: string }>(async ({ bulk1 }) => await bulk1.createJob({ object: 'Lead', operation: 'insert', contentType: 'CSV' }));
		const input = items([{ LastName: 'RS Check', Company: 'X' }]);
		const before = requests();
		const errorFor = async (resumeJobs: string) => await failure(resume({ options: { resumeJobs } }, input));
		expect(await errorFor(queryJob.id)).toMatchObject({ message: `Job ${queryJob.id} is a Bulk API 2.0 query job, not a Bulk API 2.0 ingest job` });
		expect(await errorFor(classicJob.id)).toMatchObject({ message: `Job ${classicJob.id} is a Bulk API 1.0 (Classic) job, not a Bulk API 2.0 ingest job` });
		expect((await errorFor('750000000000000AAA')).message).toMatch(/^Job 750000000000000AAA does not exist \(any more\)/);
		const other = await errorFor(contactJob);
		expect(other.message).toBe(`Job ${contactJob} is a insert of Contact, not a insert of Lead as this node loads`);
		expect(other.description).toMatch(/^Resume Jobs takes the job IDs an earlier run of this same Load Records created/);
		expect((await errorFor(openJob.id)).message).toBe(`Job ${openJob.id} is still Open: the earlier run stopped while uploading, before it closed its jobs`);
		expect(await errorFor('001000000000000AAA, x')).toMatchObject({ message: 'Resume Jobs: "001000000000000AAA" is not a job ID' });
		expect(Object.keys(madeSince(before)).filter((route) => /^(POST|PUT|PATCH|DELETE) \/services\/(data|async)/.test(route))).toEqual([]);
		// Continue On Fail: the error becomes the output of the load's items.
		const [out] = await resume({ options: { resumeJobs: contactJob } }, items([{ LastName: 'a' }, { LastName: 'b' }]), true);
		expect(paired(out)).toEqual([0, 1]);
		expect(out[0].json.error).toBe(`Job ${contactJob} is a insert of Contact, not a insert of Lead as this node loads`);
	});

	it('times out like a load, leaving the jobs running and naming them', async () => {
		Object.assign(s.emulator.options, { holdJobs: true });
		const input = [{ LastName: 'RS Slow', Company: 'Slow Inc' }];
		const [id] = await crashedRun('Lead', [csvOf(input)]);
		const error = await failure(resume({ options: { resumeJobs: id, timeout: 1 } }, items(input)));
		expect(error.message).toMatch(/nothing was loaded again and the jobs are left as they are: resume again later/);
		expect(error.context?.jobIds).toEqual([id]);
		expect(s.emulator.jobs.get(id)).toMatchObject({ state: 'InProgress' });
		expect(s.emulator.jobs.finish(id)).toBe(true);
	});
});

describe('Load Records → Resume Jobs (Classic)', () => {
	async function resumeClassic(parameters: IDataObject, input: INodeExecutionData[], continueOnFail = false) {
		return await s.harness.execute(classic, {
			parameters: { resource: 'job', operation: 'loadRecords', object: 'Lead', jobOperation: 'insert', contentType: 'CSV', ...parameters },
			items: input,
			continueOnFail,
		});
	}

	it('finds each batch of a crashed run by its request, pairs every record, and loads nothing again', async () => {
		// 10,004 records make two batches (10,000 + 4); the crashed run added the first and died before the second.
		const input = Array.from({ length: 10004 }, (_, k) => ({ LastName: `RSC ${k}`, Company: k % 1000 === 7 ? '' : 'Classic Resume Inc' }));
		const [firstBatch] = [...batchBodies('CSV', input.map((record, k) => prepareRecord('CSV', record, k)))];
		expect(firstBatch.count).toBe(10000);
		const { id } = await client<{ id: string }>(async ({ bulk1 }) => {
			const job = await bulk1.createJob({ object: 'Lead', operation: 'insert', contentType: 'CSV' });
			await bulk1.addBatch(job.id, 'CSV', firstBatch.body);
			return { id: job.id };
		});
		const before = requests();
		const [successful, failed, unprocessed] = await resumeClassic({ options: { resumeJobs: id, separateOutputs: true } }, items(input));
		const made = madeSince(before);
		expect(Object.keys(made).filter((route) => !route.startsWith('GET ') && route !== 'POST /services/oauth2/token')).toEqual([]);
		expect(made).toMatchObject({ 'GET /services/async/63.0/job/:id/batch/:id/request': 1, 'GET /services/async/63.0/job/:id/batch/:id/result': 1 });
		// The org holds each record of the crashed run's batch once: the resume added none.
		expect(rowsOf('Lead').filter((l) => /^RSC \d+$/.test(String(l.LastName))).length).toBe(9990);
		expect(successful.length + failed.length + unprocessed.length).toBe(10004);
		expect(paired(failed)).toEqual(Array.from({ length: 10 }, (_, k) => k * 1000 + 7));
		expect(paired(unprocessed)).toEqual([10000, 10001, 10002, 10003]);
		expect(unprocessed[0].json).toMatchObject({ status: 'unprocessed', jobId: null, batchId: null, record: { LastName: 'RSC 10000' } });
		expect(String(unprocessed[0].json.error)).toMatch(/^This record is in no batch of the resumed jobs: the earlier run stopped before adding its batch/);
		for (const item of [successful[0], successful[4321], successful[9989]]) {
			const k = (item.pairedItem as { item: number }).item;
			expect(item.json).toMatchObject({ status: 'created', jobId: id, record: { LastName: `RSC ${k}` } });
			expect(s.emulator.org.find(String(item.json.id))?.record).toMatchObject({ LastName: `RSC ${k}` });
		}
		expect(new Set(successful.map((i) => i.json.id)).size).toBe(9990);
	});

	it('resumes a load the node started (XML) whose wait timed out, and checks the job IDs', async () => {
		Object.assign(s.emulator.options, { holdJobs: true });
		const input = items([{ LastName: 'RSC XML 1', Company: 'X' }, { LastName: 'RSC XML 2' }, { LastName: 'RSC XML 3', Company: 'X' }]);
		const parameters = { contentType: 'XML', options: { timeout: 1, abortOnFailure: false } };
		const first = await failure(resumeClassic(parameters, input));
		const jobId = String(first.context?.jobId);
		expect(jobId).toMatch(/^750/);
		expect(s.emulator.jobs.finish(jobId)).toBe(true);
		const [out] = await resumeClassic({ contentType: 'XML', options: { resumeJobs: jobId } }, input);
		expect(paired(out)).toEqual([0, 1, 2]);
		expect(out.map((i) => [i.json.status, i.json.jobId])).toEqual([['created', jobId], ['failed', jobId], ['created', jobId]]);
		expect(rowsOf('Lead').filter((l) => String(l.LastName).startsWith('RSC XML')).length).toBe(2);
		// Wrong kind, other format.
		const [v2Job] = await crashedRun('Lead', ['LastName,Company\nRSC V2,X\n']);
		expect((await failure(resumeClassic({ options: { resumeJobs: v2Job } }, input))).message).toBe(`Job ${v2Job} is a Bulk API 2.0 ingest job, not a Bulk API 1.0 (Classic) job`);
		expect((await failure(resumeClassic({ options: { resumeJobs: jobId } }, input))).message).toBe(`Job ${jobId} is a insert of Lead in XML, not a insert of Lead in CSV as this node loads`);
	});
});
