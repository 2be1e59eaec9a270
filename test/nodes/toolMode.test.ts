// The V2 node as an AI agent tool (issue 17): n8n runs the tool form of a usableAsTool node under the type
// name `<name>Tool`; a query answers the agent with a few rows and says when it cut them. The tool's
// automatic description is the operation's action: one sentence per operation.
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { setup, type Setup } from './setup';

/** The node as n8n derives its tool: the same node under the type name salesforceBulk2Tool. */
class SalesforceBulk2Tool extends SalesforceBulk2 {
	description = { ...new SalesforceBulk2().description, name: 'salesforceBulk2Tool', displayName: 'Salesforce Bulk V2 Tool' };
}

class SalesforceBulkClassicTool extends SalesforceBulkClassic {
	description = { ...new SalesforceBulkClassic().description, name: 'salesforceBulkClassicTool', displayName: 'Salesforce Bulk (Classic) Tool' };
}

let s: Setup;
const node = new SalesforceBulk2();
const tool = new SalesforceBulk2Tool();
const SOQL = "SELECT Id, Name FROM Account WHERE Name LIKE 'Account %' ORDER BY Name";

beforeAll(async () => {
	s = await setup({ seed: { Account: 60 } });
});
afterAll(async () => await s.close());

async function runQuery(nodeType: SalesforceBulk2, parameters = {}) {
	const [out] = await s.harness.execute(nodeType, { parameters: { resource: 'queryJob', operation: 'runQuery', query: SOQL, ...parameters } });
	return out.map((o) => o.json);
}

describe('Run Query as a tool', () => {
	it('returns at most 50 records to the agent in one answer, and says it cut them', async () => {
		const [answer, ...more] = await runQuery(tool);
		expect(more).toEqual([]);
		expect(answer).toMatchObject({ jobId: expect.stringMatching(/^750/), totalRecords: 60, returnedRecords: 50, truncated: true, note: expect.stringMatching(/^Only the first 50 of 60 records are returned\./) });
		expect(answer.records).toHaveLength(50);
		expect((answer.records as Array<{ Name: string }>)[0].Name).toBe('Account 1');
	});

	it('Max Rows for the Agent sets the cap; 0 lifts it; a small answer is not marked', async () => {
		const [five] = await runQuery(tool, { toolMaxRows: 5 });
		expect(five).toMatchObject({ totalRecords: 60, returnedRecords: 5, truncated: true });
		const [all] = await runQuery(tool, { toolMaxRows: 0 });
		expect(all).toMatchObject({ totalRecords: 60, returnedRecords: 60, truncated: false });
		expect(all.note).toBeUndefined();
		const [few] = await runQuery(tool, { query: "SELECT Name FROM Account WHERE Name = 'Account 7'" });
		expect(few).toEqual({ jobId: expect.any(String), totalRecords: 1, returnedRecords: 1, truncated: false, records: [{ Name: 'Account 7' }] });
	});

	it('the node itself still returns every record as items', async () => {
		expect(await runQuery(node)).toHaveLength(60);
	});
});

describe('Classic Run Query as a tool', () => {
	it('answers with at most 50 records and says there were more; 0 lifts the cap', async () => {
		const classicTool = new SalesforceBulkClassicTool();
		const run = async (parameters = {}) => (await s.harness.execute(classicTool, { parameters: { resource: 'job', operation: 'runQuery', query: SOQL, ...parameters } }))[0].map((o) => o.json);
		const [answer, ...more] = await run();
		expect(more).toEqual([]);
		expect(answer).toMatchObject({ jobId: expect.stringMatching(/^750/), totalRecords: null, returnedRecords: 50, truncated: true, note: expect.stringMatching(/^Only the first 50 of more records are returned\./) });
		expect(answer.records).toHaveLength(50);
		const [all] = await run({ toolMaxRows: 0 });
		expect(all).toMatchObject({ totalRecords: 60, returnedRecords: 60, truncated: false });
	});
});

describe('tool descriptions', () => {
	const actionsOf = (nodeType: SalesforceBulk2 | SalesforceBulkClassic) =>
		(nodeType.description.properties.filter((p) => p.name === 'operation') as INodeProperties[]).flatMap((p) => (p.options as INodePropertyOptions[]).map((o) => String(o.action)));

	it.each([
		['Salesforce Bulk V2', node],
		['Salesforce Bulk (Classic)', new SalesforceBulkClassic()],
	])('every operation of %s says in one sentence what it does, each its own', (_, nodeType) => {
		const actions = actionsOf(nodeType);
		for (const action of actions) expect(action).toMatch(/^[A-Z][^.!?]{15,90}$/);
		expect(new Set(actions).size).toBe(actions.length);
	});

	it('n8n describes the tool by the chosen operation', () => {
		const parameters = { resource: 'queryJob', operation: 'runQuery', descriptionType: 'auto' };
		const toolNode = { id: '1', name: 'Export', type: 'n8n-nodes-salesforce-bulk.salesforceBulk2Tool', typeVersion: 1.1, position: [0, 0] as [number, number], parameters };
		expect(NodeHelpers.getToolDescriptionForNode(toolNode, tool)).toBe('Run a SOQL query and return the matching records in Salesforce Bulk V2');
		const getJob = { ...toolNode, parameters: { ...parameters, resource: 'ingestJob', operation: 'get' } };
		expect(NodeHelpers.getToolDescriptionForNode(getJob, tool)).toBe('Get the state and processed and failed row counts of an ingest job in Salesforce Bulk V2');
	});
});
