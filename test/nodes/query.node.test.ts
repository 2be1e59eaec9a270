import { parse } from 'csv-parse/sync';
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { admin, setup, type Setup } from './setup';

let s: Setup;
const node = new SalesforceBulk2();
const ROWS = 2500;
const SOQL = "SELECT Id, Name, NumberOfEmployees, Industry FROM Account WHERE Name LIKE 'Account %'";

beforeAll(async () => {
	s = await setup({ seed: { Account: ROWS } });
});
afterEach(() => s.emulator.faults.clear());
afterAll(async () => await s.close());

async function runQuery(parameters: IDataObject, continueOnFail = false) {
	const [out] = await s.harness.execute(node, { parameters: { resource: 'queryJob', operation: 'runQuery', query: SOQL, ...parameters }, continueOnFail });
	return out;
}

const names = (rows: IDataObject[]) => rows.map((r) => String(r.Name));
const expected = Array.from({ length: ROWS }, (_, i) => `Account ${i + 1}`);

describe('Run Query', () => {
	it('returns every record as items across many locator pages, typed when asked', async () => {
		const out = await runQuery({ pageSize: 700, typedValues: true });
		expect(out).toHaveLength(ROWS);
		expect(names(out.map((o) => o.json))).toEqual(expected);
		expect(out[4].json).toEqual({ Id: expect.stringMatching(/^001\w{15}$/), Name: 'Account 5', NumberOfEmployees: 5, Industry: 'Media' });
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(s.emulator.stats.byRoute['GET /services/data/v63.0/jobs/query/:id/results']).toBeGreaterThanOrEqual(4);
	});

	it('honours Limit', async () => {
		expect(await runQuery({ pageSize: 700, returnAll: false, limit: 10 })).toHaveLength(10);
	});

	it('streams all pages into one binary CSV file with a single header, also with parallel downloads', async () => {
		for (const parallel of [1, 3]) {
			const [file] = await runQuery({ pageSize: 600, outputAs: 'binary', binaryPropertyName: 'export', fileName: 'accounts.csv', options: { parallel } });
			expect(file.json).toMatchObject({ jobId: expect.stringMatching(/^750/), numberOfRecords: ROWS });
			const text = (await s.harness.readBinary(file.binary!.export)).toString();
			expect(text.split('\n')[0]).toBe('"Id","Name","NumberOfEmployees","Industry"');
			expect(names(parse(text, { columns: true }))).toEqual(expected);
		}
	});

	it('a connection dropped in the middle of a page fetches that page again: nothing lost or repeated', async () => {
		s.emulator.faults.add({ kind: 'reset', afterBytes: 3000, path: '/results', count: 2 });
		const resetsBefore = s.emulator.faults.fired.filter((f) => f.kind === 'reset').length;
		const out = await runQuery({ pageSize: 1000 });
		expect(s.emulator.faults.fired.filter((f) => f.kind === 'reset').length - resetsBefore).toBe(2);
		expect(names(out.map((o) => o.json))).toEqual(expected);
	});

	it('a query the org fails reports the job and its error message', async () => {
		s.emulator.faults.failJobs({ message: 'InvalidBatch : Query timed out', object: 'Account' });
		await expect(runQuery({})).rejects.toThrow(/^Query job 750\w+ ended Failed: InvalidBatch : Query timed out$/);
	});

	it('SOQL the Bulk API rejects is a clear error; with Continue On Fail it becomes the output', async () => {
		await expect(runQuery({ query: 'SELECT COUNT() FROM Account' })).rejects.toThrow(/^Salesforce rejected the SOQL query/);
		const [item] = await runQuery({ query: 'SELECT Nope FROM Account' }, true);
		expect(item.json).toMatchObject({ errorCode: 'INVALID_FIELD', statusCode: 400 });
	});

	it('a timeout names the job; the job is aborted only when asked', async () => {
		await admin(s.emulator, 'config', { holdJobs: true });
		try {
			const timeout = 0.3;
			await expect(runQuery({ options: { timeout } })).rejects.toThrow(/^Timed out after \d+ s waiting for query job 750\w+; its state is InProgress$/);
			let [job] = (await s.harness.execute(node, { parameters: { resource: 'queryJob', operation: 'getAll', returnAll: true } }))[0].slice(-1);
			expect(job.json.state).toBe('InProgress');
			await expect(runQuery({ options: { timeout, abortOnTimeout: true } })).rejects.toThrow(/^Timed out/);
			[job] = (await s.harness.execute(node, { parameters: { resource: 'queryJob', operation: 'getAll', returnAll: true } }))[0].slice(-1);
			expect(job.json.state).toBe('Aborted');
		} finally {
			await admin(s.emulator, 'config', { holdJobs: false });
		}
	});
});

describe('Get Results', () => {
	it('pages by hand: a locator in, the next locator out, to the end', async () => {
		const [created] = (await s.harness.execute(node, { parameters: { resource: 'queryJob', operation: 'create', query: SOQL } }))[0];
		const jobId = { __rl: true, mode: 'id', value: String(created.json.id) };
		for (let state = ''; state !== 'JobComplete'; await sleep(20)) {
			state = String((await s.harness.execute(node, { parameters: { resource: 'queryJob', operation: 'get', jobId } }))[0][0].json.state);
		}
		const seen: string[] = [];
		let locator: string | null = '';
		do {
			const [[page]] = await s.harness.execute(node, { parameters: { resource: 'queryJob', operation: 'getResults', jobId, pages: 'one', locator: locator ?? '', pageSize: 1000 } });
			expect(page.json).toMatchObject({ jobId: jobId.value, numberOfRecords: (page.json.records as IDataObject[]).length });
			seen.push(...names(page.json.records as IDataObject[]));
			locator = page.json.locator as string | null;
		} while (locator !== null);
		expect(seen).toEqual(expected);
	});

	it('all pages of a finished job, as items', async () => {
		const [created] = (await s.harness.execute(node, { parameters: { resource: 'queryJob', operation: 'create', query: SOQL } }))[0];
		const jobId = { __rl: true, mode: 'id', value: String(created.json.id) };
		for (let state = ''; state !== 'JobComplete'; await sleep(20)) {
			state = String((await s.harness.execute(node, { parameters: { resource: 'queryJob', operation: 'get', jobId } }))[0][0].json.state);
		}
		const [out] = await s.harness.execute(node, { parameters: { resource: 'queryJob', operation: 'getResults', jobId, pages: 'all', pageSize: 900 } });
		expect(names(out.map((o) => o.json))).toEqual(expected);
	});
});
