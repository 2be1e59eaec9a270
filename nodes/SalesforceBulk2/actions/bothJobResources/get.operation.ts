import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { perItem } from '../../../shared/node/items';
import { KIND_OF, onJob, type Operation, type Resource } from '../common';
import { jobIdParameters } from '../common.descriptions';

/** Get: the job's info (state, counts, timings, error message). */
export const get: Operation = {
	description: jobIdParameters('get'),
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const kind = KIND_OF[this.getNodeParameter('resource', 0) as Resource];
		return await perItem(this, async (i) => await onJob(this, salesforce, kind, 'get', i, async (jobId) => await salesforce.bulk2.getJob(kind, jobId)));
	},
};
