import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { JobKind } from '../../shared/api/bulk2Api';

export type Resource = 'ingestJob' | 'queryJob';

export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[]>;
}

export const RESOURCE_OF: Record<JobKind, Resource> = { ingest: 'ingestJob', query: 'queryJob' };

/** displayOptions for one operation of one resource. */
export function showFor(resource: Resource, operation: string | string[]) {
	return { show: { resource: [resource], operation: Array.isArray(operation) ? operation : [operation] } };
}

export { jobIdOf } from '../../shared/node/descriptions';
