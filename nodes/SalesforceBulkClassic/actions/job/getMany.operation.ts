import type { IExecuteFunctions } from 'n8n-workflow';

import type { JobKind, JobListFilter } from '../../../shared/api/bulk2Api';
import { connect } from '../../../shared/api/connect';
import { limitOf, returnAllParameters } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { concurrencyModeFilter, jobListFilterOptions, jobListFiltersOf, resumeFromOptions } from '../../../shared/node/jobListFilters';
import { acceptedJobs, jobsFrom } from '../../../shared/node/jobListing';
import { showFor, type Operation } from '../common';

const displayOptions = showFor('job', 'getAll');

/**
 * Get Many: the org's Classic jobs. Bulk API 1.0 has no job list of its own: they come from Bulk API 2.0's lists
 * (jobType=Classic) of the ingest and then the query endpoint, which show a Closed job as UploadComplete.
 */
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
		resumeFromOptions(displayOptions),
	],
	async execute(this: IExecuteFunctions) {
		const { bulk2 } = await connect(this);
		return await perItem(this, async (i) => {
			const { query, accepts } = await jobListFiltersOf(this, i);
			const { kind, ...filter } = query as JobListFilter & { kind?: JobKind };
			const from = String(this.getNodeParameter('options.resumeFrom', i, ''));
			const listing = jobsFrom(this, bulk2, kind ? [kind] : ['ingest', 'query'], filter, { from, classic: true, itemIndex: i });
			return await acceptedJobs(listing, accepts, limitOf(this, i));
		});
	},
};
