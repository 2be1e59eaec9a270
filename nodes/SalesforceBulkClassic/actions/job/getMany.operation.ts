import type { IExecuteFunctions } from 'n8n-workflow';

import type { JobInfo, JobKind, JobListFilter } from '../../../shared/api/bulk2Api';
import { connect } from '../../../shared/api/connect';
import { limitOf, returnAllParameters } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { concurrencyModeFilter, jobListFilterOptions, jobListFiltersOf } from '../../../shared/node/jobListFilters';
import { showFor, type Operation } from '../common';

const displayOptions = showFor('job', 'getAll');

/** Get Many: the org's Classic jobs, following Salesforce's pages (its list shows a Closed job as UploadComplete). */
export const getMany: Operation = {
	description: [
		...returnAllParameters(displayOptions),
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			displayOptions,
			options: jobListFilterOptions(['Open', { name: 'Closed', value: 'UploadComplete' }, 'Aborted', 'Failed'], [
				concurrencyModeFilter,
				{
					displayName: 'Job Kind',
					name: 'kind',
					type: 'options',
					options: [
						{ name: 'Load', value: 'ingest', description: 'Insert, update, upsert, delete and hard delete jobs' },
						{ name: 'Query', value: 'query', description: 'Query and query all jobs' },
					],
					default: 'ingest',
				},
				{ displayName: 'PK Chunking Enabled', name: 'isPkChunkingEnabled', type: 'boolean', default: false, description: 'Whether to list only jobs that use PK chunking' },
			]),
		},
	],
	async execute(this: IExecuteFunctions) {
		const { bulk2 } = await connect(this);
		return await perItem(this, async (i) => {
			const limit = limitOf(this, i);
			const { query, accepts } = await jobListFiltersOf(this, i);
			const { kind, ...filter } = query as JobListFilter & { kind?: JobKind };
			const jobs: JobInfo[] = [];
			for await (const job of bulk2.listClassicJobs(filter, kind ? [kind] : undefined)) {
				if (jobs.length >= limit) break;
				if (accepts(job)) jobs.push(job);
			}
			return jobs;
		});
	},
};
