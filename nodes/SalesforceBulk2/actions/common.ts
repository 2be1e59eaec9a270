import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { IngestJobSpec, JobKind, QueryJobSpec } from '../../shared/api/bulk2Api';

export type Resource = 'ingestJob' | 'queryJob';

export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[]>;
}

export const KIND_OF: Record<Resource, JobKind> = { ingestJob: 'ingest', queryJob: 'query' };

/** displayOptions for one operation of one resource (or of both). */
export function showFor(resource: Resource | Resource[], operation: string | string[]) {
	return { show: { resource: Array.isArray(resource) ? resource : [resource], operation: Array.isArray(operation) ? operation : [operation] } };
}

/** The ingest job an item asks for: Create's and Load Records' parameters (see ingestJobFields). */
export function ingestJobSpec(ctx: IExecuteFunctions, i: number): IngestJobSpec {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const operation = ctx.getNodeParameter('ingestOperation', i) as IngestJobSpec['operation'];
	return {
		object: String(ctx.getNodeParameter('object', i)).trim(),
		operation,
		externalIdFieldName: operation === 'upsert' ? String(ctx.getNodeParameter('externalIdFieldName', i)).trim() : undefined,
		columnDelimiter: options.columnDelimiter as IngestJobSpec['columnDelimiter'],
		lineEnding: options.lineEnding as IngestJobSpec['lineEnding'],
		assignmentRuleId: options.assignmentRuleId as string | undefined,
	};
}

/** The query job an item asks for: Create's and Run Query's parameters (see queryFields, queryFormatOptions). */
export function queryJobSpec(ctx: IExecuteFunctions, i: number): QueryJobSpec {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	return {
		query: String(ctx.getNodeParameter('query', i)).trim(),
		operation: ctx.getNodeParameter('queryAll', i, false) ? 'queryAll' : 'query',
		columnDelimiter: options.columnDelimiter as QueryJobSpec['columnDelimiter'],
		lineEnding: options.lineEnding as QueryJobSpec['lineEnding'],
	};
}
