/**
 * Outputs per outcome, as n8n's If and Switch offer them: Load Records' Successful / Failed / Unprocessed and
 * Wait for Job's Completed / Failed, when the operation's Separate Outputs option is on; one output otherwise,
 * so saved workflows keep their connections.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

const LOAD_OUTPUTS = ['Successful', 'Failed', 'Unprocessed'];
const WAIT_OUTPUTS = ['Completed', 'Failed'];

const labelled = (names: string[]) => `[${names.map((name) => `{ type: "main", displayName: "${name}" }`).join(', ')}]`;

/** The node's `outputs`: an expression over the parameters, so the editor draws and labels them as soon as the option is set. */
export const outcomeOutputsExpression = (	`={{ !($parameter.options || {}).separateOutputs ? ["main"] : $parameter.operation === "loadRecords" ? ${labelled(LOAD_OUTPUTS)} : ` +
	`$parameter.operation === "waitForJob" ? ${labelled(WAIT_OUTPUTS)} : ["main"] }}`) as `={{${string}}}`;

const separateOutputsOn = (ctx: IExecuteFunctions) => (ctx.getNodeParameter('options', 0, {}) as IDataObject).separateOutputs === true;

/** Wait for Job's items: on one output, or completed jobs on Completed and the rest (failed, aborted, timed out, errors) on Failed. */
export function jobOutputs(ctx: IExecuteFunctions, items: INodeExecutionData[], completed: (job: IDataObject) => boolean): INodeExecutionData[][] {
	if (!separateOutputsOn(ctx)) return [items];
	const isCompleted = (item: INodeExecutionData) => item.json.error === undefined && item.json.timedOut !== true && completed(item.json);
	return [items.filter(isCompleted), items.filter((item) => !isCompleted(item))];
}

/**
 * Load Records' items: on one output, or by `status` on Successful (created, updated, deleted), Unprocessed
 * (unprocessed) and Failed (failed, unknown, errors). Items without a status (Wait for Completion off: one per
 * job or batch) stay on the first output.
 */
export function loadOutputs(ctx: IExecuteFunctions, items: INodeExecutionData[]): INodeExecutionData[][] {
	if (!separateOutputsOn(ctx)) return [items];
	const outputs: INodeExecutionData[][] = LOAD_OUTPUTS.map(() => []);
	for (const item of items) {
		const { status, success } = item.json;
		const output = item.json.error !== undefined && status === undefined ? 1 : status === undefined || success === true ? 0 : status === 'unprocessed' ? 2 : 1;
		outputs[output].push(item);
	}
	return outputs;
}

/** The Separate Outputs option of Load Records (V2 and Classic). */
export const separateLoadOutputsOption = {
	displayName: 'Separate Outputs',
	name: 'separateOutputs',
	type: 'boolean' as const,
	default: false,
	description:
		'Whether to send each record to a Successful, Failed or Unprocessed output, each paired to its input item; rows with no matching result and errors (Continue On Fail) go to Failed',
};
