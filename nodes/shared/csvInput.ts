import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { showWith } from './descriptions';

/** CSV Data (for Input Data = CSV Text) and Input Binary Field (for Input Data = Binary File). */
export function csvInputParameters(show: INodeProperties['displayOptions']): INodeProperties[] {
	return [
		{
			displayName: 'CSV Data',
			name: 'csvData',
			type: 'string',
			typeOptions: { rows: 6 },
			default: '',
			required: true,
			placeholder: 'Name,Phone\nAcme,555-0100',
			description: 'A header row of field API names, then one row per record',
			displayOptions: showWith(show, { inputDataType: ['csv'] }),
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input binary field holding the CSV file',
			displayOptions: showWith(show, { inputDataType: ['binary'] }),
		},
	];
}

/**
 * The item's CSV, as a function that opens it (again, when asked): the text, or the binary file streamed from
 * n8n's binary store (its base64 data when the store keeps binaries in memory).
 */
export function csvInputOf(ctx: IExecuteFunctions, i: number): () => Promise<Buffer | NodeJS.ReadableStream> {
	if (ctx.getNodeParameter('inputDataType', i) === 'csv') {
		const csv = ctx.getNodeParameter('csvData', i) as string;
		if (!csv.trim()) throw new NodeOperationError(ctx.getNode(), 'CSV Data is empty: give a header row and at least one row', { itemIndex: i });
		return async () => Buffer.from(csv);
	}
	const binary = ctx.helpers.assertBinaryData(i, ctx.getNodeParameter('binaryPropertyName', i) as string);
	return async () => (binary.id ? await ctx.helpers.getBinaryStream(binary.id) : Buffer.from(binary.data, 'base64'));
}
