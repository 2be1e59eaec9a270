/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: a real stream body */
import { Readable } from 'node:stream';

import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { retryPolicy } from '../../nodes/shared/transport/request';
import { ClientProbe, setProbe, type Probe } from './probe';
import { admin, CREDENTIAL, setup, type Setup } from './setup';

let s: Setup;
const probe = new ClientProbe();
beforeAll(async () => {
	s = await setup();
	retryPolicy.baseDelayMs = 20;
});
afterEach(() => s.emulator.faults.clear());
afterAll(async () => await s.close());

async function run(fn: Probe): Promise<IDataObject> {
	setProbe(fn);
	const [[item]] = await s.harness.execute(probe);
	return item.json;
}

/** Runs fn and returns the error it throws (with Salesforce's details in context). */
async function failure(fn: Probe): Promise<{ message: string; description?: string; context: IDataObject }> {
	try {
		await run(fn);
	} catch (error) {
		return error as { message: string; description?: string; context: IDataObject };
	}
	throw new Error('expected the probe to fail');
}

const csv = 'Name,Legacy_Id__c\nAcme,C-1\nGlobex,C-2\n';

describe('Bulk 2.0 client', () => {
	it('creates, uploads, closes, waits and reads the results of an ingest job', async () => {
		const out = await run(async ({ bulk2 }) => {
			const job = await bulk2.createIngestJob({ object: 'Account', operation: 'insert' });
			await bulk2.uploadJobData(job.id, async () => csv);
			await bulk2.closeJob(job.id);
			const done = await bulk2.waitForJob('ingest', job.id, { timeoutMs: 10000, initialIntervalMs: 20 });
			return { done, ok: await bulk2.getIngestResults(job.id, 'successfulResults', 'text'), failed: await bulk2.getIngestResults(job.id, 'failedResults', 'text') };
		});
		expect(out.done).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 });
		expect(String(out.ok).split('\n')[0]).toBe('"sf__Id","sf__Created",Name,Legacy_Id__c');
		expect(out.failed).toBe('"sf__Id","sf__Error",Name,Legacy_Id__c\n');
	});

	it('pages query results with locators and lists parallel result pages', async () => {
		for (let i = 0; i < 7; i++) s.emulator.org.insertSystem('Lead', { LastName: `Page${i}`, Company: 'Paged Inc' });
		const out = await run(async ({ bulk2 }) => {
			const job = await bulk2.createQueryJob({ query: "SELECT Id, LastName FROM Lead WHERE Company = 'Paged Inc'" });
			await bulk2.waitForJob('query', job.id, { timeoutMs: 10000, initialIntervalMs: 20 });
			const pages: number[] = [];
			let locator: string | undefined;
			do {
				const page = await bulk2.getQueryResults(job.id, { locator, maxRecords: 3 }, 'text');
				pages.push(page.numberOfRecords);
				locator = page.nextLocator;
			} while (locator);
			const urls: string[] = [];
			for await (const url of bulk2.resultPageUrls(job.id, 3)) urls.push(url);
			const viaUrls = await Promise.all(urls.map(async (url) => (await bulk2.getResultPage(url, 'text', job.id)).numberOfRecords));
			return { pages, viaUrls };
		});
		expect(out).toEqual({ pages: [3, 3, 1], viaUrls: [3, 3, 1] });
	});

	it('lists every job across pages through nextRecordsUrl', async () => {
		await admin(s.emulator, 'config', { jobsPageSize: 2 });
		try {
			const out = await run(async ({ bulk2 }) => {
				// Five jobs of its own, so that the list spans three pages of two whatever other tests left.
				for (let i = 0; i < 5; i++) await bulk2.createIngestJob({ object: 'Case', operation: 'insert' });
				const ids: string[] = [];
				for await (const job of bulk2.listJobs('ingest', { jobType: 'V2Ingest' })) ids.push(job.id);
				return { ids };
			});
			expect((out.ids as string[]).length).toBeGreaterThanOrEqual(5);
			expect(new Set(out.ids as string[]).size).toBe((out.ids as string[]).length);
		} finally {
			await admin(s.emulator, 'config', { jobsPageSize: 1000 });
		}
	});

	it('a second upload to a job gets a clear error', async () => {
		const error = await failure(async ({ bulk2 }) => {
			const job = await bulk2.createIngestJob({ object: 'Account', operation: 'insert' });
			await bulk2.uploadJobData(job.id, async () => csv);
			await bulk2.uploadJobData(job.id, async () => csv);
			return {};
		});
		expect(error.message).toMatch(/^Job 750\w+ already has its data: Salesforce accepts one upload per job/);
		expect(error.context).toMatchObject({ errorCode: 'INVALIDJOB', statusCode: 409 });
	});

	it('an upload that fails without an answer is sent again only while the job is still Open', async () => {
		const out = await run(async ({ bulk2 }) => {
			const job = await bulk2.createIngestJob({ object: 'Account', operation: 'insert' });
			s.emulator.faults.add({ status: 503, method: 'PUT', path: '/batches' });
			await bulk2.uploadJobData(job.id, async () => 'Name\nRetried Upload\n');
			await bulk2.closeJob(job.id);
			return await bulk2.waitForJob('ingest', job.id, { timeoutMs: 10000, initialIntervalMs: 20 });
		});
		expect(out).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1 });
		expect(s.emulator.stats.byRoute['PUT /services/data/v63.0/jobs/ingest/:id/batches']).toBeGreaterThanOrEqual(2);
	});
});

describe('errors', () => {
	it('a missing job is a NodeApiError with errorCode, status and job ID', async () => {
		const error = await failure(async ({ bulk2 }) => await bulk2.getJob('ingest', '7505e00000ZZZZZAAA'));
		expect(error.message).toBe('Job 7505e00000ZZZZZAAA was not found: it was deleted, it is older than 7 days, it belongs to another org, or it is a job of another kind');
		expect(error.context).toMatchObject({ errorCode: 'NOT_FOUND', statusCode: 404, jobId: '7505e00000ZZZZZAAA' });
		expect(error.description).toContain('Salesforce says: NOT_FOUND – The requested resource does not exist');
	});

	it('a rejected SOQL query says why', async () => {
		const error = await failure(async ({ bulk2 }) => await bulk2.createQueryJob({ query: 'SELECT Nope__c FROM Account' }));
		expect(error.message).toMatch(/^Salesforce rejected the SOQL query: No such column 'Nope__c' on entity 'Account'/);
		expect(error.context).toMatchObject({ errorCode: 'INVALID_FIELD', statusCode: 400 });
	});

	it('Bulk 1.0 XML errors carry exceptionCode and exceptionMessage', async () => {
		const error = await failure(async ({ bulk1 }) => await bulk1.createJob({ operation: 'insert', object: 'Nope' }));
		expect(error.message).toMatch(/^Salesforce refused the job: /);
		expect(error.context).toMatchObject({ errorCode: 'InvalidJob', statusCode: 400 });
	});
});

describe('retries', () => {
	it('retries 503, 502, 504 and 429 (honouring Retry-After) on safe requests', async () => {
		s.emulator.faults.add({ status: 503, path: '/sobjects' }, { status: 502, path: '/sobjects' }, { status: 504, path: '/sobjects' }, { status: 429, retryAfter: 1, path: '/sobjects' });
		const route = 'GET /services/data/v63.0/sobjects';
		const before = s.emulator.stats.byRoute[route] ?? 0;
		const started = Date.now();
		const out = await run(async ({ rest }) => ({ names: (await rest.describeGlobal()).map((o) => o.name) }));
		expect(out.names).toEqual(expect.arrayContaining(['Account', 'Invoice__c']));
		expect(s.emulator.stats.byRoute[route] - before).toBe(5);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	it('gives up after a bounded number of tries with a clear message', async () => {
		s.emulator.faults.add({ status: 503, count: 10, path: '/jobs/ingest/' });
		const error = await failure(async ({ bulk2 }) => await bulk2.getJob('ingest', '7505e00000YYYYYAAA'));
		expect(error.message).toBe('Salesforce is unavailable (HTTP 503); retries did not help. Try again later');
		expect(s.emulator.stats.byRoute['GET /services/data/v63.0/jobs/ingest/:id']).toBeGreaterThanOrEqual(retryPolicy.attempts);
	});

	it('does not retry a POST that may have been applied, nor 403 REQUEST_LIMIT_EXCEEDED', async () => {
		// A 502 may come after the job was made (503 and 429 are refusals, sent again even for a POST).
		s.emulator.faults.add({ status: 502, method: 'POST', path: '/jobs/query' });
		const post = await failure(async ({ bulk2 }) => await bulk2.createQueryJob({ query: 'SELECT Id FROM Account' }));
		expect(post.context).toMatchObject({ statusCode: 502 });
		s.emulator.faults.add({ status: 403, path: '/jobs/query' });
		const quota = await failure(async ({ bulk2 }) => {
			for await (const job of bulk2.listJobs('query')) return { job };
			return {};
		});
		expect(quota.message).toMatch(/daily API request limit is used up \(REQUEST_LIMIT_EXCEEDED\)/);
		expect(quota.context).toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED', statusCode: 403 });
	});

	it('retries a connection reset on a GET', async () => {
		s.emulator.faults.add({ kind: 'reset', afterBytes: 5, path: '/sobjects' });
		const out = await run(async ({ rest }) => ({ count: (await rest.describeGlobal()).length }));
		expect(out.count).toBeGreaterThan(5);
	});
});

describe('tokens that expire in the middle of a run', () => {
	it('Bulk 2.0: n8n renews on the 401 and the run goes on', async () => {
		const before = String(s.harness.credentialData(CREDENTIAL)?.accessToken);
		const out = await run(async ({ bulk2 }) => {
			const job = await bulk2.createIngestJob({ object: 'Account', operation: 'insert' });
			s.emulator.oauth.expireAll();
			return await bulk2.getJob('ingest', job.id);
		});
		expect(out.state).toBe('Open');
		expect(s.harness.credentialData(CREDENTIAL)?.accessToken).not.toBe(before);
	});

	it('Bulk 1.0: HTTP 400 InvalidSessionId is renewed and the request sent again, also with a stream body', async () => {
		const out = await run(async ({ bulk1 }) => {
			const job = await bulk1.createJob({ operation: 'insert', object: 'Account' });
			s.emulator.oauth.expireAll();
			const batch = await bulk1.addBatch(job.id, 'CSV', async () => Readable.from([Buffer.from('Name\nV1 Renewed\n')]));
			s.emulator.oauth.expireAll();
			await bulk1.setJobState(job.id, 'Closed');
			const batches = await bulk1.waitForBatches(job.id, { timeoutMs: 10000, initialIntervalMs: 20 });
			const result = await bulk1.getBatchData(job.id, batch.id, 'result', 'text');
			return { batches, result: String(result.body) };
		});
		expect(out.batches).toEqual([expect.objectContaining({ state: 'Completed', numberRecordsProcessed: 1 })]);
		expect([...s.emulator.org.table('Account').values()].filter((a) => a.Name === 'V1 Renewed')).toHaveLength(1);
		expect(String(out.result).split('\n')[0]).toBe('"Id","Success","Created","Error"');
	});
});

describe('Bulk 1.0 client', () => {
	it('runs a PK-chunked query and reads every chunk result', async () => {
		for (let i = 0; i < 9; i++) s.emulator.org.insertSystem('Contact', { LastName: `Chunk${i}`, Title: 'chunked' });
		const out = await run(async ({ bulk1 }) => {
			const job = await bulk1.createJob({ operation: 'query', object: 'Contact' }, { chunkSize: 4 });
			await bulk1.addBatch(job.id, 'CSV', "SELECT Id, LastName FROM Contact WHERE Title = 'chunked'");
			const batches = await bulk1.waitForBatches(job.id, { timeoutMs: 10000, initialIntervalMs: 20 });
			await bulk1.setJobState(job.id, 'Closed');
			const names: string[] = [];
			for (const batch of batches.filter((b) => b.state === 'Completed')) {
				for (const resultId of await bulk1.getQueryResultIds(job.id, batch.id)) {
					const { body } = await bulk1.getQueryResult(job.id, batch.id, resultId, 'text');
					names.push(...String(body).trim().split('\n').slice(1).map((line) => line.split(',')[1].replace(/"/g, '')));
				}
			}
			return { states: batches.map((b) => b.state), names: names.sort() };
		});
		expect(out.states).toContain('NotProcessed');
		expect((out.states as string[]).filter((state) => state === 'Completed').length).toBeGreaterThan(1);
		expect(out.names).toEqual(Array.from({ length: 9 }, (_, i) => `Chunk${i}`));
	});
});

describe('waiting', () => {
	it('a timeout names the job and its state, and the job keeps running', async () => {
		await admin(s.emulator, 'config', { holdJobs: true });
		try {
			const error = await failure(async ({ bulk2 }) => {
				const job = await bulk2.createQueryJob({ query: 'SELECT Id FROM Account' });
				return await bulk2.waitForJob('query', job.id, { timeoutMs: 300, initialIntervalMs: 50 });
			});
			expect(error.message).toMatch(/^Timed out after \d+ s waiting for query job 750\w+; its state is (UploadComplete|InProgress)$/);
		} finally {
			await admin(s.emulator, 'config', { holdJobs: false });
		}
	});

	it('stops promptly when the execution is cancelled', async () => {
		await admin(s.emulator, 'config', { holdJobs: true });
		try {
			const controller = new AbortController();
			setProbe(async ({ bulk2 }) => {
				const job = await bulk2.createQueryJob({ query: 'SELECT Id FROM Account' });
				return await bulk2.waitForJob('query', job.id, { timeoutMs: 60000, initialIntervalMs: 5000 });
			});
			const started = Date.now();
			const running = s.harness.execute(probe, { abortSignal: controller.signal });
			await sleep(200);
			controller.abort();
			await expect(running).rejects.toThrow('The execution was cancelled');
			expect(Date.now() - started).toBeLessThan(2000);
		} finally {
			await admin(s.emulator, 'config', { holdJobs: false });
		}
	});
});
