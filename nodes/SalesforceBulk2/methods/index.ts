import type { ILoadOptionsFunctions, INodeListSearchResult, ResourceMapperFields } from 'n8n-workflow';

import type { JobInfo, JobKind } from '../../shared/api/bulk2Api';
import { connect } from '../../shared/api/connect';
import { mapperFieldsFor, type RecordOperation } from '../../shared/node/fieldMapper';
import { createdAt, jobSearchResults } from '../../shared/node/listSearch';
import { sObjectLoadOptions } from '../../shared/node/loadOptions';

/** Recent Bulk 2.0 jobs of a kind for the Job resource locator, filtered by ID or object. */
async function searchJobs(ctx: ILoadOptionsFunctions, kind: JobKind, filter: string | undefined, accept: (job: JobInfo) => boolean = () => true): Promise<INodeListSearchResult> {
	const { bulk2 } = await connect(ctx);
	const jobs: JobInfo[] = [];
	for await (const job of bulk2.listJobs(kind, { jobType: kind === 'ingest' ? 'V2Ingest' : 'V2Query' })) if (accept(job)) jobs.push(job);
	return jobSearchResults(jobs, filter, (job) => [job.id, job.object], (job) => `${job.object} ${job.operation} · ${job.state} · ${createdAt(job)}`);
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
