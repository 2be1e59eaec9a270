import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { abortsJobs } from '../../../shared/api/abortAfterFailure';
import { connect } from '../../../shared/api/connect';
import { queryFields } from '../../../shared/node/descriptions';
import { fileSplitOf } from '../../../shared/node/fileSplit';
import { perItem } from '../../../shared/node/items';
import { queryJobSpec, showFor, type Operation } from '../common';
import { queryFormatOptions, queryResultParameters } from '../common.descriptions';
import { allQueryResults, pageSizeOf } from './queryResults';

const displayOptions = showFor('queryJob', 'runQuery');

/** Run Query: create the job, wait for it, and return every result, as items or one CSV file. */
export const runQuery: Operation = {
	description: [
		...queryFields(displayOptions),
		...queryResultParameters(displayOptions),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions,
			options: [
				...queryFormatOptions,
				{
					displayName: 'Abort Job on Timeout',
					name: 'abortOnTimeout',
					type: 'boolean',
					default: false,
					description: 'Whether to abort the job when the timeout is reached; otherwise it keeps running and can be picked up later. Cancelling the execution always aborts the job.',
				},
				{
					displayName: 'Parallel Downloads',
					name: 'parallel',
					type: 'number',
					typeOptions: { minValue: 1, maxValue: 8 },
					default: 1,
					description: 'Result pages downloaded at once (through /resultPages, API 58.0 and later)',
				},
				{
					displayName: 'Timeout (Seconds)',
					name: 'timeout',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 3600,
					description: 'How long to wait for the job; 0 = no limit',
				},
			],
		},
	],
	async execute(this: IExecuteFunctions) {
		const { bulk2 } = await connect(this);
		return await perItem(this, async (i) => {
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			if (this.getNodeParameter('outputAs', i) === 'binary') fileSplitOf(this, i); // a bad limit fails before the job exists
			const created = await bulk2.createQueryJob(queryJobSpec(this, i));
			let job;
			try {
				job = await bulk2.waitForJob('query', created.id, { timeoutMs: Number(options.timeout ?? 3600) * 1000 });
			} catch (error) {
				if (abortsJobs(error, options.abortOnTimeout === true)) await bulk2.abortJob('query', created.id).catch(() => undefined);
				throw new NodeApiError(this.getNode(), error as JsonObject);
			}
			if (job.state !== 'JobComplete') {
				throw new NodeApiError(this.getNode(), { jobId: job.id, state: job.state }, {
					message: `Query job ${job.id} ended ${job.state}${job.errorMessage ? `: ${job.errorMessage}` : ''}`,
					description: 'Salesforce could not run the query to the end. Check the SOQL and the job in Setup → Bulk Data Load Jobs.',
				});
			}
			return await allQueryResults(this, i, bulk2, job, { maxRecords: pageSizeOf(this, i), parallel: Number(options.parallel ?? 1) });
		});
	},
};
