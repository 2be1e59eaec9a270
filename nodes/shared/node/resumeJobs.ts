/**
 * Load Records' Resume Jobs option (V2 and Classic): the job IDs of an earlier run whose n8n stopped while
 * Salesforce processed them. With them, the load creates and uploads nothing and reads those jobs' results instead.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { JOB_ID_REGEX } from './descriptions';

export const resumeJobsOption: INodeProperties = {
	displayName: 'Resume Jobs',
	name: 'resumeJobs',
	type: 'string',
	default: '',
	placeholder: '750XXXXXXXXXXXXXXX, 750YYYYYYYYYYYYYYY',
	description:
		"IDs of the jobs an earlier run of this node created before n8n stopped (n8n's log names each as it is created), comma-separated or an expression giving a list. Given the same input again, nothing is created or uploaded: the node waits for those jobs and outputs every row's outcome from their results; rows in none of them come out unprocessed.",
};

/** The Resume Jobs of item `i`: job IDs, each once, in the order given; empty when the option is not set. */
export function resumeJobIdsOf(ctx: IExecuteFunctions, i: number): string[] {
	const value = (ctx.getNodeParameter('options', i, {}) as IDataObject).resumeJobs;
	const given = (Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\s,;]+/)).map((id) => id.trim()).filter(Boolean);
	const jobId = new RegExp(JOB_ID_REGEX);
	const wrong = given.find((id) => !jobId.test(id));
	if (wrong !== undefined) {
		throw new NodeOperationError(ctx.getNode(), `Resume Jobs: "${wrong}" is not a job ID`, {
			itemIndex: i,
			description: 'Give the IDs of the jobs an earlier run created (15 or 18 characters starting with 750), separated by commas.',
		});
	}
	return [...new Set(given)];
}
