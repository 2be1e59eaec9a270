import type { INodeProperties } from 'n8n-workflow';

import { objectParameter, outputAsParameters } from '../../shared/node/descriptions';
import { fileSplitParameters } from '../../shared/node/fileSplit';

export const CHANGED_RECORDS = 'changedRecords';
const displayOptions = { show: { triggerOn: [CHANGED_RECORDS] } };
const asBinary = { show: { triggerOn: [CHANGED_RECORDS], outputAs: ['binary'] } };

/** The parameters of "On New or Updated Records (Bulk Query)". */
export const changedRecordsProperties: INodeProperties[] = [
	objectParameter(displayOptions),
	{
		displayName: 'Fields',
		name: 'fieldsMode',
		type: 'options',
		options: [
			{ name: 'All Fields', value: 'all', description: 'Every field a Bulk query can read (not compound address/location or base64 fields), from the describe of the object at each poll' },
			{ name: 'Selected Fields', value: 'list' },
		],
		default: 'all',
		displayOptions,
	},
	{
		displayName: 'Field Names or IDs',
		name: 'fields',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getQueryableFields', loadOptionsDependsOn: ['object'] },
		default: [],
		description: 'The record ID and the cursor field always come too. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: { ...displayOptions.show, fieldsMode: ['list'] } },
	},
	{
		displayName: 'Extra Condition',
		name: 'where',
		type: 'string',
		default: '',
		placeholder: "Industry = 'Energy' AND IsPersonAccount = false",
		description: 'A SOQL condition (without WHERE) that the rows must also meet',
		displayOptions,
	},
	{
		displayName: 'Cursor Field',
		name: 'cursorField',
		type: 'options',
		options: [
			{ name: 'System Modstamp', value: 'SystemModstamp', description: 'Any change, by users or by the system (recommended, indexed)' },
			{ name: 'Last Modified Date', value: 'LastModifiedDate', description: 'Changes made by users and integrations' },
			{ name: 'Created Date (New Records Only)', value: 'CreatedDate', description: 'Only records created since the cursor' },
		],
		default: 'SystemModstamp',
		displayOptions,
	},
	{
		displayName: 'Include Deleted Records',
		name: 'includeDeleted',
		type: 'boolean',
		default: false,
		description: 'Whether records deleted since the cursor come too (queryAll; Recycle Bin rows, kept about 15 days), as items with deleted: true',
		displayOptions: { show: { ...displayOptions.show, cursorField: ['SystemModstamp', 'LastModifiedDate'] } },
	},
	{
		displayName: 'Start From',
		name: 'startFrom',
		type: 'options',
		options: [
			{ name: 'Now', value: 'now', description: 'Only changes made after the workflow is published' },
			{ name: 'A Date', value: 'date', description: 'Changes since the date below, then every later change' },
			{ name: 'Everything First', value: 'everything', description: 'Every record first (an initial full export: choose Binary File), then every later change' },
		],
		default: 'now',
		description: 'Where the first poll starts. Later polls go on from the cursor; changing the object or cursor field starts again from here.',
		displayOptions,
	},
	{
		displayName: 'Start Date',
		name: 'startDate',
		type: 'dateTime',
		default: '',
		required: true,
		description: 'Changes from this moment (UTC unless the value names a time zone)',
		displayOptions: { show: { ...displayOptions.show, startFrom: ['date'] } },
	},
	...outputAsParameters(displayOptions, 'One item per record, with the cursor window', 'CSV file(s) of the changed records, streamed, split by the size or rows below', {
		default: 'changes.csv',
	}),
	...fileSplitParameters(asBinary, { versioned: false }),
	{
		displayName: 'Options',
		name: 'recordOptions',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Lookback (Minutes)',
				name: 'lookbackMinutes',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: 5,
				description: 'Each poll looks this far behind the cursor for rows that committed late (long transactions get an earlier timestamp); rows already emitted are dropped',
			},
			{
				displayName: 'Max Rows per Query Job',
				name: 'rowsPerJob',
				type: 'number',
				typeOptions: { minValue: 100 },
				default: 100000,
				description: 'A window with more changes is read by several query jobs, each after the last row of the one before; a poll stops starting jobs after half its time budget and the next poll goes on',
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 50000,
				description: 'Result rows per page downloaded from Salesforce',
			},
			{
				displayName: 'Query Job Timeout (Seconds)',
				name: 'jobTimeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 600,
				description: 'How long one query job may take before the poll fails (the cursor stays; the next poll tries again)',
			},
			{
				displayName: 'Typed Values',
				name: 'typedValues',
				type: 'boolean',
				default: false,
				description: 'Whether items get JSON numbers and booleans, and null for empty values (dates stay text)',
			},
		],
	},
];
