import type { INodeListSearchResult } from 'n8n-workflow';

import type { JobInfo } from '../api/bulk2Api';
import type { ListedJob } from './jobListing';

/** Entries a Job resource locator's list shows at most per page; n8n asks for the next page as the user scrolls. */
const LIST_SEARCH_PAGE = 100;

/** When a job was created, as the lists show it: `2025-01-31 12:34`. */
export const createdAt = (job: JobInfo): string => String(job.createdDate).slice(0, 16).replace('T', ' ');

/**
 * One page of a Job resource locator's list: the jobs `accept` takes whose `searchIn` values contain the filter
 * text (case-insensitive), each named by `label`, read from `listing` only until the page is full; the page's
 * `paginationToken` is the listing's position after its last job, from which the next page goes on.
 *
 * The order is Salesforce's list order, which Salesforce does not document (its documentation's example lists
 * the older job first, and the emulator lists oldest first). Finding the newest jobs first would mean reading the whole list, up to a week
 * of jobs at 1,000 a request, each time the dropdown opens. Reading only what one page needs keeps the
 * dropdown quick; the list holds only the jobs of the last 7 days (Salesforce deletes older ones), the
 * search box matches ID and object so a known job is found without scrolling, and each label shows when
 * the job was created.
 */
export async function jobSearchPage(
	listing: AsyncIterable<ListedJob>,
	filter: string | undefined,
	accept: (job: JobInfo) => boolean,
	searchIn: (job: JobInfo) => unknown[],
	label: (job: JobInfo) => string,
): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').toLowerCase();
	const results: INodeListSearchResult['results'] = [];
	for await (const { job, after } of listing) {
		if (!accept(job)) continue;
		if (needle && !searchIn(job).some((value) => String(value).toLowerCase().includes(needle))) continue;
		results.push({ name: label(job), value: job.id });
		if (results.length >= LIST_SEARCH_PAGE) return { results, paginationToken: after };
	}
	return { results };
}
