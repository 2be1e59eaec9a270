/** Parameters that several V2 operations show: each operation file lists its own, these are the shared ones. */
import type { INodeProperties } from 'n8n-workflow';

import { fileFormatParameter } from '../../shared/node/jsonOutput';
import { columnDelimiterOptions, csvOutputParameters, externalIdFieldParameter, jobIdParameter, lineEndingOptions, objectParameter, returnAllParameters, showWith } from '../../shared/node/descriptions';
import { fromTypingVersion, schemaTypingParameters } from '../../shared/node/resultTyping';
import { toolMaxRowsParameter } from '../../shared/node/toolMode';
import { showFor } from './common';

type Show = INodeProperties['displayOptions'];

/** The Job parameter of an operation both resources have: each lists its own kind of job. */
export function jobIdParameters(operation: string): INodeProperties[] {
	return [jobIdParameter('searchIngestJobs', showFor('ingestJob', operation)), jobIdParameter('searchQueryJobs', showFor('queryJob', operation))];
}

/** Object, operation and external ID field of an ingest job: Create and Load Records. */
export function ingestJobFields(show: Show): INodeProperties[] {
	return [
		objectParameter(show),
		{
			// Labelled apart from the node's own Operation; the name stays, so saved workflows keep their value.
			displayName: 'Record Operation',
			name: 'ingestOperation',
			type: 'options',
			options: [
				{ name: 'Create or Update', value: 'upsert', description: 'Create a new record, or update the current one if it already exists (upsert)' },
				{ name: 'Delete', value: 'delete', description: 'Rows need an ID column; records go to the Recycle Bin' },
				{ name: 'Hard Delete', value: 'hardDelete', description: 'Deletes for good; needs the "Bulk API Hard Delete" permission' },
				{ name: 'Insert', value: 'insert' },
				{ name: 'Update', value: 'update', description: 'Rows need an ID column' },
			],
			default: 'insert',
			displayOptions: show,
		},
		externalIdFieldParameter(showWith(show, { ingestOperation: ['upsert'] })),
	];
}

/** The CSV format of a query job's results: Create and Run Query (Options). */
export const queryFormatOptions: INodeProperties[] = [
	{ displayName: 'Column Delimiter', name: 'columnDelimiter', type: 'options', options: columnDelimiterOptions, default: 'COMMA' },
	{ displayName: 'Line Ending', name: 'lineEnding', type: 'options', options: lineEndingOptions, default: 'LF' },
];

/** The CSV format and assignment rule of an ingest job: Create and Load Records (Options). */
export const ingestFormatOptions: INodeProperties[] = [
	...queryFormatOptions,
	{ displayName: 'Assignment Rule ID', name: 'assignmentRuleId', type: 'string', default: '', description: 'For Case and Lead: the assignment rule to apply' },
];

/** Typed Values (before 1.2; from 1.2 values follow the schema: schemaTypingParameters), shown when the output is items. */
export function typedValuesParameters(show: Show, description: string): INodeProperties[] {
	const asItems = showWith(show, { outputAs: ['items'] });
	return [
		{ displayName: 'Typed Values', name: 'typedValues', type: 'boolean', default: false, description, displayOptions: showWith(asItems, fromTypingVersion(false)) },
		...schemaTypingParameters(asItems),
	];
}

/** Output, Typed Values, Limit and page size of query results: Get Results and Run Query. */
export function queryResultParameters(show: Show): INodeProperties[] {
	return [
		...csvOutputParameters(show, 'query-results.csv'),
		fileFormatParameter(showWith(show, { outputAs: ['binary'] }), 'CSV, as Salesforce sends it'),
		...typedValuesParameters(show, 'Whether to turn numbers and true/false into JSON numbers and booleans, and empty values into null (dates stay text)'),
		...returnAllParameters(showWith(show, { outputAs: ['items'] }), true),
		toolMaxRowsParameter(showWith(show, { outputAs: ['items'] })),
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50000,
			description: 'Records per page downloaded from Salesforce (maxRecords). About two pages are held in memory at a time: the one being read and the next, requested ahead.',
			displayOptions: show,
		},
	];
}
