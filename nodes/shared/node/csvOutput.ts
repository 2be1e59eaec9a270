import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { Bulk2Api, JobInfo } from '../api/bulk2Api';
import { queryResultPages, type PageOptions, type QueryResultPage } from '../bulk2/queryPages';
import { readCsvBatches, type CsvReadOptions } from '../codecs/csv';
import { rowConverter, type RowToItemOptions } from '../codecs/records';
import { readableFrom } from '../codecs/streams';
import { loopTurns } from '../transport/loopTurns';
import { csvFiles, fileItems, fileSplitOf, type ResultSource } from './fileSplit';
import { fileFormatOf, jsonFiles } from './jsonOutput';
import type { HeaderTyping } from './resultTyping';

/** A CSV result body: a stream, or a page already read into memory (whole, or as its chunks). */
export type Page = NodeJS.ReadableStream | Buffer | Buffer[];

/**
 * Result pages as JSON items: rows become objects keyed by each page's header, values guessed (`typing`
 * true), as sent (false) or as HeaderTyping says for the header. Stops after `limit` rows.
 */
export async function csvItems(pages: AsyncIterable<Page>, format: CsvReadOptions, typing: boolean | HeaderTyping, limit = Infinity): Promise<IDataObject[]> {
	let options: RowToItemOptions | undefined;
	const items: IDataObject[] = [];
	const turn = loopTurns();
	for await (const page of pages) {
		let convert: ((row: readonly string[]) => IDataObject) | undefined;
		for await (const batch of readCsvBatches(Buffer.isBuffer(page) ? [page] : (page as AsyncIterable<Buffer> | Buffer[]), format)) {
			// Converting a page is CPU work on promises alone, which would keep the next page's request (already
			// started) from going out, and the rest of n8n waiting, until the page is done: give them turns.
			await turn();
			for (const row of batch) {
				if (!convert) {
					// Every page has the same header: its types are found once.
					options ??= typeof typing === 'function' ? await typing(row) : { typed: typing };
					convert = rowConverter(row, options);
				} else if (items.length < limit) {
					items.push(convert(row));
				} else {
					return items;
				}
			}
		}
	}
	return items;
}

/** A context that can store binary data: a node run or a trigger's poll. */
export type BinaryContext = IExecuteFunctions | IPollFunctions;

/**
 * Result pages as one CSV file streamed into n8n's binary store: one header, then every page's rows.
 * `sample` is any stream n8n gave us (see readableFrom).
 */
export async function csvBinary(ctx: BinaryContext, pages: AsyncIterable<Page>, sample: NodeJS.ReadableStream, fileName: string): Promise<IBinaryData> {
	const content = readableFrom(sample, joinPages(pages));
	return await ctx.helpers.prepareBinaryData(content as unknown as Buffer, fileName, 'text/csv');
}

/** csvBinary into the item's output field, named by the binaryPropertyName and fileName parameters. */
export async function csvFile(ctx: IExecuteFunctions, itemIndex: number, pages: AsyncIterable<Page>, sample: NodeJS.ReadableStream, json: IDataObject): Promise<INodeExecutionData> {
	const property = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
	const fileName = ctx.getNodeParameter('fileName', itemIndex) as string;
	return { json, binary: { [property]: await csvBinary(ctx, pages, sample, fileName) } };
}

/** The CSV format a job's results come in. */
export function csvFormat(job: JobInfo): CsvReadOptions {
	return { delimiter: job.columnDelimiter, lineEnding: job.lineEnding };
}

/** Every result page of a completed query job as records, at most `limit`. */
export async function queryResultItems(ctx: BinaryContext, bulk2: Bulk2Api, job: JobInfo, pageOptions: PageOptions, typed: boolean | HeaderTyping, limit = Infinity): Promise<IDataObject[]> {
	return await csvItems(bodies(queryResultPages(ctx, bulk2, job.id, { ...pageOptions, rowsWanted: limit })), csvFormat(job), typed, limit);
}

/** Every result page of a completed query job as one CSV file in n8n's binary store. */
export async function queryResultFile(ctx: BinaryContext, bulk2: Bulk2Api, job: JobInfo, pageOptions: PageOptions, fileName: string): Promise<IBinaryData> {
	const pages = queryResultPages(ctx, bulk2, job.id, pageOptions);
	const first = await pages.next();
	if (first.done) throw new NodeApiError(ctx.getNode(), { jobId: job.id }, { message: `Salesforce returned no result page for job ${job.id}` });
	return await csvBinary(ctx, prepend(first.value, pages), first.value.stream, fileName);
}

async function* prepend(first: QueryResultPage, rest: AsyncIterable<QueryResultPage>): AsyncGenerator<Page> {
	yield first.body;
	for await (const page of rest) yield page.body;
}

async function* bodies(pages: AsyncIterable<QueryResultPage>): AsyncGenerator<Page> {
	for await (const page of pages) yield page.body;
}

/** Every page's bytes, without the header line of the pages after the first. */
async function* joinPages(pages: AsyncIterable<Page>): AsyncGenerator<Buffer> {
	let first = true;
	for await (const page of pages) {
		let header = !first;
		first = false;
		for await (const chunk of Buffer.isBuffer(page) ? [page] : (page as AsyncIterable<Buffer> | Buffer[])) {
			let data = chunk;
			if (header) {
				const newline = data.indexOf(10);
				if (newline < 0) continue;
				data = data.subarray(newline + 1);
				header = false;
			}
			if (data.length) yield data;
		}
	}
}

/** One page as the page list csvItems and csvFile read. */
export async function* onePage(page: Page): AsyncGenerator<Page> {
	yield page;
}

/**
 * CSV pages as output items: one file (csvFile), or with Split Into Files one item per file (fileSplit.ts);
 * with File Format JSON, JSON array files read from the pages in `format` (jsonOutput.ts).
 * `source` names the job for the error if writing fails midway.
 */
export async function csvFileItems(
	ctx: IExecuteFunctions,
	i: number,
	pages: AsyncIterable<Page>,
	sample: NodeJS.ReadableStream,
	json: IDataObject,
	source: ResultSource,
	format: CsvReadOptions = {},
): Promise<INodeExecutionData[]> {
	const split = fileSplitOf(ctx, i);
	const asJson = fileFormatOf(ctx, i) === 'json';
	if (!split && !asJson) return [await csvFile(ctx, i, pages, sample, json)];
	const property = ctx.getNodeParameter('binaryPropertyName', i) as string;
	const fileName = ctx.getNodeParameter('fileName', i) as string;
	const files = asJson ? await jsonFiles(ctx, joinPages(pages), sample, fileName, split, format, source, i) : await csvFiles(ctx, joinPages(pages), sample, fileName, split!, source, i);
	return fileItems(files, property, json);
}

/** Every result page of a completed query job as output items of CSV files (csvFileItems). */
export async function queryResultFileItems(ctx: IExecuteFunctions, i: number, bulk2: Bulk2Api, job: JobInfo, pageOptions: PageOptions, json: IDataObject): Promise<INodeExecutionData[]> {
	const pages = queryResultPages(ctx, bulk2, job.id, pageOptions);
	const first = await pages.next();
	if (first.done) throw new NodeApiError(ctx.getNode(), { jobId: job.id }, { message: `Salesforce returned no result page for job ${job.id}` });
	return await csvFileItems(ctx, i, prepend(first.value, pages), first.value.stream, json, { jobId: job.id, refetch: 'Query Job → Get Results' }, csvFormat(job));
}
