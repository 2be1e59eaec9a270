/** What Classic operations output: records of result sets as items, or a body as a binary file in the job's format. */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BatchInfo, Bulk1Api, Bulk1JobInfo } from '../../shared/api/bulk1Api';
import type { Salesforce } from '../../shared/api/connect';
import { parseRecords } from '../../shared/bulk1/batchRecords';
import { dataFormatOf, type DataFormat } from '../../shared/bulk1/dataFormat';
import { joinResultSets } from '../../shared/bulk1/resultSets';
import { readAllBytes, readableFrom } from '../../shared/codecs/streams';
import { flattenRecord, rowConverter } from '../../shared/codecs/records';
import { csvItems } from '../../shared/node/csvOutput';
import { jobIdOf, limitOf } from '../../shared/node/descriptions';
import { csvFiles, fileItems, fileSplitOf } from '../../shared/node/fileSplit';
import { typingChoiceOf, valueTyping, type HeaderTyping } from '../../shared/node/resultTyping';
import { isToolRun, toolAnswer, toolRowCap } from '../../shared/node/toolMode';
import { classicJob, expectJobKind } from './common';
import { fileFormatOf, jsonFiles } from '../../shared/node/jsonOutput';

/** A file's format: a job's data format, a zip (attachment requests) or plain text (SOQL). */
export type FileFormat = DataFormat | 'ZIP' | 'TXT';

const MIME_TYPES: Record<FileFormat, string> = { CSV: 'text/csv', XML: 'application/xml', JSON: 'application/json', ZIP: 'application/zip', TXT: 'text/plain' };

export const asBinary = (ctx: IExecuteFunctions, i: number) => ctx.getNodeParameter('outputAs', i, 'items') === 'binary';

/** The item's job, checked to be a query job, for the operations that read its results; a bad file limit fails first, before any request. */
export async function queryJobForResults(ctx: IExecuteFunctions, salesforce: Salesforce, i: number): Promise<Bulk1JobInfo> {
	if (asBinary(ctx, i)) fileSplitOf(ctx, i);
	const job = await classicJob(ctx, salesforce, jobIdOf(ctx, i), i, 'results');
	expectJobKind(ctx, job, i, 'query', 'Load jobs have batch results: use Batch → Get Results');
	return job;
}

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
		checkFileFormat(ctx, i, job);
		const all = streams();
		const first = await all.next();
		if (first.done) return [await binaryItem(ctx, i, Buffer.alloc(0), format, defaultName, { ...json, resultSets: 0 })];
		const rest = async function* () {
			yield first.value as AsyncIterable<Buffer>;
			for await (const stream of all) yield stream as AsyncIterable<Buffer>;
		};
		const split = format === 'CSV' ? fileSplitOf(ctx, i) : undefined;
		// JSON files are written from CSV results; a JSON job's results are JSON already (one file, as before).
		if (format === 'CSV' && fileFormatOf(ctx, i) === 'json') {
			const fileName = String(ctx.getNodeParameter('fileName', i, '')).trim() || `${defaultName}.json`;
			const source = { jobId: job.id, refetch: 'Query Result → Get All Results' };
			const files = await jsonFiles(ctx, joinResultSets(format, rest()), first.value, fileName, split, { lineEnding: 'auto' }, source, i);
			return fileItems(files, ctx.getNodeParameter('binaryPropertyName', i) as string, { ...json, resultSets: sets });
		}
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
	const cap = Math.min(toolRowCap(ctx, i), limitOf(ctx, i));
	if (isToolRun(ctx)) {
		// One more row than returned tells the agent that there were more.
		const records = (await recordItems(ctx, i, format, streams(), job, cap + 1)) as IDataObject[];
		// The job's record count covers every result set, not only the ones read here: the extra row tells.
		return [toolAnswer(records, cap, undefined, json)];
	}
	return await recordItems(ctx, i, format, streams(), job, cap);
}

/** Result sets as records, at most `limit`, typed as the parameters say. */
async function recordItems(ctx: IExecuteFunctions, i: number, format: DataFormat, streams: AsyncIterable<NodeJS.ReadableStream>, job: Bulk1JobInfo, limit: number): Promise<IDataObject[]> {
	const typing = valueTyping(ctx, job.object, typingChoiceOf(ctx, i));
	// CSV streams row by row (one result set after another, each with its header).
	if (format === 'CSV') return await csvItems(streams, { lineEnding: 'auto' }, typing, limit);
	const records: IDataObject[] = [];
	for await (const stream of streams) {
		const text = (await readAllBytes(stream)).toString('utf8');
		// JSON results come typed by Salesforce; XML ones are typed like CSV rows (see xmlRecordsTyped).
		const parsed = typeof typing === 'function' && format === 'XML' ? await xmlRecordsTyped(text, typing) : parseRecords(format, text, { typed: typing === true });
		records.push(...parsed.slice(0, limit - records.length));
		if (records.length >= limit) break;
	}
	return records;
}

/** XML records as flat rows (relationship elements as dotted columns), converted as `typing` says for those columns. */
async function xmlRecordsTyped(text: string, typing: HeaderTyping): Promise<IDataObject[]> {
	const flat = parseRecords('XML', text).map((record, r) => flattenRecord(record, r));
	const columns = [...new Set(flat.flatMap((record) => [...record.keys()]))];
	// A relationship that is empty in one record (`<Parent xsi:nil="true"/>`) and filled in another is its fields.
	const header = columns.filter((column) => !columns.some((other) => other.startsWith(`${column}.`)));
	const convert = rowConverter(header, await typing(header));
	return flat.map((record) => convert(header.map((column) => String(record.get(column) ?? ''))));
}

/** File Format JSON takes CSV results (converted) and JSON results (as they are); an XML job's are refused. */
export function checkFileFormat(ctx: IExecuteFunctions, i: number, job: { id?: string; contentType?: unknown }): void {
	if (fileFormatOf(ctx, i) !== 'json' || dataFormatOf(job.contentType as string) !== 'XML') return;
	throw new NodeOperationError(ctx.getNode(), `File Format JSON takes CSV or JSON results, and ${job.id ? `job ${job.id}` : 'a query job of content type XML'} returns XML`, {
		itemIndex: i,
		description: 'Choose File Format "As Returned" for an XML file, Output As Items for records, or run the query with content type CSV or JSON.',
	});
}

/**
 * Every record of a finished query job: all Completed batches (with PK chunking, every chunk; the
 * original batch is NotProcessed and has no results), each of their result sets, in order.
 */
export async function allQueryResults(ctx: IExecuteFunctions, i: number, bulk1: Bulk1Api, job: Bulk1JobInfo, batches: BatchInfo[]): Promise<INodeExecutionData[] | IDataObject[]> {
	const failed = batches.filter((b) => b.state === 'Failed');
	if (failed.length) {
		throw new NodeApiError(ctx.getNode(), { jobId: job.id }, {
			message: `Batch ${failed[0].id} of query job ${job.id} failed: ${failed[0].stateMessage ?? 'no reason given'}`,
			description: failed.map((b) => `${b.id}: ${b.stateMessage ?? ''}`).join('\n'),
		});
	}
	const completed = batches.filter((b) => b.state === 'Completed');
	async function* refs(): AsyncGenerator<ResultSetRef> {
		for (const batch of completed) {
			for (const resultId of await bulk1.getQueryResultIds(job.id, batch.id)) yield { batchId: batch.id, resultId };
		}
	}
	const json = { jobId: job.id, batches: completed.length };
	return await resultSetsOutput(ctx, i, bulk1, job, refs(), json, `${job.id}-results`);
}
