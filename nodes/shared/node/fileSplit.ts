/**
 * Result files split to fit n8n's binary store. In queue mode n8n keeps binary data in its database by
 * default: each file is buffered whole in the worker's memory and refused above
 * N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE (512 MiB by default, 1024 at most). So every operation that writes
 * CSV results to a file can write several instead: at most N MB or N rows each, each with the header row,
 * rows never cut, names numbered in order (a single file keeps its name), one output item per file. The
 * one place this is done, for V2 query and ingest results and Classic query results.
 */
import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, IPollFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CsvError } from '../codecs/csv';
import { splitCsv } from '../codecs/csvSplit';
import { destroyStream, readableFrom } from '../codecs/streams';
import { saysHowToReadAgain } from '../transport/errors';

/** n8n's ceiling for N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE, in MiB. */
export const STORE_MAX_MB = 1024;
/** Default file size: a fifth of the database store's default limit, so a default queue-mode n8n takes it. */
export const DEFAULT_FILE_MB = 100;
export const DEFAULT_FILE_ROWS = 1_000_000;
const MiB = 1024 * 1024;
/** Node version (V2 and Classic) from which binary results are split into 100 MB files by default. */
export const SPLIT_FROM_VERSION = 1.1;

export interface FileSplit {
	maxBytes?: number;
	maxRows?: number;
}

type Show = INodeProperties['displayOptions'];

/**
 * Split Into Files, Max File Size (MB), Max Rows per File: shown with binary output. Node versions before
 * SPLIT_FROM_VERSION default to one file (what they always did); from it on, to files of 100 MB. A node
 * without those versions (the trigger) passes `versioned: false`: files of 100 MB.
 */
export function fileSplitParameters(show: Show, { versioned = true } = {}): INodeProperties[] {
	const showSplit = (mode: string) => ({ show: { ...show?.show, splitFiles: [mode] } });
	const base: INodeProperties = {
		displayName: 'Split Into Files',
		name: 'splitFiles',
		type: 'options',
		options: [
			{ name: 'One File', value: 'one', description: 'All rows in one file. In queue mode (database binary store) a file above N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE, 512 MiB by default, fails.' },
			{ name: 'Files of at Most N MB', value: 'size', description: 'Several files, each under the size below' },
			{ name: 'Files of at Most N Rows', value: 'rows', description: 'Several files, each with at most the rows below' },
		],
		default: 'size',
		description:
			"Why: n8n's database binary store (the queue-mode default) holds each file whole in the worker's memory and refuses files above 512 MiB. Split files fit it: one output item per file, each with the header row, rows never cut, names numbered in order.",
	};
	const choice: INodeProperties[] = versioned
		? [
				{ ...base, default: 'one', displayOptions: { show: { ...show?.show, '@version': [{ _cnd: { lt: SPLIT_FROM_VERSION } }] } } },
				{ ...base, displayOptions: { show: { ...show?.show, '@version': [{ _cnd: { gte: SPLIT_FROM_VERSION } }] } } },
			]
		: [{ ...base, displayOptions: show }];
	return [
		...choice,
		{
			displayName: 'Max File Size (MB)',
			name: 'maxFileSizeMb',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: STORE_MAX_MB },
			default: DEFAULT_FILE_MB,
			description: `At most this many MiB per file, header included (1 to ${STORE_MAX_MB}, the database store's ceiling). Keep it under N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE.`,
			displayOptions: showSplit('size'),
		},
		{
			displayName: 'Max Rows per File',
			name: 'maxFileRows',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: DEFAULT_FILE_ROWS,
			description: 'At most this many rows per file, header not counted',
			displayOptions: showSplit('rows'),
		},
	];
}

/**
 * The item's split settings, checked (call it before creating any job): undefined for one file. A limit
 * below one row or above the store's ceiling is an error.
 */
export function fileSplitOf(ctx: IExecuteFunctions, i: number): FileSplit | undefined {
	const mode = ctx.getNodeParameter('splitFiles', i, 'one') as string;
	const split = splitFor(mode, Number(ctx.getNodeParameter('maxFileSizeMb', i, DEFAULT_FILE_MB)), Number(ctx.getNodeParameter('maxFileRows', i, DEFAULT_FILE_ROWS)));
	if (typeof split === 'string') throw new NodeOperationError(ctx.getNode(), split, { itemIndex: i });
	return split;
}

/** The split for a Split Into Files mode and its limits; undefined for one file, or what is wrong with a limit. */
export function splitFor(mode: string, mb: number, rows: number): FileSplit | undefined | string {
	if (mode === 'size') {
		if (!(mb >= 1) || mb > STORE_MAX_MB) return `Max File Size (MB) must be between 1 and ${STORE_MAX_MB} (n8n's database binary store takes no file above ${STORE_MAX_MB} MiB); it is ${mb}`;
		return { maxBytes: Math.floor(mb * MiB) };
	}
	if (mode === 'rows') {
		if (!Number.isInteger(rows) || rows < 1) return `Max Rows per File must be a whole number of at least 1; it is ${rows}`;
		return { maxRows: rows };
	}
	return undefined;
}

/** `accounts.csv` → `accounts-001.csv` (the part number, from 1, before the extension). */
export function numberedFileName(fileName: string, index: number): string {
	const dot = fileName.lastIndexOf('.');
	const [stem, ext] = dot > 0 ? [fileName.slice(0, dot), fileName.slice(dot)] : [fileName, ''];
	return `${stem}-${String(index + 1).padStart(3, '0')}${ext}`;
}

/** What the error says to do when writing a job's results fails midway. */
export interface ResultSource {
	jobId: string;
	/** e.g. "Get Results (Query Job) with this job ID" */
	refetch: string;
}

/**
 * CSV bytes (one header, then rows) stored as files of at most `split` each, one after another: a file is
 * stored before the next one is read, so about one file is in memory at a time. A failure after the job
 * ran names the job so its results can be fetched again.
 */
export async function csvFiles(ctx: IExecuteFunctions | IPollFunctions, csv: AsyncIterable<Buffer>, sample: NodeJS.ReadableStream, fileName: string, split: FileSplit, source: ResultSource, itemIndex: number): Promise<Array<{ binary: IBinaryData; rows: number }>> {
	const files: Array<{ binary: IBinaryData; rows: number }> = [];
	// The first line, kept aside: results without rows still give one file, with the header.
	const head: Buffer[] = [];
	let headDone = false;
	const watched = (async function* () {
		for await (const chunk of csv) {
			if (!headDone) {
				const newline = chunk.indexOf(10);
				head.push(newline < 0 ? chunk : chunk.subarray(0, newline + 1));
				headDone = newline >= 0;
			}
			yield chunk;
		}
	})();
	try {
		for await (const part of splitCsv(watched, { ...split, maxBytes: split.maxBytes ?? STORE_MAX_MB * MiB, lineEnding: 'auto' })) {
			const content = readableFrom(sample, part.chunks, { closeSample: false });
			const binary = await ctx.helpers.prepareBinaryData(content as unknown as Buffer, numberedFileName(fileName, part.index), 'text/csv');
			files.push({ binary, rows: part.rows });
		}
		if (!files.length) files.push({ binary: await ctx.helpers.prepareBinaryData(Buffer.concat(head), fileName, 'text/csv'), rows: 0 });
		// Everything fitted in one file: it keeps the name asked for, as without splitting.
		if (files.length === 1) files[0].binary.fileName = fileName;
	} catch (error) {
		const download = downloadErrorToKeep(error, source.jobId);
		if (download) throw download;
		const reason = error instanceof CsvError && error.code === 'ROW_TOO_LARGE' ? `a row is larger than Max File Size (${(error as Error).message})` : (error as Error).message;
		throw new NodeOperationError(
			ctx.getNode(),
			`Writing the results of job ${source.jobId} to files failed after ${files.length} file(s): ${reason}. The results stay in Salesforce: fetch them again with ${source.refetch} and job ID ${source.jobId}, instead of running the job again.`,
			{ itemIndex, description: `Job ID: ${source.jobId}` },
		);
	} finally {
		destroyStream(sample);
	}
	return files;
}

/** A download error about this job that already says how to read it again (its batch and result set too): kept as it is. */
export function downloadErrorToKeep(error: unknown, jobId: string): NodeApiError | NodeOperationError | undefined {
	return (error instanceof NodeApiError || error instanceof NodeOperationError) && saysHowToReadAgain(error, jobId) ? error : undefined;
}

/** One output item per file: `json`, and when there are several its number, the file count and its rows. */
export function fileItems(files: Array<{ binary: IBinaryData; rows: number }>, property: string, json: IDataObject): INodeExecutionData[] {
	if (files.length === 1) return [{ json, binary: { [property]: files[0].binary } }]; // as without splitting
	return files.map((file, index) => ({ json: { ...json, file: index + 1, files: files.length, rows: file.rows }, binary: { [property]: file.binary } }));
}
