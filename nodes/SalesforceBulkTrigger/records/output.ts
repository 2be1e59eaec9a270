import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { CsvChunkWriter } from '../../shared/codecs/csv';
import { rowConverter } from '../../shared/codecs/records';
import { csvFiles, fileItems, type FileSplit } from '../../shared/node/fileSplit';
import type { RowBatch } from './reader';

export interface OutputOptions {
	as: 'items' | 'binary';
	typed: boolean;
	/** Items carry `deleted` (Include Deleted Records on). */
	markDeleted: boolean;
	binaryPropertyName: string;
	fileName: string;
	split: FileSplit;
}

/** What every item says about the poll: the cursor field and the window of values it covered. */
export type WindowInfo = () => IDataObject;

/** One item per row: its fields (and `deleted`), and the cursor window. Undefined when no row came. */
export async function rowItems(batches: AsyncIterable<RowBatch>, options: OutputOptions, window: WindowInfo): Promise<INodeExecutionData[] | undefined> {
	const items: INodeExecutionData[] = [];
	for await (const batch of batches) {
		const convert = rowConverter(batch.header, { typed: options.typed });
		const deletedAt = batch.header.indexOf('IsDeleted');
		for (const row of batch.rows) {
			const json = convert(row);
			if (options.markDeleted) json.deleted = row[deletedAt] === 'true';
			items.push({ json });
		}
	}
	if (!items.length) return undefined;
	const cursorWindow = window(); // known once every row is in
	for (const item of items) item.json.cursorWindow = cursorWindow;
	return items;
}

/**
 * The rows as CSV files in n8n's binary store, split like the exports' Split Into Files: one item per
 * file with the cursor window, the job IDs and the rows counted. Undefined when no row came.
 */
export async function rowFiles(ctx: IPollFunctions, batches: AsyncIterable<RowBatch>, sample: () => NodeJS.ReadableStream | undefined, options: OutputOptions, window: WindowInfo, jobIds: () => string[]): Promise<INodeExecutionData[] | undefined> {
	const iterator = batches[Symbol.asyncIterator]();
	const first = await iterator.next();
	if (first.done) return undefined;
	const stream = sample();
	if (!stream) return undefined;
	let rows = 0;
	const csv = (async function* () {
		const writer = new CsvChunkWriter({ quoteAll: true });
		const header = writer.add(first.value.header);
		if (header) yield Buffer.from(header);
		for (let next: IteratorResult<RowBatch> = first; !next.done; next = await iterator.next()) {
			for (const row of next.value.rows) {
				rows++;
				const chunk = writer.add(row);
				if (chunk) yield Buffer.from(chunk);
			}
		}
		const rest = writer.flush();
		if (rest) yield Buffer.from(rest);
	})();
	// Read when writing fails: the jobs run so far. Their results stay in Salesforce, and the cursor did not move.
	const source = {
		get jobId() {
			return jobIds().join(', ');
		},
		refetch: 'Query Job → Get Results (the trigger itself reads the same window again at its next poll: the cursor did not move)',
	};
	const files = await csvFiles(ctx, csv, stream, options.fileName, options.split, source, 0);
	return fileItems(files, options.binaryPropertyName, { rows, jobIds: jobIds(), cursorWindow: window() });
}
