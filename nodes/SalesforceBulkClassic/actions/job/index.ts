import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../common';
import { create } from './create.operation';
import { get } from './get.operation';
import { getMany } from './getMany.operation';
import { loadRecords } from './loadRecords.operation';
import { runQuery } from './runQuery.operation';
import { update } from './update.operation';
import { waitForJob } from './waitForJob.operation';

export const operations: Record<string, Operation> = { loadRecords, runQuery, create, update, get, getAll: getMany, waitForJob };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['job'] } },
		options: [
			{ name: 'Create', value: 'create', action: 'Create an open job to add batches to', description: 'Create an open job to add batches to' },
			{ name: 'Get', value: 'get', action: 'Get the state and batch and record counts of a job', description: 'Get the state and batch and record counts of a job' },
			{ name: 'Get Many', value: 'getAll', action: 'List the jobs of the org', description: "List the org's Bulk API 1.0 jobs" },
			{ name: 'Load Records', value: 'loadRecords', action: 'Load records into an object and return the outcome of each item', description: 'Create a job, send the input items, wait, and return the outcome of each item' },
			{ name: 'Run Query', value: 'runQuery', action: 'Run a SOQL query and return the matching records', description: 'Create a query job (PK chunking if asked), wait, and return every record' },
			{ name: 'Update', value: 'update', action: 'Close or abort a job', description: 'Close or abort a job' },
			{ name: 'Wait for Job', value: 'waitForJob', action: 'Wait until every batch of a job has finished and return the job', description: 'Wait until every batch of a job given by ID has finished and output the job' },
		],
		default: 'loadRecords',
	},
	...Object.values(operations).flatMap((operation) => operation.description),
];
