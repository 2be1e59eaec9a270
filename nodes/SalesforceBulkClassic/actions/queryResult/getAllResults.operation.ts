import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { jobIdParameter } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { showFor, type Operation } from '../common';
import { fileOutputParameters, recordOutputParameters, timeoutOption } from '../common.descriptions';
import { allQueryResults, queryJobForResults } from '../results';

const displayOptions = showFor('queryResult', 'getAllResults');

/** Get All Results: waits for the job's batches, then returns every record (items or one file). */
export const getAllResults: Operation = {
	description: [
		jobIdParameter('searchClassicQueryJobs', displayOptions),
		...fileOutputParameters(displayOptions, 'record', { split: true }),
		...recordOutputParameters(displayOptions),
		{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions, options: [timeoutOption] },
	],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const { bulk1 } = salesforce;
		return await perItem(this, async (i) => {
			const job = await queryJobForResults(this, salesforce, i);
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			if (!(await bulk1.listBatches(job.id)).length) {
				throw new NodeOperationError(this.getNode(), `Query job ${job.id} has no batches, so it has no results`, { itemIndex: i, description: 'Add the SOQL query with Batch → Add (Input Data: SOQL Query), or use Job → Run Query' });
			}
			const batches = await bulk1.waitForBatches(job.id, { timeoutMs: Number(options.timeout ?? 3600) * 1000 });
			return await allQueryResults(this, i, bulk1, job, batches);
		});
	},
};
