import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { jobIdOf, jobIdParameter, optionsCollection } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { onJobOfKind } from '../../../shared/node/jobKind';
import { closeAndWaitOptions } from '../../../shared/node/jobWait';
import { showFor, waitForFinishedJob, type Operation } from '../common';

const displayOptions = showFor('ingestJob', 'close');

/** Close: marks the upload complete so Salesforce starts processing the job; with Wait for Completion, waits for it. */
export const close: Operation = {
	description: [
		jobIdParameter('searchOpenIngestJobs', displayOptions),
		optionsCollection(displayOptions, closeAndWaitOptions),
	],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		return await perItem(this, async (i) => {
			const jobId = jobIdOf(this, i);
			return await onJobOfKind(this, salesforce, jobId, 'ingest', 'Close', i, async () => {
				const closed = await salesforce.bulk2.closeJob(jobId);
				if ((this.getNodeParameter('options', i, {}) as IDataObject).waitForCompletion !== true) return closed;
				return await waitForFinishedJob(this, salesforce.bulk2, 'ingest', jobId, i);
			});
		});
	},
};
