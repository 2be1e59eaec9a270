import type { INodeProperties } from 'n8n-workflow';

import * as bothJobResources from '../bothJobResources';
import type { Operation } from '../common';
import { close } from './close.operation';
import { create } from './create.operation';
import { getFailedResults } from './getFailedResults.operation';
import { getSuccessfulResults } from './getSuccessfulResults.operation';
import { getUnprocessedRecords } from './getUnprocessedRecords.operation';
import { loadRecords } from './loadRecords.operation';
import { uploadData } from './uploadData.operation';

/** This resource's own operations; Abort, Delete, Get and Get Many come from bothJobResources. */
const ownOperations: Record<string, Operation> = { loadRecords, create, uploadData, close, getSuccessfulResults, getFailedResults, getUnprocessedRecords };

export const operations: Record<string, Operation> = { ...ownOperations, ...bothJobResources.operations };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['ingestJob'] } },
		options: [
			{ name: 'Abort', value: 'abort', action: 'Abort an ingest job that has not finished', description: 'Stop an open or closed job before it finishes' },
			{ name: 'Close', value: 'close', action: 'Close an ingest job so its uploaded data gets processed', description: 'Mark the upload complete so Salesforce processes the job' },
			{ name: 'Create', value: 'create', action: 'Create an open ingest job for an object and a record operation', description: 'Create an open job for Upload Data' },
			{ name: 'Delete', value: 'delete', action: 'Delete a finished ingest job and its data', description: 'Delete a finished job and its data' },
			{ name: 'Get', value: 'get', action: 'Get the state and processed and failed row counts of an ingest job', description: 'Get the state, counts and timings of a job' },
			{ name: 'Get Failed Results', value: 'getFailedResults', action: 'Get the rows an ingest job failed to save and the error of each', description: 'Rows Salesforce rejected, with the error' },
			{ name: 'Get Many', value: 'getAll', action: 'List the ingest jobs of the org', description: "List the org's ingest jobs" },
			{ name: 'Get Successful Results', value: 'getSuccessfulResults', action: 'Get the rows an ingest job saved and the record ID of each', description: 'Rows Salesforce saved, with the record ID' },
			{ name: 'Get Unprocessed Records', value: 'getUnprocessedRecords', action: 'Get the rows an ingest job never processed', description: 'Rows Salesforce never processed (failed or aborted job)' },
			{ name: 'Load Records', value: 'loadRecords', action: 'Load records into an object and return the outcome of each row', description: "Insert, update, upsert or delete records in one step: create the jobs, upload, wait, and return each record's outcome" },
			{ name: 'Upload Data', value: 'uploadData', action: 'Upload CSV data to an open ingest job', description: "Upload the job's CSV data (once per job)" },
			{ name: 'Wait for Job', value: 'waitForJob', action: 'Wait until an ingest job has finished and return its final state', description: 'Wait until a job given by ID has finished and output its final info' },
		],
		default: 'loadRecords',
	},
	...Object.values(ownOperations).flatMap((operation) => operation.description),
];
