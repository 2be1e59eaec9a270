import type { ILoadOptionsFunctions, INodeListSearchResult, ResourceMapperFields } from 'n8n-workflow';

import type { JobInfo, JobKind } from '../../shared/api/bulk2Api';
import { connect } from '../../shared/api/connect';
import { jobsFrom } from '../../shared/node/jobListing';
import { mapperFieldsFor, type RecordOperation } from '../../shared/node/fieldMapper';
import { createdAt, jobSearchPage } from '../../shared/node/listSearch';
import { sObjectLoadOptions } from '../../shared/node/loadOptions';

/** Bulk 2.0 jobs of a kind for the Job resource locator, filtered by ID or object, a page at a time. */
async function searchJobs(ctx: ILoadOptionsFunctions, kind: JobKind, filter: string | undefined, paginationToken: string | undefined, accept: (job: JobInfo) => boolean = () => true): Promise<INodeListSearchResult> {
	const { bulk2 } = await connect(ctx);
	const listing = jobsFrom(ctx, bulk2, [kind], { jobType: kind === 'ingest' ? 'V2Ingest' : 'V2Query' }, { from: paginationToken });
	return await jobSearchPage(listing, filter, accept, (job) => [job.id, job.object], (job) => `${job.object} ${job.operation} · ${job.state} · ${createdAt(job)}`);
}

export const listSearch = {
	async searchIngestJobs(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		return await searchJobs(this, 'ingest', filter, paginationToken);
	},
	async searchOpenIngestJobs(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		return await searchJobs(this, 'ingest', filter, paginationToken, (job) => job.state === 'Open');
	},
	async searchQueryJobs(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
		return await searchJobs(this, 'query', filter, paginationToken);
	},
};

export const loadOptions = sObjectLoadOptions;

export const resourceMapping = {
	/** Load Records: the fields of the chosen object that the chosen record operation can write. */
	async getMappingColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		const object = String(this.getCurrentNodeParameter('object') ?? '').trim();
		return await mapperFieldsFor(this, object, (this.getCurrentNodeParameter('ingestOperation') ?? 'insert') as RecordOperation);
	},
	/** Upload Data: the fields of the job's object that its operation can write. */
	async getJobMappingColumns(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
		const jobId = String(this.getNodeParameter('jobId', '', { extractValue: true }) ?? '').trim();
		if (!jobId) return { fields: [], emptyFieldsNotice: 'Choose a job first' };
		const { bulk2 } = await connect(this);
		const job = await bulk2.getJob('ingest', jobId);
		return await mapperFieldsFor(this, job.object, job.operation as RecordOperation, job.externalIdFieldName as string | undefined);
	},
};
