import type { ILoadOptionsFunctions, INodeListSearchResult, ResourceMapperFields } from 'n8n-workflow';

import { isQueryJob } from '../../shared/api/bulk1Api';
import type { JobInfo } from '../../shared/api/bulk2Api';
import { connect } from '../../shared/api/connect';
import { jobsFrom } from '../../shared/node/jobListing';
import { mapperFieldsFor, type RecordOperation } from '../../shared/node/fieldMapper';
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

export const resourceMapping = {
	/** Load Records: the fields of the chosen object that the chosen record operation can write. */
	async getMappingColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		const object = String(this.getCurrentNodeParameter('object') ?? '').trim();
		return await mapperFieldsFor(this, object, (this.getCurrentNodeParameter('jobOperation') ?? 'insert') as RecordOperation);
	},
	/** Add Batch: the fields of the job's object that its operation can write. */
	async getJobMappingColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		const jobId = String(this.getNodeParameter('jobId', '', { extractValue: true }) ?? '').trim();
		if (!jobId) return { fields: [], emptyFieldsNotice: 'Choose a job first' };
		const { bulk1 } = await connect(this);
		const job = await bulk1.getJob(jobId);
		return await mapperFieldsFor(this, job.object, job.operation as RecordOperation, job.externalIdFieldName as string | undefined);
	},
};
