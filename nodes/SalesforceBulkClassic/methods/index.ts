import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { isQueryJob } from '../../shared/api/bulk1Api';
import type { JobInfo } from '../../shared/api/bulk2Api';
import { connect } from '../../shared/api/connect';
import { createdAt, jobSearchResults } from '../../shared/node/listSearch';
import { sObjectLoadOptions } from '../../shared/node/loadOptions';

/** Recent Classic jobs for the Job resource locator, filtered by ID, object or operation. */
async function searchJobs(ctx: ILoadOptionsFunctions, filter: string | undefined, accept: (job: JobInfo) => boolean = () => true): Promise<INodeListSearchResult> {
	const { bulk2 } = await connect(ctx);
	const jobs: JobInfo[] = [];
	for await (const job of bulk2.listClassicJobs()) if (accept(job)) jobs.push(job);
	return jobSearchResults(jobs, filter, (job) => [job.id, job.object, job.operation], (job) => `${job.object} ${job.operation} · ${String(job.contentType)} · ${job.state} · ${createdAt(job)}`);
}

export const listSearch = {
	async searchClassicJobs(this: ILoadOptionsFunctions, filter?: string) {
		return await searchJobs(this, filter);
	},
	async searchOpenClassicJobs(this: ILoadOptionsFunctions, filter?: string) {
		return await searchJobs(this, filter, (job) => job.state === 'Open');
	},
	async searchClassicQueryJobs(this: ILoadOptionsFunctions, filter?: string) {
		return await searchJobs(this, filter, isQueryJob);
	},
	async searchAttachmentJobs(this: ILoadOptionsFunctions, filter?: string) {
		return await searchJobs(this, filter, (job) => job.state === 'Open' && String(job.contentType).startsWith('ZIP_'));
	},
};

export const loadOptions = sObjectLoadOptions;
