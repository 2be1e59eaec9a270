// transport/cancellation: pauses that stop when the execution is cancelled, and the detached context for
// clean-up requests that must go out in spite of it.
import type { INode } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { cancelSignal, detached, pause } from '../../../nodes/shared/transport/cancellation';
import { isCancelled } from '../../../nodes/shared/transport/errors';
import type { SalesforceFunctions } from '../../../nodes/shared/transport/request';

const node = { name: 'Salesforce Bulk V2' } as INode;
const withSignal = (signal: AbortSignal) => ({ getNode: () => node, getExecutionCancelSignal: () => signal, helpers: { marker: 'mine' } }) as unknown as SalesforceFunctions;
const withoutSignal = { getNode: () => node } as unknown as SalesforceFunctions;

describe('pause', () => {
	it('waits the time asked', async () => {
		const started = Date.now();
		await pause(withSignal(new AbortController().signal), 120);
		expect(Date.now() - started).toBeGreaterThanOrEqual(110);
		await pause(withoutSignal, 10);
	});

	it('stops within a slice (250 ms) when the execution is cancelled, with the cancelled error', async () => {
		const controller = new AbortController();
		const started = Date.now();
		const waiting = pause(withSignal(controller.signal), 10_000).catch((error: unknown) => error);
		void sleep(50).then(() => controller.abort());
		const error = await waiting;
		expect(isCancelled(error)).toBe(true);
		expect(Date.now() - started).toBeLessThan(2000);
	});

	it('fails at once when already cancelled', async () => {
		const controller = new AbortController();
		controller.abort();
		await expect(pause(withSignal(controller.signal), 0)).rejects.toThrow('The execution was cancelled');
	});
});

describe('detached', () => {
	it('has no cancel signal and keeps everything else of the context', () => {
		const controller = new AbortController();
		const ctx = withSignal(controller.signal);
		const clean = detached(ctx);
		expect(cancelSignal(ctx)).toBe(controller.signal);
		expect(cancelSignal(clean)).toBeUndefined();
		expect((clean.helpers as unknown as { marker: string }).marker).toBe('mine');
		expect(clean.getNode()).toBe(node);
	});

	it('is the context itself when it has no cancel signal (list searches, polls)', () => {
		expect(detached(withoutSignal)).toBe(withoutSignal);
		expect(cancelSignal(withoutSignal)).toBeUndefined();
	});
});
