import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { IngestJobSpec } from '../../../shared/api/bulk2Api';
import { connect } from '../../../shared/api/connect';
import { columnDelimiterOptions, externalIdFieldParameter, lineEndingOptions, objectParameter, showWith } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { showFor, type Operation } from '../common';

const displayOptions = showFor('ingestJob', 'create');

/** Object, operation, external ID field and CSV format of an ingest job: shared by Create and Load Records. */
export function ingestJobFields(show: INodeProperties['displayOptions']): INodeProperties[] {
	return [
		objectParameter(show),
		{
			displayName: 'Operation',
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

export function csvFormatOptions(): INodeProperties[] {
	return [
		{ displayName: 'Column Delimiter', name: 'columnDelimiter', type: 'options', options: columnDelimiterOptions, default: 'COMMA' },
		{ displayName: 'Line Ending', name: 'lineEnding', type: 'options', options: lineEndingOptions, default: 'LF' },
		{ displayName: 'Assignment Rule ID', name: 'assignmentRuleId', type: 'string', default: '', description: 'For Case and Lead: the assignment rule to apply' },
	];
}

export function ingestJobSpec(ctx: IExecuteFunctions, i: number): IngestJobSpec {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const operation = ctx.getNodeParameter('ingestOperation', i) as IngestJobSpec['operation'];
	return {
		object: String(ctx.getNodeParameter('object', i)).trim(),
		operation,
		externalIdFieldName: operation === 'upsert' ? String(ctx.getNodeParameter('externalIdFieldName', i)).trim() : undefined,
		columnDelimiter: options.columnDelimiter as IngestJobSpec['columnDelimiter'],
		lineEnding: options.lineEnding as IngestJobSpec['lineEnding'],
		assignmentRuleId: options.assignmentRuleId as string | undefined,
	};
}

/** Create: an Open ingest job, ready for Upload Data. */
export const create: Operation = {
	description: [
		...ingestJobFields(displayOptions),
		{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions, options: csvFormatOptions() },
	],
	async execute(this: IExecuteFunctions) {
		const { bulk2 } = await connect(this);
		return await perItem(this, async (i) => await bulk2.createIngestJob(ingestJobSpec(this, i)));
	},
};
