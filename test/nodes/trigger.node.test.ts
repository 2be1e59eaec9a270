import { parse } from 'csv-parse/sync';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkTrigger } from '../../nodes/SalesforceBulkTrigger/SalesforceBulkTrigger.node';
import { accessToken, CREDENTIAL, emulatorCredential, setup, type Emulator, type Setup } from './setup';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulator } = require('../emulator') as { startEmulator(options?: IDataObject): Promise<Emulator> };

/** The emulator's job store, for what no API offers: another creator, an old timestamp. */
type EmulatorJob = IDataObject & { id: string; state: string; batches?: IDataObject[] };
const jobStore = (e: Emulator) => e.jobs as unknown as { get(id: string): EmulatorJob | undefined; finish(id: string): boolean };

const DAY = 24 * 60 * 60 * 1000;
const ACCOUNTS = 'Name,Phone\nTrigger One,555-0100\nTrigger Two,555-0101\n';

let s: Setup;
let em: Emulator;
const trigger = new SalesforceBulkTrigger();
const v2 = new SalesforceBulk2();

beforeAll(async () => {
	s = await setup();
	await s.emulator.close();
});
afterAll(async () => await s.harness.close());

/** Every test gets its own org, so the jobs one test makes never reach another's trigger. */
async function freshOrg(options: IDataObject = {}) {
	em = await startEmulator({ jobDelayMs: 30, seed: { Account: 5 }, ...options });
	s.harness.setCredential(CREDENTIAL, emulatorCredential(em));
}
afterEach(async () => await em?.close());

const byId = (value: string) => ({ __rl: true, mode: 'id', value });

async function run(parameters: INodeParameters): Promise<IDataObject[]> {
	const [out] = await s.harness.execute(v2, { parameters });
	return out.map((i) => i.json);
}

/** A Bulk 2.0 ingest job through the V2 node: create, upload, close (unless told not to). */
async function ingestJob(object = 'Account', csv = ACCOUNTS, operation = 'insert', close = true): Promise<string> {
	const [job] = await run({ resource: 'ingestJob', operation: 'create', object, ingestOperation: operation });
	const id = String(job.id);
	await run({ resource: 'ingestJob', operation: 'uploadData', jobId: byId(id), inputDataType: 'csv', csvData: csv });
	if (close) await run({ resource: 'ingestJob', operation: 'close', jobId: byId(id) });
	return id;
}

async function queryJob(query = 'SELECT Id, Name FROM Account'): Promise<string> {
	const [job] = await run({ resource: 'queryJob', operation: 'create', query });
	return String(job.id);
}

async function abortedJob(object = 'Account'): Promise<string> {
	const id = await ingestJob(object, ACCOUNTS, 'insert', false);
	await run({ resource: 'ingestJob', operation: 'abort', jobId: byId(id) });
	return id;
}

/** Waits until the emulator has finished the job (every batch of a Classic job). */
async function settled(id: string): Promise<void> {
	for (let i = 0; i < 500; i++) {
		const job = jobStore(em).get(id);
		const busy = job?.batches?.some((b) => b.state === 'Queued' || b.state === 'InProgress');
		if (job && !busy && ['JobComplete', 'Failed', 'Aborted', 'Closed'].includes(job.state)) return;
		await sleep(5);
	}
	throw new Error(`job ${id} did not settle`);
}

/** With holdJobs: lets a held job finish now (once it is held), a few ms after the previous one. */
async function finish(id: string): Promise<void> {
	for (let i = 0; i < 500 && !jobStore(em).finish(id); i++) await sleep(5);
	await sleep(3);
}

/** A Bulk 1.0 (Classic) job over HTTP: create, one CSV batch, and close unless told not to. */
async function classicJob(csv = ACCOUNTS, { close = true, operation = 'insert', object = 'Account' } = {}): Promise<string> {
	const token = await accessToken(em);
	const call = async (path: string, body: string, type: string) => {
		const res = await fetch(`${em.url}/services/async/63.0/${path}`, { method: 'POST', headers: { 'X-SFDC-Session': token, 'Content-Type': type }, body });
		return await res.text();
	};
	const xml = (fields: Record<string, string>) =>
		`<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload">${Object.entries(fields).map(([k, v]) => `<${k}>${v}</${k}>`).join('')}</jobInfo>`;
	const id = /<id>(\w+)<\/id>/.exec(await call('job', xml({ operation, object, contentType: 'CSV' }), 'application/xml'))![1];
	await call(`job/${id}/batch`, csv, 'text/csv');
	if (close) await call(`job/${id}`, xml({ state: 'Closed' }), 'application/xml');
	return id;
}

async function classicAbort(id: string) {
	const token = await accessToken(em);
	const body = '<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><state>Aborted</state></jobInfo>';
	await fetch(`${em.url}/services/async/63.0/job/${id}`, { method: 'POST', headers: { 'X-SFDC-Session': token, 'Content-Type': 'application/xml' }, body });
}

interface Polled {
	items: INodeExecutionData[];
	jobs: IDataObject[];
	ids: string[];
	fired: boolean;
	state: IDataObject;
}

/** One poll of the active trigger; pass the state of the previous poll to continue from it. */
async function poll(parameters: INodeParameters = {}, staticData?: IDataObject): Promise<Polled> {
	const { result, staticData: state } = await s.harness.poll(trigger, { parameters, mode: 'trigger', staticData });
	const items = result?.[0] ?? [];
	return { items, jobs: items.map((i) => i.json), ids: items.map((i) => String(i.json.id)), fired: result !== null, state };
}

async function manual(parameters: INodeParameters = {}) {
	const { result, staticData } = await s.harness.poll(trigger, { parameters, mode: 'manual' });
	return { items: result?.[0] ?? [], staticData };
}

const seenIds = (state: IDataObject) => Object.keys(state.seen as IDataObject).sort();

describe('Salesforce Bulk Trigger: exactly once per job', () => {
	it('the first poll fires nothing; jobs finishing between polls fire once each, in finish order, with their job info', async () => {
		await freshOrg({ holdJobs: true });
		const before = await queryJob();
		await finish(before);
		let p = await poll();
		expect(p.fired).toBe(false);
		expect(p.state).toEqual({ seen: { [before]: { state: 'JobComplete', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*\+0000$/) } }, kinds: ['ingest', 'query'] });

		const a = await ingestJob();
		const b = await ingestJob('Contact', 'LastName\nNoName\nOther\n');
		p = await poll({}, p.state);
		expect(p.fired).toBe(false); // both still under way

		await finish(b);
		await finish(a);
		p = await poll({}, p.state);
		expect(p.ids).toEqual([b, a]);
		expect(p.jobs[1]).toMatchObject({
			event: 'completed',
			kind: 'ingest',
			id: a,
			object: 'Account',
			operation: 'insert',
			state: 'JobComplete',
			jobType: 'V2Ingest',
			numberRecordsProcessed: 2,
			numberRecordsFailed: 0,
			createdById: em.org.user.Id,
			totalProcessingTime: expect.any(Number),
			apiActiveProcessingTime: expect.any(Number),
			createdDate: expect.any(String),
			systemModstamp: expect.any(String),
		});
		expect(p.jobs[0]).toMatchObject({ event: 'completed', object: 'Contact', numberRecordsProcessed: 2 });
		expect(p.jobs[1].failedRecords).toBeUndefined();
		expect(seenIds(p.state)).toEqual([before, a, b].sort());

		p = await poll({}, p.state);
		expect(p.fired).toBe(false);
		const q = await queryJob();
		await finish(q);
		p = await poll({}, p.state);
		// 5 seeded accounts and the 2 job `a` inserted.
		expect(p.jobs).toEqual([expect.objectContaining({ event: 'completed', kind: 'query', id: q, numberRecordsProcessed: 7, jobType: 'V2Query' })]);
		expect((await poll({}, p.state)).fired).toBe(false);
	});

	it('a failed and an aborted job fire only when their events are selected; changing the events replays nothing', async () => {
		await freshOrg();
		let p = await poll({ events: ['completed'] });
		em.faults.failJobs({ message: 'InvalidBatch : Field name not found : Nope', object: 'Contact' });
		const failed = await ingestJob('Contact', 'LastName\nX\n');
		const aborted = await abortedJob();
		const completed = await ingestJob();
		await Promise.all([failed, aborted, completed].map(settled));
		p = await poll({ events: ['completed'] }, p.state);
		expect(p.ids).toEqual([completed]);

		// The failed and aborted jobs were accounted for: selecting their events now fires only new ones.
		em.faults.failJobs({ message: 'InvalidBatch : Field name not found : Nope', object: 'Contact' });
		const failed2 = await ingestJob('Contact', 'LastName\nY\n');
		await settled(failed2);
		const aborted2 = await abortedJob();
		const completed2 = await ingestJob();
		await settled(completed2);
		p = await poll({ events: ['failed', 'aborted'] }, p.state);
		expect(p.ids.sort()).toEqual([failed2, aborted2].sort());
		const byEvent = Object.fromEntries(p.jobs.map((j) => [j.event, j]));
		expect(byEvent.failed).toMatchObject({ id: failed2, state: 'Failed', errorMessage: 'InvalidBatch : Field name not found : Nope' });
		expect(byEvent.aborted).toMatchObject({ id: aborted2, state: 'Aborted', kind: 'ingest' });
		expect(seenIds(p.state)).toEqual([failed, aborted, completed, failed2, aborted2, completed2].sort());
		expect((await poll({ events: ['completed', 'failed', 'aborted'] }, p.state)).fired).toBe(false);
	});

	it('more finished jobs than one list page: every one fires, none twice (jobsPageSize 2)', async () => {
		await freshOrg({ jobsPageSize: 2 });
		const old = [await ingestJob(), await ingestJob(), await ingestJob()];
		await Promise.all(old.map(settled));
		let p = await poll({ jobKinds: ['ingest'] });
		expect(p.fired).toBe(false);
		expect(seenIds(p.state)).toEqual([...old].sort());

		const fresh: string[] = [];
		for (let i = 0; i < 5; i++) {
			fresh.push(await ingestJob());
			await settled(fresh[i]);
			await sleep(3);
		}
		const listsBefore = em.stats.byRoute['GET /services/data/v63.0/jobs/ingest'] ?? 0;
		p = await poll({ jobKinds: ['ingest'] }, p.state);
		expect(p.ids).toEqual(fresh);
		// 8 jobs, 2 a page: 4 pages, through nextRecordsUrl.
		expect(em.stats.byRoute['GET /services/data/v63.0/jobs/ingest'] - listsBefore).toBe(4);
		expect((await poll({ jobKinds: ['ingest'] }, p.state)).fired).toBe(false);
	});

	it('a restart with the saved static data fires nothing twice, and fires what finished while it was off', async () => {
		await freshOrg();
		let p = await poll();
		const a = await ingestJob();
		await settled(a);
		p = await poll({}, p.state);
		expect(p.ids).toEqual([a]);

		// What n8n saved in its database, read back after a restart.
		const saved = JSON.parse(JSON.stringify(p.state)) as IDataObject;
		const whileOff = await queryJob();
		await settled(whileOff);
		p = await poll({}, saved);
		expect(p.ids).toEqual([whileOff]);
		p = await poll({}, JSON.parse(JSON.stringify(p.state)) as IDataObject);
		expect(p.fired).toBe(false);
	});

	it('prunes entries older than 7 days (+1 day safety) and never fires a job older than 7 days', async () => {
		await freshOrg();
		const ancient = await ingestJob();
		const recent = await ingestJob();
		await Promise.all([ancient, recent].map(settled));
		// Salesforce still lists a job it finished 8 days ago (it deletes them after about 7).
		jobStore(em).get(ancient)!.systemModstamp = new Date(Date.now() - 8 * DAY).toISOString();
		const at = (days: number) => new Date(Date.now() - days * DAY).toISOString().replace('Z', '+0000');
		const [days8, days7, days6] = [at(8.5), at(7.5), at(6)];
		const state: IDataObject = {
			kinds: ['ingest', 'query'],
			seen: {
				'750000000000001AAA': { state: 'JobComplete', at: days8 },
				'750000000000002AAA': { state: 'Failed', at: days7 },
				[recent]: { state: 'JobComplete', at: days6 },
			},
		};
		const p = await poll({}, state);
		expect(p.fired).toBe(false); // the 8-day-old job is past the horizon: its entry may have been pruned
		expect(p.state.seen).toEqual({
			'750000000000002AAA': { state: 'Failed', at: days7 },
			[recent]: { state: 'JobComplete', at: days6 },
		});
	});

	it('a failed poll changes no state; the next poll fires what it missed. The first poll throws a clear error', async () => {
		await freshOrg();
		em.faults.add({ status: 403, path: '/jobs/query' });
		const initial: IDataObject = {};
		await expect(poll({}, initial)).rejects.toThrow(/used up its limit of API requests per rolling 24 hours/);
		expect(initial).toEqual({});

		const p = await poll({}, initial);
		const job = await ingestJob();
		await settled(job);
		const before = structuredClone(p.state);
		em.faults.add({ status: 403, path: '/jobs/query' });
		await expect(poll({}, p.state)).rejects.toThrow(/REQUEST_LIMIT_EXCEEDED/);
		expect(p.state).toEqual(before);
		expect((await poll({}, p.state)).ids).toEqual([job]);
	});
});

describe('Salesforce Bulk Trigger: filters and options', () => {
	let jobs: Record<string, string>;
	beforeEach(async () => {
		await freshOrg();
		const other = em.org.insertSystem('User', { Username: 'other@example.com', Name: 'Other User' });
		jobs = {
			accountInsert: await ingestJob('Account'),
			contactInsert: await ingestJob('Contact', 'LastName\nFilter\n'),
			accountUpdate: await ingestJob('Account', `Id,Phone\n${[...em.org.table('Account').keys()][0]},555-0199\n`, 'update'),
			accountQuery: await queryJob(),
			othersInsert: await ingestJob('Account'),
		};
		await Promise.all(Object.values(jobs).map(settled));
		jobStore(em).get(jobs.othersInsert)!.createdById = other.Id;
	});

	/** Which of the jobs fire on the first poll when asked to include jobs finished before activation. */
	async function fired(parameters: INodeParameters) {
		const p = await poll({ ...parameters, options: { includeFinishedBeforeActivation: true, ...(parameters.options as INodeParameters) } });
		const names = Object.fromEntries(Object.entries(jobs).map(([name, id]) => [id, name]));
		return p.ids.map((id) => names[id]).sort();
	}

	it('without Include Jobs Finished Before Activation the first poll fires nothing; with it, every finished job', async () => {
		expect((await poll()).fired).toBe(false);
		expect(await fired({})).toEqual(Object.keys(jobs).sort());
	});

	it('object, operation, job kind, only my jobs, job ID', async () => {
		expect(await fired({ filters: { objects: ['Account'] } })).toEqual(['accountInsert', 'accountQuery', 'accountUpdate', 'othersInsert']);
		expect(await fired({ filters: { objects: ['Account'], operations: ['insert'] } })).toEqual(['accountInsert', 'othersInsert']);
		expect(await fired({ filters: { operations: ['update', 'query'] } })).toEqual(['accountQuery', 'accountUpdate']);
		expect(await fired({ jobKinds: ['query'] })).toEqual(['accountQuery']);
		expect(await fired({ jobKinds: ['ingest'], filters: { onlyMine: true } })).toEqual(['accountInsert', 'accountUpdate', 'contactInsert']);
		expect(await fired({ filters: { jobId: jobs.contactInsert.slice(0, 15) } })).toEqual(['contactInsert']);
		expect(em.stats.byRoute['GET /services/oauth2/userinfo']).toBe(1);
		await expect(poll({ filters: { jobId: '001000000000001' } })).rejects.toThrow(/Job ID filter "001000000000001" is not a job ID/);
		await expect(poll({ events: [] })).rejects.toThrow(/Select at least one event/);
	});

	it('a filter changed later applies to jobs finishing from then on, without replaying old ones', async () => {
		let p = await poll({ filters: { objects: ['Contact'] } });
		p = await poll({ filters: { objects: ['Account'] } }, p.state);
		expect(p.fired).toBe(false);
		const next = await ingestJob('Account');
		await settled(next);
		expect((await poll({ filters: { objects: ['Account'] } }, p.state)).ids).toEqual([next]);
	});
});

describe('Salesforce Bulk Trigger: Classic (Bulk API 1.0) jobs', () => {
	it('fire when Closed with every batch done, or Aborted; Open jobs and running batches do not', async () => {
		await freshOrg({ holdJobs: true });
		let p = await poll({ jobKinds: ['classic'] });
		expect(p.state.kinds).toEqual(['classic']);
		const open = await classicJob(ACCOUNTS, { close: false });
		const running = await classicJob('Name\nOne\n');
		const aborted = await classicJob(ACCOUNTS, { close: false });
		await classicAbort(aborted);
		p = await poll({ jobKinds: ['classic'] }, p.state);
		expect(p.ids).toEqual([aborted]);
		expect(p.jobs[0]).toMatchObject({ event: 'aborted', kind: 'ingest', state: 'Aborted', jobType: 'Classic', object: 'Account' });

		await finish(running);
		await finish(open);
		p = await poll({ jobKinds: ['classic'] }, p.state);
		expect(p.ids).toEqual([running]);
		expect(p.jobs[0]).toMatchObject({ event: 'completed', state: 'Closed', jobType: 'Classic', numberBatchesTotal: 1, numberBatchesCompleted: 1, numberRecordsProcessed: 1 });
		expect((await poll({ jobKinds: ['classic'] }, p.state)).fired).toBe(false);
	});

	it('a Closed job whose batch failed completes with the batch error as its error message; adding Classic later replays nothing', async () => {
		await freshOrg();
		let p = await poll({ jobKinds: ['ingest'] });
		const early = await classicJob('Nope__c\nx\n');
		await settled(early);
		p = await poll({ jobKinds: ['ingest', 'classic'] }, p.state);
		expect(p.fired).toBe(false);
		const failing = await classicJob('Nope__c\nx\n');
		await settled(failing);
		p = await poll({ jobKinds: ['ingest', 'classic'] }, p.state);
		expect(p.jobs).toEqual([expect.objectContaining({ id: failing, event: 'completed', numberBatchesFailed: 1, errorMessage: expect.stringMatching(/Nope__c/) })]);
	});
});

describe('Salesforce Bulk Trigger: attached results', () => {
	it('failed records as items inside the job item, or as a binary CSV', async () => {
		await freshOrg();
		let p = await poll();
		const csv = 'Name,NumberOfEmployees\nGood,5\nBad,not-a-number\n';
		const error = "INVALID_FIELD:Failed to deserialize field at col 1. Due to, 'not-a-number' is not a valid value for the type xsd:int:--";
		const job = await ingestJob('Account', csv);
		await settled(job);
		const state = structuredClone(p.state);
		p = await poll({ attachFailedRecords: 'items', options: { typedValues: true } }, p.state);
		expect(p.jobs[0]).toMatchObject({ id: job, numberRecordsFailed: 1, failedRecords: [{ sf__Id: null, sf__Error: error, Name: 'Bad', NumberOfEmployees: 'not-a-number' }] });

		p = await poll({ attachFailedRecords: 'binary', options: { binaryPropertyName: 'failed' } }, state);
		const file = p.items[0].binary!.failed;
		expect(file).toMatchObject({ fileName: `${job}-failedResults.csv`, mimeType: 'text/csv' });
		expect(parse(await s.harness.readBinary(file), { columns: true })).toEqual([{ sf__Id: '', sf__Error: error, Name: 'Bad', NumberOfEmployees: 'not-a-number' }]);

		const clean = await ingestJob();
		await settled(clean);
		p = await poll({ attachFailedRecords: 'items' }, p.state);
		expect(p.jobs[0]).toMatchObject({ id: clean, failedRecords: [] });
	});

	it('query results as items (limited) or one binary CSV across pages', async () => {
		await freshOrg({ seed: { Account: 120 } });
		let p = await poll();
		const job = await queryJob("SELECT Id, Name FROM Account WHERE Name LIKE 'Account %'");
		await settled(job);
		const state = structuredClone(p.state);
		p = await poll({ attachQueryResults: 'items', options: { recordLimit: 7, pageSize: 50 } }, p.state);
		expect(p.jobs[0]).toMatchObject({ id: job, numberRecordsProcessed: 120 });
		expect((p.jobs[0].records as IDataObject[]).map((r) => r.Name)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `Account ${n}`));

		p = await poll({ attachQueryResults: 'binary', options: { pageSize: 50 } }, state);
		const file = p.items[0].binary!.data;
		expect(file.fileName).toBe(`${job}-results.csv`);
		const rows = parse(await s.harness.readBinary(file), { columns: true }) as IDataObject[];
		expect(rows.map((r) => r.Name)).toEqual(Array.from({ length: 120 }, (_, i) => `Account ${i + 1}`));
		expect(em.stats.byRoute['GET /services/data/v63.0/jobs/query/:id/results']).toBe(1 + 3);
	});
});

describe('Salesforce Bulk Trigger: Fetch Test Event (manual mode)', () => {
	it('says clearly when no finished job matches', async () => {
		await freshOrg({ holdJobs: true });
		await expect(manual()).rejects.toThrow("No finished bulk job found that matches the trigger's events, job kinds and filters");
		await ingestJob(); // under way, not finished
		await expect(manual()).rejects.toThrow(/No finished bulk job found/);
	});

	it('returns the most recently finished matching job, attachments included, and keeps no state', async () => {
		await freshOrg();
		const first = await ingestJob();
		await settled(first);
		await sleep(3);
		const second = await ingestJob('Account', 'Name,NumberOfEmployees\nBad,x\n');
		await settled(second);
		await sleep(3);
		const aborted = await abortedJob();
		await settled(aborted);
		const out = await manual({ events: ['completed'], attachFailedRecords: 'items' });
		expect(out.items).toHaveLength(1);
		expect(out.items[0].json).toMatchObject({ id: second, event: 'completed', numberRecordsFailed: 1, failedRecords: [expect.objectContaining({ Name: 'Bad' })] });
		expect(out.staticData).toEqual({});
		expect((await manual()).items[0].json).toMatchObject({ id: aborted, event: 'aborted' });
		expect((await manual({ filters: { jobId: first } })).items[0].json).toMatchObject({ id: first });
	});
});

describe('Salesforce Bulk Trigger: the example workflows', () => {
	interface WorkflowFile {
		nodes: Array<{ name: string; parameters: INodeParameters }>;
	}
	/* eslint-disable @typescript-eslint/no-require-imports */
	const start = require('../../examples/salesforce-bulk-trigger-1-start-job.json') as WorkflowFile;
	const handle = require('../../examples/salesforce-bulk-trigger-2-handle-result.json') as WorkflowFile;
	/* eslint-enable @typescript-eslint/no-require-imports */
	const params = (workflow: WorkflowFile, name: string) => workflow.nodes.find((n) => n.name === name)!.parameters;

	it("the job the first workflow starts (without waiting) fires the second workflow's trigger once, with its failed record", async () => {
		await freshOrg();
		const triggerParameters = params(handle, 'When a Bulk Job Finishes');
		let p = await poll(triggerParameters); // activation
		const [created] = await run(params(start, 'Create Job'));
		await s.harness.execute(v2, { parameters: params(start, 'Upload Data'), items: [{ json: created }] });
		await run({ ...params(start, 'Close Job'), jobId: byId(String(created.id)) });
		await settled(String(created.id));
		p = await poll(triggerParameters, p.state);
		expect(p.jobs).toEqual([
			expect.objectContaining({
				event: 'completed',
				id: created.id,
				object: 'Account',
				numberRecordsProcessed: 3,
				numberRecordsFailed: 1,
				failedRecords: [expect.objectContaining({ Name: 'Initech', sf__Error: expect.stringMatching(/^INVALID_FIELD/) })],
			}),
		]);
		expect((await poll(triggerParameters, p.state)).fired).toBe(false);
	});
});
