import type { IBinaryData, IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, IPairedItemData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BatchInfo, Bulk1Api, Bulk1JobInfo } from '../../shared/api/bulk1Api';
import { batchBodies, type BatchBody, type DataFormat } from '../../shared/bulk1/batchData';
import { jobIdOf } from '../../shared/node/descriptions';
import { errorJson, withItemIndex } from '../../shared/node/items';
import { RecordError } from '../../shared/codecs/records';

export type Resource = 'job' | 'batch' | 'queryResult' | 'attachment';

export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[]>;
}

type Show = INodeProperties['displayOptions'];

/** displayOptions for one operation of one resource. */
export function showFor(resource: Resource, operation: string | string[]) {
	return { show: { resource: [resource], operation: Array.isArray(operation) ? operation : [operation] } };
}

const BATCH_ID = /^751[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/;

export function batchIdParameter(displayOptions: Show): INodeProperties {
	return {
		displayName: 'Batch ID',
		name: 'batchId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '751R0000000zlh9IAA',
		description: 'The batch, as returned by Add (its ID starts with 751)',
		displayOptions,
	};
}

export function batchIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const id = String(ctx.getNodeParameter('batchId', itemIndex)).trim();
	if (!BATCH_ID.test(id)) {
		throw new NodeOperationError(ctx.getNode(), `Batch ID "${id}" is not a batch ID: a batch ID starts with 751 and has 15 or 18 characters`, { itemIndex });
	}
	return id;
}

export const isQueryJob = (job: { operation: string }) => job.operation === 'query' || job.operation === 'queryAll';

/** Checks a job takes what the user is about to send; the error names the job, both formats and the item. */
export function expectJobKind(ctx: IExecuteFunctions, job: Bulk1JobInfo, i: number, wanted: 'load' | 'query' | 'attachment', hint: string): void {
	const kind = isQueryJob(job) ? 'query' : job.contentType.startsWith('ZIP_') ? 'attachment' : 'load';
	if (kind === wanted) return;
	const what = { load: 'a load job (CSV, XML or JSON)', query: 'a query job', attachment: 'a binary-attachment job (ZIP_CSV, ZIP_XML or ZIP_JSON)' };
	throw new NodeOperationError(ctx.getNode(), `Job ${job.id} is ${what[kind]} (${job.operation}, ${job.contentType}), not ${what[wanted]}`, { itemIndex: i, description: hint });
}

/** The items (each once, in order) that a run of consecutive entries came from. */
export function pairedOf(itemIndexes: readonly number[]): IPairedItemData[] {
	return itemIndexes.filter((item, k) => itemIndexes[k - 1] !== item).map((item) => ({ item }));
}

/** A RecordError from converting an item becomes a NodeOperationError on that item. */
export function recordError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof RecordError) {
		return new NodeOperationError(ctx.getNode(), error.message, {
			itemIndex,
			description: error.field ? `Fix the field "${error.field}" of the input item, or leave it out` : undefined,
		});
	}
	return withItemIndex(ctx, error, itemIndex);
}

/**
 * Runs `run` once for the items of each job (items grouped by their job ID). With Continue On Fail, a
 * failed group gives one error item per item of the group; otherwise the error is thrown on its first item.
 */
export async function perJob(
	ctx: IExecuteFunctions,
	run: (jobId: string, itemIndexes: number[], output: INodeExecutionData[]) => Promise<void>,
): Promise<INodeExecutionData[]> {
	const groups = new Map<string, number[]>();
	const output: INodeExecutionData[] = [];
	const items = ctx.getInputData();
	for (let i = 0; i < items.length; i++) {
		try {
			const jobId = jobIdOf(ctx, i);
			groups.set(jobId, [...(groups.get(jobId) ?? []), i]);
		} catch (error) {
			if (!ctx.continueOnFail()) throw withItemIndex(ctx, error, i);
			output.push({ json: errorJson(error), pairedItem: { item: i } });
		}
	}
	for (const [jobId, itemIndexes] of groups) {
		try {
			await run(jobId, itemIndexes, output);
		} catch (error) {
			const first = (error as { context?: IDataObject }).context?.itemIndex as number | undefined;
			if (!ctx.continueOnFail()) throw withItemIndex(ctx, error, first ?? itemIndexes[0]);
			for (const item of itemIndexes) output.push({ json: errorJson(error), pairedItem: { item } });
		}
	}
	return output;
}

/** Batch bodies of converted items; a record too large for any batch is reported on its item. */
export function* itemBatches(ctx: IExecuteFunctions, format: DataFormat, records: Array<{ item: number; value: IDataObject }>): Generator<BatchBody> {
	try {
		yield* batchBodies(format, records.map((r) => r.value));
	} catch (error) {
		const at = error instanceof RecordError ? records[error.itemIndex] : undefined;
		if (!at) throw recordError(ctx, error, records[0]?.item ?? 0);
		throw recordError(ctx, new RecordError(`Item ${at.item}: ${(error as Error).message}`, at.item), at.item);
	}
}

/** Per-item conversion with Continue On Fail: failed items become error items, the rest are returned. */
export async function convertItems<T>(
	ctx: IExecuteFunctions,
	itemIndexes: readonly number[],
	output: INodeExecutionData[],
	convert: (i: number) => T | Promise<T>,
): Promise<Array<{ item: number; value: T }>> {
	const converted: Array<{ item: number; value: T }> = [];
	for (const item of itemIndexes) {
		try {
			converted.push({ item, value: await convert(item) });
		} catch (error) {
			const failure = recordError(ctx, error, item);
			if (!ctx.continueOnFail()) throw failure;
			output.push({ json: errorJson(failure), pairedItem: { item } });
		}
	}
	return converted;
}

/**
 * Aborts a job after a failure (unless the user said not to) and adds to the error what became of the
 * job, so the user can resume or clean up.
 */
export async function failJob(ctx: IExecuteFunctions, bulk1: Bulk1Api, jobId: string, error: unknown, abort: boolean): Promise<Error> {
	let fate = `Job ${jobId} keeps running in Salesforce: pick it up with Job → Get and its ID`;
	if (abort) {
		const aborted = await bulk1.setJobState(jobId, 'Aborted').then(
			() => true,
			() => false,
		);
		fate = aborted ? `Job ${jobId} was aborted` : `Job ${jobId} could not be aborted: abort it in Setup → Bulk Data Load Jobs`;
	}
	const failure = (error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(ctx.getNode(), error as Error)) as Error & {
		description?: string | null;
		context: IDataObject;
	};
	failure.description = `${failure.description ? `${failure.description}\n` : ''}${fate}`;
	failure.context = { ...failure.context, jobId: failure.context.jobId ?? jobId };
	return failure;
}

/** Names the batches already added when a later one fails, so nothing is sent twice by accident. */
export function noteAdded(error: unknown, added: BatchInfo[]): unknown {
	if (added.length && error instanceof Error) {
		const e = error as Error & { description?: string };
		e.description = `${e.description ? `${e.description}\n` : ''}Batches already added to the job before this failure: ${added.map((b) => b.id).join(', ')}`;
	}
	return error;
}

/** The first bytes of a binary file, to see what it holds. */
export async function binaryHead(ctx: IExecuteFunctions, binary: IBinaryData): Promise<Buffer> {
	if (!binary.id) return Buffer.from(binary.data.slice(0, 344), 'base64');
	const chunks = (await ctx.helpers.getBinaryStream(binary.id))[Symbol.asyncIterator]();
	const first = await chunks.next();
	await chunks.return?.(); // closes the stream
	return first.done ? Buffer.alloc(0) : (first.value as Buffer);
}

/** A binary file as a batch body: a fresh stream from n8n's binary store for each attempt, or its bytes. */
export function binaryBody(ctx: IExecuteFunctions, binary: IBinaryData): () => Promise<NodeJS.ReadableStream | Buffer> {
	return async () => (binary.id ? await ctx.helpers.getBinaryStream(binary.id) : Buffer.from(binary.data, 'base64'));
}

export { jobIdOf };
export { showWith } from '../../shared/node/descriptions';
