// listSearch.ts: one page of a Job resource locator's list, read from a listing only as far as the page needs.
import type { JobInfo } from '../../../nodes/shared/api/bulk2Api';
import type { ListedJob } from '../../../nodes/shared/node/jobListing';
import { createdAt, jobSearchPage } from '../../../nodes/shared/node/listSearch';

const job = (id: string, object: string, createdDate: string) => ({ id, object, operation: 'insert', state: 'Open', createdDate }) as JobInfo;

/** A listing of `jobs` that counts how many entries were read from it. */
function listing(jobs: JobInfo[]) {
	const counter = { read: 0 };
	async function* entries(): AsyncGenerator<ListedJob> {
		for (let k = 0; k < jobs.length; k++) {
			counter.read++;
			yield { job: jobs[k], after: k + 1 < jobs.length ? `ingest:#${k + 1}` : undefined };
		}
	}
	return { entries: entries(), counter };
}

describe('jobSearchPage', () => {
	const jobs = [job('750A', 'Account', '2025-01-01T10:00:00.000+0000'), job('750B', 'Contact', '2025-01-03T10:00:00.000+0000'), job('750C', 'Account', '2025-01-02T10:00:00.000+0000')];
	const search = async (filter?: string, accept: (job: JobInfo) => boolean = () => true) =>
		await jobSearchPage(listing(jobs).entries, filter, accept, (j) => [j.id, j.object], (j) => `${j.object} · ${createdAt(j)}`);

	it('lists in the listing order, named by the label; no token when the list ends', async () => {
		expect(await search()).toEqual({
			results: [
				{ name: 'Account · 2025-01-01 10:00', value: '750A' },
				{ name: 'Contact · 2025-01-03 10:00', value: '750B' },
				{ name: 'Account · 2025-01-02 10:00', value: '750C' },
			],
		});
	});

	it('filters by any searched value, case-insensitive, and by accept', async () => {
		expect((await search('account')).results.map((r) => r.value)).toEqual(['750A', '750C']);
		expect((await search('750b')).results.map((r) => r.value)).toEqual(['750B']);
		expect((await search('', (j) => j.object === 'Contact')).results.map((r) => r.value)).toEqual(['750B']);
	});

	it('stops reading at 100 shown and hands the position after the 100th as the pagination token', async () => {
		const many = Array.from({ length: 250 }, (_, k) => job(`750${k}`, k % 2 ? 'Lead' : 'Case', '2025-02-01'));
		const { entries, counter } = listing(many);
		const page = await jobSearchPage(entries, 'lead', () => true, (j) => [j.object], (j) => j.id);
		expect(page.results).toHaveLength(100);
		expect(page.results.at(-1)?.value).toBe('750199');
		expect(counter.read).toBe(200);
		expect(page.paginationToken).toBe('ingest:#200');
	});
});
