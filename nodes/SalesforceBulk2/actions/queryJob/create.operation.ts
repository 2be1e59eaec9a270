import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { QueryJobSpec } from '../../../shared/api/bulk2Api';
import { connect } from '../../../shared/api/connect';
import { columnDelimiterOptions, lineEndingOptions, queryFields } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { showFor, type Operation } from '../common';

export const queryFormatOptions: INodeProperties[] = [
	{ displayName: 'Column Delimiter', name: 'columnDelimiter', type: 'options', options: columnDelimiterOptions, default: 'COMMA' },
	{ displayName: 'Line Ending', name: 'lineEnding', type: 'options', options: lineEndingOptions, default: 'LF' },
];

export function queryJobSpec(ctx: IExecuteFunctions, i: number): QueryJobSpec {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	return {
		query: String(ctx.getNodeParameter('query', i)).trim(),
		operation: ctx.getNodeParameter('queryAll', i, false) ? 'queryAll' : 'query',
		columnDelimiter: options.columnDelimiter as QueryJobSpec['columnDelimiter'],
		lineEnding: options.lineEnding as QueryJobSpec['lineEnding'],
	};
}

const displayOptions = showFor('queryJob', 'create');

/** Create: starts a query job; Salesforce runs it in the background. */
export const create: Operation = {
	description: [
		...queryFields(displayOptions),
		{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions, options: queryFormatOptions },
	],
	async execute(this: IExecuteFunctions) {
		const { bulk2 } = await connect(this);
		return await perItem(this, async (i) => await bulk2.createQueryJob(queryJobSpec(this, i)));
	},
};
