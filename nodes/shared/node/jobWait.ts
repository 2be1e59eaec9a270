/**
 * Waiting for a job the user names (Wait for Job; Close / Update → Closed with Wait for Completion): the options,
 * what a timeout or a failed job does, and the Completed / Failed outputs. The polling itself is
 * transport/wait.ts, the same as Load Records and Run Query.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { showWith } from './descriptions';

/** Why cancelling never aborts here: the job was not created by this node, so it is left to whoever did. */
const TIMEOUT_DESCRIPTION =
	'How long to wait for the job; 0 = no limit. Cancelling the execution stops the wait and leaves the job running: only operations that create a job abort it.';

export const jobWaitOptions: INodeProperties[] = [
	{
		displayName: 'Fail on Failed Job',
		name: 'failOnFailedJob',
		type: 'boolean',
		default: false,
		description: 'Whether a job that ends failed or aborted (Classic: with a failed batch) fails the node; otherwise its info is output like any other',
	},
	{
		displayName: 'On Timeout',
		name: 'onTimeout',
		type: 'options',
		options: [
			{ name: 'Fail', value: 'fail', description: 'The node fails, naming the job and its state' },
			{ name: 'Output the Job', value: 'output', description: 'Output the job as it is, with timedOut: true' },
		],
		default: 'fail',
	},
	{ displayName: 'Timeout (Seconds)', name: 'timeout', type: 'number', typeOptions: { minValue: 0 }, default: 3600, description: TIMEOUT_DESCRIPTION },
];

/** Wait for Job's option for two outputs; the node's `outputs` expression reads it (outcomeOutputs.ts). */
export const separateJobOutputsOption: INodeProperties = {
	displayName: 'Separate Outputs',
	name: 'separateOutputs',
	type: 'boolean',
	default: false,
	description: 'Whether to send completed jobs to a Completed output and the others (failed, aborted, timed out, errors) to a Failed output',
};

/** Wait for Completion, for Close (V2) and Update → Closed (Classic). */
export const waitForCompletionOption: INodeProperties = {
	displayName: 'Wait for Completion',
	name: 'waitForCompletion',
	type: 'boolean',
	default: false,
	description: 'Whether to wait, after closing, until the job has finished and output its final info (as Wait for Job does)',
};

/** The options of Close (V2) and Update → Closed (Classic): Wait for Completion, then the wait options once it is on. */
export const closeAndWaitOptions: INodeProperties[] = [
	waitForCompletionOption,
	...jobWaitOptions.map((option) => ({ ...option, displayOptions: showWith(undefined, { waitForCompletion: [true] }) })),
];

export interface JobWaitSettings {
	timeoutMs: number;
	outputOnTimeout: boolean;
	failOnFailedJob: boolean;
}

export function jobWaitSettingsOf(ctx: IExecuteFunctions, i: number): JobWaitSettings {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	return {
		timeoutMs: Math.max(0, Number(options.timeout ?? 3600)) * 1000,
		outputOnTimeout: options.onTimeout === 'output',
		failOnFailedJob: options.failOnFailedJob === true,
	};
}

/** The error for a job that ended without success when Fail on Failed Job is on. */
export function failedJobError(ctx: IExecuteFunctions, job: IDataObject, outcome: string, i: number): NodeOperationError {
	// How far Salesforce got before it stopped: what a job failed part-way had processed.
	const processed = job.numberRecordsProcessed !== undefined ? `Salesforce had processed ${Number(job.numberRecordsProcessed)} records (${Number(job.numberRecordsFailed ?? 0)} failed). ` : '';
	return new NodeOperationError(ctx.getNode(), `Job ${String(job.id)} ended ${outcome}`, {
		itemIndex: i,
		description: `${processed}Get its failed results and unprocessed records (or the failed batches) to see which rows, or turn Fail on Failed Job off to output the job instead.`,
	});
}
