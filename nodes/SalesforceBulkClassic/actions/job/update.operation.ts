import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { jobIdOf, jobIdParameter, optionsCollection, showWith } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { onJobOfKind, SAME_OPERATION } from '../../../shared/node/jobKind';
import { closeAndWaitOptions } from '../../../shared/node/jobWait';
import { showFor, waitForFinishedJob, type Operation } from '../common';

const displayOptions = showFor('job', 'update');

/** Update: close a job (no more batches; queued ones still run; with Wait for Completion, wait for them) or abort it. */
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
		optionsCollection(showWith(displayOptions, { state: ['Closed'] }), closeAndWaitOptions),
	],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const { bulk1 } = salesforce;
		return await perItem(this, async (i) => {
			const jobId = jobIdOf(this, i);
			const state = this.getNodeParameter('state', i) as 'Closed' | 'Aborted';
			// A V2 job given here: the error says to close it (Close) or abort it (Abort) on the V2 node.
			const sameOperation = state === 'Aborted' ? SAME_OPERATION.abort : { ingest: 'Close of the Salesforce Bulk V2 node, resource Ingest Job', query: 'Get of the Salesforce Bulk V2 node, resource Query Job (a query job needs no closing)' };
			const updated = await onJobOfKind(this, salesforce, jobId, 'classic', sameOperation, i, async () => await bulk1.setJobState(jobId, state));
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			if (state !== 'Closed' || options.waitForCompletion !== true) return updated;
			return await waitForFinishedJob(this, bulk1, jobId, i);
		});
	},
};
