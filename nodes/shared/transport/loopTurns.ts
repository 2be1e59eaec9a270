import { sleep } from 'n8n-workflow';

/**
 * n8n runs nodes in its main process, next to the editor, webhooks and other workflows: a loop over
 * hundreds of thousands of rows must let them run now and then. `turn()` gives the event loop a turn (a
 * timer, so I/O and timers run too, not only promises) once `budgetMs` of work has passed since the last
 * one; call it every few hundred rows, it costs a clock read otherwise.
 */
export function loopTurns(budgetMs = 15): () => Promise<void> {
	let last = Date.now();
	return async () => {
		if (Date.now() - last < budgetMs) return;
		await sleep(0);
		last = Date.now();
	};
}

/** How many rows between two looks at the clock in the loops that use loopTurns. */
export const ROWS_PER_LOOK = 512;
