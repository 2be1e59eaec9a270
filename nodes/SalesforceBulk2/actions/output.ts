import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { readCsvBatches, type CsvReadOptions } from '../../shared/csv';
import { rowConverter } from '../../shared/records';
import { readableFrom } from '../../shared/streams';

/** CSV result bodies, one per page, fetched one after the other as they are consumed. */
export type Pages = AsyncIterable<NodeJS.ReadableStream>;

export async function* onePage(body: NodeJS.ReadableStream): Pages {
	yield body;
}

/** Result pages as JSON items: rows become objects keyed by each page's header. Stops after `limit` rows. */
export async function csvItems(pages: Pages, format: CsvReadOptions, typed: boolean, limit = Infinity): Promise<IDataObject[]> {
	const items: IDataObject[] = [];
	for await (const page of pages) {
		let convert: ((row: readonly string[]) => IDataObject) | undefined;
		for await (const batch of readCsvBatches(page as AsyncIterable<Buffer>, format)) {
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

/** Result pages as one CSV file streamed into n8n's binary store: one header, then every page's rows. */
export async function csvFile(ctx: IExecuteFunctions, itemIndex: number, pages: Pages, json: IDataObject): Promise<INodeExecutionData> {
	const property = ctx.getNodeParameter('binaryPropertyName', itemIndex) as string;
	const fileName = ctx.getNodeParameter('fileName', itemIndex) as string;
	const iterator = pages[Symbol.asyncIterator]();
	const first = await iterator.next();
	const content = first.done ? Buffer.alloc(0) : readableFrom(first.value, joinPages(first.value, iterator));
	const binary = await ctx.helpers.prepareBinaryData(content as Buffer, fileName, 'text/csv');
	return { json, binary: { [property]: binary } };
}

/** The first page whole, then the following pages without their header line. */
async function* joinPages(first: NodeJS.ReadableStream, rest: AsyncIterator<NodeJS.ReadableStream>): AsyncGenerator<Buffer> {
	yield* first as AsyncIterable<Buffer>;
	for (let next = await rest.next(); !next.done; next = await rest.next()) {
		let header = true;
		for await (const chunk of next.value as AsyncIterable<Buffer>) {
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
