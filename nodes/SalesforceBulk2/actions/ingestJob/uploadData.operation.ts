import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Bulk2Api, UploadBody } from '../../../shared/bulk2';
import { connect } from '../../../shared/client';
import { jobIdParameter } from '../../../shared/descriptions';
import { errorJson, perItem, withItemIndex } from '../../../shared/items';
import { recordsToCsv, type RecordError } from '../../../shared/records';
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

/** Every input item as one row of the job's single upload, written in the job's delimiter and line ending. */
async function uploadItems(ctx: IExecuteFunctions, bulk2: Bulk2Api): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const pairedItem = items.map((_, item) => ({ item }));
	try {
		const jobId = jobIdOf(ctx, 0);
		const job = await bulk2.getJob('ingest', jobId);
		const chunks: string[] = [];
		try {
			for await (const chunk of recordsToCsv(items.map((item) => item.json), { delimiter: job.columnDelimiter, lineEnding: job.lineEnding })) chunks.push(chunk);
		} catch (error) {
			const itemIndex = (error as RecordError).itemIndex;
			throw new NodeOperationError(ctx.getNode(), (error as Error).message, itemIndex >= 0 ? { itemIndex } : {});
		}
		const csv = chunks.join('');
		await bulk2.uploadJobData(jobId, async () => csv);
		return [{ json: { id: jobId, uploaded: true, records: items.length }, pairedItem }];
	} catch (error) {
		if (!ctx.continueOnFail()) throw withItemIndex(ctx, error, 0);
		return [{ json: errorJson(error), pairedItem }];
	}
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
				{ name: 'Binary File', value: 'binary', description: 'A CSV file from a binary field of each input item' },
				{ name: 'CSV Text', value: 'csv' },
				{ name: 'Input Items', value: 'items', description: 'All input items become the rows of one upload, to the job of the first item' },
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
		if (this.getNodeParameter('inputDataType', 0) === 'items') return await uploadItems(this, bulk2);
		return await perItem(this, async (i) => {
			const jobId = jobIdOf(this, i);
			await bulk2.uploadJobData(jobId, csvBody(this, i));
			return { id: jobId, uploaded: true };
		});
	},
};
