import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { JobInfo, JobKind } from '../../shared/api/bulk2Api';
import { connect } from '../../shared/api/connect';
import { sObjectLoadOptions } from '../../shared/node/loadOptions';

const LIST_PAGE = 100;

/** Recent jobs of a kind for the Job resource locator, newest first, filtered by ID or object. */
async function searchJobs(ctx: ILoadOptionsFunctions, kind: JobKind, filter: string | undefined, accept: (job: JobInfo) => boolean = () => true): Promise<INodeListSearchResult> {
	const { bulk2 } = await connect(ctx);
	const jobs: JobInfo[] = [];
	for await (const job of bulk2.listJobs(kind, { jobType: kind === 'ingest' ? 'V2Ingest' : 'V2Query' })) jobs.push(job);
	const needle = (filter ?? '').toLowerCase();
	const results = jobs
		.filter((job) => accept(job) && (!needle || job.id.toLowerCase().includes(needle) || job.object.toLowerCase().includes(needle)))
		.sort((a, b) => String(b.createdDate).localeCompare(String(a.createdDate)))
		.slice(0, LIST_PAGE)
		.map((job) => ({ name: `${job.object} ${job.operation} · ${job.state} · ${String(job.createdDate).slice(0, 16).replace('T', ' ')}`, value: job.id }));
	return { results };
}

export const listSearch = {
	async searchIngestJobs(this: ILoadOptionsFunctions, filter?: string) {
		return await searchJobs(this, 'ingest', filter);
	},
	async searchOpenIngestJobs(this: ILoadOptionsFunctions, filter?: string) {
		return await searchJobs(this, 'ingest', filter, (job) => job.state === 'Open');
	},
	async searchQueryJobs(this: ILoadOptionsFunctions, filter?: string) {
		return await searchJobs(this, 'query', filter);
	},
};

export const loadOptions = sObjectLoadOptions;
