import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../common';
import { getAllResults } from './getAllResults.operation';
import { getResult } from './getResult.operation';
import { getResultIds } from './getResultIds.operation';

export const operations: Record<string, Operation> = { getResultIds, getResult, getAllResults };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['queryResult'] } },
		options: [
			{ name: 'Get All Results', value: 'getAllResults', action: 'Get every record a finished query job returned', description: 'Every record of every batch (PK chunks included), as items or one file' },
			{ name: 'Get Result', value: 'getResult', action: 'Get the records of one result set of a query batch', description: 'One result set of a query batch' },
			{ name: 'Get Result IDs', value: 'getResultIds', action: 'List the result sets of a completed query batch', description: 'The result sets of a completed query batch' },
		],
		default: 'getAllResults',
	},
	...Object.values(operations).flatMap((operation) => operation.description),
];
