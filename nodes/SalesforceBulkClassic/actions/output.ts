import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { Bulk1Api, Bulk1JobInfo } from '../../shared/bulk1';
import { dataFormatOf, joinResultSets, parseRecords, type DataFormat } from '../../shared/bulk1Data';
import { readCsvBatches } from '../../shared/csv';
import { limitOf, returnAllParameters, SPLIT_FROM_VERSION } from '../../shared/descriptions';
import { rowConverter } from '../../shared/records';
import { readableFrom } from '../../shared/streams';
import { csvFiles, fileItems, fileSplitOf, fileSplitParameters } from '../../shared/fileSplit';
import { showWith } from './common';

type Show = INodeProperties['displayOptions'];

/** A file's format: a job's data format, a zip (attachment requests) or plain text (SOQL). */
export type FileFormat = DataFormat | 'ZIP' | 'TXT';

const MIME_TYPES: Record<FileFormat, string> = { CSV: 'text/csv', XML: 'application/xml', JSON: 'application/json', ZIP: 'application/zip', TXT: 'text/plain' };

/** Output As: JSON items, or one binary file in the job's format (or, with `split`, CSV split into files). */
export function outputParameters(show: Show, what: string, { split = false } = {}): INodeProperties[] {
	const asBinary = showWith(show, { outputAs: ['binary'] });
	return [
		{
			displayName: 'Output As',
			name: 'outputAs',
			type: 'options',
			options: [
				{ name: 'Items', value: 'items', description: `One item per ${what}` },
				{ name: 'Binary File', value: 'binary', description: "One file in the job's format (CSV, XML or JSON), streamed, for any size" },
			],
			default: 'items',
			displayOptions: show,
		},
		{
			displayName: 'Put Output File in Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the output binary field to put the file in',
			displayOptions: asBinary,
		},
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'results.csv',
			description: "Empty = named after the job or batch, with the extension of the job's format",
			displayOptions: asBinary,
		},
		// CSV results only; XML and JSON results stay one file.
		...(split ? fileSplitParameters(asBinary, SPLIT_FROM_VERSION) : []),
	];
}

/** Typed Values, Return All and Limit for record output. */
export function recordOptions(show: Show): INodeProperties[] {
	const asItems = showWith(show, { outputAs: ['items'] });
	return [
		{
			displayName: 'Typed Values',
			name: 'typedValues',
			type: 'boolean',
			default: false,
			description: 'Whether to turn numbers and true/false in CSV and XML results into JSON numbers and booleans, and empty values into null',
			displayOptions: asItems,
		},
		...returnAllParameters(asItems, true),
	];
}

export const asBinary = (ctx: IExecuteFunctions, i: number) => ctx.getNodeParameter('outputAs', i, 'items') === 'binary';


/** A body (a response stream, or bytes) as a binary file in n8n's binary store, streamed. */
export async function binaryItem(ctx: IExecuteFunctions, i: number, body: NodeJS.ReadableStream | Buffer, format: FileFormat, defaultName: string, json: IDataObject): Promise<INodeExecutionData> {
	const property = ctx.getNodeParameter('binaryPropertyName', i) as string;
	const fileName = String(ctx.getNodeParameter('fileName', i, '')).trim() || `${defaultName}.${format.toLowerCase()}`;
	const binary = await ctx.helpers.prepareBinaryData(body as Buffer, fileName, MIME_TYPES[format]);
	return { json, binary: { [property]: binary } };
}

export interface ResultSetRef {
	batchId: string;
	resultId: string;
}

/**
 * Query result sets as records (stopping at `limit`) or as one binary file joined from all of them. CSV
 * streams row by row; an XML or JSON result set is read whole before it is parsed.
 */
export async function resultSetsOutput(
	ctx: IExecuteFunctions,
	i: number,
	bulk1: Bulk1Api,
	job: Bulk1JobInfo,
	refs: AsyncIterable<ResultSetRef>,
	json: IDataObject,
	defaultName: string,
): Promise<INodeExecutionData[] | IDataObject[]> {
	const format = dataFormatOf(job.contentType);
	let sets = 0;
	async function* streams(): AsyncGenerator<NodeJS.ReadableStream> {
		for await (const ref of refs) {
			sets++;
			yield (await bulk1.getQueryResult(job.id, ref.batchId, ref.resultId, 'stream')).body as NodeJS.ReadableStream;
		}
	}
	if (asBinary(ctx, i)) {
		const all = streams();
		const first = await all.next();
		if (first.done) return [await binaryItem(ctx, i, Buffer.alloc(0), format, defaultName, { ...json, resultSets: 0 })];
		const rest = async function* () {
			yield first.value as AsyncIterable<Buffer>;
			for await (const stream of all) yield stream as AsyncIterable<Buffer>;
		};
		const split = format === 'CSV' ? fileSplitOf(ctx, i) : undefined;
		if (split) {
			const fileName = String(ctx.getNodeParameter('fileName', i, '')).trim() || `${defaultName}.csv`;
			const source = { jobId: job.id, refetch: 'Query Result → Get All Results' };
			const files = await csvFiles(ctx, joinResultSets(format, rest()), first.value, fileName, split, source, i);
			return fileItems(files, ctx.getNodeParameter('binaryPropertyName', i) as string, { ...json, resultSets: sets });
		}
		const content = readableFrom(first.value, joinResultSets(format, rest()));
		const item = await binaryItem(ctx, i, content, format, defaultName, json);
		item.json = { ...json, resultSets: sets };
		return [item];
	}
	const limit = limitOf(ctx, i);
	const typed = ctx.getNodeParameter('typedValues', i, false) as boolean;
	const records: IDataObject[] = [];
	for await (const stream of streams()) {
		if (format === 'CSV') {
			let convert: ((row: readonly string[]) => IDataObject) | undefined;
			for await (const batch of readCsvBatches(stream as AsyncIterable<Buffer>, { lineEnding: 'auto' })) {
				for (const row of batch) {
					if (!convert) convert = rowConverter(row, { typed });
					else if (records.length < limit) records.push(convert(row));
					else return records;
				}
			}
		} else {
			const chunks: Buffer[] = [];
			for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
			records.push(...parseRecords(format, Buffer.concat(chunks).toString('utf8'), { typed }).slice(0, limit - records.length));
		}
		if (records.length >= limit) break;
	}
	return records;
}
