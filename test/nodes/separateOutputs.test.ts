// Outputs per outcome: Load Records' Separate Outputs (V2 and Classic) against the emulator — each record on
// Successful, Failed or Unprocessed, paired to its input item — and the node's `outputs` expression as the
// editor evaluates it (n8n-workflow's getNodeOutputs): one output unless the option is on.
import type { IDataObject, INode, INodeExecutionData, INodeType, INodeTypes } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { waitDefaults } from '../../nodes/shared/transport/wait';
import { setup, type Setup } from './setup';

let s: Setup;
const v2 = new SalesforceBulk2();
const classic = new SalesforceBulkClassic();
beforeAll(async () => {
	waitDefaults.initialIntervalMs = 20;
	waitDefaults.maxIntervalMs = 100;
	s = await setup({ shuffleResults: true });
});
afterAll(async () => await s.close());
afterEach(() => s.emulator.faults.clear());

const items = (records: IDataObject[]): INodeExecutionData[] => records.map((json) => ({ json }));
/** Each output as [status, input item] pairs. */
const routed = (outputs: INodeExecutionData[][]) => outputs.map((out) => out.map((i) => [i.json.status ?? i.json.error, (i.pairedItem as { item: number }).item]));

const leads = ['A', '', 'C', 'D', 'E'].map((n) => ({ LastName: n && `Routed ${n}`, Company: 'X' }));
/** The five leads by output when the job fails after 3 rows: A and C created, the nameless one failed, D and E unprocessed. */
const leadsRouted = [
	[
		['created', 0],
		['created', 2],
	],
	[['failed', 1]],
	[
		['unprocessed', 3],
		['unprocessed', 4],
	],
];

describe('Load Records → Separate Outputs', () => {
	it('V2: created rows on Successful, the failed row on Failed, the rows after the job failed on Unprocessed', async () => {
		s.emulator.faults.failJobs({ message: 'InvalidBatch : Simulated failure', afterRows: 3, object: 'Lead' });
		const outputs = await s.harness.execute(v2, {
			parameters: { resource: 'ingestJob', operation: 'loadRecords', object: 'Lead', ingestOperation: 'insert', options: { separateOutputs: true } },
			items: items(leads),
		});
		expect(routed(outputs)).toEqual(leadsRouted);
	});

	it('V2: without the option, one output in input order, as saved workflows expect', async () => {
		const outputs = await s.harness.execute(v2, { parameters: { resource: 'ingestJob', operation: 'loadRecords', object: 'Lead', ingestOperation: 'insert' }, items: items(leads.slice(0, 2)) });
		expect(routed(outputs)).toEqual([
			[
				['created', 0],
				['failed', 1],
			],
		]);
	});

	it('V2: a load that fails with Continue On Fail puts every error item on Failed', async () => {
		s.emulator.faults.add({ status: 400, method: 'PUT', path: '/batches', errorCode: 'INVALIDJOB', message: 'InvalidJob : Simulated refusal' });
		const outputs = await s.harness.execute(v2, {
			parameters: { resource: 'ingestJob', operation: 'loadRecords', object: 'Lead', ingestOperation: 'insert', options: { separateOutputs: true } },
			items: items(leads.slice(0, 2)),
			continueOnFail: true,
		});
		expect(outputs.map((out) => out.length)).toEqual([0, 2, 0]);
		expect(outputs[1].map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('Classic: the same three outputs', async () => {
		s.emulator.faults.failJobs({ message: 'InvalidBatch : Simulated', afterRows: 3, object: 'Lead' });
		const outputs = await s.harness.execute(classic, {
			parameters: { resource: 'job', operation: 'loadRecords', object: 'Lead', jobOperation: 'insert', contentType: 'CSV', options: { separateOutputs: true } },
			items: items(leads),
		});
		expect(routed(outputs)).toEqual(leadsRouted);
	});
});

describe('the outputs the editor draws', () => {
	const outputsOf = (nodeType: INodeType, parameters: IDataObject) => {
		const nodeTypes = { getByName: () => nodeType, getByNameAndVersion: () => nodeType, getKnownTypes: () => ({}) } as unknown as INodeTypes;
		const node: INode = { id: '1', name: 'Salesforce', type: nodeType.description.name, typeVersion: 1, position: [0, 0], parameters: parameters as INode['parameters'] };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
		return NodeHelpers.getNodeOutputs(workflow, workflow.nodes[node.name], nodeType.description).map((o) => (typeof o === 'string' ? o : o.displayName));
	};

	it.each([
		['V2 Load Records', v2, { resource: 'ingestJob', operation: 'loadRecords', options: {} }, ['main']],
		['V2 Load Records, Separate Outputs', v2, { resource: 'ingestJob', operation: 'loadRecords', options: { separateOutputs: true } }, ['Successful', 'Failed', 'Unprocessed']],
		['V2 Wait for Job, Separate Outputs', v2, { resource: 'queryJob', operation: 'waitForJob', options: { separateOutputs: true } }, ['Completed', 'Failed']],
		['V2 Get', v2, { resource: 'ingestJob', operation: 'get' }, ['main']],
		['Classic Load Records, Separate Outputs', classic, { resource: 'job', operation: 'loadRecords', options: { separateOutputs: true } }, ['Successful', 'Failed', 'Unprocessed']],
		['Classic Wait for Job', classic, { resource: 'job', operation: 'waitForJob', options: { separateOutputs: false } }, ['main']],
	])('%s', (_, nodeType, parameters, expected) => {
		expect(outputsOf(nodeType as INodeType, parameters as IDataObject)).toEqual(expected);
	});
});
