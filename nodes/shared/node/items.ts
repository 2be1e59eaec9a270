import type { IDataObject, IExecuteFunctions, INodeExecutionData, IPairedItemData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/**
 * Runs an operation once per input item: output paired to its item, Continue On Fail honoured (the error
 * becomes the item's output), and errors tagged with the item index so n8n shows which item failed.
 */
export async function perItem(
	ctx: IExecuteFunctions,
	run: (itemIndex: number) => Promise<IDataObject | IDataObject[] | INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const items = ctx.getInputData();
	for (let i = 0; i < items.length; i++) {
		try {
			const result = await run(i);
			// One pairedItem for all of this item's outputs (as n8n's constructExecutionMetaData shares it): a query's
			// 200,000 items hold one, not 200,000 objects for the GC to copy.
			const pairedItem = { item: i };
			for (const entry of Array.isArray(result) ? result : [result]) {
				output.push(isExecutionData(entry) ? { ...entry, pairedItem } : { json: entry, pairedItem });
			}
		} catch (error) {
			if (ctx.continueOnFail()) {
				output.push({ json: errorJson(error), pairedItem: { item: i } });
				continue;
			}
			throw withItemIndex(ctx, error, i);
		}
	}
	return output;
}

function isExecutionData(value: IDataObject | INodeExecutionData): value is INodeExecutionData {
	return typeof value.json === 'object' && value.json !== null && !Array.isArray(value.json);
}

/** What Continue On Fail puts in the item: the message and Salesforce's details. */
export function errorJson(error: unknown): IDataObject {
	const e = error as NodeApiError;
	const context = (e.context ?? {}) as IDataObject;
	return {
		error: e.message,
		...(e.description ? { description: e.description } : {}),
		...(context.errorCode ? { errorCode: context.errorCode } : {}),
		...(context.statusCode ? { statusCode: context.statusCode } : {}),
		...(context.jobId ? { jobId: context.jobId } : {}),
	};
}

export function withItemIndex(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		error.context = { ...error.context, itemIndex };
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * The items (each once, in order) that `count` consecutive rows or records came from, `itemOf(k)` being the k-th's:
 * the pairedItem of an output built from many (no array of the rows' items: a file load has millions of rows).
 */
export function pairedItemsOf(count: number, itemOf: (k: number) => number): IPairedItemData[] {
	const paired: IPairedItemData[] = [];
	for (let k = 0, last = -1; k < count; k++) {
		const item = itemOf(k);
		if (item !== last) paired.push({ item: (last = item) });
	}
	return paired;
}

function firstPairedItem(entry: INodeExecutionData): number {
	const paired = entry.pairedItem;
	return Array.isArray(paired) ? (paired[0]?.item ?? 0) : typeof paired === 'object' ? paired.item : Number(paired ?? 0);
}

/** Output entries in input order (by the first item each is paired with; stable), error items among them. */
export function inItemOrder(output: INodeExecutionData[]): INodeExecutionData[] {
	return output.sort((a, b) => firstPairedItem(a) - firstPairedItem(b));
}
