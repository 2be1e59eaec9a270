import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { limitOf, returnAllParameters } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { concurrencyModeFilter, jobListFilterOptions, jobListFiltersOf, resumeFromOptions } from '../../../shared/node/jobListFilters';
import { acceptedJobs, jobsFrom } from '../../../shared/node/jobListing';
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

/** Get Many: the org's jobs of the resource's kind, following Salesforce's pages; resumable where a limit stopped it. */
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
		resumeFromOptions(showFor('ingestJob', 'getAll')),
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
		resumeFromOptions(showFor('queryJob', 'getAll')),
	],
	async execute(this: IExecuteFunctions) {
		const { bulk2 } = await connect(this);
		const kind = KIND_OF[this.getNodeParameter('resource', 0) as Resource];
		return await perItem(this, async (i) => {
			const { query, accepts } = await jobListFiltersOf(this, i);
			const from = String(this.getNodeParameter('options.resumeFrom', i, ''));
			return await acceptedJobs(jobsFrom(this, bulk2, [kind], query, { from, itemIndex: i }), accepts, limitOf(this, i));
		});
	},
};
