import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { perItem } from '../../../shared/node/items';
import { jobSpecOf, showFor, type Operation } from '../common';
import { assignmentRuleOption, concurrencyModeOption, jobFields } from '../common.descriptions';

const displayOptions = showFor('attachment', 'createJob');

/** Create Attachment Job: an Open job whose batches are zips of a manifest and the files it refers to. */
export const createJob: Operation = {
	description: [
		...jobFields(displayOptions, ['insert', 'update', 'upsert'], ['ZIP_CSV', 'ZIP_XML', 'ZIP_JSON'], { object: 'Attachment', contentType: 'ZIP_CSV' }),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions,
			options: [assignmentRuleOption, concurrencyModeOption],
		},
	],
	async execute(this: IExecuteFunctions) {
		const { bulk1 } = await connect(this);
		return await perItem(this, async (i) => await bulk1.createJob(jobSpecOf(this, i)));
	},
};
