/**
 * One operation as the user sees it (a resource's operation in the editor): its parameters and its run. The
 * action nodes route a run to the one operation picked, the same way in both.
 */
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export interface Operation {
	description: INodeProperties[];
	/** One output's items, or (Wait for Job with Separate Outputs) the items of each output. */
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[] | { outputs: INodeExecutionData[][] }>;
}

/** Resource and operation are fixed for a run (noDataExpression): one operation handles all items. */
export async function runOperation(ctx: IExecuteFunctions, resources: Record<string, Record<string, Operation>>): Promise<INodeExecutionData[][]> {
	const resource = ctx.getNodeParameter('resource', 0) as string;
	const operation = ctx.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler) throw new NodeOperationError(ctx.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	const result = await handler.execute.call(ctx);
	return Array.isArray(result) ? [result] : result.outputs;
}
