import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/client';
import { jobIdParameter } from '../../../shared/descriptions';
import { perItem } from '../../../shared/items';
import { jobIdOf, showFor, showWith, type Operation } from '../common';

const displayOptions = showFor('batch', 'getAll');

/** Get Many: the batches of a job (with PK chunking: the chunk batches and the NotProcessed original). */
export const getMany: Operation = {
	description: [
		jobIdParameter('searchClassicJobs', displayOptions),
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: showWith(displayOptions, { returnAll: [false] }),
		},
	],
	async execute(this: IExecuteFunctions) {
		const { bulk1 } = await connect(this);
		return await perItem(this, async (i) => {
			const batches = await bulk1.listBatches(jobIdOf(this, i));
			return this.getNodeParameter('returnAll', i) ? batches : batches.slice(0, this.getNodeParameter('limit', i) as number);
		});
	},
};
