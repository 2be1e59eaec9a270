/**
 * The execution's cancel signal: waits stop promptly when it fires, and clean-up requests (aborting a
 * job) go out in spite of it.
 */
import { sleep } from 'n8n-workflow';

import { cancelledError } from './errors';
import type { SalesforceFunctions } from './request';

export function cancelSignal(ctx: SalesforceFunctions): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
}

/**
 * The context for a clean-up request (aborting a job) that must go out even when the execution was
 * cancelled: n8n ties every request to the cancel signal, this one gets none.
 */
export function detached(ctx: SalesforceFunctions): SalesforceFunctions {
	if (!('getExecutionCancelSignal' in ctx)) return ctx;
	return Object.create(ctx, { getExecutionCancelSignal: { value: () => undefined } }) as SalesforceFunctions;
}

/** Sleeps in short slices so a cancelled execution stops promptly. */
export async function pause(ctx: SalesforceFunctions, ms: number): Promise<void> {
	const signal = cancelSignal(ctx);
	const end = Date.now() + ms;
	while (Date.now() < end) {
		if (signal?.aborted) throw cancelledError(ctx.getNode());
		await sleep(Math.min(250, end - Date.now()));
	}
	if (signal?.aborted) throw cancelledError(ctx.getNode());
}
