import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { jobIdOf, jobIdParameter } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { showFor, type Operation } from '../common';

/** Get: the job's state and batch and record counts. */
export const get: Operation = {
	description: [jobIdParameter('searchClassicJobs', showFor('job', 'get'))],
	async execute(this: IExecuteFunctions) {
		const { bulk1 } = await connect(this);
		return await perItem(this, async (i) => await bulk1.getJob(jobIdOf(this, i)));
	},
};
