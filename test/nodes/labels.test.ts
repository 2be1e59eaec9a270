// What the editor shows, checked on the descriptions: the job's operation field is labelled "Record Operation"
// (apart from the node's own Operation) under its old name, so saved workflows keep their value; the
// username-password grant is marked deprecated, with Salesforce's retirement date and what to use instead; the
// Load Records parameters per node version (1 and 1.1: Fields to Send; 1.2: the Columns mapper).
import type { INode, INodeParameters, INodeProperties, INodeType } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { SalesforceBulkOAuth2Api } from '../../credentials/SalesforceBulkOAuth2Api.credentials';
import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';

const fields = (node: INodeType, name: string) => node.description.properties.filter((p) => p.name === name);
/** The top-level parameters the editor shows for these values at a node version. */
const shown = (node: INodeType, typeVersion: number, values: INodeParameters) =>
	node.description.properties.filter((p) => NodeHelpers.displayParameter(values, p, { typeVersion } as INode, node.description)).map((p) => p.name);

describe('the labels the editor shows', () => {
	it.each([
		['V2', new SalesforceBulk2(), 'ingestOperation'],
		['Classic', new SalesforceBulkClassic(), 'jobOperation'],
	])('%s: the job operation is "Record Operation", under its saved name', (_, node, name) => {
		const found = fields(node, name);
		expect(found.length).toBeGreaterThan(0);
		expect([...new Set(found.map((p) => p.displayName))]).toEqual(['Record Operation']);
	});

	it.each([
		['V2', new SalesforceBulk2(), { resource: 'ingestJob', operation: 'loadRecords', inputDataType: 'items', ingestOperation: 'upsert', fieldsToSend: 'all' }],
		['Classic', new SalesforceBulkClassic(), { resource: 'job', operation: 'loadRecords', jobOperation: 'upsert' }],
	])('%s Load Records: 1 and 1.1 keep Fields to Send / the External ID Field, 1.2 shows one Columns mapper instead', (_, node, values) => {
		expect(node.description.version).toEqual([1, 1.1, 1.2]);
		expect(node.description.defaultVersion).toBe(1.2);
		for (const old of [1, 1.1]) {
			expect(shown(node, old, values)).toContain('externalIdFieldName');
			expect(shown(node, old, values)).not.toContain('columns');
		}
		if (values.resource === 'ingestJob') expect(shown(node, 1.1, values)).toContain('fieldsToSend');
		const latest = shown(node, 1.2, values);
		expect(latest.filter((name) => name === 'columns')).toHaveLength(1);
		expect(latest).not.toContain('fieldsToSend');
		expect(latest).not.toContain('externalIdFieldName');
	});

	it('V2 Load Records 1.2 from a CSV keeps the External ID Field; each record operation gets its mapper mode', () => {
		const node = new SalesforceBulk2();
		const csv = { resource: 'ingestJob', operation: 'loadRecords', inputDataType: 'csv', ingestOperation: 'upsert' };
		expect(shown(node, 1.2, csv)).toContain('externalIdFieldName');
		expect(shown(node, 1.2, csv)).not.toContain('columns');
		const modeFor = (ingestOperation: string) =>
			node.description.properties
				.filter((p) => p.name === 'columns' && NodeHelpers.displayParameter({ ...csv, inputDataType: 'items', ingestOperation }, p, { typeVersion: 1.2 } as INode, node.description))
				.map((p) => (p.typeOptions?.resourceMapper as { mode: string }).mode);
		expect(['insert', 'update', 'upsert', 'delete'].map(modeFor)).toEqual([['add'], ['update'], ['upsert'], ['add']]);
	});

	it('the username-password grant is deprecated, with the date and the grants to use instead', () => {
		const properties = new SalesforceBulkOAuth2Api().properties;
		const grant = properties.find((p) => p.name === 'grantType') as INodeProperties;
		const password = (grant.options as Array<{ name: string; value: string; description?: string }>).find((o) => o.value === 'password');
		expect(password).toMatchObject({ name: 'Username-Password (Deprecated)', description: expect.stringContaining('20 February 2027') });
		const notice = properties.find((p) => p.type === 'notice') as INodeProperties;
		expect(notice.displayOptions).toEqual({ show: { grantType: ['password'] } });
		expect(notice.displayName).toMatch(/20 February 2027.*Client Credentials or JWT Bearer with an External Client App/);
	});
});
