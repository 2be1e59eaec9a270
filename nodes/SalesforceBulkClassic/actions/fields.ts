import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { Bulk1ContentType, Bulk1JobSpec, Bulk1Operation, PkChunking } from '../../shared/api/bulk1Api';
import { externalIdFieldParameter, objectParameter } from '../../shared/node/descriptions';
import { showWith } from './common';

type Show = INodeProperties['displayOptions'];

const CONTENT_TYPES: Array<{ name: string; value: Bulk1ContentType; description: string }> = [
	{ name: 'CSV', value: 'CSV', description: 'Comma-separated rows with a header of field API names' },
	{ name: 'JSON', value: 'JSON', description: 'An array of records' },
	{ name: 'XML', value: 'XML', description: 'An sObjects document' },
	{ name: 'Zip With CSV Manifest', value: 'ZIP_CSV', description: 'Binary attachments: a zip of the files and a CSV manifest (request.txt)' },
	{ name: 'Zip With JSON Manifest', value: 'ZIP_JSON', description: 'Binary attachments: a zip of the files and a JSON manifest' },
	{ name: 'Zip With XML Manifest', value: 'ZIP_XML', description: 'Binary attachments: a zip of the files and an XML manifest' },
];

const OPERATIONS: Array<{ name: string; value: Bulk1Operation; description?: string }> = [
	{ name: 'Create or Update', value: 'upsert', description: 'Create a new record, or update the current one if it already exists (upsert)' },
	{ name: 'Delete', value: 'delete', description: 'Records need an ID; they go to the Recycle Bin' },
	{ name: 'Hard Delete', value: 'hardDelete', description: 'Deletes for good; needs the "Bulk API Hard Delete" permission' },
	{ name: 'Insert', value: 'insert' },
	{ name: 'Query', value: 'query', description: 'Export records with SOQL' },
	{ name: 'Query All', value: 'queryAll', description: 'Export with SOQL, deleted and archived records included' },
	{ name: 'Update', value: 'update', description: 'Records need an ID' },
];

/** Object, operation, external ID field and content type of a job, limited to the values an operation allows. */
export function jobFields(show: Show, operations: Bulk1Operation[], contentTypes: Bulk1ContentType[], defaults: { object?: string; contentType?: Bulk1ContentType } = {}): INodeProperties[] {
	const fields: INodeProperties[] = [
		{ ...objectParameter(show), default: defaults.object ?? '' },
		{
			displayName: 'Operation',
			name: 'jobOperation',
			type: 'options',
			options: OPERATIONS.filter((o) => operations.includes(o.value)),
			default: 'insert',
			displayOptions: show,
		},
		externalIdFieldParameter(showWith(show, { jobOperation: ['upsert'] })),
	];
	const contentType: INodeProperties = {
		displayName: 'Content Type',
		name: 'contentType',
		type: 'options',
		options: CONTENT_TYPES.filter((c) => contentTypes.includes(c.value)),
		default: 'CSV',
		description: 'The format of the batches, results and errors of the job',
		displayOptions: show,
	};
	contentType.default = defaults.contentType ?? contentTypes[0];
	if (contentTypes.length > 1) fields.push(contentType);
	return fields;
}

export const concurrencyModeOption: INodeProperties = {
	displayName: 'Concurrency Mode',
	name: 'concurrencyMode',
	type: 'options',
	options: [
		{ name: 'Parallel', value: 'Parallel', description: 'Batches run at the same time (faster; may cause lock contention)' },
		{ name: 'Serial', value: 'Serial', description: 'Batches run one after another, avoiding record lock errors' },
	],
	default: 'Parallel',
};

export const assignmentRuleOption: INodeProperties = {
	displayName: 'Assignment Rule ID',
	name: 'assignmentRuleId',
	type: 'string',
	default: '',
	description: 'For Case and Lead: the assignment rule to apply',
};

/** PK chunking: only for query jobs. */
export function pkChunkingFields(show: Show): INodeProperties[] {
	const on = showWith(show, { pkChunking: [true] });
	return [
		{
			displayName: 'PK Chunking',
			name: 'pkChunking',
			type: 'boolean',
			default: false,
			description: 'Whether to split the query into chunks of record IDs, one batch each (for very large objects)',
			displayOptions: show,
		},
		{
			displayName: 'Chunk Size',
			name: 'chunkSize',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 250000 },
			default: 100000,
			description: 'Record IDs per chunk (at most 250,000)',
			displayOptions: on,
		},
		{
			displayName: 'Start Row',
			name: 'startRow',
			type: 'string',
			default: '',
			placeholder: '001R0000000zlh9IAA',
			description: 'The record ID to start the first chunk at; empty = the first record',
			displayOptions: on,
		},
	];
}

/** The job spec from jobFields, the options collection and a fixed content type if the operation has one. */
export function jobSpecOf(ctx: IExecuteFunctions, i: number, contentType?: Bulk1ContentType): Bulk1JobSpec {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const operation = ctx.getNodeParameter('jobOperation', i) as Bulk1Operation;
	const spec: Bulk1JobSpec = {
		operation,
		object: String(ctx.getNodeParameter('object', i)).trim(),
		contentType: contentType ?? (ctx.getNodeParameter('contentType', i) as Bulk1ContentType),
	};
	if (operation === 'upsert') spec.externalIdFieldName = String(ctx.getNodeParameter('externalIdFieldName', i)).trim();
	if (options.concurrencyMode) spec.concurrencyMode = options.concurrencyMode as Bulk1JobSpec['concurrencyMode'];
	if (options.assignmentRuleId) spec.assignmentRuleId = String(options.assignmentRuleId).trim();
	return spec;
}

export function pkChunkingOf(ctx: IExecuteFunctions, i: number): PkChunking | undefined {
	if (!ctx.getNodeParameter('pkChunking', i, false)) return undefined;
	const startRow = String(ctx.getNodeParameter('startRow', i, '')).trim();
	return { chunkSize: ctx.getNodeParameter('chunkSize', i, 100000) as number, startRow: startRow || undefined };
}

export const abortOnFailureOption: INodeProperties = {
	displayName: 'Abort Job on Failure',
	name: 'abortOnFailure',
	type: 'boolean',
	default: true,
	description: 'Whether to abort the job when something fails after it was created (a batch refused, a timeout); otherwise it keeps running and can be picked up with its ID',
};
