import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Operation, Resource } from './common';
import * as ingestJob from './ingestJob';
import * as queryJob from './queryJob';

const resources: Record<Resource, Record<string, Operation>> = { ingestJob: ingestJob.operations, queryJob: queryJob.operations };

/** Resource and operation are fixed for a run (noDataExpression): one operation handles all items. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as Resource;
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = resources[resource]?.[operation];
	if (!handler) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	const result = await handler.execute.call(this);
	return Array.isArray(result) ? [result] : result.outputs;
}
