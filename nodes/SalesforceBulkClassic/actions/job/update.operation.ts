import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { jobIdOf, jobIdParameter } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { showFor, type Operation } from '../common';

const displayOptions = showFor('job', 'update');

/** Update: close a job (no more batches; queued ones still run) or abort it (unprocessed batches never run). */
export const update: Operation = {
	description: [
		jobIdParameter('searchOpenClassicJobs', displayOptions),
		{
			displayName: 'State',
			name: 'state',
			type: 'options',
			options: [
				{ name: 'Aborted', value: 'Aborted', description: 'Stop the job: batches not yet processed are not processed' },
				{ name: 'Closed', value: 'Closed', description: 'No more batches; the ones added still run' },
			],
			default: 'Closed',
			displayOptions,
		},
	],
	async execute(this: IExecuteFunctions) {
		const { bulk1 } = await connect(this);
		return await perItem(this, async (i) => await bulk1.setJobState(jobIdOf(this, i), this.getNodeParameter('state', i) as 'Closed' | 'Aborted'));
	},
};
