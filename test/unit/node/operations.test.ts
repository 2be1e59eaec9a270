// node/operations: a run goes to the one operation picked (resource and operation), in the real n8n-core
// context; its items come out on one output, or on the outputs it gives.
import type { INodeExecutionData } from 'n8n-workflow';

import { runOperation, type Operation } from '../../../nodes/shared/node/operations';
import { apiProbe } from '../apiProbe';

const p = apiProbe([
	{ displayName: 'Resource', name: 'resource', type: 'string', default: '' },
	{ displayName: 'Operation', name: 'operation', type: 'string', default: '' },
]);

const operation = (execute: Operation['execute']): Operation => ({ description: [], execute });
const resources: Record<string, Record<string, Operation>> = {
	job: {
		get: operation(async function () {
			return this.getInputData().map((item, i) => ({ json: { got: item.json.n }, pairedItem: { item: i } }));
		}),
		split: operation(async () => ({ outputs: [[{ json: { side: 'a' } }], [{ json: { side: 'b' } }]] })),
	},
};

async function route(resource: string, op: string): Promise<unknown> {
	const out = await p.run(async (_sf, ctx) => ({ outputs: (await runOperation(ctx, resources)) as unknown as INodeExecutionData[][] as never }), { parameters: { resource, operation: op }, items: [{ json: { n: 1 } }, { json: { n: 2 } }] });
	return (out.outputs as INodeExecutionData[][]).map((items) => items.map((i) => i.json));
}

it('runs the operation picked on all items, its items on one output', async () => {
	expect(await route('job', 'get')).toEqual([[{ got: 1 }, { got: 2 }]]);
});

it('passes the outputs an operation gives through', async () => {
	expect(await route('job', 'split')).toEqual([[{ side: 'a' }], [{ side: 'b' }]]);
});

it('an operation or resource it does not know is an error that names both', async () => {
	const error = await p.failure(async (_sf, ctx) => ({ o: (await runOperation(ctx, resources)) as never }), { parameters: { resource: 'job', operation: 'nope' } });
	expect(error.message).toBe('The operation "nope" of "job" is not supported');
	const noResource = await p.failure(async (_sf, ctx) => ({ o: (await runOperation(ctx, resources)) as never }), { parameters: { resource: 'batch', operation: 'get' } });
	expect(noResource.message).toBe('The operation "get" of "batch" is not supported');
});
