// Split Into Files (nodes/shared/node/fileSplit.ts) through the operations that write results to files: V2 Run
// Query / Get Results / ingest results, Classic Get All Results; version 1 keeps one file by default.
import { parse } from 'csv-parse/sync';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { setup, type Setup } from './setup';

let s: Setup;
const v2 = new SalesforceBulk2();
const classic = new SalesforceBulkClassic();
const ROWS = 25_000; // about 2 MB of CSV: several files of 1 MB
const SOQL = "SELECT Id, Name, AccountNumber, Industry, BillingCity FROM Account WHERE Name LIKE 'Account %'";
const HEADER = '"Id","Name","AccountNumber","Industry","BillingCity"';

beforeAll(async () => {
	s = await setup({ seed: { Account: ROWS } });
});
afterEach(() => s.emulator.faults.clear());
afterAll(async () => await s.close());

async function runQuery(parameters: IDataObject, typeVersion?: number) {
	const [out] = await s.harness.execute(v2, { typeVersion, parameters: { resource: 'queryJob', operation: 'runQuery', query: SOQL, outputAs: 'binary', fileName: 'accounts.csv', pageSize: 10_000, ...parameters } });
	return out;
}

/** Each file's text, checked to start with the header; all rows, in order. */
async function filesOf(items: INodeExecutionData[], property = 'data') {
	const texts = await Promise.all(items.map(async (item) => (await s.harness.readBinary(item.binary![property])).toString()));
	const rows = texts.flatMap((text) => parse(text, { columns: true }) as IDataObject[]);
	return { texts, rows, names: items.map((item) => item.binary![property].fileName) };
}

const queryJobsCreated = () => s.emulator.stats.byRoute['POST /services/data/v63.0/jobs/query'] ?? 0;

describe('Split Into Files', () => {
	it('V2 Run Query, N rows per file: numbered files, each with the header, rows in order and never cut', async () => {
		const out = await runQuery({ splitFiles: 'rows', maxFileRows: 10_000 });
		expect(out).toHaveLength(3);
		expect(out.map((o) => o.json)).toEqual([1, 2, 3].map((file) => ({ jobId: expect.stringMatching(/^750/), numberOfRecords: ROWS, file, files: 3, rows: file < 3 ? 10_000 : 5_000 })));
		const { texts, rows, names } = await filesOf(out);
		expect(names).toEqual(['accounts-001.csv', 'accounts-002.csv', 'accounts-003.csv']);
		for (const text of texts) expect(text.split('\n')[0]).toBe(HEADER);
		expect(rows.map((r) => r.Name)).toEqual(Array.from({ length: ROWS }, (_, i) => `Account ${i + 1}`));
	});

	it('V2 Run Query, N MB per file: no file above the limit; version 1.1 splits by default, version 1 keeps one file', async () => {
		const out = await runQuery({ splitFiles: 'size', maxFileSizeMb: 1 });
		expect(out.length).toBeGreaterThanOrEqual(2);
		const { texts, rows } = await filesOf(out);
		for (const text of texts) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024 * 1024);
		expect(rows).toHaveLength(ROWS);

		// Default of the current version: files of 100 MB, so this export is one file under its own name.
		const [latest] = [await runQuery({})];
		expect(latest).toHaveLength(1);
		expect(latest[0].binary!.data.fileName).toBe('accounts.csv');
		const v1 = await runQuery({}, 1);
		expect(v1).toHaveLength(1);
		expect((await filesOf(v1)).rows).toHaveLength(ROWS);
	});

	it('a limit below one row or above the store maximum is an error before any job is created', async () => {
		const before = queryJobsCreated();
		await expect(runQuery({ splitFiles: 'size', maxFileSizeMb: 2048 })).rejects.toThrow(/^Max File Size \(MB\) must be between 1 and 1024/);
		await expect(runQuery({ splitFiles: 'size', maxFileSizeMb: 0.5 })).rejects.toThrow(/^Max File Size \(MB\) must be between 1 and 1024/);
		await expect(runQuery({ splitFiles: 'rows', maxFileRows: 0 })).rejects.toThrow(/^Max Rows per File must be a whole number of at least 1/);
		expect(queryJobsCreated()).toBe(before);
	});

	it('an export failing midway names the query job, to fetch its results again with Get Results', async () => {
		s.emulator.faults.add({ kind: 'status', status: 400, errorCode: 'INVALID_LOCATOR', path: '/results', skip: 1, count: 20 });
		const error = await runQuery({ splitFiles: 'rows', maxFileRows: 5_000 }).catch((e: Error) => e);
		expect(String((error as Error).message)).toMatch(/^Writing the results of job (750\w+) to files failed after \d file\(s\): .+ fetch them again with Query Job → Get Results and job ID \1/);
		s.emulator.faults.clear();
		const jobId = /job (750\w+)/.exec((error as Error).message)![1];
		const [again] = await s.harness.execute(v2, { parameters: { resource: 'queryJob', operation: 'getResults', jobId: { __rl: true, mode: 'id', value: jobId }, pages: 'all', outputAs: 'binary', fileName: 'again.csv', splitFiles: 'rows', maxFileRows: 20_000 } });
		expect(again.map((o) => o.binary!.data.fileName)).toEqual(['again-001.csv', 'again-002.csv']);
		expect((await filesOf(again)).rows).toHaveLength(ROWS);
	});

	it('Classic Get All Results and V2 ingest results split the same way', async () => {
		const [classicJob] = await s.harness.execute(classic, { parameters: { resource: 'job', operation: 'create', object: 'Account', jobOperation: 'query', contentType: 'CSV' } });
		const classicJobId = String(classicJob[0].json.id);
		expect(classicJobId).toMatch(/^750/);
		await s.harness.execute(classic, { parameters: { resource: 'batch', operation: 'add', jobId: { __rl: true, mode: 'id', value: classicJobId }, inputDataType: 'soql', query: SOQL } });
		const [files] = await s.harness.execute(classic, {
			parameters: { resource: 'queryResult', operation: 'getAllResults', jobId: { __rl: true, mode: 'id', value: classicJobId }, outputAs: 'binary', fileName: 'classic.csv', splitFiles: 'rows', maxFileRows: 12_000 },
		});
		expect(files.map((f) => f.binary!.data.fileName)).toEqual(['classic-001.csv', 'classic-002.csv', 'classic-003.csv']);
		expect(files.map((f) => f.json.rows)).toEqual([12_000, 12_000, 1_000]);
		expect((await filesOf(files)).rows).toHaveLength(ROWS);

		const csv = `Name,NumberOfEmployees\n${Array.from({ length: 30 }, (_, i) => (i % 3 ? `Split ${i},${i}` : `Split ${i},many`)).join('\n')}\n`;
		const [load] = await s.harness.execute(v2, { parameters: { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert', inputDataType: 'csv', csvData: csv, options: {} } });
		const ingestJobId = String(load[0].json.jobId);
		const [failed] = await s.harness.execute(v2, { parameters: { resource: 'ingestJob', operation: 'getFailedResults', jobId: { __rl: true, mode: 'id', value: ingestJobId }, outputAs: 'binary', fileName: 'failed.csv', splitFiles: 'rows', maxFileRows: 4 } });
		expect(failed.map((f) => f.binary!.data.fileName)).toEqual(['failed-001.csv', 'failed-002.csv', 'failed-003.csv']);
		const failedRows = (await filesOf(failed)).rows;
		expect(failedRows).toHaveLength(10);
		expect(failedRows.every((r) => r.NumberOfEmployees === 'many' && String(r.sf__Error).startsWith('INVALID_FIELD'))).toBe(true);
	});
});
