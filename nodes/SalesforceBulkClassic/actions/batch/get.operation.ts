import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { jobIdOf, jobIdParameter } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { batchIdOf, showFor, type Operation } from '../common';
import { batchIdParameter } from '../common.descriptions';

const displayOptions = showFor('batch', 'get');

/** Get Status: the batch's state, state message and counts. */
export const get: Operation = {
	description: [jobIdParameter('searchClassicJobs', displayOptions), batchIdParameter(displayOptions)],
	async execute(this: IExecuteFunctions) {
		const { bulk1 } = await connect(this);
		return await perItem(this, async (i) => await bulk1.getBatch(jobIdOf(this, i), batchIdOf(this, i)));
	},
};
