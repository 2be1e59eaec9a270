import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { queryFields } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { queryJobSpec, showFor, type Operation } from '../common';
import { queryFormatOptions } from '../common.descriptions';

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
