// api/bulk2Api: every Bulk API 2.0 endpoint over real HTTP against the emulator — the requests it makes
// (method, path, query, headers) and what it makes of the answers. (Partly moved from test/nodes/client.test.ts.)
import { sleep } from 'n8n-workflow';

import { withoutEmpty } from '../../../nodes/shared/api/bulk2Api';
import { apiProbe, type SentRequest } from '../apiProbe';
import { admin } from '../../nodes/setup';

const p = apiProbe();
const V2 = '/services/data/v63.0/jobs';
const csv = 'Name,Legacy_Id__c\nAcme,C-1\nGlobex,C-2\n';
const routes = (sent: SentRequest[]) => sent.map((r) => `${r.method} ${r.path.replace(/\/750\w+/g, '/:id')}`);

describe('ingest jobs', () => {
	it('creates, uploads, closes, waits and reads the results, with the requests Salesforce expects', async () => {
		let out: Record<string, unknown> = {};
		const sent = await p.requestsOf(async () => {
			out = await p.run(async ({ bulk2 }) => {
				const job = await bulk2.createIngestJob({ object: 'Account', operation: 'insert', externalIdFieldName: '', assignmentRuleId: undefined });
				await bulk2.uploadJobData(job.id, async () => csv);
				const closed = await bulk2.closeJob(job.id);
				const done = await bulk2.waitForJob('ingest', job.id, { timeoutMs: 10000, initialIntervalMs: 20 });
				return { job, closed, done, ok: await bulk2.getIngestResults(job.id, 'successfulResults', 'text'), failed: await bulk2.getIngestResults(job.id, 'failedResults', 'text') };
			});
		});
		expect(out.job).toMatchObject({ object: 'Account', operation: 'insert', state: 'Open' });
		expect(out.closed).toMatchObject({ state: 'UploadComplete' });
		expect(out.done).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 0 });
		expect(String(out.ok).split('\n')[0]).toBe('"sf__Id","sf__Created",Name,Legacy_Id__c');
		expect(out.failed).toBe('"sf__Id","sf__Error",Name,Legacy_Id__c\n');
		const list = routes(sent);
		expect(list.slice(0, 3)).toEqual([`POST ${V2}/ingest`, `PUT ${V2}/ingest/:id/batches`, `PATCH ${V2}/ingest/:id`]);
		expect(list.slice(-2)).toEqual([`GET ${V2}/ingest/:id/successfulResults`, `GET ${V2}/ingest/:id/failedResults`]);
		const polls = list.slice(3, -2);
		expect(polls.length).toBeGreaterThan(0);
		expect(polls).toEqual(polls.map(() => `GET ${V2}/ingest/:id`));
		expect(sent[1].headers['content-type']).toBe('text/csv');
		expect(sent.at(-1)?.headers.accept).toBe('text/csv');
		// The empty fields were left out of the job (Salesforce rejects an empty externalIdFieldName).
		const job = p.s.emulator.jobs.get(String((out.job as { id: string }).id));
		expect(job).toMatchObject({ object: 'Account', operation: 'insert' });
		expect(job?.externalIdFieldName ?? null).toBeNull();
	});

	it('a second upload to a job gets a clear error', async () => {
		const error = await p.failure(async ({ bulk2 }) => {
			const job = await bulk2.createIngestJob({ object: 'Account', operation: 'insert' });
			await bulk2.uploadJobData(job.id, async () => csv);
			await bulk2.uploadJobData(job.id, async () => csv);
			return {};
		});
		expect(error.message).toMatch(/^Job 750\w+ already has its data: Salesforce accepts one upload per job/);
		expect(error.context).toMatchObject({ errorCode: 'INVALIDJOB', statusCode: 409 });
	});

	it('an upload that fails without an answer is sent again only while the job is still Open', async () => {
		let out: Record<string, unknown> = {};
		const sent = await p.requestsOf(async () => {
			out = await p.run(async ({ bulk2 }) => {
				const job = await bulk2.createIngestJob({ object: 'Account', operation: 'insert' });
				p.s.emulator.faults.add({ status: 500, method: 'PUT', path: '/batches' });
				await bulk2.uploadJobData(job.id, async () => 'Name\nRetried Upload\n');
				await bulk2.closeJob(job.id);
				return await bulk2.waitForJob('ingest', job.id, { timeoutMs: 10000, initialIntervalMs: 20 });
			});
		});
		expect(out).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1 });
		// The 500: the job read (still Open), then the upload once more.
		expect(routes(sent).slice(0, 4)).toEqual([`POST ${V2}/ingest`, `PUT ${V2}/ingest/:id/batches`, `GET ${V2}/ingest/:id`, `PUT ${V2}/ingest/:id/batches`]);
	});

	it('aborts and deletes a job', async () => {
		let id = '';
		const sent = await p.requestsOf(async () => {
			const aborted = await p.run(async ({ bulk2 }) => {
				const job = await bulk2.createIngestJob({ object: 'Account', operation: 'insert' });
				id = job.id;
				const state = (await bulk2.abortJob('ingest', job.id)).state;
				await bulk2.deleteJob('ingest', job.id);
				return { state };
			});
			expect(aborted.state).toBe('Aborted');
		});
		expect(routes(sent)).toEqual([`POST ${V2}/ingest`, `PATCH ${V2}/ingest/:id`, `DELETE ${V2}/ingest/:id`]);
		expect(p.s.emulator.jobs.get(id)).toBeUndefined();
	});
});

describe('listing jobs', () => {
	it('lists every job across pages through nextRecordsUrl, with the filters as query parameters', async () => {
		await admin(p.s.emulator, 'config', { jobsPageSize: 2 });
		try {
			let ids: string[] = [];
			const sent = await p.requestsOf(async () => {
				const out = await p.run(async ({ bulk2 }) => {
					for (let i = 0; i < 3; i++) await bulk2.createIngestJob({ object: 'Case', operation: 'insert' });
					const listed: string[] = [];
					for await (const job of bulk2.listJobs('ingest', { jobType: 'V2Ingest', isPkChunkingEnabled: false })) listed.push(job.id);
					return { ids: listed };
				});
				ids = out.ids as string[];
			});
			expect(ids.length).toBeGreaterThanOrEqual(3);
			expect(new Set(ids).size).toBe(ids.length);
			const lists = sent.filter((r) => r.method === 'GET');
			// Two jobs a page; each next page through the nextRecordsUrl, which keeps the filters.
			expect(lists.length).toBeGreaterThanOrEqual(Math.ceil(ids.length / 2));
			expect(lists[0].query).toEqual({ jobType: 'V2Ingest', isPkChunkingEnabled: 'false' });
			expect(lists[1].query).toMatchObject({ jobType: 'V2Ingest', isPkChunkingEnabled: 'false', queryLocator: expect.any(String) });
		} finally {
			await admin(p.s.emulator, 'config', { jobsPageSize: 1000 });
		}
	});

	it('lists Classic jobs from both endpoints, each once', async () => {
		const ids = (await p.run(async ({ bulk1 }) => ({ ids: [(await bulk1.createJob({ object: 'Account', operation: 'insert' })).id, (await bulk1.createJob({ object: 'Account', operation: 'query' })).id] }))).ids as string[];
		let listed: string[] = [];
		const sent = await p.requestsOf(async () => {
			const out = await p.run(async ({ bulk2 }) => {
				const all: string[] = [];
				for await (const job of bulk2.listClassicJobs()) all.push(job.id);
				return { all };
			});
			listed = out.all as string[];
		});
		expect(listed).toEqual(expect.arrayContaining(ids));
		expect(new Set(listed).size).toBe(listed.length);
		expect(sent.map((r) => `${r.path} ${r.query.jobType}`)).toEqual([`${V2}/ingest Classic`, `${V2}/query Classic`]);
	});
});

describe('query jobs', () => {
	it('pages results with locators and lists parallel result pages', async () => {
		for (let i = 0; i < 7; i++) p.s.emulator.org.insertSystem('Lead', { LastName: `Page${i}`, Company: 'Paged Inc' });
		let out: Record<string, unknown> = {};
		const sent = await p.requestsOf(async () => {
			out = await p.run(async ({ bulk2 }) => {
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
		});
		expect(out).toEqual({ pages: [3, 3, 1], viaUrls: [3, 3, 1] });
		// Three pages by locator, the list of page URLs, then the three page URLs (which hold their own locators).
		const results = sent.filter((r) => r.path.endsWith('/results'));
		expect(results.map((r) => r.query.maxRecords)).toEqual(['3', '3', '3', '3', '3', '3']);
		expect(results[0].query.locator).toBeUndefined();
		expect(results[1].query.locator).toEqual(expect.any(String));
		expect(sent.filter((r) => r.path.endsWith('/resultPages')).map((r) => r.query.maxRecords)).toEqual(['3']);
		expect(results.every((r) => r.headers.accept === 'text/csv')).toBe(true);
		// The query job is created with operation "query" by default.
		expect(sent[0]).toMatchObject({ method: 'POST', path: `${V2}/query` });
	});

	it('a wait that times out names the job and its state, and the job keeps running', async () => {
		await admin(p.s.emulator, 'config', { holdJobs: true });
		try {
			const error = await p.failure(async ({ bulk2 }) => {
				const job = await bulk2.createQueryJob({ query: 'SELECT Id FROM Account' });
				return await bulk2.waitForJob('query', job.id, { timeoutMs: 300, initialIntervalMs: 50 });
			});
			expect(error.message).toMatch(/^Timed out after \d+ s waiting for query job 750\w+; its state is (UploadComplete|InProgress)$/);
			const id = /750\w+/.exec(error.message)![0];
			expect(['UploadComplete', 'InProgress']).toContain(p.s.emulator.jobs.get(id)?.state);
		} finally {
			await admin(p.s.emulator, 'config', { holdJobs: false });
		}
	});

	it('a wait stops promptly when the execution is cancelled', async () => {
		await admin(p.s.emulator, 'config', { holdJobs: true });
		try {
			const controller = new AbortController();
			const started = Date.now();
			const running = p.run(
				async ({ bulk2 }) => {
					const job = await bulk2.createQueryJob({ query: 'SELECT Id FROM Account' });
					return await bulk2.waitForJob('query', job.id, { timeoutMs: 60000, initialIntervalMs: 5000 });
				},
				{ abortSignal: controller.signal },
			);
			await sleep(200);
			controller.abort();
			await expect(running).rejects.toThrow('The execution was cancelled');
			expect(Date.now() - started).toBeLessThan(2000);
		} finally {
			await admin(p.s.emulator, 'config', { holdJobs: false });
		}
	});
});

it('withoutEmpty drops undefined, null and empty strings, keeping false and 0', () => {
	expect(withoutEmpty({ a: undefined, b: null, c: '', d: false, e: 0, f: 'x' })).toEqual({ d: false, e: 0, f: 'x' });
});
