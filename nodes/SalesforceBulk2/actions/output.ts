import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readCsvBatches, type CsvReadOptions } from '../../shared/csv';
import { rowConverter } from '../../shared/records';
import { readableFrom } from '../../shared/streams';

/** A CSV result body: a stream, or a page already read into memory. */
export type Page = NodeJS.ReadableStream | Buffer;

/** Result pages as JSON items: rows become objects keyed by each page's header. Stops after `limit` rows. */
export async function csvItems(pages: AsyncIterable<Page>, format: CsvReadOptions, typed: boolean, limit = Infinity): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	for await (const page of pages) {
		let convert: ((row: readonly string[]) => IDataObject) | undefined;
		for await (const batch of readCsvBatches(Buffer.isBuffer(page) ? [page] : (page as AsyncIterable<Buffer>), format)) {
			for (const row of batch) {
				if (!convert) {
					convert = rowConverter(row, { typed });
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

/**
 * Result pages as one CSV file streamed into n8n's binary store: one header, then every page's rows.
 * `sample` is any stream n8n gave us (see readableFrom).
 */
export async function csvFile(ctx: IExecuteFunctions, itemIndex: number, pages: AsyncIterable<Page>, sample: NodeJS.ReadableStream, json: IDataObject): Promise<INodeExecutionData> {
	const property = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
	const fileName = ctx.getNodeParameter('fileName', itemIndex) as string;
	const content = readableFrom(sample, joinPages(pages));
	const binary = await ctx.helpers.prepareBinaryData(content as unknown as Buffer, fileName, 'text/csv');
	return { json, binary: { [property]: binary } };
}

/** Every page's bytes, without the header line of the pages after the first. */
async function* joinPages(pages: AsyncIterable<Page>): AsyncGenerator<Buffer> {
	let first = true;
	for await (const page of pages) {
		let header = !first;
		first = false;
		for await (const chunk of Buffer.isBuffer(page) ? [page] : (page as AsyncIterable<Buffer>)) {
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

export async function* single(page: Page): AsyncGenerator<Page> {
	yield page;
}
