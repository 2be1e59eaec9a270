import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runOperation, type Operation } from '../../shared/node/operations';
import type { Resource } from './common';
import * as ingestJob from './ingestJob';
import * as queryJob from './queryJob';

const resources: Record<Resource, Record<string, Operation>> = { ingestJob: ingestJob.operations, queryJob: queryJob.operations };

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperation(this, resources);
}
