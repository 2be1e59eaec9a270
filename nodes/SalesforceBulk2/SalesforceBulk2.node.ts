import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as bothJobResources from './actions/bothJobResources';
import * as ingestJob from './actions/ingestJob';
import * as queryJob from './actions/queryJob';
import { outcomeOutputsExpression } from '../shared/node/outcomeOutputs';
import { router } from './actions/router';
import { listSearch, loadOptions, resourceMapping } from './methods';

export class SalesforceBulk2 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce Bulk V2',
		name: 'salesforceBulk2',
		icon: { light: 'file:salesforce.svg', dark: 'file:salesforce.dark.svg' },
		group: ['transform'],
		// 1.1: binary results split into files of 100 MB by default (Split Into Files); 1 keeps one file.
		// 1.2: items are loaded through a Columns mapper from the object's describe; 1 and 1.1 keep Fields to Send.
		version: [1, 1.1, 1.2],
		defaultVersion: 1.2,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Load and export large volumes of Salesforce records with Bulk API 2.0',
		defaults: { name: 'Salesforce Bulk V2' },
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
					{ name: 'Ingest Job', value: 'ingestJob', description: 'Insert, update, upsert or delete records' },
					{ name: 'Query Job', value: 'queryJob', description: 'Export records with SOQL' },
				],
				default: 'ingestJob',
			},
			...ingestJob.description,
			...queryJob.description,
			...bothJobResources.description,
		],
	};

	methods = { listSearch, loadOptions, resourceMapping };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
