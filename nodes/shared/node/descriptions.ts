import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { fileSplitParameters } from './fileSplit';

type Show = INodeProperties['displayOptions'];

/** displayOptions narrowed by more conditions. */
export function showWith(show: Show, values: IDataObject): Show {
	return { show: { ...show?.show, ...values } as NonNullable<Show>['show'] };
}

const RETURN_ALL: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

/** Return All and Limit, the n8n way. */
export function returnAllParameters(show: Show, returnAllByDefault = false): INodeProperties[] {
	return [
		{ ...RETURN_ALL, default: returnAllByDefault, displayOptions: show },
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: showWith(show, { returnAll: [false] }),
		},
	];
}

/** An operation's Options collection. */
export function optionsCollection(displayOptions: Show, options: INodeProperties[]): INodeProperties {
	return { displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions, options };
}

/** How many results Return All / Limit allows. */
export function limitOf(ctx: IExecuteFunctions, itemIndex: number): number {
	return ctx.getNodeParameter('returnAll', itemIndex, true) ? Infinity : (ctx.getNodeParameter('limit', itemIndex, 50) as number);
}

/** A Salesforce job ID: 750 followed by 12 or 15 characters. */
export const JOB_ID_REGEX = '^750[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$';
const JOB_ID = new RegExp(JOB_ID_REGEX);

/**
 * The Job ID parameter's value, whichever resource-locator mode was used, checked: it goes into request
 * paths, so anything else (an expression's "../x") never leaves n8n.
 */
export function jobIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const id = String(ctx.getNodeParameter('jobId', itemIndex, '', { extractValue: true })).trim();
	if (!JOB_ID.test(id)) {
		throw new NodeOperationError(ctx.getNode(), `Job ID "${id}" is not a job ID: a job ID starts with 750 and has 15 or 18 characters`, {
			itemIndex,
			description: `Check the Job parameter of item ${itemIndex}`,
		});
	}
	return id;
}

/** The Job ID resource locator: pick from recent jobs of the right kind, or give the ID. */
export function jobIdParameter(searchListMethod: string, displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Job',
		name: 'jobId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		displayOptions,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '750R0000000zlh9IAA',
				validation: [{ type: 'regex', properties: { regex: JOB_ID_REGEX, errorMessage: 'A job ID starts with 750 and has 15 or 18 characters' } }],
			},
		],
	};
}

/** The sObject dropdown, loaded from the org. */
export function objectParameter(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Object Name or ID',
		name: 'object',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getObjects' },
		default: '',
		required: true,
		description: 'The Salesforce object. Choose from the list, or specify an API name using an <a href="https://docs.n8n.io/code/expressions/">expression</a>. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions,
	};
}

/** The upsert matching field, loaded from the object's external ID fields (plus Id). */
export function externalIdFieldParameter(show: Show): INodeProperties {
	return {
		displayName: 'External ID Field Name or ID',
		name: 'externalIdFieldName',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getExternalIdFields', loadOptionsDependsOn: ['object'] },
		default: '',
		required: true,
		description: 'The field that matches records for upsert. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: show,
	};
}

/**
 * Output As (items, or one binary file), Put Output File in Field and File Name: the output parameters of
 * both nodes. `items` and `file` describe the two choices; `fileName` gives the File Name its default and help.
 */
export function outputAsParameters(show: Show, items: string, file: string, fileName: Partial<INodeProperties>): INodeProperties[] {
	const asBinary = showWith(show, { outputAs: ['binary'] });
	return [
		{
			displayName: 'Output As',
			name: 'outputAs',
			type: 'options',
			options: [
				{ name: 'Items', value: 'items', description: items },
				{ name: 'Binary File', value: 'binary', description: file },
			],
			default: 'items',
			displayOptions: show,
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the output binary field to put the file in',
			displayOptions: asBinary,
		},
		{ displayName: 'File Name', name: 'fileName', type: 'string', default: '', ...fileName, displayOptions: asBinary },
	];
}

/** Output As: JSON items, or binary CSV files split to fit n8n's binary store (the V2 results). */
export function csvOutputParameters(show: Show, defaultFileName: string): INodeProperties[] {
	return [
		...outputAsParameters(show, 'One item per record', 'CSV file(s), streamed, for any size (see Split Into Files)', { default: defaultFileName }),
		...fileSplitParameters(showWith(show, { outputAs: ['binary'] })),
	];
}

export const columnDelimiterOptions = [
	{ name: 'Backquote (`)', value: 'BACKQUOTE' },
	{ name: 'Caret (^)', value: 'CARET' },
	{ name: 'Comma (,)', value: 'COMMA' },
	{ name: 'Pipe (|)', value: 'PIPE' },
	{ name: 'Semicolon (;)', value: 'SEMICOLON' },
	{ name: 'Tab', value: 'TAB' },
];

export const lineEndingOptions = [
	{ name: 'LF', value: 'LF' },
	{ name: 'CRLF', value: 'CRLF' },
];

/** The SOQL and Include Deleted (queryAll) parameters of every query operation. */
export function queryFields(displayOptions: Show): INodeProperties[] {
	return [
		{
			displayName: 'SOQL Query',
			name: 'query',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			placeholder: 'SELECT Id, Name FROM Account WHERE CreatedDate = LAST_N_DAYS:7',
			description: 'Bulk queries do not support GROUP BY, OFFSET, TYPEOF, aggregate functions or parent-to-child subqueries',
			displayOptions,
		},
		{
			displayName: 'Include Deleted and Archived Records',
			name: 'queryAll',
			type: 'boolean',
			default: false,
			description: 'Whether to run queryAll, which also returns records in the Recycle Bin and archived activities',
			displayOptions,
		},
	];
}
