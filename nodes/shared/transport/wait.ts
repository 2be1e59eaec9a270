import { NodeApiError } from 'n8n-workflow';

import { pause } from './cancellation';
import type { SalesforceFunctions } from './request';

/** How far a job has got: records processed of those uploaded (Bulk 2.0), or batches finished of all (Bulk 1.0). */
export interface Progress {
	done: number;
	total: number;
}

export interface WaitOptions<T = unknown> {
	/** Give up after this long; 0 = never. */
	timeoutMs: number;
	/** What to return when the timeout is reached instead of failing (Wait for Job's "Output the Job"). */
	onTimeout?: () => Promise<T>;
	/** Overrides of the schedule's first and longest interval without progress (waitDefaults). */
	initialIntervalMs?: number;
	maxIntervalMs?: number;
	/** Named in the timeout error. */
	what: string;
}

/**
 * The polling schedule's settings (tests shorten them). Without progress to read (query jobs, a Bulk 2.0
 * ingest job whose row count we did not upload): 1 s doubling up to 2 minutes. With progress: the finish is
 * estimated from the rate so far and polled at half the time left (so the estimate is corrected on the way),
 * at most `progressCapMs` apart, and right after the estimated finish once it is `finishWindowMs` away.
 */
export const waitDefaults = { initialIntervalMs: 1000, maxIntervalMs: 120000, floorMs: 1000, progressCapMs: 600000, finishWindowMs: 3000 };

/** The pauses between polls without progress: the first interval, doubling up to the most. */
export function* pollIntervals(initialMs = waitDefaults.initialIntervalMs, maxMs = waitDefaults.maxIntervalMs): Generator<number> {
	for (let interval = initialMs; ; interval = Math.min(maxMs, interval * 2)) yield interval;
}

/**
 * When to poll next, from what each poll saw. Pure (the caller gives the time), so the schedule is tested
 * and benchmarked without a clock.
 */
export class PollSchedule {
	private readonly settings: typeof waitDefaults;
	private backoff: Generator<number>;
	/** The last poll before progress started moving, the first poll that saw it move, and the last poll. */
	private base: { at: number; done: number } | undefined;
	private moving: { at: number; done: number } | undefined;
	private last: { at: number; done: number } | undefined;

	constructor(settings: Partial<typeof waitDefaults> = {}) {
		this.settings = { ...waitDefaults, ...settings };
		this.backoff = pollIntervals(this.settings.initialIntervalMs, this.settings.maxIntervalMs);
	}

	/** The pause before the next poll, given the time of this poll and the progress it read (if any). */
	next(nowMs: number, progress?: Progress): number {
		const { floorMs, progressCapMs, finishWindowMs } = this.settings;
		if (!progress || !(progress.total > 0) || !Number.isFinite(progress.done)) return this.backoff.next().value as number;
		const previous = this.last;
		this.last = { at: nowMs, done: progress.done };
		if (!previous || !this.base || progress.done <= this.base.done) {
			// Nothing moved yet: measure the rate from this poll on.
			this.base = { at: nowMs, done: progress.done };
			return this.backoff.next().value as number;
		}
		if (progress.done <= previous.done) {
			// Stalled since the last poll: back off (from the floor) until it moves again.
			return this.backoff.next().value as number;
		}
		this.backoff = pollIntervals(floorMs, this.settings.maxIntervalMs);
		const first = !this.moving;
		if (first) this.moving = { at: nowMs, done: progress.done };
		// The job started somewhere between `base` and the first poll that saw it move: the rate is measured
		// from that poll once a later one has moved on from it; until then it may be low, so the next poll
		// comes no later than that first interval again.
		const from = !first && this.moving ? this.moving : this.base;
		const rate = (progress.done - from.done) / Math.max(1, nowMs - from.at);
		const leftMs = Math.max(0, progress.total - progress.done) / rate;
		let target = leftMs <= finishWindowMs ? leftMs * 1.1 + 250 : leftMs / 2;
		if (first) target = Math.min(target, nowMs - this.base.at);
		return Math.round(Math.min(progressCapMs, Math.max(floorMs, target)));
	}
}

/**
 * Polls `check` until it returns a value (not undefined), on the PollSchedule (by progress when `check`
 * reports it), with the execution's cancel signal and a timeout whose error names what was waited for and
 * its last state.
 */
export async function waitFor<T>(
	ctx: SalesforceFunctions,
	check: () => Promise<{ done: T | undefined; state: string; progress?: Progress }>,
	options: WaitOptions<T>,
): Promise<T> {
	const started = Date.now();
	const schedule = new PollSchedule({
		...(options.initialIntervalMs !== undefined ? { initialIntervalMs: options.initialIntervalMs } : {}),
		...(options.maxIntervalMs !== undefined ? { maxIntervalMs: options.maxIntervalMs } : {}),
	});
	for (;;) {
		const { done, state, progress } = await check();
		if (done !== undefined) return done;
		const now = Date.now();
		const elapsed = now - started;
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
		const interval = schedule.next(now, progress);
		const wait = options.timeoutMs > 0 ? Math.min(interval, options.timeoutMs - elapsed) : interval;
		await pause(ctx, Math.max(0, wait));
	}
}
