import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { jobIdOf, jobIdParameter, optionsCollection } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { onJobOfKind } from '../../../shared/node/jobKind';
import { jobWaitOptions, separateJobOutputsOption } from '../../../shared/node/jobWait';
import { jobOutputs } from '../../../shared/node/outcomeOutputs';
import { classicJobCompleted, showFor, waitForFinishedJob, type Operation } from '../common';

const displayOptions = showFor('job', 'waitForJob');

/** Wait for Job: polls a job given by ID until no batch is queued or in progress, and outputs the job's final info. */
export const waitForJob: Operation = {
	description: [
		jobIdParameter('searchClassicJobs', displayOptions),
		optionsCollection(displayOptions, [...jobWaitOptions, separateJobOutputsOption]),
	],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const items = await perItem(this, async (i) => {
			const jobId = jobIdOf(this, i);
			return await onJobOfKind(this, salesforce, jobId, 'classic', 'Wait for Job', i, async () => await waitForFinishedJob(this, salesforce.bulk1, jobId, i));
		});
		return { outputs: jobOutputs(this, items, classicJobCompleted) };
	},
};
