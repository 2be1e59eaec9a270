import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { jobIdOf, jobIdParameter, limitOf, returnAllParameters } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { showFor, type Operation } from '../common';

const displayOptions = showFor('batch', 'getAll');

/** Get Many: the batches of a job (with PK chunking: the chunk batches and the NotProcessed original). */
export const getMany: Operation = {
	description: [
		jobIdParameter('searchClassicJobs', displayOptions),
		...returnAllParameters(displayOptions),
	],
	async execute(this: IExecuteFunctions) {
		const { bulk1 } = await connect(this);
		return await perItem(this, async (i) => {
			const batches = await bulk1.listBatches(jobIdOf(this, i));
			return batches.slice(0, limitOf(this, i));
		});
	},
};
