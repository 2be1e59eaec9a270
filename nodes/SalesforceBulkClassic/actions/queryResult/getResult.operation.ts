import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { jobIdParameter } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { batchIdOf, showFor, type Operation } from '../common';
import { batchIdParameter, fileOutputParameters, recordOutputParameters } from '../common.descriptions';
import { queryJobForResults, resultSetsOutput } from '../results';

const displayOptions = showFor('queryResult', 'getResult');

/** Get Result: one result set of a query batch, as items or a binary file. */
export const getResult: Operation = {
	description: [
		jobIdParameter('searchClassicQueryJobs', displayOptions),
		batchIdParameter(displayOptions),
		{
			displayName: 'Result ID',
			name: 'resultId',
			type: 'string',
			default: '',
			required: true,
			placeholder: '752R00000007hQe',
			description: 'A result set of the batch, as listed by Get Result IDs',
			displayOptions,
		},
		...fileOutputParameters(displayOptions, 'record', { split: true }),
		...recordOutputParameters(displayOptions),
	],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const { bulk1 } = salesforce;
		return await perItem(this, async (i) => {
			const job = await queryJobForResults(this, salesforce, i);
			const batchId = batchIdOf(this, i);
			const resultId = String(this.getNodeParameter('resultId', i)).trim();
			// It goes into the request path: a result ID (752…) and nothing else.
			if (!/^752[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/.test(resultId)) {
				throw new NodeOperationError(this.getNode(), resultId ? `Result ID "${resultId}" is not a result ID: a result ID starts with 752 and has 15 or 18 characters` : 'Result ID is empty', { itemIndex: i });
			}
			const refs = (async function* () {
				yield { batchId, resultId };
			})();
			return await resultSetsOutput(this, i, bulk1, job, refs, { jobId: job.id, batchId, resultId }, resultId);
		});
	},
};
