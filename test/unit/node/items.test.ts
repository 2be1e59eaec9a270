// items.ts: pairedItem of outputs built from many items, and output in input order.
import type { INodeExecutionData } from 'n8n-workflow';

import { inItemOrder, pairedItemsOf } from '../../../nodes/shared/node/items';

describe('pairedItemsOf and inItemOrder', () => {
	it('names each item of a run once, in order', () => {
		const items = [0, 0, 1, 1, 1, 4];
		expect(pairedItemsOf(items.length, (k) => items[k])).toEqual([{ item: 0 }, { item: 1 }, { item: 4 }]);
		expect(pairedItemsOf(0, () => 0)).toEqual([]);
		// Three million rows of one item (a file load): one entry, no array of the rows' items.
		expect(pairedItemsOf(3_000_000, () => 2)).toEqual([{ item: 2 }]);
	});

	it('sorts by the first paired item, keeping the order of equals', () => {
		const out: INodeExecutionData[] = [
			{ json: { k: 'b' }, pairedItem: [{ item: 2 }, { item: 3 }] },
			{ json: { k: 'a1' }, pairedItem: { item: 0 } },
			{ json: { k: 'c' }, pairedItem: 1 as unknown as INodeExecutionData['pairedItem'] },
			{ json: { k: 'a2' }, pairedItem: { item: 0 } },
		];
		expect(inItemOrder(out).map((o) => o.json.k)).toEqual(['a1', 'a2', 'c', 'b']);
	});
});
