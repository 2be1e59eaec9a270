import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../common';
import { add } from './add.operation';
import { get } from './get.operation';
import { getMany } from './getMany.operation';
import { getRequest } from './getRequest.operation';
import { getResults } from './getResults.operation';

export const operations: Record<string, Operation> = { add, get, getAll: getMany, getRequest, getResults };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['batch'] } },
		options: [
			{ name: 'Add', value: 'add', action: 'Add a batch of records or a SOQL query to an open job', description: 'Send records, a file or a SOQL query to an open job' },
			{ name: 'Get Many', value: 'getAll', action: 'List the batches of a job with their states and counts', description: 'List the batches of a job' },
			{ name: 'Get Request', value: 'getRequest', action: 'Get the data a batch was sent with', description: 'The data of a batch as it was sent' },
			{ name: 'Get Results', value: 'getResults', action: 'Get the outcome of each row of a batch in input order', description: 'The outcome of each row sent, in input order' },
			{ name: 'Get Status', value: 'get', action: 'Get the state and row counts of a batch', description: 'The state and counts of a batch' },
		],
		default: 'add',
	},
	...Object.values(operations).flatMap((operation) => operation.description),
];
