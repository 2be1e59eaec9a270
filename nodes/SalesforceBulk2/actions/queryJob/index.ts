import type { INodeProperties } from 'n8n-workflow';

import * as bothJobResources from '../bothJobResources';
import type { Operation } from '../common';
import { create } from './create.operation';
import { getResults } from './getResults.operation';
import { runQuery } from './runQuery.operation';

/** This resource's own operations; Abort, Delete, Get and Get Many come from bothJobResources. */
const ownOperations: Record<string, Operation> = { runQuery, create, getResults };

export const operations: Record<string, Operation> = { ...ownOperations, ...bothJobResources.operations };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['queryJob'] } },
		options: [
			{ name: 'Abort', value: 'abort', action: 'Abort a query job that has not finished', description: 'Stop a query job that has not finished' },
			{ name: 'Create', value: 'create', action: 'Start a SOQL query job without waiting for it', description: 'Start a SOQL query job' },
			{ name: 'Delete', value: 'delete', action: 'Delete a finished query job and its results', description: 'Delete a finished job and its results' },
			{ name: 'Get', value: 'get', action: 'Get the state and record count of a query job', description: 'Get the state and counts of a job' },
			{ name: 'Get Many', value: 'getAll', action: 'List the query jobs of the org', description: "List the org's query jobs" },
			{ name: 'Get Results', value: 'getResults', action: 'Get the records a finished query job returned', description: 'All pages, or one page from a locator' },
			{ name: 'Run Query', value: 'runQuery', action: 'Run a SOQL query and return the matching records', description: 'Create the job, wait, and return every record' },
			{ name: 'Wait for Job', value: 'waitForJob', action: 'Wait until a query job has finished and return its final state', description: 'Wait until a job given by ID has finished and output its final info' },
		],
		default: 'runQuery',
	},
	...Object.values(ownOperations).flatMap((operation) => operation.description),
];
