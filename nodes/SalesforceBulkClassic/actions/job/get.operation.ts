import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { jobIdOf, jobIdParameter } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { onJobOfKind, SAME_OPERATION } from '../../../shared/node/jobKind';
import { showFor, type Operation } from '../common';

/** Get: the job's state and batch and record counts. */
export const get: Operation = {
	description: [jobIdParameter('searchClassicJobs', showFor('job', 'get'))],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		return await perItem(this, async (i) => {
			const jobId = jobIdOf(this, i);
			return await onJobOfKind(this, salesforce, jobId, 'classic', SAME_OPERATION.get, i, async () => await salesforce.bulk1.getJob(jobId));
		});
	},
};
