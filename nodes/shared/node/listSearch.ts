import type { INodeListSearchResult } from 'n8n-workflow';

import type { JobInfo } from '../api/bulk2Api';

/** Entries a Job resource locator's list shows at most. */
const LIST_SEARCH_PAGE = 100;

/** When a job was created, as the lists show it: `2025-01-31 12:34`. */
export const createdAt = (job: JobInfo): string => String(job.createdDate).slice(0, 16).replace('T', ' ');

/**
 * The list of a Job resource locator: the jobs whose `searchIn` values contain the filter text (case-insensitive),
 * newest first, each named by `label`.
 */
export function jobSearchResults(jobs: Iterable<JobInfo>, filter: string | undefined, searchIn: (job: JobInfo) => unknown[], label: (job: JobInfo) => string): INodeListSearchResult {
	const needle = (filter ?? '').toLowerCase();
	const results = [...jobs]
		.filter((job) => !needle || searchIn(job).some((value) => String(value).toLowerCase().includes(needle)))
		.sort((a, b) => String(b.createdDate).localeCompare(String(a.createdDate)))
		.slice(0, LIST_SEARCH_PAGE)
		.map((job) => ({ name: label(job), value: job.id }));
	return { results };
}
