import { NodeApiError } from 'n8n-workflow';

import { pause } from './cancellation';
import type { SalesforceFunctions } from './request';

export interface WaitOptions<T = unknown> {
	/** Give up after this long; 0 = never. */
	timeoutMs: number;
	/** What to return when the timeout is reached instead of failing (Wait for Job's "Output the Job"). */
	onTimeout?: () => Promise<T>;
	/** First poll interval; it doubles each poll up to maxIntervalMs. */
	initialIntervalMs?: number;
	maxIntervalMs?: number;
	/** Named in the timeout error. */
	what: string;
}

/**
 * Polling schedule: 1 s doubling up to 2 minutes. A 10-second job costs 5 polls (at 0, 1, 3, 7, 15 s), a
 * 10-minute job 12 (… 63, 127, 247, … 607 s), not 600 as with polling every second. (Up to 60 s it took 16.)
 */
export const waitDefaults = { initialIntervalMs: 1000, maxIntervalMs: 120000 };

/** The pauses between polls: the first interval, doubling up to the most. */
export function* pollIntervals(initialMs = waitDefaults.initialIntervalMs, maxMs = waitDefaults.maxIntervalMs): Generator<number> {
	for (let interval = initialMs; ; interval = Math.min(maxMs, interval * 2)) yield interval;
}

/**
 * Polls `check` until it returns a value (not undefined), with growing intervals, the execution's cancel
 * signal and a timeout whose error names what was waited for and its last state.
 */
export async function waitFor<T>(
	ctx: SalesforceFunctions,
	check: () => Promise<{ done: T | undefined; state: string }>,
	options: WaitOptions<T>,
): Promise<T> {
	const started = Date.now();
	const intervals = pollIntervals(options.initialIntervalMs ?? waitDefaults.initialIntervalMs, options.maxIntervalMs ?? waitDefaults.maxIntervalMs);
	for (;;) {
		const { done, state } = await check();
		if (done !== undefined) return done;
		const elapsed = Date.now() - started;
		if (options.timeoutMs > 0 && elapsed >= options.timeoutMs) {
			if (options.onTimeout) return await options.onTimeout();
			throw new NodeApiError(
				ctx.getNode(),
				{ state, what: options.what },
				{
					message: `Timed out after ${Math.round(elapsed / 1000)} s waiting for ${options.what}; its state is ${state}`,
					description: 'The job keeps running in Salesforce. Pick it up later with its ID (Get, or the Salesforce Bulk Trigger), or raise the timeout.',
				},
			);
		}
		const interval = intervals.next().value as number;
		const wait = options.timeoutMs > 0 ? Math.min(interval, options.timeoutMs - elapsed) : interval;
		await pause(ctx, Math.max(0, wait));
	}
}
