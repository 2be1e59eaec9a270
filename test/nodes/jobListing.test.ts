// Resumable job listings against the emulator, which pages its job lists as Salesforce does (jobsPageSize,
// nextRecordsUrl with a queryLocator, done): Get Many's resumeFrom / Resume From (V2 and Classic), and the
// job dropdowns, which stop reading as soon as a page of the list is full and go on from n8n's pagination token.
import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { accessToken, admin, setup, type Setup } from './setup';

let s: Setup;
const v2 = new SalesforceBulk2();
const classic = new SalesforceBulkClassic();
const V2_JOBS = 130;
beforeAll(async () => {
	s = await setup();
	const token = await accessToken(s.emulator);
	// Jobs made beside the node, so that the node's own requests stay countable.
	for (let k = 0; k < V2_JOBS; k++) {
		const res = await fetch(`${s.emulator.url}/services/data/v63.0/jobs/ingest`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({ object: k % 2 ? 'Account' : 'Contact', operation: 'insert' }),
		});
		expect(res.status).toBe(200);
	}
});
afterAll(async () => await s.close());

async function run(node: INodeType, parameters: INodeParameters) {
	const [out] = await s.harness.execute(node, { parameters });
	return out.map((i) => i.json);
}
const ids = (jobs: IDataObject[]) => jobs.map((j) => j.id);
/** Job list requests (GET …/jobs/ingest and …/jobs/query) the emulator answered since the last call. */
let listed = 0;
function listRequestsSinceLast(): number {
	const total = Object.entries(s.emulator.stats.byRoute)
		.filter(([route]) => /^GET \/services\/data\/v[\d.]+\/jobs\/(ingest|query)$/.test(route))
		.reduce((n, [, count]) => n + Number(count), 0);
	const since = total - listed;
	listed = total;
	return since;
}
async function withPageSize<T>(size: number, body: () => Promise<T>): Promise<T> {
	await admin(s.emulator, 'config', { jobsPageSize: size });
	try {
		return await body();
	} finally {
		await admin(s.emulator, 'config', { jobsPageSize: 1000 });
	}
}

describe('Get Many: resuming a long listing', () => {
	const getMany = (limit: number, resumeFrom?: string, filters: IDataObject = {}) =>
		run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: false, limit, filters, options: resumeFrom === undefined ? {} : { resumeFrom } } as INodeParameters);

	it('V2: the last job carries resumeFrom; listing on from it gives every job once, one page request at a time', async () => {
		await withPageSize(20, async () => {
			const all = await run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: true } as INodeParameters);
			expect(all).toHaveLength(V2_JOBS);
			expect(all.some((job) => 'resumeFrom' in job)).toBe(false);
			expect(listRequestsSinceLast()).toBe(Math.ceil(V2_JOBS / 20));

			const seen: IDataObject[] = [];
			const requests: number[] = [];
			let resumeFrom: string | undefined;
			do {
				const jobs = await getMany(15, resumeFrom);
				requests.push(listRequestsSinceLast());
				resumeFrom = jobs.at(-1)?.resumeFrom as string | undefined;
				expect(jobs.slice(0, -1).some((job) => 'resumeFrom' in job)).toBe(false);
				seen.push(...jobs.map((job) => Object.fromEntries(Object.entries(job).filter(([key]) => key !== 'resumeFrom'))));
			} while (resumeFrom);
			expect(ids(seen)).toEqual(ids(all));
			// 15 jobs out of pages of 20: one request each, two where the 15 cross a page boundary.
			expect(requests.every((n) => n === 1 || n === 2)).toBe(true);
			expect(requests.reduce((a, b) => a + b, 0)).toBeLessThan(2 * requests.length);
		});
	});

	it('V2: filters apply while resuming, and a limit reached on a page end resumes on the next page', async () => {
		await withPageSize(10, async () => {
			const accounts = ids(await run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: true, filters: { objects: 'Account' } } as INodeParameters));
			listRequestsSinceLast();
			const first = await getMany(5, undefined, { objects: 'Account' });
			expect(ids(first)).toEqual(accounts.slice(0, 5));
			expect(listRequestsSinceLast()).toBe(1);
			// Every other job is an Account: the 5th is the page's last job, so the position is the next page's start.
			expect(String(first[4].resumeFrom)).toMatch(/^ingest:01g[0-9A-Za-z]{12}-10#0$/);
			const second = await getMany(5, String(first[4].resumeFrom), { objects: 'Account' });
			expect(ids(second)).toEqual(accounts.slice(5, 10));
			expect(listRequestsSinceLast()).toBe(1);
		});
	});

	it('V2: the end of the list gives no resumeFrom; a bad or foreign position is refused, naming the option', async () => {
		const all = await run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: true } as INodeParameters);
		const last = await getMany(V2_JOBS);
		expect(ids(last)).toEqual(ids(all));
		expect(last.at(-1)).not.toHaveProperty('resumeFrom');
		for (const bad of ['750000000000001', 'query:#3']) {
			const error = (await getMany(5, bad).catch((e: Error) => e)) as Error & { description?: string };
			expect(error.message).toBe(`Resume From "${bad}" is not a position in this job list`);
			expect(error.description).toContain('resumeFrom');
		}
	});

	it('Classic: one listing over both endpoints (no job list of its own), resumed across them', async () => {
		const made: string[] = [];
		for (const jobOperation of ['insert', 'query', 'update', 'query', 'delete']) {
			const [job] = await run(classic, { resource: 'job', operation: 'create', object: 'Lead', jobOperation, contentType: 'CSV' });
			made.push(String(job.id));
		}
		await withPageSize(2, async () => {
			const all = ids(await run(classic, { resource: 'job', operation: 'getAll', returnAll: true, filters: { objects: 'Lead' } } as INodeParameters));
			expect([...all].sort()).toEqual([...made].sort());
			const seen: unknown[] = [];
			let resumeFrom: string | undefined;
			do {
				const jobs = await run(classic, { resource: 'job', operation: 'getAll', returnAll: false, limit: 2, filters: { objects: 'Lead' }, options: { resumeFrom } } as INodeParameters);
				resumeFrom = jobs.at(-1)?.resumeFrom as string | undefined;
				seen.push(...ids(jobs));
			} while (resumeFrom);
			expect(seen).toEqual(all);
		});
	});
});

describe('Job dropdowns: early stop and pagination token', () => {
	it('V2: a page of 100 reads only the pages it needs; the token goes on from the 101st job', async () => {
		await withPageSize(40, async () => {
			listRequestsSinceLast();
			const first = await s.harness.listSearch(v2, 'searchIngestJobs', { parameters: { resource: 'ingestJob', operation: 'get' } });
			expect(first.results).toHaveLength(100);
			// 100 of 130+ jobs in pages of 40: three requests, where loading everything takes four or more.
			expect(listRequestsSinceLast()).toBe(3);
			expect(first.paginationToken).toMatch(/^ingest:01g[0-9A-Za-z]{12}-80#20$/);
			const rest = await s.harness.listSearch(v2, 'searchIngestJobs', { parameters: { resource: 'ingestJob', operation: 'get' }, paginationToken: first.paginationToken });
			const all = await run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: true, filters: { jobType: 'V2Ingest' } } as INodeParameters);
			expect([...first.results, ...rest.results].map((r) => r.value)).toEqual(ids(all));
			expect(rest.paginationToken).toBeUndefined();
		});
	});

	it('V2: with search text, reads until 100 matches are found', async () => {
		await withPageSize(40, async () => {
			listRequestsSinceLast();
			const contacts = await s.harness.listSearch(v2, 'searchIngestJobs', { parameters: { resource: 'ingestJob', operation: 'get' }, filter: 'contact' });
			expect(contacts.results.every((r) => String(r.name).startsWith('Contact '))).toBe(true);
			expect(contacts.results.length).toBeLessThan(100);
			expect(contacts.paginationToken).toBeUndefined();
			expect(listRequestsSinceLast()).toBeGreaterThanOrEqual(4);
		});
	});

	it('Classic: the dropdown pages through both endpoints with the token', async () => {
		await withPageSize(1, async () => {
			const all = ids(await run(classic, { resource: 'job', operation: 'getAll', returnAll: true } as INodeParameters));
			listRequestsSinceLast();
			const first = await s.harness.listSearch(classic, 'searchClassicJobs', { parameters: { resource: 'job', operation: 'get' } });
			expect(first.results.map((r) => r.value)).toEqual(all.slice(0, 100));
			expect(first.paginationToken).toBeUndefined();
		});
	});
});
