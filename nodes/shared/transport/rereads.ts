import type { JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { readableFrom } from '../codecs/streams';
import { cancelledError, isCancelled } from './errors';
import { pause, type SalesforceFunctions } from './request';

/** Reads of one body in all (the first and the re-reads after a dropped connection). */
export const BODY_ATTEMPTS = 3;

export interface DroppedBodyError {
	/** What was being read, e.g. `result set 752… of batch 751… of job 750…`. */
	what: string;
	/** What the user can do, e.g. which operation reads it again by its IDs. */
	whatToDo: string;
	jobId?: string;
}

/**
 * A response body Salesforce serves again unchanged (a result page or a result set), as a stream that
 * survives a connection dropped in the middle: the same request goes again and the bytes already passed
 * on are skipped, so no byte is lost or repeated. Requests go through `open` (apiRequest, with its own
 * retry rule for refused requests); this is the one rule for a body that breaks off.
 */
export function rereadOnDrop(
	ctx: SalesforceFunctions,
	first: NodeJS.ReadableStream,
	open: () => Promise<NodeJS.ReadableStream>,
	failure: DroppedBodyError,
): NodeJS.ReadableStream {
	async function* chunks(): AsyncGenerator<Buffer> {
		let passedOn = 0;
		let body = first;
		for (let attempt = 1; ; attempt++) {
			let read = 0;
			try {
				for await (const raw of body as AsyncIterable<Buffer | string>) {
					const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
					const start = read;
					read += chunk.length;
					if (read <= passedOn) continue;
					const fresh = start < passedOn ? chunk.subarray(passedOn - start) : chunk;
					passedOn += fresh.length;
					yield fresh;
				}
				return;
			} catch (error) {
				if (isCancelled(error)) throw cancelledError(ctx.getNode());
				if (attempt >= BODY_ATTEMPTS) {
					throw new NodeApiError(ctx.getNode(), { ...(failure.jobId ? { jobId: failure.jobId } : {}), cause: String((error as Error).message ?? error) } as JsonObject, {
						message: `The connection dropped ${BODY_ATTEMPTS} times while reading ${failure.what}`,
						description: `Salesforce keeps the results, so nothing is lost: ${failure.whatToDo}`,
					});
				}
			}
			await pause(ctx, 200 * attempt);
			body = await open();
		}
	}
	return readableFrom(first, chunks());
}
