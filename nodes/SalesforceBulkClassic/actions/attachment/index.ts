import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../common';
import { createJob } from './createJob.operation';
import { uploadBatch } from './uploadBatch.operation';

export const operations: Record<string, Operation> = { createJob, uploadBatch };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['attachment'] } },
		options: [
			{ name: 'Create Attachment Job', value: 'createJob', action: 'Create a job whose batches carry binary attachments', description: 'Create a job whose batches are zips of records and files' },
			{ name: 'Upload Attachment Batch', value: 'uploadBatch', action: 'Upload a zip of records and files as a batch of an attachment job', description: 'Send a zip, or build one from the items and their files' },
		],
		default: 'uploadBatch',
	},
	...Object.values(operations).flatMap((operation) => operation.description),
];
