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
			{ name: 'Abort', value: 'abort', action: 'Abort a query job', description: 'Stop a query job that has not finished' },
			{ name: 'Create', value: 'create', action: 'Create a query job', description: 'Start a SOQL query job' },
			{ name: 'Delete', value: 'delete', action: 'Delete a query job', description: 'Delete a finished job and its results' },
			{ name: 'Get', value: 'get', action: 'Get a query job', description: 'Get the state and counts of a job' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many query jobs', description: "List the org's query jobs" },
			{ name: 'Get Results', value: 'getResults', action: 'Get the results of a query job', description: 'All pages, or one page from a locator' },
			{ name: 'Run Query', value: 'runQuery', action: 'Run a SOQL query and get all results', description: 'Create the job, wait, and return every record' },
			{ name: 'Wait for Job', value: 'waitForJob', action: 'Wait for a query job', description: 'Wait until a job given by ID has finished and output its final info' },
		],
		default: 'runQuery',
	},
	...Object.values(ownOperations).flatMap((operation) => operation.description),
];
