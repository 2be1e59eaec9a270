// What the editor shows, checked on the descriptions: the job's operation field is labelled "Record Operation"
// (apart from the node's own Operation) under its old name, so saved workflows keep their value; the
// username-password grant is marked deprecated, with Salesforce's retirement date and what to use instead.
import type { INodeProperties, INodeType } from 'n8n-workflow';

import { SalesforceBulkOAuth2Api } from '../../credentials/SalesforceBulkOAuth2Api.credentials';
import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';

const fields = (node: INodeType, name: string) => node.description.properties.filter((p) => p.name === name);

describe('the labels the editor shows', () => {
	it.each([
		['V2', new SalesforceBulk2(), 'ingestOperation'],
		['Classic', new SalesforceBulkClassic(), 'jobOperation'],
	])('%s: the job operation is "Record Operation", under its saved name', (_, node, name) => {
		const found = fields(node, name);
		expect(found.length).toBeGreaterThan(0);
		expect([...new Set(found.map((p) => p.displayName))]).toEqual(['Record Operation']);
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
