import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { jobIdOf, jobIdParameter } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { showFor, type Operation } from '../common';

/** Close: marks the upload complete so Salesforce starts processing the job. */
export const close: Operation = {
	description: [jobIdParameter('searchOpenIngestJobs', showFor('ingestJob', 'close'))],
	async execute(this: IExecuteFunctions) {
		const { bulk2 } = await connect(this);
		return await perItem(this, async (i) => await bulk2.closeJob(jobIdOf(this, i)));
	},
};
