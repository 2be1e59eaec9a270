// node/outcomeOutputs: items sorted onto Successful / Failed / Unprocessed (Load Records) or Completed / Failed
// (Wait for Job) when Separate Outputs is on, read from real node parameters; the outputs expression evaluated.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { jobOutputs, loadOutputs, outcomeOutputsExpression } from '../../../nodes/shared/node/outcomeOutputs';
import { apiProbe } from '../apiProbe';

const p = apiProbe([{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: [{ displayName: 'Separate Outputs', name: 'separateOutputs', type: 'boolean', default: false }] }]);
const item = (json: IDataObject): INodeExecutionData => ({ json });
const load = [item({ status: 'created', success: true }), item({ status: 'failed', success: false }), item({ status: 'unprocessed', success: false }), item({ error: 'bad item' }), item({ id: '750A' }), item({ status: 'unknown', success: false })];
const waits = [item({ id: '750A', state: 'JobComplete' }), item({ id: '750B', state: 'Failed' }), item({ id: '750C', state: 'JobComplete', timedOut: true }), item({ error: 'not found' })];

/** Each output as the items' indexes in the input. */
async function sorted(separateOutputs: boolean, sort: 'load' | 'wait') {
	const out = await p.run(
		async (_sf, ctx) => {
			const input = sort === 'load' ? load : waits;
			const outputs = sort === 'load' ? loadOutputs(ctx, input) : jobOutputs(ctx, input, (job) => job.state === 'JobComplete');
			return { outputs: outputs.map((items) => items.map((i) => input.indexOf(i))) };
		},
		{ parameters: { options: { separateOutputs } } },
	);
	return out.outputs;
}

it('one output unless Separate Outputs is on', async () => {
	expect(await sorted(false, 'load')).toEqual([[0, 1, 2, 3, 4, 5]]);
	expect(await sorted(false, 'wait')).toEqual([[0, 1, 2, 3]]);
});

it('Load Records: successful (and items without a status) first, failed, unknown and errors second, unprocessed third', async () => {
	expect(await sorted(true, 'load')).toEqual([[0, 4], [1, 3, 5], [2]]);
});

it('Wait for Job: completed first; failed, timed out and errors second', async () => {
	expect(await sorted(true, 'wait')).toEqual([[0], [1, 2, 3]]);
});

it('the outputs expression draws the outputs for the operation when Separate Outputs is on', () => {
	const body = outcomeOutputsExpression.slice(3, -2);
	// eslint-disable-next-line @n8n/community-nodes/no-dangerous-functions -- test code: evaluates our own expression as the editor would
	const evaluate = new Function('$parameter', `return ${body}`) as (parameter: IDataObject) => Array<string | { displayName: string }>;
	const names = (parameter: IDataObject) => evaluate(parameter).map((o) => (typeof o === 'string' ? o : o.displayName));
	expect(names({ operation: 'loadRecords' })).toEqual(['main']);
	expect(names({ operation: 'loadRecords', options: { separateOutputs: true } })).toEqual(['Successful', 'Failed', 'Unprocessed']);
	expect(names({ operation: 'waitForJob', options: { separateOutputs: true } })).toEqual(['Completed', 'Failed']);
	expect(names({ operation: 'get', options: { separateOutputs: true } })).toEqual(['main']);
});
