/**
 * A body Salesforce serves again unchanged (a result file, page or set) survives a connection dropped in
 * the middle of it: the same request goes again and the bytes already passed on are skipped. The one rule
 * for a body that breaks off (a refused request is apiRequest's retry rule).
 */
import type { JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { readableFrom } from '../codecs/streams';
import { cancelSignal, pause } from './cancellation';
import { cancelledError, isCancelled } from './errors';
import type { SalesforceFunctions } from './request';

export interface DroppedBody {
	/** What is read, e.g. `result set 752… of batch 751… of job 750…`. */
	what: string;
	/** What the user can do when it keeps dropping, e.g. the operation that reads it again by its IDs. */
	whatToDo: string;
}

/** Reads of one body in all: the first and the re-reads after a dropped connection. */
export const BODY_ATTEMPTS = 3;

/** `first`, read on from a fresh `reopen()` where it dropped, so no byte is lost or repeated. */
export function rereadOnDrop(ctx: SalesforceFunctions, first: NodeJS.ReadableStream, reopen: () => Promise<NodeJS.ReadableStream>, body: DroppedBody, jobId?: string): NodeJS.ReadableStream {
	async function* chunks(): AsyncGenerator<Buffer> {
		let passedOn = 0;
		let source = first;
		for (let attempt = 1; ; attempt++) {
			let read = 0;
			try {
				for await (const raw of source as AsyncIterable<Buffer | string>) {
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
				if (isCancelled(error) || cancelSignal(ctx)?.aborted) throw cancelledError(ctx.getNode());
				if (attempt >= BODY_ATTEMPTS) throw keptDropping(ctx, body, error, jobId);
			}
			await pause(ctx, 200 * attempt);
			source = await reopen();
		}
	}
	return readableFrom(first, chunks());
}

/** The body dropped on every read: the error says what it was, that nothing is lost, and (in its context) the job and how to read it again. */
function keptDropping(ctx: SalesforceFunctions, body: DroppedBody, error: unknown, jobId?: string): NodeApiError {
	const dropped = new NodeApiError(ctx.getNode(), { ...(jobId ? { jobId } : {}), dropped: String((error as Error).message ?? error) } as JsonObject, {
		message: `The connection dropped ${BODY_ATTEMPTS} times while reading ${body.what}`,
		description: `Salesforce keeps it, so nothing is lost: ${body.whatToDo}`,
	});
	if (jobId) dropped.context = { ...dropped.context, jobId, readAgain: body.whatToDo };
	return dropped;
}
