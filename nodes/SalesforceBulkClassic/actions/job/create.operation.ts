import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { showWith } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { jobSpecOf, pkChunkingOf, showFor, type Operation } from '../common';
import { assignmentRuleOption, concurrencyModeOption, jobFields, pkChunkingFields } from '../common.descriptions';

const displayOptions = showFor('job', 'create');

/** Create: an Open job of any operation and content type; PK chunking for query jobs. */
export const create: Operation = {
	description: [
		...jobFields(displayOptions, ['insert', 'update', 'upsert', 'delete', 'hardDelete', 'query', 'queryAll'], ['CSV', 'XML', 'JSON', 'ZIP_CSV', 'ZIP_XML', 'ZIP_JSON']),
		...pkChunkingFields(showWith(displayOptions, { jobOperation: ['query', 'queryAll'] })),
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
		return await perItem(this, async (i) => {
			const spec = jobSpecOf(this, i);
			return await bulk1.createJob(spec, spec.operation.startsWith('query') ? pkChunkingOf(this, i) : undefined);
		});
	},
};
