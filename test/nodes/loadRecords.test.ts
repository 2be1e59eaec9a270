import { BinaryDataService } from 'n8n-core';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { waitDefaults } from '../../nodes/shared/transport/wait';
import { fileHandlesLeftOpen } from './fileHandles';
import { admin, setup, type Setup } from './setup';

// Results come back shuffled (as Salesforce sends them, in no particular order) in every test here.
// Node version 1.1 (items sent as "Fields to Send" says), as saved workflows have it; 1.2's Columns mapper is
// tested in fieldMapping.test.ts.
const TYPE_VERSION = 1.1;
let s: Setup;
const node = new SalesforceBulk2();
beforeAll(async () => {
	waitDefaults.initialIntervalMs = 20;
	waitDefaults.maxIntervalMs = 100;
	s = await setup({ shuffleResults: true });
});
afterAll(async () => await s.close());
afterEach(() => s.emulator.faults.clear());

const items = (records: IDataObject[]): INodeExecutionData[] => records.map((json) => ({ json }));
const json = (out: INodeExecutionData[]) => out.map((i) => i.json);
const paired = (out: INodeExecutionData[]) => out.map((i) => (i.pairedItem as { item: number }).item);
const accounts = () => [...s.emulator.org.table('Account').values()];
const jobsCreated = () => s.emulator.stats.byRoute['POST /services/data/v63.0/jobs/ingest'] ?? 0;
const emulatorJob = (id: unknown) => (s.emulator.jobs as unknown as { get(id: string): IDataObject }).get(String(id));

async function load(parameters: IDataObject, input?: INodeExecutionData[], continueOnFail = false) {
	const [out] = await s.harness.execute(node, {
		typeVersion: TYPE_VERSION,
		parameters: { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert', ...parameters },
		items: input,
		continueOnFail,
	});
	return out;
}

describe('Load Records from input items', () => {
	it('is the default operation of Ingest Job', async () => {
		const [out] = await s.harness.execute(node, { typeVersion: TYPE_VERSION, parameters: { object: 'Account' }, items: items([{ Name: 'LR Default' }]) });
		expect(out[0].json).toMatchObject({ status: 'created', success: true, record: { Name: 'LR Default' } });
	});

	it('inserts, and maps a failing row back to its item', async () => {
		const out = await load({}, items([{ Name: 'LR Ins A', NumberOfEmployees: 5 }, { NumberOfEmployees: 7 }, { Name: 'LR Ins C', Active__c: true }]));
		expect(paired(out)).toEqual([0, 1, 2]);
		const [a, b, c] = json(out);
		expect(a).toMatchObject({ status: 'created', success: true, error: null, errorCode: null, record: { Name: 'LR Ins A', NumberOfEmployees: '5', Active__c: '' } });
		expect(b).toEqual({
			status: 'failed',
			success: false,
			id: null,
			error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --',
			errorCode: 'REQUIRED_FIELD_MISSING',
			jobId: a.jobId,
			record: { Name: '', NumberOfEmployees: '7', Active__c: '' },
		});
		expect(s.emulator.org.find(String(a.id))?.record).toMatchObject({ Name: 'LR Ins A', NumberOfEmployees: 5 });
		expect(s.emulator.org.find(String(c.id))?.record).toMatchObject({ Name: 'LR Ins C', Active__c: true });
		expect(String(a.jobId)).toMatch(/^750/);
		expect(s.harness.lastHints.map((h) => h.message)).toEqual([`Job ${a.jobId}: 1 of 3 rows failed; see "error" in their items`]);
	});

	it('upserts on an external ID: created and updated rows', async () => {
		const existing = s.emulator.org.insertSystem('Account', { Name: 'LR Old', Legacy_Id__c: 'LR-UP-1', Phone: '111' });
		const out = await load(
			{ ingestOperation: 'upsert', externalIdFieldName: 'Legacy_Id__c' },
			items([{ Legacy_Id__c: 'LR-UP-1', Name: 'LR Renamed' }, { Legacy_Id__c: 'LR-UP-2', Name: 'LR New' }]),
		);
		expect(json(out).map((r) => [r.status, r.success])).toEqual([['updated', true], ['created', true]]);
		expect(out[0].json.id).toBe(existing.Id);
		expect(s.emulator.org.find(String(existing.Id))?.record).toMatchObject({ Name: 'LR Renamed', Phone: '111' });
		expect(accounts().find((a) => a.Legacy_Id__c === 'LR-UP-2')).toMatchObject({ Id: out[1].json.id, Name: 'LR New' });
	});

	it('updates and deletes by Id; Null Values decides what null does', async () => {
		const [one, two] = [1, 2].map((n) => s.emulator.org.insertSystem('Account', { Name: `LR Upd ${n}`, Phone: '555', Website: 'x.example' }));
		const updated = await load({ ingestOperation: 'update' }, items([{ Id: one.Id, Name: 'LR Upd 1b', Phone: null }, { Id: '001000000000000', Name: 'Nope' }, { Id: two.Id, Website: null }]));
		expect(json(updated).map((r) => [r.status, r.id, r.errorCode])).toEqual([['updated', one.Id, null], ['failed', null, 'INVALID_CROSS_REFERENCE_KEY'], ['updated', two.Id, null]]);
		expect(updated[0].json.record).toEqual({ Id: one.Id, Name: 'LR Upd 1b', Phone: '#N/A', Website: '' });
		expect(s.emulator.org.find(String(one.Id))?.record).toMatchObject({ Name: 'LR Upd 1b', Phone: null, Website: 'x.example' });
		await load({ ingestOperation: 'update', options: { nullValue: 'blank' } }, items([{ Id: two.Id, Phone: null, Name: 'LR Upd 2b' }]));
		expect(s.emulator.org.find(String(two.Id))?.record).toMatchObject({ Name: 'LR Upd 2b', Phone: '555', Website: null });

		const deleted = await load({ ingestOperation: 'delete', fieldsToSend: 'selected', fieldsToInclude: { field: [{ name: 'Id' }] } }, items([{ Id: one.Id, Name: 'ignored' }, { Id: two.Id }]));
		expect(json(deleted).map((r) => [r.status, r.success, r.id, r.record])).toEqual([
			['deleted', true, one.Id, { Id: one.Id }],
			['deleted', true, two.Id, { Id: two.Id }],
		]);
		expect(s.emulator.org.find(String(one.Id))?.record.IsDeleted).toBe(true);
	});

	it('Selected Fields: maps input fields to Salesforce fields and ignores the rest', async () => {
		const out = await load(
			{ fieldsToSend: 'selected', fieldsToInclude: { field: [{ name: 'Name', inputField: 'company.name' }, { name: 'BillingCity', inputField: 'city' }, { name: 'Phone' }] } },
			items([{ company: { name: 'LR Sel' }, city: 'Oslo', Phone: 5550100, tags: ['not', 'sent'] }]),
		);
		expect(out[0].json).toMatchObject({ status: 'created', record: { Name: 'LR Sel', BillingCity: 'Oslo', Phone: '5550100' } });
		expect(s.emulator.org.find(String(out[0].json.id))?.record).toMatchObject({ Name: 'LR Sel', BillingCity: 'Oslo', Phone: '5550100' });
	});
});

describe('Matching shuffled results', () => {
	it('identical rows, some failing, each get one result and add up', async () => {
		const rows = [{ Name: 'LR Dup' }, { Name: 'LR Dup Bad', NumberOfEmployees: 'x' }, { Name: 'LR Dup' }, { Name: 'LR Dup Bad', NumberOfEmployees: 'x' }, { Name: 'LR Dup' }, { Name: 'LR Single', NumberOfEmployees: 'x' }];
		const out = await load({ fieldsToSend: 'selected', fieldsToInclude: { field: [{ name: 'Name' }, { name: 'NumberOfEmployees' }] } }, items(rows.map((r, i) => ({ ...r, seq: i }))));
		expect(paired(out)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(json(out).map((r) => r.status)).toEqual(['created', 'failed', 'created', 'failed', 'created', 'failed']);
		expect(out[1].json.errorCode).toBe('INVALID_FIELD');
		const ids = [0, 2, 4].map((i) => String(out[i].json.id));
		expect(new Set(ids).size).toBe(3);
		for (const id of ids) expect(s.emulator.org.find(id)?.record.Name).toBe('LR Dup');
		expect(s.harness.lastHints).toHaveLength(1); // only "3 of 6 rows failed": the counts add up
	});

	it('2,000 rows in shuffled order: every outcome on its own row', async () => {
		const records = Array.from({ length: 2000 }, (_, i) => ({ Name: `LR Bulk ${i % 700}`, NumberOfEmployees: i % 9 === 0 ? 'many' : String(i % 5) }));
		const out = await load({}, items(records));
		expect(out).toHaveLength(2000);
		out.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.record).toEqual({ Name: records[i].Name, NumberOfEmployees: records[i].NumberOfEmployees });
			expect(item.json.success).toBe(i % 9 !== 0);
			if (item.json.success) expect(s.emulator.org.find(String(item.json.id))?.record).toMatchObject({ Name: records[i].Name, NumberOfEmployees: Number(records[i].NumberOfEmployees) });
		});
		expect(new Set(json(out).filter((r) => r.success).map((r) => r.id)).size).toBe(2000 - 223);
	});
});

describe('Load Records from CSV', () => {
	it('CSV text: one load per input item, rows paired to the item that carried the CSV', async () => {
		const input = items([{ csv: 'Name;Phone\r\nLR Csv 1;"555;0100"\r\n;555\r\n' }, { csv: 'Name;Phone\r\nLR Csv 2;\r\n' }]);
		const out = await load({ inputDataType: 'csv', csvData: '={{ $json.csv }}', options: { columnDelimiter: 'SEMICOLON' } }, input);
		expect(paired(out)).toEqual([0, 0, 1]);
		expect(json(out).map((r) => [r.status, r.record])).toEqual([
			['created', { Name: 'LR Csv 1', Phone: '555;0100' }],
			['failed', { Name: '', Phone: '555' }],
			['created', { Name: 'LR Csv 2', Phone: '' }],
		]);
		expect(out[0].json.jobId).not.toBe(out[2].json.jobId);
		expect(emulatorJob(out[0].json.jobId)).toMatchObject({ lineEnding: 'CRLF', columnDelimiter: 'SEMICOLON' });
		expect(s.emulator.org.find(String(out[0].json.id))?.record.Phone).toBe('555;0100');
	});

	it('a binary CSV file, streamed from the binary store', async () => {
		const file = await s.harness.prepareBinary(Buffer.from('\ufeffLegacy_Id__c,Name\nLR-BIN-1,LR Bin One\nLR-BIN-2,"LR Bin, Two"\n'), 'accounts.csv', 'text/csv');
		expect(file.id).toBeTruthy();
		const out = await load({ ingestOperation: 'upsert', externalIdFieldName: 'Legacy_Id__c', inputDataType: 'binary' }, [{ json: {}, binary: { data: file } }]);
		expect(json(out).map((r) => [r.status, r.record])).toEqual([
			['created', { Legacy_Id__c: 'LR-BIN-1', Name: 'LR Bin One' }],
			['created', { Legacy_Id__c: 'LR-BIN-2', Name: 'LR Bin, Two' }],
		]);
		expect(accounts().find((a) => a.Legacy_Id__c === 'LR-BIN-2')?.Name).toBe('LR Bin, Two');
	});
});

describe('Splitting across jobs', () => {
	it('5,000 items with Max Rows per Job 1,000 → 5 jobs', async () => {
		const before = jobsCreated();
		const records = Array.from({ length: 5000 }, (_, i) => ({ Name: `LR Split ${i}`, Legacy_Id__c: `LR-SPLIT-${i}` }));
		const out = await load({ ingestOperation: 'upsert', externalIdFieldName: 'Legacy_Id__c', options: { maxRowsPerJob: 1000 } }, items(records));
		expect(jobsCreated() - before).toBe(5);
		const jobIds = [...new Set(json(out).map((r) => r.jobId))];
		expect(jobIds).toHaveLength(5);
		expect(out).toHaveLength(5000);
		jobIds.forEach((id, j) => expect(out.slice(j * 1000, (j + 1) * 1000).filter((o) => o.json.jobId !== id)).toEqual([]));
		expect(out.every((o, i) => o.json.status === 'created' && (o.pairedItem as { item: number }).item === i && (o.json.record as IDataObject).Name === `LR Split ${i}`)).toBe(true);
		expect(accounts().filter((a) => String(a.Legacy_Id__c).startsWith('LR-SPLIT-'))).toHaveLength(5000);
	});

	it('a CSV above Split Size goes into several jobs of at most that size', async () => {
		const rows = Array.from({ length: 600 }, (_, i) => `LR Size ${i},"Line one\nline two of ${i}"`);
		const csv = `Name,Description\n${rows.join('\n')}\n`;
		const out = await load({ inputDataType: 'csv', csvData: csv, options: { splitSize: 0.01 } }, items([{}]));
		const jobIds = [...new Set(json(out).map((r) => r.jobId))];
		expect(jobIds.length).toBe(Math.ceil(Buffer.byteLength(csv) / 10000)); // rows are about the same size
		expect(json(out).map((r) => (r.record as IDataObject).Description)).toEqual(rows.map((_, i) => `Line one\nline two of ${i}`));
		expect(json(out)).toHaveLength(600);
		expect(json(out).filter((r) => r.status !== 'created')).toEqual([]);
	});

	it('a binary CSV input is closed however the load ends, not left to the garbage collector (DEP0137)', async () => {
		const rows = Array.from({ length: 400 }, (_, i) => `LR Closed ${i},${'x'.repeat(40)}`);
		const data = await s.harness.prepareBinary(Buffer.from(`Name,Description\n${rows.join('\n')}\n`), 'parts.csv', 'text/csv');
		const broken = await s.harness.prepareBinary(Buffer.from(`Name,Description\n${rows.join('\n')}\n"unclosed,quote\n`), 'broken.csv', 'text/csv');
		const handles = await fileHandlesLeftOpen(async () => {
			// The first job's upload is refused: the load stops taking parts with most of the file unread.
			s.emulator.faults.add({ status: 400, method: 'PUT', path: '/batches', errorCode: 'INVALIDJOB', message: 'InvalidJob : Simulated refusal' });
			const refused = await load({ inputDataType: 'binary', options: { splitSize: 0.004 } }, [{ json: {}, binary: { data } }]).catch((e: Error) => e);
			expect(String(refused)).toMatch(/Simulated refusal/);
			// A part further on is not valid CSV: the load stops while splitting.
			const invalid = await load({ inputDataType: 'binary', options: { splitSize: 0.004 } }, [{ json: {}, binary: { data: broken } }]).catch((e: Error) => e);
			expect(String(invalid)).toMatch(/not valid/);
		});
		expect(handles.opened).toBeGreaterThanOrEqual(2); // each load opens the file (once: parts are checked while sent)
		expect(handles.open).toBe(0);
	});

	it('a binary CSV split without waiting: each job gets exactly its bytes, read again from the binary store', async () => {
		const rows = Array.from({ length: 400 }, (_, i) => `LR Stream ${i},"Zoë, ""quoted""\nsecond line ${i}"`);
		const body = `Name,Description\n${rows.join('\n')}\n`;
		const data = await s.harness.prepareBinary(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body)]), 'big.csv', 'text/csv');
		await admin(s.emulator, 'config', { holdJobs: true });
		try {
			const out = await load({ inputDataType: 'binary', options: { waitForCompletion: false, splitSize: 0.004 } }, [{ json: {}, binary: { data } }]);
			expect(out.length).toBeGreaterThan(3);
			expect(out.reduce((sum, job) => sum + Number(job.json.uploadedRows), 0)).toBe(400);
			const uploads = out.map((job) => (emulatorJob(job.json.id).upload as Buffer).toString());
			for (const upload of uploads) {
				expect(upload.startsWith('Name,Description\n')).toBe(true);
				expect(Buffer.byteLength(upload)).toBeLessThanOrEqual(0.004 * 1024 * 1024);
			}
			// The parts put together give the file back (without its BOM), byte for byte.
			expect(uploads.map((u, k) => (k === 0 ? u : u.slice('Name,Description\n'.length))).join('')).toBe(body);
		} finally {
			await admin(s.emulator, 'config', { holdJobs: false });
		}
	});

	it('a binary CSV of several read chunks without quotes, split without waiting: cut at row ends only where a job ends', async () => {
		// ~4 MB in 1 MiB reads: whole chunks go on to a job without a search for each row end (the check counts the rows).
		const rows = Array.from({ length: 40000 }, (_, i) => `LR Plain ${i},plain value ${i} ${'x'.repeat(i % 120)}`);
		const body = `Name,Description\r\n${rows.join('\r\n')}\r\n`;
		const data = await s.harness.prepareBinary(Buffer.from(body), 'plain.csv', 'text/csv');
		await admin(s.emulator, 'config', { holdJobs: true });
		try {
			const out = await load({ inputDataType: 'binary', options: { waitForCompletion: false, splitSize: 0.7 } }, [{ json: {}, binary: { data } }]);
			expect(out.length).toBe(Math.ceil(Buffer.byteLength(body) / (0.7 * 1024 * 1024)));
			const uploads = out.map((job) => (emulatorJob(job.json.id).upload as Buffer).toString());
			uploads.forEach((upload, k) => {
				expect(upload.startsWith('Name,Description\r\n')).toBe(true);
				expect(upload.endsWith('\r\n')).toBe(true);
				expect(Buffer.byteLength(upload)).toBeLessThanOrEqual(0.7 * 1024 * 1024);
				expect(out[k].json.uploadedRows).toBe(upload.split('\r\n').length - 2);
			});
			expect(uploads.map((u, k) => (k === 0 ? u : u.slice('Name,Description\r\n'.length))).join('')).toBe(body);
		} finally {
			await admin(s.emulator, 'config', { holdJobs: false });
		}
	});

	describe('a binary file is checked while it is sent: one read of the file', () => {
		const fileOf = async (rows: string[]) => await s.harness.prepareBinary(Buffer.from(`Name,Description\n${rows.join('\n')}\n`), 'parts.csv', 'text/csv');
		const opens = () => jest.spyOn(BinaryDataService.prototype, 'getAsStream');
		afterEach(() => jest.restoreAllMocks());

		it('a file of several parts is opened once, and each job gets its rows', async () => {
			const rows = Array.from({ length: 300 }, (_, i) => `LR Once ${i},"one pass ${i}"`);
			const data = await fileOf(rows);
			const spy = opens();
			const out = await load({ inputDataType: 'binary', options: { splitSize: 0.002 } }, [{ json: {}, binary: { data } }]);
			const jobIds = new Set(json(out).map((r) => r.jobId));
			expect(jobIds.size).toBeGreaterThan(3);
			expect(spy).toHaveBeenCalledTimes(1); // two passes (check, then send) opened it once more per part
			expect(json(out).map((r) => [r.status, (r.record as IDataObject).Name])).toEqual(rows.map((_, i) => ['created', `LR Once ${i}`]));
		});

		it('an upload that drops part-way is sent again whole: what was sent is read again from the store', async () => {
			const rows = Array.from({ length: 300 }, (_, i) => `LR Drop ${i},"dropped ${i}"`);
			const data = await fileOf(rows);
			s.emulator.faults.add({ kind: 'reset', beforeResponse: true, method: 'PUT', path: '/batches', skip: 1, count: 1 });
			const spy = opens();
			const out = await load({ inputDataType: 'binary', options: { splitSize: 0.002 } }, [{ json: {}, binary: { data } }]);
			expect(spy.mock.calls.length).toBeGreaterThan(1);
			expect(json(out).map((r) => [r.status, (r.record as IDataObject).Name])).toEqual(rows.map((_, i) => ['created', `LR Drop ${i}`]));
			expect(accounts().filter((a) => String(a.Name).startsWith('LR Drop '))).toHaveLength(300);
		});

		it('bad data in a later part stops its upload part-way; every job of the load is aborted', async () => {
			const rows = Array.from({ length: 300 }, (_, i) => (i === 250 ? `LR Bad ${i},"x",extra` : `LR Bad ${i},"fine ${i}"`));
			const data = await fileOf(rows);
			const error = (await load({ inputDataType: 'binary', options: { splitSize: 0.002 } }, [{ json: {}, binary: { data } }]).catch((e: Error & { context: IDataObject }) => e)) as Error & {
				context: IDataObject;
			};
			const ids = error.context.jobIds as string[];
			expect(ids.length).toBeGreaterThan(2);
			expect(error.message).toMatch(/^The CSV is not valid: Expected 2 columns but found 3 \(line \d+, record \d+\) \(counting from data row \d+, where this job's part starts\) \(aborted jobs? /);
			for (const id of ids) expect(emulatorJob(id)?.state).toBe('Aborted');
			expect(accounts().filter((a) => String(a.Name).startsWith('LR Bad '))).toHaveLength(0);
		});
	});

	it('250,000 items split across 3 jobs', async () => {
		const records = Array.from({ length: 250000 }, (_, i) => ({ Name: `LR Big ${i}`, AccountNumber: String(i % 1000), Active__c: i % 2 === 0 }));
		const out = await load({ options: { maxRowsPerJob: 100000 } }, items(records));
		expect(out).toHaveLength(250000);
		expect(new Set(json(out).map((r) => r.jobId)).size).toBe(3);
		expect(out[249999]).toMatchObject({ json: { status: 'created', record: { Name: 'LR Big 249999', AccountNumber: '999', Active__c: 'false' } }, pairedItem: { item: 249999 } });
		expect(out.every((o) => o.json.success === true)).toBe(true);
	}, 120000);
});

describe('Jobs left running, failed and aborted', () => {
	it('Wait for Completion off: one item per job, paired to the items it carries', async () => {
		const out = await load({ options: { waitForCompletion: false, maxRowsPerJob: 2 } }, items([{ Name: 'LR NoWait 1' }, { Name: 'LR NoWait 2' }, { Name: 'LR NoWait 3' }]));
		expect(out).toHaveLength(2);
		expect(out[0]).toMatchObject({ json: { object: 'Account', operation: 'insert', state: 'UploadComplete', uploadedRows: 2 }, pairedItem: [{ item: 0 }, { item: 1 }] });
		expect(out[1]).toMatchObject({ json: { uploadedRows: 1 }, pairedItem: [{ item: 2 }] });
		expect(String(out[0].json.id)).toMatch(/^750/);
	});

	it('a job that fails part-way: processed rows have their outcome, the rest are unprocessed', async () => {
		s.emulator.faults.failJobs({ message: 'InvalidBatch : Simulated failure', afterRows: 2, object: 'Lead' });
		const out = await load({ object: 'Lead' }, items(['A', 'B', 'C', 'D'].map((n) => ({ LastName: `LR Lead ${n}`, Company: 'X' }))));
		expect(json(out).map((r) => [r.status, r.error])).toEqual([
			['created', null],
			['created', null],
			['unprocessed', 'InvalidBatch : Simulated failure'],
			['unprocessed', 'InvalidBatch : Simulated failure'],
		]);
		expect(s.harness.lastHints[0].message).toBe(`Job ${out[0].json.jobId} ended Failed (InvalidBatch : Simulated failure): Salesforce had processed 2 rows (0 failed); 2 rows were not processed (status "unprocessed" in their items)`);
	});

	it('an upload refused with a 4xx aborts the job and names it; Continue On Fail gives one error item per input item', async () => {
		s.emulator.faults.add({ status: 400, method: 'PUT', path: '/batches', errorCode: 'INVALIDJOB', message: 'InvalidJob : Simulated refusal' });
		const error = (await load({}, items([{ Name: 'LR Abort' }])).catch((e: Error & { context: IDataObject }) => e)) as Error & { context: IDataObject };
		expect(error.message).toMatch(/^Salesforce refused the job: InvalidJob : Simulated refusal \(aborted job 750\w+\)$/);
		const [jobId] = error.context.jobIds as string[];
		expect(emulatorJob(jobId)?.state).toBe('Aborted');

		s.emulator.faults.add({ status: 400, method: 'PUT', path: '/batches' });
		const out = await load({}, items([{ Name: 'LR Abort 1' }, { Name: 'LR Abort 2' }]), true);
		expect(out).toHaveLength(2);
		expect(paired(out)).toEqual([0, 1]);
		expect(out[1].json).toMatchObject({ statusCode: 400, jobIds: [expect.stringMatching(/^750/)] });
		expect(String(out[1].json.error)).toContain('aborted job');
	});

	it('Abort Job on Failure off leaves the job open', async () => {
		s.emulator.faults.add({ status: 400, method: 'PUT', path: '/batches' });
		const error = (await load({ options: { abortOnFailure: false } }, items([{ Name: 'LR Keep' }])).catch((e: Error & { context: IDataObject }) => e)) as Error & { context: IDataObject };
		expect(error.message).toContain('left as it is (Abort Job on Failure is off)');
		expect(emulatorJob((error.context.jobIds as string[])[0])?.state).toBe('Open');
	});

	it('bad data in a later part aborts every job of the load', async () => {
		const csv = 'Name\nLR Part 1\nLR Part 2\nLR Part 3,extra\n';
		const error = (await load({ inputDataType: 'csv', csvData: csv, options: { maxRowsPerJob: 1 } }, items([{}])).catch((e: Error & { context: IDataObject }) => e)) as Error & { context: IDataObject };
		const ids = error.context.jobIds as string[];
		expect(ids).toHaveLength(2);
		expect(error.message).toBe(
			`The CSV is not valid: Expected 1 columns but found 2 (line 2, record 2) (counting from data row 3, where this job's part starts) (aborted job ${ids.join(', ')})`,
		);
		for (const id of ids) expect(emulatorJob(id)?.state).toBe('Aborted');
	});

	it('a timeout names the jobs and leaves them running', async () => {
		await admin(s.emulator, 'config', { holdJobs: true });
		try {
			const error = (await load({ options: { timeout: 1 } }, items([{ Name: 'LR Slow' }])).catch((e: Error & { context: IDataObject }) => e)) as Error & { context: IDataObject };
			expect(error.message).toMatch(/^Timed out after 1 s waiting for ingest job 750\w+; its state is InProgress \(the data is uploaded/);
			const [id] = error.context.jobIds as string[];
			expect(emulatorJob(id)?.state).toBe('InProgress');
			s.emulator.jobs.finish(id);
		} finally {
			await admin(s.emulator, 'config', { holdJobs: false });
		}
	});
});

describe('Bad input is refused before anything is sent', () => {
	const refused = async (parameters: IDataObject, input: INodeExecutionData[], message: RegExp | string) => {
		const before = jobsCreated();
		await expect(load(parameters, input)).rejects.toThrow(message);
		expect(jobsCreated()).toBe(before);
	};

	it('an item with a list value names the item and field', async () => {
		await refused({}, items([{ Name: 'ok' }, { Name: 'LR Bad', Tags: ['a', 'b'] }]), 'Item 1: field "Tags" is a list');
		const error = await load({}, items([{ Name: 'ok' }, { Name: 'x', Tags: [] }])).catch((e: { context: IDataObject }) => e);
		expect((error as { context: IDataObject }).context.itemIndex).toBe(1);
	});

	it('no fields, empty CSV, CSV without rows, ragged CSV, missing binary field, Split Size out of range', async () => {
		await refused({}, items([{}, {}]), 'The input items have no fields to send');
		await refused({ fieldsToSend: 'selected', fieldsToInclude: { field: [{ name: 'Name' }, { name: 'Name' }] } }, items([{ Name: 'x' }]), 'Fields to Include: "Name" is listed twice');
		await refused({ inputDataType: 'csv', csvData: ' ' }, items([{}]), 'Text is empty');
		await refused({ inputDataType: 'csv', csvData: 'Name\n' }, items([{}]), 'The CSV has no data rows');
		await refused({ inputDataType: 'csv', csvData: 'Name,Phone\nA,1,2\n' }, items([{}]), /The CSV is not valid: Expected 2 columns but found 3/);
		await refused({ inputDataType: 'csv', csvData: 'Name\r\nA\r\n', options: { lineEnding: 'LF' } }, items([{}]), "The CSV's lines end with CRLF, but the Line Ending option says LF");
		await refused({ inputDataType: 'binary', binaryPropertyName: 'nope' }, items([{}]), /nope/);
		await refused({ options: { splitSize: 200 } }, items([{ Name: 'x' }]), 'Split Size must be more than 0 and at most 100');
	});

	it('Continue On Fail with items: an error item for the bad item, the others load (as in Classic)', async () => {
		const out = await load({}, items([{ Name: 'LR Cof Item A' }, { Name: 'LR Cof Bad', Tags: ['a'] }, { Name: 'LR Cof Item C' }]), true);
		expect(paired(out)).toEqual([0, 1, 2]);
		expect(out[1].json).toMatchObject({ error: 'Item 1: field "Tags" is a list; Salesforce fields take one value (join it into a string first)', jobIds: [] });
		expect([out[0].json, out[2].json]).toEqual([
			expect.objectContaining({ status: 'created', record: { Name: 'LR Cof Item A' } }),
			expect.objectContaining({ status: 'created', record: { Name: 'LR Cof Item C' } }),
		]);
		expect(accounts().filter((a) => String(a.Name).startsWith('LR Cof '))).toHaveLength(2);
	});

	it('Continue On Fail with CSV input: an error item for the bad item, results for the good one', async () => {
		const out = await load({ inputDataType: 'csv', csvData: '={{ $json.csv }}' }, items([{ csv: '' }, { csv: 'Name\nLR Cof\n' }]), true);
		expect(paired(out)).toEqual([0, 1]);
		expect(out[0].json).toMatchObject({ error: 'Text is empty: give a CSV with a header row and at least one row', jobIds: [] });
		expect(out[1].json).toMatchObject({ status: 'created', record: { Name: 'LR Cof' } });
	});
});
