// Query results as JSON files (File Format → JSON) against the emulator with 100,000 rows: V2 Run Query and Get
// Results, Classic Get All Results and Run Query. Each file parses as one JSON array; its records are the items
// Run Query outputs with Typed Values (the round trip); split files are each a valid array, in order, none lost.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { setup, type Setup } from './setup';

let s: Setup;
const v2 = new SalesforceBulk2();
const classic = new SalesforceBulkClassic();
const ROWS = 100_000;
const SOQL = "SELECT Id, Name, AccountNumber, AnnualRevenue, NumberOfEmployees, BillingCity FROM Account WHERE Name LIKE 'Account %'";
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

beforeAll(async () => {
	s = await setup({ seed: { Account: ROWS } });
});
afterAll(async () => await s.close());

async function runQuery(parameters: IDataObject) {
	const [out] = await s.harness.execute(v2, { parameters: { resource: 'queryJob', operation: 'runQuery', query: SOQL, pageSize: 30_000, ...parameters } });
	return out;
}

/** Each file parsed (it must be one JSON array), with its name. */
async function jsonFilesOf(items: INodeExecutionData[]) {
	const files = await Promise.all(
		items.map(async (item) => {
			const binary = item.binary!.data;
			const parsed: unknown = JSON.parse((await s.harness.readBinary(binary)).toString());
			expect(Array.isArray(parsed)).toBe(true);
			expect(binary.mimeType).toBe('application/json');
			return { name: binary.fileName, records: parsed as IDataObject[] };
		}),
	);
	return { files, records: files.flatMap((f) => f.records), names: files.map((f) => f.name) };
}

let typedItems: IDataObject[];

describe('Query results as a JSON file', () => {
	beforeAll(async () => {
		typedItems = (await runQuery({ outputAs: 'items', typedValues: true, returnAll: true })).map((i) => i.json);
		expect(typedItems).toHaveLength(ROWS);
	});

	it('V2 Run Query, one file: parses, holds every record typed as the items are (round trip)', async () => {
		const out = await runQuery({ outputAs: 'binary', fileName: 'accounts.csv', fileFormat: 'json', splitFiles: 'one' });
		expect(out).toHaveLength(1);
		expect(out[0].json).toEqual({ jobId: expect.stringMatching(/^750/), numberOfRecords: ROWS });
		const { records, names } = await jsonFilesOf(out);
		expect(names).toEqual(['accounts.json']);
		expect(records).toEqual(typedItems);
		expect(records[6]).toEqual({ Id: expect.stringMatching(/^001/), Name: 'Account 7', AccountNumber: 'AC-00000007', AnnualRevenue: 7000, NumberOfEmployees: 7, BillingCity: expect.any(String) });
	});

	it('V2 Run Query, split by rows and by size: each file a valid array, in order, none lost', async () => {
		const byRows = await runQuery({ outputAs: 'binary', fileName: 'accounts.json', fileFormat: 'json', splitFiles: 'rows', maxFileRows: 30_000 });
		expect(byRows.map((o) => o.json.rows)).toEqual([30_000, 30_000, 30_000, 10_000]);
		const rows = await jsonFilesOf(byRows);
		expect(rows.names).toEqual(['accounts-001.json', 'accounts-002.json', 'accounts-003.json', 'accounts-004.json']);
		expect(rows.records).toEqual(typedItems);

		const bySize = await runQuery({ outputAs: 'binary', fileName: 'accounts.json', fileFormat: 'json', splitFiles: 'size', maxFileSizeMb: 4 });
		expect(bySize.length).toBeGreaterThanOrEqual(3);
		const sizes = await Promise.all(bySize.map(async (item) => (await s.harness.readBinary(item.binary!.data)).length));
		for (const size of sizes) expect(size).toBeLessThanOrEqual(4 * 1024 * 1024);
		expect((await jsonFilesOf(bySize)).records).toEqual(typedItems);
	});

	it('V2 Get Results, one page, as JSON; a query without rows gives an empty array', async () => {
		const [created] = await s.harness.execute(v2, { parameters: { resource: 'queryJob', operation: 'create', query: SOQL } });
		const jobId = String(created[0].json.id);
		await s.harness.execute(v2, { parameters: { resource: 'queryJob', operation: 'waitForJob', jobId: byId(jobId) } });
		const [page] = await s.harness.execute(v2, {
			parameters: { resource: 'queryJob', operation: 'getResults', jobId: byId(jobId), pages: 'one', pageSize: 1000, outputAs: 'binary', fileName: 'page.csv', fileFormat: 'json', splitFiles: 'one' },
		});
		expect(page[0].json).toEqual({ jobId, locator: expect.any(String), numberOfRecords: 1000 });
		const { records, names } = await jsonFilesOf(page);
		expect(names).toEqual(['page.json']);
		expect(records).toEqual(typedItems.slice(0, 1000));

		const none = await runQuery({ query: "SELECT Id, Name FROM Account WHERE Name = 'nobody at all'", outputAs: 'binary', fileName: 'none.json', fileFormat: 'json', splitFiles: 'one' });
		expect((await jsonFilesOf(none)).records).toEqual([]);
	});

	it('Classic Get All Results (CSV job) as split JSON files; Run Query on an XML job refuses JSON before creating a job', async () => {
		const [created] = await s.harness.execute(classic, { parameters: { resource: 'job', operation: 'create', object: 'Account', jobOperation: 'query', contentType: 'CSV' } });
		const jobId = String(created[0].json.id);
		await s.harness.execute(classic, { parameters: { resource: 'batch', operation: 'add', jobId: byId(jobId), inputDataType: 'soql', query: SOQL } });
		const [files] = await s.harness.execute(classic, {
			parameters: { resource: 'queryResult', operation: 'getAllResults', jobId: byId(jobId), outputAs: 'binary', fileName: '', fileFormat: 'json', splitFiles: 'rows', maxFileRows: 40_000 },
		});
		const { records, names } = await jsonFilesOf(files);
		expect(names).toEqual([1, 2, 3].map((n) => `${jobId}-results-00${n}.json`));
		expect(records).toEqual(typedItems);

		const jobsBefore = s.emulator.stats.byRoute['POST /services/async/63.0/job'] ?? 0;
		const error = await s.harness
			.execute(classic, { parameters: { resource: 'job', operation: 'runQuery', object: 'Account', query: SOQL, contentType: 'XML', outputAs: 'binary', fileFormat: 'json', splitFiles: 'one' } })
			.catch((e: Error) => e);
		expect((error as Error).message).toBe('File Format JSON takes CSV or JSON results, and a query job of content type XML returns XML');
		expect(s.emulator.stats.byRoute['POST /services/async/63.0/job'] ?? 0).toBe(jobsBefore);
	});
});
