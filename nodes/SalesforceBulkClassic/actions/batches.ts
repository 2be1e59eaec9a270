/**
 * How Classic operations turn input items into batches of a job: items grouped by job, converted one by one
 * (Continue On Fail makes a bad item an error item), cut into batches; and what a failure does to the job.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { abortAfterFailure } from '../../shared/api/abortAfterFailure';
import type { BatchInfo, Bulk1Api } from '../../shared/api/bulk1Api';
import { batchBodies, type BatchBody } from '../../shared/bulk1/batchBodies';
import type { DataFormat } from '../../shared/bulk1/dataFormat';
import { RecordError } from '../../shared/codecs/records';
import { jobIdOf } from '../../shared/node/descriptions';
import { errorJson, withItemIndex } from '../../shared/node/items';
import { nodeError } from '../../shared/transport/errors';

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
	const fate = await abortAfterFailure([jobId], (id) => bulk1.setJobState(id, 'Aborted'), abort);
	const failure = nodeError(ctx.getNode(), error) as Error & {
		description?: string | null;
		context: IDataObject;
	};
	failure.description = `${failure.description ? `${failure.description}\n` : ''}${fate[0].toUpperCase()}${fate.slice(1)}`;
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
