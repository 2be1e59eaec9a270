import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { isQueryJob } from '../../shared/api/bulk1Api';
import type { JobInfo } from '../../shared/api/bulk2Api';
import { connect } from '../../shared/api/connect';
import { jobsFrom } from '../../shared/node/jobListing';
import { createdAt, jobSearchPage } from '../../shared/node/listSearch';
import { sObjectLoadOptions } from '../../shared/node/loadOptions';

/** Classic jobs for the Job resource locator, filtered by ID, object or operation, a page at a time. */
async function searchJobs(ctx: ILoadOptionsFunctions, filter: string | undefined, paginationToken: string | undefined, accept: (job: JobInfo) => boolean = () => true): Promise<INodeListSearchResult> {
	const { bulk2 } = await connect(ctx);
	const listing = jobsFrom(ctx, bulk2, ['ingest', 'query'], {}, { from: paginationToken, classic: true });
	return await jobSearchPage(
		listing,
		filter,
		accept,
		(job) => [job.id, job.object, job.operation],
		(job) => `${job.object} ${job.operation} · ${String(job.contentType)} · ${job.state} · ${createdAt(job)}`,
	);
}

export const listSearch = {
	async searchClassicJobs(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		return await searchJobs(this, filter, paginationToken);
	},
	async searchOpenClassicJobs(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		return await searchJobs(this, filter, paginationToken, (job) => job.state === 'Open');
	},
	async searchClassicQueryJobs(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		return await searchJobs(this, filter, paginationToken, isQueryJob);
	},
	async searchAttachmentJobs(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		return await searchJobs(this, filter, paginationToken, (job) => job.state === 'Open' && String(job.contentType).startsWith('ZIP_'));
	},
};

export const loadOptions = sObjectLoadOptions;
