import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as attachment from './actions/attachment';
import * as batch from './actions/batch';
import * as job from './actions/job';
import * as queryResult from './actions/queryResult';
import { outcomeOutputsExpression } from '../shared/node/outcomeOutputs';
import { router } from './actions/router';
import { listSearch, loadOptions, resourceMapping } from './methods';

export class SalesforceBulkClassic implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce Bulk (Classic)',
		name: 'salesforceBulkClassic',
		icon: { light: 'file:salesforce.svg', dark: 'file:salesforce.dark.svg' },
		group: ['transform'],
		// 1.1: binary results split into files of 100 MB by default (Split Into Files); 1 keeps one file.
		// 1.2: items are loaded through a Columns mapper from the object's describe (Load Records, Add Batch).
		version: [1, 1.1, 1.2],
		defaultVersion: 1.2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Bulk API 1.0: serial jobs, XML and JSON batches, PK chunking and binary attachments',
		defaults: { name: 'Salesforce Bulk (Classic)' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: outcomeOutputsExpression,
		credentials: [{ name: 'salesforceBulkOAuth2Api', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Batch', value: 'batch', description: 'Add batches to a job, check them, get their results' },
					{ name: 'Binary Attachment', value: 'attachment', description: 'Load files (attachments, documents) as zip batches' },
					{ name: 'Job', value: 'job', description: 'Create, close, abort and list jobs; load or query in one step' },
					{ name: 'Query Result', value: 'queryResult', description: 'Get the records a query job found' },
				],
				default: 'job',
			},
			...job.description,
			...batch.description,
			...queryResult.description,
			...attachment.description,
		],
	};

	methods = { listSearch, loadOptions, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
