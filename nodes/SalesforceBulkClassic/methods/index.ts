import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { JobInfo } from '../../shared/api/bulk2Api';
import { connect } from '../../shared/api/connect';
import { sObjectLoadOptions } from '../../shared/node/loadOptions';
import { classicJobs } from '../actions/job/getMany.operation';

const LIST_PAGE = 100;
const isQuery = (job: JobInfo) => job.operation === 'query' || job.operation === 'queryAll';

/** Recent Classic jobs for the Job resource locator, newest first, filtered by ID, object or operation. */
async function searchJobs(ctx: ILoadOptionsFunctions, filter: string | undefined, accept: (job: JobInfo) => boolean = () => true): Promise<INodeListSearchResult> {
	const { bulk2 } = await connect(ctx);
	const jobs: JobInfo[] = [];
	for await (const job of classicJobs(bulk2)) if (accept(job)) jobs.push(job);
	const needle = (filter ?? '').toLowerCase();
	const results = jobs
		.filter((job) => !needle || [job.id, job.object, job.operation].some((v) => String(v).toLowerCase().includes(needle)))
		.sort((a, b) => String(b.createdDate).localeCompare(String(a.createdDate)))
		.slice(0, LIST_PAGE)
		.map((job) => ({ name: `${job.object} ${job.operation} · ${String(job.contentType)} · ${job.state} · ${String(job.createdDate).slice(0, 16).replace('T', ' ')}`, value: job.id }));
	return { results };
}

export const listSearch = {
	async searchClassicJobs(this: ILoadOptionsFunctions, filter?: string) {
		return await searchJobs(this, filter);
	},
	async searchOpenClassicJobs(this: ILoadOptionsFunctions, filter?: string) {
		return await searchJobs(this, filter, (job) => job.state === 'Open');
	},
	async searchClassicQueryJobs(this: ILoadOptionsFunctions, filter?: string) {
		return await searchJobs(this, filter, isQuery);
	},
	async searchAttachmentJobs(this: ILoadOptionsFunctions, filter?: string) {
		return await searchJobs(this, filter, (job) => job.state === 'Open' && String(job.contentType).startsWith('ZIP_'));
	},
};

export const loadOptions = sObjectLoadOptions;
