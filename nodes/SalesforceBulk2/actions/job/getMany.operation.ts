import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { JobInfo, JobKind } from '../../../shared/api/bulk2Api';
import { connect } from '../../../shared/api/connect';
import { limitOf, returnAllParameters } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { RESOURCE_OF, showFor, type Operation } from '../common';

/** The Job Type filter: the job types Salesforce lists under each endpoint. */
const JOB_TYPE_FILTERS: Record<JobKind, INodeProperties> = {
	ingest: {
		displayName: 'Job Type',
		name: 'jobType',
		type: 'options',
		options: [
			{ name: 'Big Object', value: 'BigObjectIngest' },
			{ name: 'Bulk API 1.0 (Classic)', value: 'Classic' },
			{ name: 'Bulk API 2.0', value: 'V2Ingest' },
		],
		default: 'V2Ingest',
	},
	query: {
		displayName: 'Job Type',
		name: 'jobType',
		type: 'options',
		options: [
			{ name: 'Bulk API 1.0 (Classic)', value: 'Classic' },
			{ name: 'Bulk API 2.0', value: 'V2Query' },
		],
		default: 'V2Query',
	},
};

/** Get Many: the org's jobs of this kind, following Salesforce's pages. */
export function getManyJobs(kind: JobKind): Operation {
	const displayOptions = showFor(RESOURCE_OF[kind], 'getAll');
	return {
		description: [
			...returnAllParameters(displayOptions),
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				displayOptions,
				options: [
					JOB_TYPE_FILTERS[kind],
					{ displayName: 'PK Chunking Enabled', name: 'isPkChunkingEnabled', type: 'boolean', default: false, description: 'Whether to list only jobs that use PK chunking' },
				],
			},
		],
		async execute(this: IExecuteFunctions) {
			const { bulk2 } = await connect(this);
			return await perItem(this, async (i) => {
				const limit = limitOf(this, i);
				const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
				const jobs: JobInfo[] = [];
				for await (const job of bulk2.listJobs(kind, filters)) {
					if (jobs.length >= limit) break;
					jobs.push(job);
				}
				return jobs;
			});
		},
	};
}
