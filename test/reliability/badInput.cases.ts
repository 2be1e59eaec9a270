// Bad input, each through the nodes: a clear error naming the item and the parameter, and nothing
// half-done (no job created for the bad item, or the jobs it created aborted).
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	accountFor,
	byId,
	classic,
	config,
	failure,
	finishedJob,
	hits,
	items,
	jobIdsNow,
	jobsSince,
	jobStore,
	nothingHalfDone,
	orgRows,
	record,
	run,
	shown,
	suite,
	v2,
	type NodeError,
} from './context';

// adm-zip ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AdmZip = require('adm-zip') as new () => { addFile(name: string, data: Buffer): void; toBuffer(): Buffer };

const AREA = 'Bad input';
const LOAD = { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert' };
const CSV_LOAD = { ...LOAD, inputDataType: 'csv', csvData: '={{ $json.csv }}' };
const BINARY_LOAD = { ...LOAD, inputDataType: 'binary', binaryPropertyName: 'file' };

const file = async (bytes: Buffer | string, name: string, mime = 'text/csv') => await suite.harness.prepareBinary(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes), name, mime);

/**
 * Runs a node on two input items, the second one bad, and checks the error: it names item 1 (n8n's
 * itemIndex) and the parameter (in the message or its description). For CSV loads (one load per item)
 * item 0's load completes; nothing is left for item 1 but aborted jobs. Returns the error.
 */
async function refused(node: typeof v2 | typeof classic, parameters: IDataObject, input: INodeExecutionData[], parameter: string | RegExp, goodJobs = 0): Promise<NodeError & { data: string }> {
	const before = jobIdsNow();
	const error = await failure(node, parameters, input);
	expect(error.context.itemIndex).toBe(1);
	if (typeof parameter === 'string') expect(shown(error)).toContain(parameter);
	else expect(shown(error)).toMatch(parameter);
	const created = jobsSince(before);
	const good = created.filter((j) => j.state !== 'Aborted');
	expect(good).toHaveLength(goodJobs);
	for (const job of good) expect(['JobComplete', 'Closed']).toContain(job.state);
	const aborted = created.length - good.length;
	const data = goodJobs
		? `item 0 loaded in ${goodJobs} job; for item 1 ${aborted ? `${aborted} job(s) created and aborted` : 'no job created'}`
		: aborted
			? `${aborted} job(s) created, all aborted`
			: 'no job created';
	return Object.assign(error, { data });
}

const names = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const csvOf = (rows: string[]) => `Name\n${rows.join('\n')}\n`;

export function badInputCases(): void {
	describe('malformed CSV', () => {
		it('an unclosed quote (Load Records, Text)', async () => {
			const error = await refused(v2, CSV_LOAD, items([{ csv: csvOf(['R-bad-quote-ok']) }, { csv: 'Name,Phone\nR-bad-quote,555\n"R-bad-quote-2,556\n' }]), 'Text of item 1', 1);
			expect(error.message).toMatch(/Unclosed quote/i);
			record(AREA, 'malformed CSV: unclosed quote (V2 Load Records, Text of item 1)', `refused: "${shown(error)}"`, error.data);
		});

		it('ragged rows (Load Records, binary file)', async () => {
			const input = [
				{ json: {}, binary: { file: await file(csvOf(['R-ragged-ok']), 'good.csv') } },
				{ json: {}, binary: { file: await file('Name,Phone\nR-ragged,555\nR-ragged-2,556,extra\n', 'ragged.csv') } },
			];
			const error = await refused(v2, BINARY_LOAD, input, /Input Binary Field|binary field "file"/, 1);
			expect(error.message).toMatch(/Expected 2 columns but found 3 \(line 3/);
			record(AREA, 'malformed CSV: a ragged row (V2 Load Records, binary file of item 1)', `refused: "${shown(error)}"`, error.data);
		});

		it('ragged rows split across jobs: the jobs already created for the item are aborted', async () => {
			const rows = [...names('R-ragged-split-', 5), 'R-ragged-split-x,extra'];
			const error = await refused(v2, { ...CSV_LOAD, options: { maxRowsPerJob: 2 } }, items([{ csv: csvOf(['R-ragged-split-ok']) }, { csv: csvOf(rows) }]), 'Text of item 1', 1);
			expect(error.message).toMatch(/Expected 1 columns but found 2/);
			expect(error.message).toMatch(/\(aborted job 750\w+, 750\w+\)$/);
			expect(orgRows('Account', 'R-ragged-split-').map((r) => r.Name)).toEqual(['R-ragged-split-ok']);
			record(AREA, 'malformed CSV: a ragged row in the third job of a split load', `refused: "${shown(error)}"`, `${error.data}; org has only item 0's row`);
		});

		it('a ragged row in a Classic batch (Batch → Add, Text)', async () => {
			const [job] = await run(classic, { resource: 'job', operation: 'create', object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
			const jobId = byId(String(job.json.id));
			const error = await refused(classic, { resource: 'batch', operation: 'add', jobId, inputDataType: 'text', data: '={{ $json.csv }}' }, items([{ csv: csvOf(['R-v1-ragged-ok']) }, { csv: 'Name\nR-v1-ragged,extra\n' }]), 'Text of item 1');
			const batches = jobStore().get(String(job.json.id))?.batches ?? [];
			expect(batches).toHaveLength(1); // item 0's batch only
			record(AREA, 'malformed CSV: a ragged row (Classic Batch → Add, Text of item 1)', `refused: "${shown(error)}"`, `1 batch (item 0's) in the job; none for item 1`);
		});
	});

	describe('encoding and format', () => {
		it('a BOM is dropped (Load Records, binary file): the first header is read as "Name"', async () => {
			const prefix = 'R-bom-';
			const out = await run(v2, BINARY_LOAD, [{ json: {}, binary: { file: await file(`\ufeff${csvOf(names(prefix, 5))}`, 'bom.csv') } }]);
			expect(out.map((o) => Object.keys(o.json.record as IDataObject))).toEqual(Array(5).fill(['Name']));
			record(AREA, 'a leading BOM (V2 Load Records, binary file)', 'BOM dropped before upload; the header reads "Name"; loaded', accountFor(out, 5, 'Account', prefix));
		});

		it('a BOM is dropped by Upload Data too', async () => {
			const [job] = await run(v2, { resource: 'ingestJob', operation: 'create', object: 'Account', ingestOperation: 'insert' });
			const id = String(job.json.id);
			await run(v2, { resource: 'ingestJob', operation: 'uploadData', jobId: byId(id), inputDataType: 'binary' }, [{ json: {}, binary: { data: await file(`\ufeff${csvOf(['R-bom-upload'])}`, 'bom.csv') } }]);
			await run(v2, { resource: 'ingestJob', operation: 'close', jobId: byId(id) });
			const done = await finishedJob(id);
			expect(done).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1 });
			expect(orgRows('Account', 'R-bom-upload')).toHaveLength(1);
			record(AREA, 'a leading BOM (V2 Upload Data, binary file)', 'BOM dropped from the stream; the job completed', '1 of 1 rows in the org');
		});

		it('the wrong line ending for the job (Upload Data) is refused before the upload', async () => {
			const create = async () => String((await run(v2, { resource: 'ingestJob', operation: 'create', object: 'Account', ingestOperation: 'insert' }))[0].json.id);
			const [good, bad] = [await create(), await create()];
			const input = items([{ id: good, csv: 'Name\nR-lf\n' }, { id: bad, csv: 'Name\r\nR-crlf\r\n' }]);
			const error = await refused(v2, { resource: 'ingestJob', operation: 'uploadData', jobId: byId('={{ $json.id }}'), inputDataType: 'csv', csvData: '={{ $json.csv }}' }, input, 'Text of item 1');
			expect(error.message).toBe(`The CSV's lines end with CRLF, but job ${bad} expects LF`);
			expect(jobStore().get(bad)).toMatchObject({ state: 'Open' });
			expect((jobStore().get(bad) as IDataObject).upload).toBeUndefined();
			record(AREA, 'the wrong line ending for the job (V2 Upload Data: CRLF data in item 1, LF job)', `refused: "${shown(error)}"`, "item 0's job got its data; item 1's job is still Open and empty");
		});

		it('the wrong line ending for the Line Ending option (Load Records)', async () => {
			const error = await refused(v2, { ...CSV_LOAD, options: { lineEnding: 'LF' } }, items([{ csv: 'Name\nR-le-ok\n' }, { csv: 'Name\r\nR-le\r\n' }]), 'Text of item 1', 1);
			expect(error.message).toBe("The CSV's lines end with CRLF, but the Line Ending option says LF");
			record(AREA, 'the wrong line ending for the Line Ending option (V2 Load Records)', `refused: "${shown(error)}"`, error.data);
		});

		it('a non-CSV file (Load Records, a PNG image)', async () => {
			const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), Buffer.from('IHDR\n\u0000\u0001,x\n')]);
			const input = [
				{ json: {}, binary: { file: await file(csvOf(['R-png-ok']), 'good.csv') } },
				{ json: {}, binary: { file: await file(png, 'logo.png', 'image/png') } },
			];
			const error = await refused(v2, BINARY_LOAD, input, /binary field "file"/, 1);
			expect(error.message).toMatch(/is not a CSV file/);
			record(AREA, 'a non-CSV file (V2 Load Records, a PNG in the binary field of item 1)', `refused: "${shown(error)}"`, error.data);
		});

		it('non-UTF-8 text (Load Records, a Latin-1 file)', async () => {
			const latin1 = Buffer.from('Name,Description\nR-latin1,Caf\xe9 cr\xe8me\n', 'latin1');
			const input = [
				{ json: {}, binary: { file: await file(csvOf(['R-latin1-ok']), 'good.csv') } },
				{ json: {}, binary: { file: await file(latin1, 'latin1.csv') } },
			];
			const error = await refused(v2, BINARY_LOAD, input, /binary field "file"/, 1);
			expect(error.message).toMatch(/not UTF-8/);
			expect(orgRows('Account', 'R-latin1').map((r) => r.Name)).toEqual(['R-latin1-ok']);
			record(AREA, 'non-UTF-8 text (V2 Load Records, a Latin-1 CSV file in item 1)', `refused: "${shown(error)}"`, `${error.data}; no mangled "Caf\uFFFD" row in the org`);
		});
	});

	describe('fields', () => {
		it('unknown field names: Salesforce fails the job before any row; every row comes back unprocessed with the reason', async () => {
			const prefix = 'R-unknown-field-';
			const out = await run(v2, LOAD, items(names(prefix, 3).map((Name) => ({ Name, Nope__c: 'x' }))));
			expect(out.map((o) => [o.json.status, o.json.error])).toEqual(Array(3).fill(['unprocessed', 'InvalidBatch : Field name not found : Nope__c']));
			const hint = suite.harness.lastHints[0]?.message;
			expect(hint).toMatch(/^Job 750\w+ ended Failed \(InvalidBatch : Field name not found : Nope__c\): Salesforce had processed 0 rows \(0 failed\); 3 rows were not processed \(status "unprocessed" in their items\)$/);
			record(AREA, 'unknown field names (V2 Load Records, field Nope__c)', `job failed by Salesforce before any row: warning "${hint}"; each item: status "unprocessed", error "${out[0].json.error}"`, accountFor(out, 3, 'Account', prefix));
		});

		it('a delimiter in unquoted CSV data is a ragged row, refused', async () => {
			const error = await refused(v2, CSV_LOAD, items([{ csv: csvOf(['R-delim-ok']) }, { csv: 'Name,Description\nR-delim,big, small\n' }]), 'Text of item 1', 1);
			expect(error.message).toMatch(/Expected 2 columns but found 3 \(line 2/);
			record(AREA, 'a delimiter in unquoted data (V2 Load Records, "big, small" in a COMMA CSV)', `refused: "${shown(error)}"`, error.data);
		});

		it('delimiters, quotes and line breaks in item values are quoted and arrive intact', async () => {
			const prefix = 'R-delim-items-';
			const values = ['a,b', 'say "hi"', 'line 1\nline 2', 'semi;colon|pipe\ttab'];
			const out = await run(v2, { ...LOAD, options: { columnDelimiter: 'SEMICOLON' } }, items(values.map((Description, i) => ({ Name: `${prefix}${i}`, Description }))));
			expect(orgRows('Account', prefix).map((r) => r.Description)).toEqual(values);
			record(AREA, 'delimiters, quotes and newlines inside item values (V2 Load Records, SEMICOLON)', 'quoted when written; loaded', `${accountFor(out, values.length, 'Account', prefix)}; values identical in the org`);
		});

		it('a 200,000-character field is refused before anything is sent (items)', async () => {
			const input = items([{ Name: 'R-long-ok' }, { Name: 'R-long', Description: 'x'.repeat(200_000) }]);
			const error = await refused(v2, LOAD, input, 'Description');
			expect(error.message).toBe('Item 1: field "Description" holds 200000 characters; Salesforce takes at most 131072 in one field');
			record(AREA, 'a 200,000-character field (V2 Load Records, item 1 field Description)', `refused: "${shown(error)}"`, error.data);
		});

		it('a 200,000-character field is refused before anything is sent (CSV)', async () => {
			const error = await refused(v2, CSV_LOAD, items([{ csv: csvOf(['R-long-csv-ok']) }, { csv: `Name,Description\nR-long-csv,"${'y'.repeat(200_000)}"\n` }]), 'Text of item 1', 1);
			expect(error.message).toMatch(/^Row 1, column "Description" holds 200000 characters; Salesforce takes at most 131072 in one field/);
			record(AREA, 'a 200,000-character field (V2 Load Records, Text of item 1)', `refused: "${shown(error)}"`, error.data);
		});
	});

	describe('missing and empty input', () => {
		it('empty Text, a CSV without rows, items without fields', async () => {
			const empty = await refused(v2, CSV_LOAD, items([{ csv: csvOf(['R-empty-ok']) }, { csv: '   ' }]), 'Text is empty', 1);
			expect(empty.message).toBe('Text is empty: give a CSV with a header row and at least one row');
			const header = await refused(v2, CSV_LOAD, items([{ csv: csvOf(['R-empty-ok2']) }, { csv: 'Name\n' }]), 'Text of item 1', 1);
			expect(header.message).toMatch(/^The CSV has no data rows/);
			const before = jobIdsNow();
			const fields = await failure(v2, LOAD, items([{}, {}]));
			expect(fields.message).toBe('The input items have no fields to send');
			const nothing = nothingHalfDone(before);
			const emptyFile = await refused(v2, BINARY_LOAD, [{ json: {}, binary: { file: await file(csvOf(['R-empty-ok3']), 'ok.csv') } }, { json: {}, binary: { file: await file(Buffer.alloc(0), 'empty.csv') } }], /binary field "file"/, 1);
			record(AREA, 'empty input (V2 Load Records)', `Text "   ": "${shown(empty)}"; header only: "${header.message}"; items without fields: "${fields.message}"; a 0-byte file: "${shown(emptyFile)}"`, `${empty.data}; items: ${nothing}`);
		});

		it('a binary property that does not exist (Load Records, Classic Batch → Add)', async () => {
			const good = { json: {}, binary: { file: await file(csvOf(['R-nobinary-ok']), 'ok.csv') } };
			const load = await refused(v2, BINARY_LOAD, [good, { json: {} }], /binary file 'file', but none was found \[item 1\]/, 1);
			const [job] = await run(classic, { resource: 'job', operation: 'create', object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
			const batch = await refused(classic, { resource: 'batch', operation: 'add', jobId: byId(String(job.json.id)), inputDataType: 'binary', binaryPropertyName: 'file' }, [good, { json: {} }], /binary file 'file', but none was found \[item 1\]/);
			record(AREA, 'a binary property that does not exist (V2 Load Records; Classic Batch → Add)', `refused: "${shown(load)}"; Classic: "${shown(batch)}"`, `${load.data}; Classic: item 0's batch only`);
		});
	});

	describe('jobs', () => {
		it('an invalid job ID never leaves n8n (and cannot point a request elsewhere)', async () => {
			const route = hits;
			const before = route('DELETE /services/data/v63.0/sobjects') + route('GET /services/data/v63.0/sobjects');
			const [job] = await run(v2, { resource: 'ingestJob', operation: 'create', object: 'Account', ingestOperation: 'insert' });
			const input = items([{ id: job.json.id as string }, { id: '../../sobjects' }]);
			const error = await refused(v2, { resource: 'ingestJob', operation: 'get', jobId: byId('={{ $json.id }}') }, input, 'Job');
			expect(error.message).toBe('Job ID "../../sobjects" is not a job ID: a job ID starts with 750 and has 15 or 18 characters');
			expect(route('DELETE /services/data/v63.0/sobjects') + route('GET /services/data/v63.0/sobjects')).toBe(before);
			const unknown = await failure(v2, { resource: 'ingestJob', operation: 'get', jobId: byId('7505e00000ZZZZZAAA') });
			// Looked up in the other APIs too (jobKind.ts), so the node can say it is no job of any kind.
			expect(unknown.message).toBe('Job 7505e00000ZZZZZAAA does not exist (any more): it was deleted, or it finished more than 7 days ago');
			const v1 = await failure(classic, { resource: 'job', operation: 'get', jobId: byId('abc') });
			expect(v1.message).toBe('Job ID "abc" is not a job ID: a job ID starts with 750 and has 15 or 18 characters');
			record(AREA, 'an invalid job ID (V2 Get with "../../sobjects" in item 1; Classic Get with "abc"; V2 Get of an unknown ID)', `refused before any request: "${shown(error)}"; unknown ID: "${unknown.message}"`, 'no request sent for the malformed IDs (none reached /sobjects)');
		});

		it('a job in the wrong state for the operation', async () => {
			const [job] = await run(v2, { resource: 'ingestJob', operation: 'create', object: 'Account', ingestOperation: 'insert' });
			const id = String(job.json.id);
			await run(v2, { resource: 'ingestJob', operation: 'abort', jobId: byId(id) });
			const close = await failure(v2, { resource: 'ingestJob', operation: 'close', jobId: byId(id) });
			expect(close.message).toBe(`Salesforce refused the job: InvalidJob : Invalid state transition from Aborted to UploadComplete for job ${id}`);
			const upload = await failure(v2, { resource: 'ingestJob', operation: 'uploadData', jobId: byId(id), inputDataType: 'csv', csvData: 'Name\nR-late\n' });
			expect(upload.message).toBe(`Job ${id} is Aborted: data can be uploaded only while a job is Open`);
			await config({ holdJobs: true });
			const [query] = await run(v2, { resource: 'queryJob', operation: 'create', query: 'SELECT Id FROM Account' });
			const results = await failure(v2, { resource: 'queryJob', operation: 'getResults', jobId: byId(String(query.json.id)), pages: 'one' });
			await config({ holdJobs: false });
			expect(results.message).toBe(`Job ${query.json.id} has not finished yet, so its results are not available`);
			const [v1job] = await run(classic, { resource: 'job', operation: 'create', object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
			await run(classic, { resource: 'job', operation: 'update', jobId: byId(String(v1job.json.id)), state: 'Closed' });
			const batch = await failure(classic, { resource: 'batch', operation: 'add', jobId: byId(String(v1job.json.id)), inputDataType: 'text', data: 'Name\nR-late\n' });
			expect(batch.message).toBe(`Job ${v1job.json.id} is not in a state that allows this: Job ${v1job.json.id} is not open: its state is Closed`);
			expect(orgRows('Account', 'R-late')).toEqual([]);
			record(AREA, 'a job in the wrong state (V2 Close and Upload Data of an aborted job; V2 Get Results of a running query job; Classic Batch → Add to a closed job)', `Close: "${close.message}"; Upload Data: "${upload.message}"; Get Results: "${results.message}"; Classic: "${batch.message}"`, 'nothing uploaded or loaded');
		});
	});

	describe('attachments', () => {
		it('a zip over the attachment limits is refused before it is sent', async () => {
			const [job] = await run(classic, { resource: 'attachment', operation: 'createJob', object: 'Attachment', jobOperation: 'insert', contentType: 'ZIP_CSV' });
			const jobId = byId(String(job.json.id));
			const small = new AdmZip();
			small.addFile('request.txt', Buffer.from('Name,ParentId,Body\n'));
			const big = new AdmZip();
			big.addFile('request.txt', Buffer.from('Name,ParentId,Body\nbig.bin,001000000000001AAA,#big.bin\n'));
			big.addFile('big.bin', Buffer.alloc(21 * 1024 * 1024)); // compresses to a few KB: 21 MB unzipped
			const many = new AdmZip();
			many.addFile('request.txt', Buffer.from('Name\n'));
			for (let k = 0; k < 1001; k++) many.addFile(`f${k}.txt`, Buffer.from('x'));
			const huge = Buffer.concat([small.toBuffer(), Buffer.alloc(10_500_000)]);
			const zips = { unzipped: big.toBuffer(), files: many.toBuffer(), size: huge };
			const messages: string[] = [];
			for (const [what, zip] of Object.entries(zips)) {
				const input = [{ json: {}, binary: { data: await file(small.toBuffer(), 'ok.zip', 'application/zip') } }, { json: {}, binary: { data: await file(zip, `${what}.zip`, 'application/zip') } }];
				const error = await refused(classic, { resource: 'attachment', operation: 'uploadBatch', jobId, attachmentSource: 'zip' }, input, /binary field "data"|Input Binary Field/);
				messages.push(error.message);
			}
			expect(messages[0]).toMatch(/holds 220201\d\d bytes unzipped; one attachment batch holds at most 20000000 unzipped/);
			expect(messages[1]).toMatch(/1002 files.*at most 1000/);
			expect(messages[2]).toMatch(/10500\d\d\d bytes.*at most 10000000/);
			expect(jobStore().get(String(job.json.id))?.batches).toHaveLength(3); // item 0's three small zips only
			record(AREA, 'a zip over the attachment limits (Classic Upload Attachment Batch, ready zip in item 1: 21 MB unzipped, 1,002 files, 10.5 MB)', `refused: "${messages.join('"; "')}"`, "only item 0's zips sent (3 batches); none over the limits");
		});

		it('a file too big for any attachment batch (built from items)', async () => {
			const [job] = await run(classic, { resource: 'attachment', operation: 'createJob', object: 'Attachment', jobOperation: 'insert', contentType: 'ZIP_JSON' });
			const parent = suite.emulator.org.insertSystem('Account', { Name: 'R-attachment-parent' });
			const input = [
				{ json: { ParentId: parent.Id }, binary: { data: await file('small', 'small.txt', 'text/plain') } },
				{ json: { ParentId: parent.Id }, binary: { data: await file(Buffer.alloc(10_500_000), 'huge.bin', 'application/octet-stream') } },
			];
			const error = await refused(classic, { resource: 'attachment', operation: 'uploadBatch', jobId: byId(String(job.json.id)) }, input, /huge\.bin/);
			expect(error.message).toBe('The file "huge.bin" of item 1 is 10500000 bytes; one attachment batch holds at most 10000000 bytes');
			expect(jobStore().get(String(job.json.id))?.batches ?? []).toHaveLength(0);
			record(AREA, 'a file over the attachment limits (Classic Upload Attachment Batch from items, 10.5 MB file in item 1)', `refused: "${shown(error)}"`, 'no batch sent');
		});
	});

	describe('SOQL the Bulk API rejects', () => {
		it.each([
			['an aggregate', 'SELECT COUNT() FROM Account'],
			['GROUP BY', 'SELECT Industry FROM Account GROUP BY Industry'],
			['an unknown field', 'SELECT Nope__c FROM Account'],
		])('%s (V2 Run Query)', async (what, soql) => {
			const before = jobIdsNow();
			const error = await refused(v2, { resource: 'queryJob', operation: 'runQuery', query: '={{ $json.soql }}' }, items([{ soql: 'SELECT Id FROM Account LIMIT 1' }, { soql }]), 'SOQL query', 1);
			expect(error.message).toMatch(/^Salesforce rejected the SOQL query: /);
			expect(jobsSince(before).filter((j) => j.object !== 'Account' || j.state !== 'JobComplete')).toEqual([]);
			record(AREA, `SOQL the Bulk API rejects: ${what} (V2 Run Query, item 1)`, `refused by Salesforce on create: "${shown(error)}"`, 'no query job created for item 1');
		});

		it('an unknown field (Classic Run Query): the batch fails, the job is closed, the error says why', async () => {
			const before = jobIdsNow();
			const error = await failure(classic, { resource: 'job', operation: 'runQuery', query: 'SELECT Nope__c FROM Account' });
			expect(error.message).toMatch(/^Batch 751\w+ of query job 750\w+ failed: InvalidBatch : Failed to process query: INVALID_FIELD/);
			expect(jobsSince(before).map((j) => j.state)).toEqual(['Closed']);
			record(AREA, 'SOQL the Bulk API rejects (Classic Run Query, unknown field)', `error: "${shown(error)}"`, 'the query job is Closed; no rows returned');
		});
	});
}

