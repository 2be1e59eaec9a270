import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { perItem } from '../../../shared/node/items';
import { KIND_OF, onJob, type Operation, type Resource } from '../common';
import { jobIdParameters } from '../common.descriptions';

/** Delete: removes a finished or aborted job and its data from Salesforce. */
export const deleteJob: Operation = {
	description: jobIdParameters('delete'),
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const kind = KIND_OF[this.getNodeParameter('resource', 0) as Resource];
		return await perItem(
			this,
			async (i) =>
				await onJob(this, salesforce, kind, 'delete', i, async (jobId) => {
					await salesforce.bulk2.deleteJob(kind, jobId);
					return { id: jobId, deleted: true };
				}),
		);
	},
};
