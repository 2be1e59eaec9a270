import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { perItem } from '../../../shared/node/items';
import { ingestJobSpec, showFor, type Operation } from '../common';
import { ingestFormatOptions, ingestJobFields } from '../common.descriptions';

const displayOptions = showFor('ingestJob', 'create');

/** Create: an Open ingest job, ready for Upload Data. */
export const create: Operation = {
	description: [
		...ingestJobFields(displayOptions),
		{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions, options: ingestFormatOptions },
	],
	async execute(this: IExecuteFunctions) {
		const { bulk2 } = await connect(this);
		return await perItem(this, async (i) => await bulk2.createIngestJob(ingestJobSpec(this, i)));
	},
};
