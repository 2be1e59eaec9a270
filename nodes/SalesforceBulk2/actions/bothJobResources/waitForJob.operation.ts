import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { jobIdOf, optionsCollection } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { onJobOfKind } from '../../../shared/node/jobKind';
import { jobWaitOptions, separateJobOutputsOption } from '../../../shared/node/jobWait';
import { jobOutputs } from '../../../shared/node/outcomeOutputs';
import { KIND_OF, showFor, waitForFinishedJob, type Operation, type Resource } from '../common';
import { jobIdParameters } from '../common.descriptions';

/** Wait for Job: polls a job given by ID until it is JobComplete, Failed or Aborted, and outputs its final info. */
export const waitForJob: Operation = {
	description: [
		...jobIdParameters('waitForJob'),
		optionsCollection(showFor(['ingestJob', 'queryJob'], 'waitForJob'), [...jobWaitOptions, separateJobOutputsOption]),
	],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const kind = KIND_OF[this.getNodeParameter('resource', 0) as Resource];
		const items = await perItem(this, async (i) => {
			const jobId = jobIdOf(this, i);
			return await onJobOfKind(this, salesforce, jobId, kind, 'Wait for Job', i, async () => await waitForFinishedJob(this, salesforce.bulk2, kind, jobId, i));
		});
		return { outputs: jobOutputs(this, items, (job) => job.state === 'JobComplete') };
	},
};
