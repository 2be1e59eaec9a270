// bulk2/queryPages: the pages of a finished query job in order — following Sforce-Locator (the next page asked
// for ahead, at most two) or, in parallel, the /resultPages URLs — over HTTP against the emulator.
import { sleep } from 'n8n-workflow';

import { queryResultPages, type PageOptions } from '../../../nodes/shared/bulk2/queryPages';
import { apiProbe } from '../apiProbe';

const p = apiProbe();
let jobId = '';

beforeAll(async () => {
	for (let i = 0; i < 10; i++) p.s.emulator.org.insertSystem('Lead', { LastName: `QP-${i}`, Company: 'Query Pages' });
	const out = await p.run(async ({ bulk2 }) => {
		const job = await bulk2.createQueryJob({ query: "SELECT LastName FROM Lead WHERE Company = 'Query Pages' ORDER BY LastName" });
		return await bulk2.waitForJob('query', job.id, { timeoutMs: 10000, initialIntervalMs: 20 });
	});
	jobId = String(out.id);
});

/** The pages as their rows (header dropped) and the result requests made. */
async function pagesOf(options: PageOptions, take = Infinity) {
	let pages: string[][] = [];
	const sent = await p.requestsOf(async () => {
		const out = await p.run(async ({ bulk2 }, ctx) => {
			const got: string[][] = [];
			for await (const page of queryResultPages(ctx, bulk2, jobId, options)) {
				got.push(Buffer.concat(page.body).toString().trim().split('\n').slice(1));
				if (got.length >= take) break;
			}
			return { got };
		});
		pages = out.got as string[][];
		// Pages asked for ahead are counted too: they may arrive after the reader stopped.
		await sleep(300);
	});
	return { pages, results: sent.filter((r) => r.path.endsWith('/results') || r.path.endsWith('/resultPages')) };
}

const all = Array.from({ length: 10 }, (_, i) => `"QP-${i}"`);

it('follows the locators one page after another, every row once and in order', async () => {
	const { pages, results } = await pagesOf({ maxRecords: 3 });
	expect(pages.map((rows) => rows.length)).toEqual([3, 3, 3, 1]);
	expect(pages.flat()).toEqual(all);
	expect(results.map((r) => r.query.locator ?? 'first')).toEqual(['first', expect.any(String), expect.any(String), expect.any(String)]);
	expect(new Set(results.map((r) => r.query.locator)).size).toBe(4);
});

it('starts at a locator given', async () => {
	const start = await p.run(async ({ bulk2 }) => ({ next: (await bulk2.getQueryResults(jobId, { maxRecords: 4 }, 'text')).nextLocator }));
	const { pages, results } = await pagesOf({ maxRecords: 4, locator: String(start.next) });
	expect(pages.flat()).toEqual(all.slice(4));
	expect(results[0].query.locator).toBe(start.next);
});

it('asks for no page ahead when only one page or a number of rows is wanted', async () => {
	const one = await pagesOf({ maxRecords: 3, onePage: true });
	expect(one.pages).toEqual([all.slice(0, 3)]);
	expect(one.results).toHaveLength(1);
	const limited = await pagesOf({ maxRecords: 3, rowsWanted: 5 });
	expect(limited.pages.flat()).toEqual(all.slice(0, 6));
	expect(limited.results).toHaveLength(2);
});

it('stops asking when the reader stops: at most two pages ahead of the one in use', async () => {
	const { pages, results } = await pagesOf({ maxRecords: 2 }, 1);
	expect(pages).toEqual([all.slice(0, 2)]);
	expect(results.length).toBeLessThanOrEqual(3);
});

it('downloads pages in parallel through /resultPages and hands them out in order', async () => {
	const { pages, results } = await pagesOf({ maxRecords: 3, parallel: 3 });
	expect(pages.flat()).toEqual(all);
	expect(results[0].path).toMatch(/\/jobs\/query\/750\w+\/resultPages$/);
	expect(results[0].query.maxRecords).toBe('3');
	expect(results.slice(1).every((r) => r.path.endsWith('/results'))).toBe(true);
	expect(results).toHaveLength(5);
});
