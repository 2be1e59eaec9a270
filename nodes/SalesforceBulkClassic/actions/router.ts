import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runOperation, type Operation } from '../../shared/node/operations';
import * as attachment from './attachment';
import * as batch from './batch';
import type { Resource } from './common';
import * as job from './job';
import * as queryResult from './queryResult';

const resources: Record<Resource, Record<string, Operation>> = {
	job: job.operations,
	batch: batch.operations,
	queryResult: queryResult.operations,
	attachment: attachment.operations,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOperation(this, resources);
}
