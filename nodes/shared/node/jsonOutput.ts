/**
 * Query results as JSON files instead of CSV: the File Format parameter, and the writer that turns the CSV
 * Salesforce sends into JSON arrays while it streams into n8n's binary store (codecs/jsonArray.ts), split
 * like CSV files (fileSplit.ts) so that each file is a valid array.
 */
import type { IBinaryData, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { CsvReadOptions } from '../codecs/csv';
import { csvToJsonRecords, jsonArrayParts, JsonArrayError } from '../codecs/jsonArray';
import { destroyStream, readableFrom } from '../codecs/streams';
import { downloadErrorToKeep, numberedFileName, STORE_MAX_MB, type FileSplit, type ResultSource } from './fileSplit';

export type FileFormat = 'csv' | 'json';

/**
 * File Format, shown with binary output: the results as Salesforce sends them (the default, as before; CSV for
 * Bulk API 2.0, the job's format for Classic, described by `asReturned`), or JSON.
 */
export function fileFormatParameter(displayOptions: INodeProperties['displayOptions'], asReturned: string): INodeProperties {
	return {
		displayName: 'File Format',
		name: 'fileFormat',
		type: 'options',
		options: [
			{ name: 'As Returned', value: 'csv', description: asReturned },
			{
				name: 'JSON',
				value: 'json',
				description: 'One JSON array of records per file, values typed as Typed Values types them (numbers, true/false, null for empty; dates stay text)',
			},
		],
		default: 'csv',
		displayOptions,
	};
}

export const fileFormatOf = (ctx: IExecuteFunctions, i: number): FileFormat => (ctx.getNodeParameter('fileFormat', i, 'csv') === 'json' ? 'json' : 'csv');

/** A file name for JSON content: `results.csv` → `results.json`; other names stay as given. */
export const jsonFileName = (fileName: string): string => fileName.replace(/\.csv$/i, '.json');

/**
 * CSV bytes (one header, then rows) stored as JSON array files, one after another (one file without `split`),
 * each stored before the next is read. A failure midway names the job so its results can be fetched again.
 */
export async function jsonFiles(
	ctx: IExecuteFunctions,
	csv: AsyncIterable<Buffer>,
	sample: NodeJS.ReadableStream,
	fileName: string,
	split: FileSplit | undefined,
	format: CsvReadOptions,
	source: ResultSource,
	itemIndex: number,
): Promise<Array<{ binary: IBinaryData; rows: number }>> {
	const files: Array<{ binary: IBinaryData; rows: number }> = [];
	const name = jsonFileName(fileName);
	const limits = split ? { maxBytes: split.maxBytes ?? STORE_MAX_MB * 1024 * 1024, maxRows: split.maxRows } : {};
	try {
		for await (const part of jsonArrayParts(csvToJsonRecords(csv, format), limits)) {
			const content = readableFrom(sample, part.chunks, { closeSample: false });
			const binary = await ctx.helpers.prepareBinaryData(content as unknown as Buffer, numberedFileName(name, part.index), 'application/json');
			files.push({ binary, rows: part.rows });
		}
		if (files.length === 1) files[0].binary.fileName = name;
	} catch (error) {
		const download = downloadErrorToKeep(error, source.jobId);
		if (download) throw download;
		const reason = error instanceof JsonArrayError && error.code === 'RECORD_TOO_LARGE' ? `a record is larger than Max File Size (${error.message})` : (error as Error).message;
		throw new NodeOperationError(
			ctx.getNode(),
			`Writing the results of job ${source.jobId} to JSON files failed after ${files.length} file(s): ${reason}. The results stay in Salesforce: fetch them again with ${source.refetch} and job ID ${source.jobId}, instead of running the job again.`,
			{ itemIndex, description: `Job ID: ${source.jobId}` },
		);
	} finally {
		destroyStream(sample);
	}
	return files;
}
