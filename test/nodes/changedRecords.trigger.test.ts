// "On New or Updated Records (Bulk Query)": the Salesforce Bulk Trigger's poll against the emulator over
// HTTP. Records change between polls through the emulator's Bulk API 2.0 (which stamps them as Salesforce
// does, to the second); the emulator's clock is held still so that rows share the boundary second.
import { parse } from 'csv-parse/sync';
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { SalesforceBulk2Trigger } from '../../nodes/SalesforceBulk2Trigger/SalesforceBulk2Trigger.node';
import { SalesforceBulkTrigger } from '../../nodes/SalesforceBulkTrigger/SalesforceBulkTrigger.node';
import { accessToken, CREDENTIAL, emulatorCredential, setup, type Emulator, type Setup } from './setup';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulator } = require('../emulator') as { startEmulator(options?: IDataObject): Promise<Emulator> };

const API = '/services/data/v63.0';
const SECOND = 1000;

let s: Setup;
let em: Emulator;
/** The emulator's clock (ms), moved by the tests. */
let now = 0;
const trigger = new SalesforceBulkTrigger();

beforeAll(async () => {
	s = await setup();
	await s.emulator.close();
});
afterAll(async () => await s.harness.close());
afterEach(async () => await em?.close());

const wholeSecond = () => Math.floor(Date.now() / SECOND) * SECOND;

/** A fresh org of 5 Accounts whose clock stands at `at` (whole seconds). */
async function freshOrg(at = wholeSecond()) {
	now = at;
	em = await startEmulator({ jobDelayMs: 20 });
	(em.org as unknown as { clock: () => number }).clock = () => now;
	for (let i = 0; i < 5; i++) em.org.insertSystem('Account', { Name: `Seed ${i}` });
	s.harness.setCredential(CREDENTIAL, emulatorCredential(em));
}

/** A Bulk 2.0 ingest job on Accounts (create, upload, close), waited for. */
async function ingest(operation: 'insert' | 'update' | 'delete', csv: string): Promise<void> {
	const token = await accessToken(em);
	const call = async (method: string, path: string, body?: string, type = 'application/json') => {
		const res = await fetch(`${em.url}${API}/jobs/ingest${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': type }, body });
		if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
		return res.status === 201 ? {} : ((await res.json()) as IDataObject);
	};
	const job = await call('POST', '', JSON.stringify({ object: 'Account', operation, lineEnding: 'LF' }));
	await call('PUT', `/${String(job.id)}/batches`, csv, 'text/csv');
	await call('PATCH', `/${String(job.id)}`, JSON.stringify({ state: 'UploadComplete' }));
	for (let i = 0; i < 400; i++) {
		const info = await call('GET', `/${String(job.id)}`);
		if (info.state === 'JobComplete') return;
		if (info.state === 'Failed') throw new Error(`ingest failed: ${String(info.errorMessage)}`);
		await sleep(10);
	}
	throw new Error('ingest did not finish');
}

const accounts = () => [...em.org.table('Account').values()] as IDataObject[];
const idOf = (name: string) => String(accounts().find((a) => a.Name === name)?.Id);

interface Polled {
	items: INodeExecutionData[];
	names: string[];
	state: IDataObject;
}

const BASE: INodeParameters = { triggerOn: 'changedRecords', object: 'Account', fieldsMode: 'list', fields: ['Name'] };

async function poll(parameters: INodeParameters, staticData?: IDataObject): Promise<Polled> {
	const { result, staticData: state } = await s.harness.poll(trigger, { parameters: { ...BASE, ...parameters }, mode: 'trigger', staticData });
	const items = result?.[0] ?? [];
	if (result) expect(items.length).toBeGreaterThan(0); // null, never an empty list
	return { items, names: items.map((i) => String(i.json.Name)).sort(), state };
}

describe('Salesforce Bulk Trigger: On New or Updated Records (Bulk Query)', () => {
	it("the nodes panel lists both events, in both registrations; the job event stays the default and keeps its parameters", () => {
		for (const node of [new SalesforceBulkTrigger(), new SalesforceBulk2Trigger()]) {
			const { properties } = node.description;
			// n8n's panel lists the options of the first property displayed as "Event", "Events" or "Trigger On".
			const panel = properties.find((p) => ['event', 'events', 'trigger on'].includes(p.displayName.toLowerCase()))!;
			expect(panel.name).toBe('triggerOn');
			expect(panel.default).toBe('jobFinished');
			expect((panel.options as Array<{ action?: string }>).map((o) => o.action)).toEqual(['On Bulk Job Completed, Failed or Aborted', 'On New or Updated Records (Bulk Query)']);
			const shownFor = (name: string) => properties.filter((p) => p.name === name).map((p) => p.displayOptions?.show?.triggerOn);
			expect(shownFor('events')).toEqual([['jobFinished']]);
			expect(shownFor('cursorField')).toEqual([['changedRecords']]);
		}
	});

	it('inserts, updates and deletes between polls arrive exactly once each, rows sharing the boundary second included', async () => {
		await freshOrg();
		const params = { startFrom: 'everything', includeDeleted: true };
		const first = await poll(params);
		expect(first.names).toEqual(['Seed 0', 'Seed 1', 'Seed 2', 'Seed 3', 'Seed 4']);
		const window = first.items[0].json.cursorWindow as IDataObject;
		expect(window).toMatchObject({ field: 'SystemModstamp', from: null, to: new Date(now).toISOString(), complete: true });
		expect(first.items[0].json).toMatchObject({ Id: expect.any(String), SystemModstamp: new Date(now).toISOString(), IsDeleted: 'false', deleted: false });

		// Same second as the cursor: the query (>= cursor) returns the 5 seeds again; only the 2 new rows come.
		await ingest('insert', 'Name\nSame Second A\nSame Second B\n');
		const second = await poll(params, first.state);
		expect(second.names).toEqual(['Same Second A', 'Same Second B']);

		now += 10 * SECOND;
		await ingest('update', `Id,Name\n${idOf('Seed 1')},Seed 1 renamed\n`);
		await ingest('delete', `Id\n${idOf('Seed 2')}\n`);
		await ingest('insert', 'Name\nLater C\n');
		const third = await poll(params, second.state);
		expect(third.names).toEqual(['Later C', 'Seed 1 renamed', 'Seed 2']);
		const deleted = third.items.filter((i) => i.json.deleted === true).map((i) => i.json.Name);
		expect(deleted).toEqual(['Seed 2']);
		expect(third.items[0].json.cursorWindow).toMatchObject({ to: new Date(now).toISOString(), previousCursor: new Date(now - 10 * SECOND).toISOString(), deletedRows: 1 });

		// Nothing changed: nothing fires, and the same second's rows do not come again.
		const fourth = await poll(params, third.state);
		expect(fourth.items).toEqual([]);
		// A row emitted before changes again a second later: the new change comes (once).
		now += SECOND;
		await ingest('update', `Id,Name\n${idOf('Later C')},Later C again\n`);
		expect((await poll(params, fourth.state)).names).toEqual(['Later C again']);
	}, 60_000);

	it('a late commit inside the lookback comes once; one older than the lookback does not', async () => {
		await freshOrg();
		const params = { startFrom: 'everything', recordOptions: { lookbackMinutes: 5 } };
		const first = await poll(params);
		expect(first.items).toHaveLength(5);
		now += 10 * 60 * SECOND;
		await ingest('insert', 'Name\nOn Time\n');
		const second = await poll(params, first.state);
		expect(second.names).toEqual(['On Time']);

		// Two transactions that started earlier commit now: one 2 minutes back (inside the 5-minute lookback),
		// one 20 minutes back (behind it).
		em.faults.backdateCommits({ seconds: 120, count: 1 });
		await ingest('insert', 'Name\nLate 2 min\n');
		em.faults.backdateCommits({ seconds: 1200, count: 1 });
		await ingest('insert', 'Name\nLate 20 min\n');
		expect(accounts().find((a) => a.Name === 'Late 2 min')?.SystemModstamp).toBe(new Date(now - 120 * SECOND).toISOString());
		const third = await poll(params, second.state);
		expect(third.names).toEqual(['Late 2 min']);
		// The cursor stays at the greatest value emitted (not moved back by the late row, not moved to "now").
		expect(third.items[0].json.cursorWindow).toMatchObject({ to: new Date(now).toISOString() });
		expect((await poll(params, third.state)).items).toEqual([]);
	}, 60_000);

	it('a window bigger than Max Rows per Query Job is read by several jobs, each row once, 120 of them in one second', async () => {
		await freshOrg(wholeSecond() - 60 * SECOND); // the seeds changed a minute before activation
		const params = { startFrom: 'now', recordOptions: { rowsPerJob: 100 } };
		const first = await poll(params);
		expect(first.items).toEqual([]);
		now = wholeSecond() + 2 * SECOND;
		await ingest('insert', `Name\n${Array.from({ length: 120 }, (_, i) => `Burst ${i}`).join('\n')}\n`);
		for (let k = 0; k < 13; k++) {
			now += SECOND;
			await ingest('insert', `Name\n${Array.from({ length: 10 }, (_, i) => `Spread ${k}-${i}`).join('\n')}\n`);
		}
		const before = em.stats.byRoute[`POST ${API}/jobs/query`] ?? 0;
		const second = await poll(params, first.state);
		const jobs = (em.stats.byRoute[`POST ${API}/jobs/query`] ?? 0) - before;
		expect(second.items).toHaveLength(250);
		expect(new Set(second.names).size).toBe(250);
		expect(second.names.filter((n) => n.startsWith('Seed'))).toEqual([]);
		expect(jobs).toBe(3); // 100 + 100 + 50 rows
		expect(second.items[0].json.cursorWindow).toMatchObject({ complete: true, to: new Date(now).toISOString() });
		expect((await poll(params, second.state)).items).toEqual([]);
	}, 60_000);

	it('a poll past half its time budget starts no further job: it emits what it read, the next poll goes on, each row once', async () => {
		await freshOrg(wholeSecond() - 60 * SECOND);
		const params = { startFrom: 'now', recordOptions: { rowsPerJob: 100 } };
		const first = await poll(params);
		now = wholeSecond() + 2 * SECOND;
		await ingest('insert', `Name\n${Array.from({ length: 250 }, (_, i) => `Big ${i}`).join('\n')}\n`);
		// The first result download of the next poll takes "10 minutes" (this process's clock jumps), more than
		// half of the default 5-minute poll budget.
		const realNow = Date.now.bind(Date);
		let jump = 0;
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + jump);
		const onRequest = (req: { method?: string; url?: string }) => {
			if (req.method === 'GET' && /\/jobs\/query\/\w+\/results/.test(req.url ?? '') && jump === 0) jump = 10 * 60 * SECOND;
		};
		em.server.on('request', onRequest);
		try {
			const second = await poll(params, first.state);
			expect(second.items).toHaveLength(100);
			expect(second.items[0].json.cursorWindow).toMatchObject({ complete: false });
			const third = await poll(params, second.state);
			expect(third.items).toHaveLength(150);
			expect(third.items[0].json.cursorWindow).toMatchObject({ complete: true });
			const all = [...second.names, ...third.names];
			expect(new Set(all).size).toBe(250);
			expect((await poll(params, third.state)).items).toEqual([]);
		} finally {
			em.server.off('request', onRequest);
			clock.mockRestore();
		}
	}, 60_000);

	it('Fetch Test Event shows the latest changes and leaves the cursor where it was', async () => {
		await freshOrg();
		const params = { ...BASE, startFrom: 'everything' };
		const first = await poll(params);
		const stateBefore = JSON.stringify(first.state);
		now += SECOND;
		await ingest('insert', 'Name\nNewest\n');
		const { result, staticData } = await s.harness.poll(trigger, { parameters: params, mode: 'manual', staticData: first.state });
		const sample = result![0].map((i) => i.json);
		expect(sample[0]).toMatchObject({ Name: 'Newest', cursorWindow: { field: 'SystemModstamp', sample: true } });
		expect(sample).toHaveLength(6);
		expect(JSON.stringify(staticData)).toBe(stateBefore);
		// The active trigger still gets the change: the test event took nothing away.
		expect((await poll(params, first.state)).names).toEqual(['Newest']);
	}, 60_000);

	it('first activation: from now on, since a date, everything first; a new object or cursor field starts again', async () => {
		await freshOrg(wholeSecond() - 60 * SECOND); // the seeds changed a minute before activation
		const fromNow = await poll({ startFrom: 'now' });
		expect(fromNow.items).toEqual([]);
		now = wholeSecond() + 10 * SECOND; // "now" is this host's clock: the change comes after it
		const dateMark = now - 5 * SECOND;
		await ingest('insert', 'Name\nAfter Activation\n');
		expect((await poll({ startFrom: 'now' }, fromNow.state)).names).toEqual(['After Activation']);

		const sinceDate = await poll({ startFrom: 'date', startDate: new Date(dateMark).toISOString().slice(0, 19) });
		expect(sinceDate.names).toEqual(['After Activation']);
		expect(sinceDate.items[0].json.cursorWindow).toMatchObject({ from: new Date(dateMark).toISOString() });

		const everything = await poll({ startFrom: 'everything' });
		expect(everything.items).toHaveLength(6);
		// The same state with CreatedDate as the cursor: a different cursor, so it starts again from its Start From.
		const created = await poll({ startFrom: 'everything', cursorField: 'CreatedDate' }, everything.state);
		expect(created.items).toHaveLength(6);
		expect(created.items[0].json.cursorWindow).toMatchObject({ field: 'CreatedDate' });
	}, 60_000);

	it('as CSV files split by rows: every changed row once across the files, the cursor window on each file item', async () => {
		await freshOrg();
		const params = { startFrom: 'everything', outputAs: 'binary', fileName: 'accounts.csv', splitFiles: 'rows', maxFileRows: 2 };
		const first = await poll(params);
		expect(first.items.map((i) => i.binary!.data.fileName)).toEqual(['accounts-001.csv', 'accounts-002.csv', 'accounts-003.csv']);
		const rows: string[][] = [];
		for (const item of first.items) {
			const text = (await s.harness.readBinary(item.binary!.data)).toString();
			const [header, ...body] = parse(text) as string[][];
			expect(header).toEqual(['Id', 'SystemModstamp', 'Name']);
			rows.push(...body);
		}
		expect(rows.map((r) => r[2]).sort()).toEqual(['Seed 0', 'Seed 1', 'Seed 2', 'Seed 3', 'Seed 4']);
		expect(first.items[0].json).toMatchObject({ file: 1, files: 3, rows: 2, jobIds: [expect.stringMatching(/^750/)], cursorWindow: { field: 'SystemModstamp' } });
		await ingest('insert', 'Name\nFile Row\n');
		const second = await poll(params, first.state);
		expect(second.items).toHaveLength(1);
		expect(second.items[0].binary!.data.fileName).toBe('accounts.csv');
		const text = (await s.harness.readBinary(second.items[0].binary!.data)).toString();
		expect((parse(text) as string[][]).slice(1).map((r) => r[2])).toEqual(['File Row']);
	}, 60_000);

	it('All Fields selects what the describe lists; a bad extra condition fails the poll and keeps the cursor', async () => {
		await freshOrg();
		const all = await poll({ fieldsMode: 'all', startFrom: 'everything', where: "Name LIKE 'Seed%'" });
		expect(all.items).toHaveLength(5);
		expect(Object.keys(all.items[0].json)).toEqual(expect.arrayContaining(['Id', 'Name', 'SystemModstamp', 'CreatedDate', 'OwnerId', 'Legacy_Id__c']));
		const state = JSON.stringify(all.state);
		await expect(poll({ startFrom: 'everything', where: 'NoSuchField__c = 1' }, all.state)).rejects.toThrow(/NoSuchField__c/);
		expect(JSON.stringify(all.state)).toBe(state);
	}, 60_000);
});

describe('the example workflow: nightly sync of changed Accounts into a CSV file per night', () => {
	interface WorkflowFile {
		nodes: Array<{ name: string; type: string; parameters: INodeParameters }>;
	}
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const example = require('../../examples/salesforce-bulk-trigger-3-nightly-sync.json') as WorkflowFile;
	const parameters = example.nodes.find((n) => n.name === 'Every Night: Changed Accounts')!.parameters;
	const csvOf = async (item: INodeExecutionData) => parse((await s.harness.readBinary(item.binary!.data)).toString(), { columns: true }) as IDataObject[];

	it("the first night exports every Account; the next nights' files hold each change once, deletes marked", async () => {
		await freshOrg();
		const pollExample = async (staticData?: IDataObject) => await s.harness.poll(trigger, { parameters, mode: 'trigger', staticData });
		const first = await pollExample();
		expect(first.result![0]).toHaveLength(1);
		const [file] = first.result![0];
		expect(file.binary!.data.fileName).toBe('accounts.csv');
		expect((await csvOf(file)).map((r) => r.Name).sort()).toEqual(['Seed 0', 'Seed 1', 'Seed 2', 'Seed 3', 'Seed 4']);

		now += 24 * 60 * 60 * SECOND;
		await ingest('update', `Id,Name\n${idOf('Seed 0')},Seed 0 renamed\n`);
		await ingest('delete', `Id\n${idOf('Seed 4')}\n`);
		const second = await pollExample(first.staticData);
		const rows = await csvOf(second.result![0][0]);
		expect(rows.map((r) => [r.Name, r.IsDeleted])).toEqual([
			['Seed 0 renamed', 'false'],
			['Seed 4', 'true'],
		]);
		expect(second.result![0][0].json).toMatchObject({ rows: 2, cursorWindow: { field: 'SystemModstamp', deletedRows: 1 } });
		expect((await pollExample(second.staticData)).result).toBeNull();
	}, 60_000);
});
