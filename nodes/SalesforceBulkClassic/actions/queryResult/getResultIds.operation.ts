import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { jobIdOf, jobIdParameter } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { batchIdOf, showFor, type Operation } from '../common';
import { batchIdParameter } from '../common.descriptions';

const displayOptions = showFor('queryResult', 'getResultIds');

/** Get Result IDs: the result sets of a completed query batch, one item each. */
export const getResultIds: Operation = {
	description: [jobIdParameter('searchClassicQueryJobs', displayOptions), batchIdParameter(displayOptions)],
	async execute(this: IExecuteFunctions) {
		const { bulk1 } = await connect(this);
		return await perItem(this, async (i) => {
			const [jobId, batchId] = [jobIdOf(this, i), batchIdOf(this, i)];
			return (await bulk1.getQueryResultIds(jobId, batchId)).map((resultId) => ({ jobId, batchId, resultId }));
		});
	},
};
