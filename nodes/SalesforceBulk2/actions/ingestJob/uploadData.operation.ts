import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { UploadBody } from '../../../shared/bulk2';
import { connect } from '../../../shared/client';
import { jobIdParameter } from '../../../shared/descriptions';
import { perItem } from '../../../shared/items';
import { jobIdOf, showFor, type Operation } from '../common';

const displayOptions = showFor('ingestJob', 'uploadData');

/** The CSV body of an item: text from a parameter, or a binary file streamed from n8n's binary store. */
function csvBody(ctx: IExecuteFunctions, i: number): UploadBody {
	if (ctx.getNodeParameter('inputDataType', i) === 'csv') {
		const csv = ctx.getNodeParameter('csvData', i) as string;
		if (!csv.trim()) throw new NodeOperationError(ctx.getNode(), 'CSV Data is empty: give a header row and at least one row', { itemIndex: i });
		return async () => csv;
	}
	const property = ctx.getNodeParameter('binaryPropertyName', i) as string;
	const binary = ctx.helpers.assertBinaryData(i, property);
	return async () => (binary.id ? await ctx.helpers.getBinaryStream(binary.id) : Buffer.from(binary.data, 'base64'));
}

/** Upload Data: the job's one CSV upload (Salesforce accepts a single upload per job). */
export const uploadData: Operation = {
	description: [
		jobIdParameter('searchOpenIngestJobs', displayOptions),
		{
			displayName: 'Input Data',
			name: 'inputDataType',
			type: 'options',
			options: [
				{ name: 'CSV Text', value: 'csv' },
				{ name: 'Binary File', value: 'binary', description: 'A CSV file from a binary field of the input item' },
			],
			default: 'csv',
			displayOptions,
		},
		{
			displayName: 'CSV Data',
			name: 'csvData',
			type: 'string',
			typeOptions: { rows: 6 },
			default: '',
			required: true,
			placeholder: 'Name,Phone\nAcme,555-0100',
			description: "A header row of field API names, then one row per record, in the job's delimiter and line ending",
			displayOptions: { show: { ...displayOptions.show, inputDataType: ['csv'] } },
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input binary field holding the CSV file',
			displayOptions: { show: { ...displayOptions.show, inputDataType: ['binary'] } },
		},
	],
	async execute(this: IExecuteFunctions) {
		const { bulk2 } = await connect(this);
		return await perItem(this, async (i) => {
			const jobId = jobIdOf(this, i);
			await bulk2.uploadJobData(jobId, csvBody(this, i));
			return { id: jobId, uploaded: true };
		});
	},
};
