/** Parameters that several Classic operations show: each operation file lists its own, these are the shared ones. */
import type { INodeProperties } from 'n8n-workflow';

import type { Bulk1ContentType, Bulk1Operation } from '../../shared/api/bulk1Api';
import { fileFormatParameter } from '../../shared/node/jsonOutput';
import { externalIdFieldParameter, objectParameter, outputAsParameters, returnAllParameters, showWith } from '../../shared/node/descriptions';
import { fileSplitParameters } from '../../shared/node/fileSplit';
import { fromTypingVersion, schemaTypingParameters } from '../../shared/node/resultTyping';
import { toolMaxRowsParameter } from '../../shared/node/toolMode';

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
			// Labelled apart from the node's own Operation; the name stays, so saved workflows keep their value.
			displayName: 'Record Operation',
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

export const abortOnFailureOption: INodeProperties = {
	displayName: 'Abort Job on Failure',
	name: 'abortOnFailure',
	type: 'boolean',
	default: true,
	description: 'Whether to abort the job when something fails after it was created (a batch refused, a timeout); otherwise it keeps running and can be picked up with its ID. Cancelling the execution always aborts it.',
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 3600,
	description: 'How long to wait for the batches to finish; 0 = no limit',
};

export function batchIdParameter(displayOptions: Show): INodeProperties {
	return {
		displayName: 'Batch ID',
		name: 'batchId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '751R0000000zlh9IAA',
		description: 'The batch, as returned by Add (its ID starts with 751)',
		displayOptions,
	};
}

/** Output As: JSON items, or one binary file in the job's format (with `split`, CSV may be split into files). */
export function fileOutputParameters(show: Show, what: string, { split = false } = {}): INodeProperties[] {
	return [
		...outputAsParameters(show, `One item per ${what}`, "One file in the job's format (CSV, XML or JSON), streamed, for any size", {
			placeholder: 'results.csv',
			description: "Empty = named after the job or batch, with the extension of the job's format",
		}),
		// CSV results only; XML and JSON results stay one file. JSON files are written from CSV results.
		...(split ? [...fileSplitParameters(showWith(show, { outputAs: ['binary'] })), fileFormatParameter(showWith(show, { outputAs: ['binary'] }), "The job's format (CSV, XML or JSON), as Salesforce sends it")] : []),
	];
}

/** Typed Values, Return All and Limit for record output. */
export function recordOutputParameters(show: Show): INodeProperties[] {
	const asItems = showWith(show, { outputAs: ['items'] });
	return [
		{
			displayName: 'Typed Values',
			name: 'typedValues',
			type: 'boolean',
			default: false,
			description: 'Whether to turn numbers and true/false in CSV and XML results into JSON numbers and booleans, and empty values into null',
			displayOptions: showWith(asItems, fromTypingVersion(false)),
		},
		// From 1.2 values follow the schema (JSON results come typed by Salesforce).
		...schemaTypingParameters(asItems),
		...returnAllParameters(asItems, true),
		toolMaxRowsParameter(asItems),
	];
}
