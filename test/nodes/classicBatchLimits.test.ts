// Classic Batch → Add with XML or JSON text or files, which go as one batch: one past a batch's limits (10,000
// records, 10 MB) is refused before anything is sent, naming the limit; one within them is sent as before.
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { setup, type Setup } from './setup';

let s: Setup;
const classic = new SalesforceBulkClassic();
beforeAll(async () => {
	s = await setup();
});
afterAll(async () => await s.close());

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const batchesAdded = () => Object.entries(s.emulator.stats.byRoute).filter(([route]) => route.startsWith('POST /services/async/') && route.endsWith('/batch')).reduce((n, [, c]) => n + Number(c), 0);

async function run(parameters: INodeParameters, items?: INodeExecutionData[]) {
	const [out] = await s.harness.execute(classic, { parameters, items });
	return out.map((i) => i.json);
}
async function openJob(contentType: 'XML' | 'JSON'): Promise<string> {
	return String((await run({ resource: 'job', operation: 'create', object: 'Account', jobOperation: 'insert', contentType }))[0].id);
}
async function refusal(parameters: INodeParameters, items?: INodeExecutionData[]) {
	const before = batchesAdded();
	const error = (await run(parameters, items).catch((e: Error) => e)) as Error & { context: IDataObject };
	expect(error).toBeInstanceOf(Error);
	expect(batchesAdded()).toBe(before);
	return error;
}

const jsonRecords = (n: number) => JSON.stringify(Array.from({ length: n }, (_, k) => ({ Name: `Limit ${k}` })));
const xmlRecords = (n: number) =>
	`<?xml version="1.0" encoding="UTF-8"?><sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload">${'<sObject><Name>Limit</Name></sObject>'.repeat(n)}</sObjects>`;

describe('Classic XML / JSON batches at the limits', () => {
	it('JSON text of 10,001 records is refused, naming the limit; 10,000 go as one batch', async () => {
		const jobId = await openJob('JSON');
		const error = await refusal({ resource: 'batch', operation: 'add', jobId: byId(jobId), inputDataType: 'text', data: jsonRecords(10001) });
		expect(error.message).toBe('The JSON text of item 0 holds 10001 records; a batch takes at most 10000');
		expect(error.context.itemIndex).toBe(0);
		const before = batchesAdded();
		const [batch] = await run({ resource: 'batch', operation: 'add', jobId: byId(jobId), inputDataType: 'text', data: jsonRecords(10000) });
		expect(String(batch.id)).toMatch(/^751/);
		expect(batchesAdded()).toBe(before + 1);
	});

	it('an XML file of 10,001 sObjects is refused', async () => {
		const jobId = await openJob('XML');
		const file = await s.harness.prepareBinary(Buffer.from(xmlRecords(10001)), 'accounts.xml', 'application/xml');
		const error = await refusal({ resource: 'batch', operation: 'add', jobId: byId(jobId), inputDataType: 'binary', binaryPropertyName: 'data' }, [{ json: {}, binary: { data: file } }]);
		expect(error.message).toBe('The XML file "accounts.xml" of item 0 holds 10001 records; a batch takes at most 10000');
	});

	it('JSON text over 10 MB is refused, naming the limit', async () => {
		const jobId = await openJob('JSON');
		const big = JSON.stringify([{ Name: 'x'.repeat(10_000_001) }]);
		const error = await refusal({ resource: 'batch', operation: 'add', jobId: byId(jobId), inputDataType: 'text', data: big });
		expect(error.message).toBe('The JSON text of item 0 is more than 10000000 bytes, the most a batch takes');
	});
});
