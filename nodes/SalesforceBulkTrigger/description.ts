import type { INodeProperties } from 'n8n-workflow';

import { CHANGED_RECORDS, changedRecordsProperties } from './records/description';

const attachOptions = (what: string) => [
	{ name: "Don't Attach", value: 'none' },
	{ name: 'As Items in the Job Item', value: 'items', description: `The ${what} as a list of records in the job's item` },
	{ name: 'As a Binary CSV File', value: 'binary', description: `The ${what} as one CSV file, streamed, for any size` },
];

const JOB_FINISHED = 'jobFinished';

/** The job events' parameters: which finished jobs fire, and what their items carry. */
const jobProperties: INodeProperties[] = [
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		options: [
			{ name: 'Job Aborted', value: 'aborted', description: 'The job was aborted (Bulk 2.0 and Classic)' },
			{ name: 'Job Completed', value: 'completed', description: 'Bulk 2.0: JobComplete. Classic: Closed with every batch done (some may have failed).' },
			{ name: 'Job Failed', value: 'failed', description: 'The job failed; its error message says why' },
		],
		default: ['completed', 'failed', 'aborted'],
	},
	{
		displayName: 'Job Kinds',
		name: 'jobKinds',
		type: 'multiOptions',
		required: true,
		options: [
			{ name: 'Bulk API 1.0 (Classic)', value: 'classic', description: 'Jobs of the Bulk API 1.0 (Data Loader and older tools), load and query' },
			{ name: 'Bulk API 2.0 Ingest', value: 'ingest' },
			{ name: 'Bulk API 2.0 Query', value: 'query' },
		],
		default: ['ingest', 'query'],
	},
	{
		displayName: 'Attach Failed Records',
		name: 'attachFailedRecords',
		type: 'options',
		options: attachOptions('failed records (sf__Id, sf__Error and the uploaded columns)'),
		default: 'none',
		description: 'For Bulk 2.0 ingest jobs with failed records: add them to the job\'s item',
	},
	{
		displayName: 'Attach Query Results',
		name: 'attachQueryResults',
		type: 'options',
		options: attachOptions('results'),
		default: 'none',
		description: 'For completed Bulk 2.0 query jobs: add the results to the job\'s item',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Job ID',
				name: 'jobId',
				type: 'string',
				default: '',
				placeholder: '750R0000000zlh9IAA',
				description: 'Only this job',
			},
			{
				displayName: 'Object Names or IDs',
				name: 'objects',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getObjects' },
				default: [],
				description: 'Only jobs on these objects. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Only My Jobs',
				name: 'onlyMine',
				type: 'boolean',
				default: false,
				description: 'Whether to fire only for jobs created by the user the credential acts as',
			},
			{
				displayName: 'Operations',
				name: 'operations',
				type: 'multiOptions',
				options: ['delete', 'hardDelete', 'insert', 'query', 'queryAll', 'update', 'upsert'].map((value) => ({ name: value === 'hardDelete' ? 'Hard Delete' : value === 'queryAll' ? 'Query All' : value[0].toUpperCase() + value.slice(1), value })),
				default: [],
				description: 'Only jobs with these operations',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Include Jobs Finished Before Activation',
				name: 'includeFinishedBeforeActivation',
				type: 'boolean',
				default: false,
				description: 'Whether the first poll fires for the jobs that had already finished (Salesforce keeps them 7 days), instead of only for jobs finishing after activation',
			},
			{
				displayName: 'Max Records per Job',
				name: 'recordLimit',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 10000,
				description: 'Most records attached as items to one job\'s item; 0 = all. For big results attach a binary file.',
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 50000,
				description: 'Query result records per page downloaded from Salesforce; one page is held in memory at a time',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				hint: 'The name of the output binary field to put an attached file in',
			},
			{
				displayName: 'Type Values by Schema',
				name: 'typeValuesBySchema',
				type: 'boolean',
				default: false,
				description:
					"Whether attached records follow each field's type in the object's describe: numbers, currencies and percents as numbers, checkboxes as booleans, text (even digits) as strings, dates as ISO text, empty as null. Takes precedence over Typed Values.",
			},
			{
				displayName: 'Typed Values',
				name: 'typedValues',
				type: 'boolean',
				default: false,
				description: 'Whether attached records get JSON numbers and booleans, and null for empty values (dates stay text)',
			},
		],
	},
];

/**
 * The trigger's parameters: Trigger On picks the event. Its default is the job event, so workflows saved
 * before the changed-records event existed (without the parameter) keep doing what they did.
 */
export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Trigger On',
		name: 'triggerOn',
		type: 'options',
		options: [
			// `action` is what n8n's nodes panel lists for the trigger (it reads the property named Trigger On).
			{ name: 'Bulk Job Finished', value: JOB_FINISHED, action: 'On Bulk Job Completed, Failed or Aborted', description: 'A Bulk API 2.0 or Classic job completed, failed or was aborted' },
			{
				name: 'New or Updated Records (Bulk Query)',
				value: CHANGED_RECORDS,
				action: 'On New or Updated Records (Bulk Query)',
				description: 'Records changed since the last poll, read with Bulk API 2.0 query jobs: for syncs of many records',
			},
		],
		default: JOB_FINISHED,
	},
	...jobProperties.map((p) => ({ ...p, displayOptions: { show: { ...p.displayOptions?.show, triggerOn: [JOB_FINISHED] } } })),
	...changedRecordsProperties,
];
