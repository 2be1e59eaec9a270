import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { perItem } from '../../../shared/node/items';
import { KIND_OF, onJob, type Operation, type Resource } from '../common';
import { jobIdParameters } from '../common.descriptions';

/** Abort: stops an Open or UploadComplete job; records already processed stay processed. */
export const abort: Operation = {
	description: jobIdParameters('abort'),
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const kind = KIND_OF[this.getNodeParameter('resource', 0) as Resource];
		return await perItem(this, async (i) => await onJob(this, salesforce, kind, 'abort', i, async (jobId) => await salesforce.bulk2.abortJob(kind, jobId)));
	},
};
