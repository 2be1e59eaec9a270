import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { JobInfo } from '../../../shared/api/bulk2Api';
import { connect } from '../../../shared/api/connect';
import { limitOf, returnAllParameters } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { concurrencyModeFilter, jobListFilterOptions, jobListFiltersOf } from '../../../shared/node/jobListFilters';
import { KIND_OF, showFor, type Operation, type Resource } from '../common';

/** The Filters collection of one resource; Job Type lists the job types Salesforce keeps under its endpoint. */
function filters(resource: Resource, jobTypes: Array<{ name: string; value: string }>, defaultJobType: string, states: string[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: showFor(resource, 'getAll'),
		options: jobListFilterOptions(states, [
			concurrencyModeFilter,
			{ displayName: 'Job Type', name: 'jobType', type: 'options', options: jobTypes, default: defaultJobType },
			{ displayName: 'PK Chunking Enabled', name: 'isPkChunkingEnabled', type: 'boolean', default: false, description: 'Whether to list only jobs that use PK chunking' },
		]),
	};
}

/** Get Many: the org's jobs of the resource's kind, following Salesforce's pages. */
export const getMany: Operation = {
	description: [
		...returnAllParameters(showFor('ingestJob', 'getAll')),
		filters(
			'ingestJob',
			[
				{ name: 'Big Object', value: 'BigObjectIngest' },
				{ name: 'Bulk API 1.0 (Classic)', value: 'Classic' },
				{ name: 'Bulk API 2.0', value: 'V2Ingest' },
			],
			'V2Ingest',
			['Open', 'UploadComplete', 'InProgress', 'JobComplete', 'Failed', 'Aborted'],
		),
		...returnAllParameters(showFor('queryJob', 'getAll')),
		filters(
			'queryJob',
			[
				{ name: 'Bulk API 1.0 (Classic)', value: 'Classic' },
				{ name: 'Bulk API 2.0', value: 'V2Query' },
			],
			'V2Query',
			['UploadComplete', 'InProgress', 'JobComplete', 'Failed', 'Aborted'],
		),
	],
	async execute(this: IExecuteFunctions) {
		const { bulk2 } = await connect(this);
		const kind = KIND_OF[this.getNodeParameter('resource', 0) as Resource];
		return await perItem(this, async (i) => {
			const limit = limitOf(this, i);
			const { query, accepts } = await jobListFiltersOf(this, i);
			const jobs: JobInfo[] = [];
			for await (const job of bulk2.listJobs(kind, query)) {
				if (jobs.length >= limit) break;
				if (accepts(job)) jobs.push(job);
			}
			return jobs;
		});
	},
};
