'use strict';
const zlib = require('node:zlib');
const { parse } = require('csv-parse/sync');
const { startTestEmulator } = require('../../helpers/emulator');

const V = '/services/data/v63.0';
let emulator;
beforeAll(async () => {
	emulator = await startTestEmulator();
});
afterAll(() => emulator.close());

const csvRows = (text, delimiter = ',') => parse(text, { columns: true, delimiter, relax_column_count: true });

/** Create, upload, close and wait: returns the final job info. */
async function ingest(spec, csv, { contentType = 'text/csv' } = {}) {
	const created = await emulator.call(`${V}/jobs/ingest`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: spec });
	expect(created.status).toBe(200);
	const id = created.json.id;
	const upload = await emulator.call(`${V}/jobs/ingest/${id}/batches`, { method: 'PUT', headers: { 'Content-Type': contentType }, body: csv });
	expect(upload.status).toBe(201);
	expect(upload.text).toBe('');
	const closed = await emulator.call(`${V}/jobs/ingest/${id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: { state: 'UploadComplete' } });
	expect(closed.json.state).toBe('UploadComplete');
	return emulator.waitForJob('ingest', id);
}

const results = async (id, which) => (await emulator.call(`${V}/jobs/ingest/${id}/${which}`)).text;

describe('ingest jobs', () => {
	test('insert: jobs run asynchronously and report per-row successes and failures', async () => {
		const created = await emulator.call(`${V}/jobs/ingest`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { object: 'account', operation: 'insert' } });
		expect(created.json).toMatchObject({ object: 'Account', state: 'Open', contentUrl: `services/data/v63.0/jobs/ingest/${created.json.id}/batches` });
		expect(created.text).toContain('"apiVersion":63.0');
		await emulator.call(`${V}/jobs/ingest/${created.json.id}/batches`, { method: 'PUT', headers: { 'Content-Type': 'text/csv' }, body: 'Name,NumberOfEmployees,Active__c,SLA_Expiration_Date__c\nAcme,10,true,2027-01-31\n"Big, ""Co""",x,false,\n,5,,\n' });
		const closed = await emulator.call(`${V}/jobs/ingest/${created.json.id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: { state: 'UploadComplete' } });
		expect(closed.json.state).toBe('UploadComplete');
		const right = await emulator.call(`${V}/jobs/ingest/${created.json.id}`);
		expect(['UploadComplete', 'InProgress']).toContain(right.json.state);
		const done = await emulator.waitForJob('ingest', created.json.id);
		expect(done).toMatchObject({ state: 'JobComplete', jobType: 'V2Ingest', numberRecordsProcessed: 3, numberRecordsFailed: 2 });
		const ok = await results(created.json.id, 'successfulResults');
		expect(ok.split('\n')[0]).toBe('"sf__Id","sf__Created",Name,NumberOfEmployees,Active__c,SLA_Expiration_Date__c');
		const [row] = csvRows(ok);
		expect(row).toMatchObject({ sf__Created: 'true', Name: 'Acme', NumberOfEmployees: '10' });
		expect(emulator.org.find(row.sf__Id).record).toMatchObject({ Name: 'Acme', NumberOfEmployees: 10, Active__c: true, SLA_Expiration_Date__c: '2027-01-31' });
		const failed = csvRows(await results(created.json.id, 'failedResults'));
		expect(failed).toEqual([
			{ sf__Id: '', sf__Error: "INVALID_FIELD:Failed to deserialize field at col 1. Due to, 'x' is not a valid value for the type xsd:int:--", Name: 'Big, "Co"', NumberOfEmployees: 'x', Active__c: 'false', SLA_Expiration_Date__c: '' },
			{ sf__Id: '', sf__Error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --', Name: '', NumberOfEmployees: '5', Active__c: '', SLA_Expiration_Date__c: '' },
		]);
		expect(await results(created.json.id, 'unprocessedrecords')).toBe('Name,NumberOfEmployees,Active__c,SLA_Expiration_Date__c\n');
	});

	test('upsert by external ID reports created and updated rows; a key repeated in one upload fails', async () => {
		await ingest({ object: 'Account', operation: 'insert' }, 'Name,Legacy_Id__c,Phone\nOld,UP-1,111\n');
		const job = await ingest({ object: 'Account', operation: 'upsert', externalIdFieldName: 'Legacy_Id__c' }, 'Legacy_Id__c,Name\nup-1,Renamed\nUP-2,Brand New\nUP-3,Dup A\nUP-3,Dup B\n');
		expect(job).toMatchObject({ externalIdFieldName: 'Legacy_Id__c', numberRecordsProcessed: 4, numberRecordsFailed: 2 });
		const ok = csvRows(await results(job.id, 'successfulResults'));
		expect(ok.map((r) => [r.Legacy_Id__c, r.sf__Created])).toEqual([['up-1', 'false'], ['UP-2', 'true']]);
		const updated = emulator.org.find(ok[0].sf__Id).record;
		expect(updated).toMatchObject({ Name: 'Renamed', Phone: '111', Legacy_Id__c: 'UP-1' });
		const failed = csvRows(await results(job.id, 'failedResults'));
		expect(failed.map((r) => r.sf__Error)).toEqual(Array(2).fill('DUPLICATE_VALUE:Duplicate external id specified: UP-3:Legacy_Id__c --'));
	});

	test('update: empty leaves a value unchanged, #N/A sets null; delete and hardDelete', async () => {
		const made = await ingest({ object: 'Contact', operation: 'insert' }, 'LastName,Email,Title\nKeep,k@example.com,Boss\nGone,g@example.com,\nPurged,p@example.com,\n');
		const ids = csvRows(await results(made.id, 'successfulResults')).map((r) => r.sf__Id);
		const upd = await ingest({ object: 'Contact', operation: 'update' }, `Id,Email,Title\n${ids[0]},,#N/A\n${ids[0].slice(0, 15)},new@example.com,\n001000000000000AAA,x@example.com,\nnot-an-id,,\n`);
		expect(upd.numberRecordsFailed).toBe(2);
		expect(emulator.org.find(ids[0]).record).toMatchObject({ LastName: 'Keep', Email: 'new@example.com', Title: null });
		const errors = csvRows(await results(upd.id, 'failedResults')).map((r) => r.sf__Error);
		expect(errors).toEqual(['MALFORMED_ID:Contact ID: id value of incorrect type: 001000000000000AAA:Id --', 'MALFORMED_ID:Contact ID: id value of incorrect type: not-an-id:Id --']);
		await ingest({ object: 'Contact', operation: 'delete' }, `Id\n${ids[1]}\n`);
		expect(emulator.org.find(ids[1]).record.IsDeleted).toBe(true);
		await ingest({ object: 'Contact', operation: 'hardDelete' }, `Id\n${ids[2]}\n`);
		expect(emulator.org.find(ids[2])).toBeUndefined();
		const again = await ingest({ object: 'Contact', operation: 'delete' }, `Id\n${ids[1]}\n`);
		expect(csvRows(await results(again.id, 'failedResults'))[0].sf__Error).toBe('ENTITY_IS_DELETED:entity is deleted:--');
	});

	test('parent references by external ID and type checks per field', async () => {
		await ingest({ object: 'Account', operation: 'insert' }, 'Name,Legacy_Id__c\nParent Co,PARENT-1\n');
		const job = await ingest({ object: 'Invoice__c', operation: 'insert' }, 'Name,Account__r.Legacy_Id__c,Amount__c,Paid__c,Issued_At__c,Due_Date__c\nI1,PARENT-1,10.5,true,2026-01-02T03:04:05Z,2026-02-01\nI2,PARENT-1,1,maybe,2026-13-01T00:00:00Z,2026-02-30\nI3,NOPE,1,true,,\n');
		const [ok] = csvRows(await results(job.id, 'successfulResults'));
		const invoice = emulator.org.find(ok.sf__Id).record;
		expect(invoice).toMatchObject({ Amount__c: 10.5, Paid__c: true, Issued_At__c: '2026-01-02T03:04:05.000Z', Due_Date__c: '2026-02-01' });
		expect(emulator.org.find(invoice.Account__c).record.Name).toBe('Parent Co');
		const errors = csvRows(await results(job.id, 'failedResults')).map((r) => r.sf__Error);
		expect(errors).toEqual([
			"INVALID_FIELD:Failed to deserialize field at col 3. Due to, 'maybe' is not a valid value for the type xsd:boolean:--",
			'INVALID_FIELD:Foreign key external ID: NOPE not found for field Legacy_Id__c in entity Account:--',
		]);
	});

	test('an unknown field fails the whole job like Salesforce', async () => {
		const job = await ingest({ object: 'Account', operation: 'insert' }, 'Name,Nope__c\nA,1\n');
		expect(job).toMatchObject({ state: 'Failed', errorMessage: 'InvalidBatch : Field name not found : Nope__c', numberRecordsProcessed: 0 });
		expect(await results(job.id, 'unprocessedrecords')).toBe('Name,Nope__c\nA,1\n');
	});

	test('a BOM spoils the first header and a wrong line ending fails the job', async () => {
		const bom = await ingest({ object: 'Account', operation: 'insert' }, '\uFEFFName\nA\n');
		expect(bom).toMatchObject({ state: 'Failed', errorMessage: 'InvalidBatch : Field name not found : \uFEFFName' });
		const crlf = await ingest({ object: 'Account', operation: 'insert' }, 'Name\r\nA\r\n');
		expect(crlf).toMatchObject({ state: 'Failed', errorMessage: 'ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF' });
	});

	test.each([
		['BACKQUOTE', '`'],
		['CARET', '^'],
		['COMMA', ','],
		['PIPE', '|'],
		['SEMICOLON', ';'],
		['TAB', '\t'],
	])('column delimiter %s with CRLF line endings round-trips', async (columnDelimiter, d) => {
		const job = await ingest({ object: 'Account', operation: 'insert', columnDelimiter, lineEnding: 'CRLF' }, `Name${d}Description\r\n"A${d}1"${d}"two\nlines"\r\n`);
		expect(job).toMatchObject({ state: 'JobComplete', columnDelimiter, lineEnding: 'CRLF', numberRecordsFailed: 0 });
		const text = await results(job.id, 'successfulResults');
		expect(text.endsWith('\r\n')).toBe(true);
		const [row] = parse(text, { columns: true, delimiter: d, record_delimiter: '\r\n' });
		expect(row).toMatchObject({ Name: `A${d}1`, Description: 'two\nlines' });
	});

	test('only one upload per job, and state rules for close, abort and delete', async () => {
		const { json: job } = await emulator.call(`${V}/jobs/ingest`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { object: 'Lead', operation: 'insert' } });
		const put = (body) => emulator.call(`${V}/jobs/ingest/${job.id}/batches`, { method: 'PUT', headers: { 'Content-Type': 'text/csv' }, body });
		expect((await put('LastName,Company\nA,B\n')).status).toBe(201);
		const second = await put('LastName,Company\nC,D\n');
		expect(second.status).toBe(409);
		expect(second.json[0].errorCode).toBe('INVALIDJOB');
		expect(second.json[0].message).toContain('Found multiple contents for job');
		const del = await emulator.call(`${V}/jobs/ingest/${job.id}`, { method: 'DELETE' });
		expect(del.status).toBe(409);
		const aborted = await emulator.call(`${V}/jobs/ingest/${job.id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: { state: 'Aborted' } });
		expect(aborted.json.state).toBe('Aborted');
		const reclose = await emulator.call(`${V}/jobs/ingest/${job.id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: { state: 'UploadComplete' } });
		expect(reclose.status).toBe(409);
		const deleted = await emulator.call(`${V}/jobs/ingest/${job.id}`, { method: 'DELETE' });
		expect(deleted.status).toBe(204);
		expect(deleted.text).toBe('');
		const gone = await emulator.call(`${V}/jobs/ingest/${job.id}`);
		expect(gone).toMatchObject({ status: 404, json: [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }] });
	});

	test('create errors: unknown object, bad operation, upsert without a usable external ID, bad JSON', async () => {
		const create = (body) => emulator.call(`${V}/jobs/ingest`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
		expect((await create({ object: 'Nope', operation: 'insert' })).json).toEqual([{ errorCode: 'INVALIDJOB', message: 'InvalidJob : Unable to find object: Nope' }]);
		expect((await create({ object: 'Account', operation: 'merge' })).json[0].errorCode).toBe('JSON_PARSER_ERROR');
		expect((await create({ object: 'Account', operation: 'upsert' })).json[0].message).toContain('External ID was blank for Account');
		expect((await create({ object: 'Account', operation: 'upsert', externalIdFieldName: 'Phone' })).json[0].message).toContain('does not match an External ID');
		const bad = await create('{not json');
		expect(bad.status).toBe(400);
		expect(bad.json[0].errorCode).toBe('JSON_PARSER_ERROR');
	});

	test('multipart create uploads and closes in one request', async () => {
		const boundary = 'BOUNDARY123';
		const body = [`--${boundary}`, 'Content-Type: application/json', 'Content-Disposition: form-data; name="job"', '', JSON.stringify({ object: 'Case', operation: 'insert' }), `--${boundary}`, 'Content-Type: text/csv', 'Content-Disposition: form-data; name="content"; filename="content"', '', 'Subject\nMultipart case\n', `--${boundary}--`, ''].join('\r\n');
		const res = await emulator.call(`${V}/jobs/ingest`, { method: 'POST', headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` }, body });
		expect(res.json.state).toBe('UploadComplete');
		const job = await emulator.waitForJob('ingest', res.json.id);
		expect(job).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 1 });
		expect([...emulator.org.table('Case').values()].some((c) => c.Subject === 'Multipart case')).toBe(true);
	});

	test('a job the org fails keeps its unprocessed rows', async () => {
		emulator.faults.failJobs({ message: 'InvalidBatch : Simulated failure', afterRows: 2, object: 'Lead' });
		const job = await ingest({ object: 'Lead', operation: 'insert' }, 'LastName,Company\nA,X\nB,X\nC,X\nD,X\n');
		expect(job).toMatchObject({ state: 'Failed', errorMessage: 'InvalidBatch : Simulated failure', numberRecordsProcessed: 2 });
		expect(csvRows(await results(job.id, 'unprocessedrecords')).map((r) => r.LastName)).toEqual(['C', 'D']);
		expect(csvRows(await results(job.id, 'successfulResults'))).toHaveLength(2);
	});

	test('gzip: compressed uploads are read and responses are compressed when asked', async () => {
		const { json: job } = await emulator.call(`${V}/jobs/ingest`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { object: 'Account', operation: 'insert' } });
		const gz = zlib.gzipSync('Name\nZipped\n');
		const put = await emulator.call(`${V}/jobs/ingest/${job.id}/batches`, { method: 'PUT', headers: { 'Content-Type': 'text/csv', 'Content-Encoding': 'gzip' }, body: gz });
		expect(put.status).toBe(201);
		await emulator.call(`${V}/jobs/ingest/${job.id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: { state: 'UploadComplete' } });
		await emulator.waitForJob('ingest', job.id);
		const http = require('node:http');
		const raw = await new Promise((resolve, reject) => {
			const req = http.get(`${emulator.url}${V}/jobs/ingest/${job.id}/successfulResults`, { headers: { Authorization: `Bearer ${emulator.oauth.tokens.keys().next().value}`, 'Accept-Encoding': 'gzip' } }, (res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
			});
			req.on('error', reject);
		});
		expect(raw.headers['content-encoding']).toBe('gzip');
		expect(zlib.gunzipSync(raw.body).toString()).toContain('Zipped');
	});
});

describe('query jobs', () => {
	let complete;
	beforeAll(async () => {
		emulator.org.tables.get('Account').clear();
		for (let i = 1; i <= 25; i++) emulator.org.insertSystem('Account', { Name: `Q${String(i).padStart(2, '0')}`, NumberOfEmployees: i });
		const { json } = await emulator.call(`${V}/jobs/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { operation: 'query', query: 'SELECT Id, Name, NumberOfEmployees FROM Account WHERE NumberOfEmployees > 3 ORDER BY Name' } });
		expect(json).toMatchObject({ state: 'UploadComplete', object: 'Account', operation: 'query' });
		complete = await emulator.waitForJob('query', json.id);
	});

	test('results page with maxRecords and Sforce-Locator until the literal null', async () => {
		const names = [];
		let locator = '';
		let pages = 0;
		do {
			const res = await emulator.call(`${V}/jobs/query/${complete.id}/results?maxRecords=10${locator ? `&locator=${locator}` : ''}`);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('text/csv');
			expect(res.text.split('\n')[0]).toBe('"Id","Name","NumberOfEmployees"');
			const rows = csvRows(res.text);
			expect(res.headers.get('sforce-numberofrecords')).toBe(String(rows.length));
			names.push(...rows.map((r) => r.Name));
			locator = res.headers.get('sforce-locator');
			pages++;
		} while (locator !== 'null');
		expect(pages).toBe(3);
		expect(names).toEqual(Array.from({ length: 22 }, (_, i) => `Q${String(i + 4).padStart(2, '0')}`));
		expect(complete.numberRecordsProcessed).toBe(22);
	});

	test('resultPages lists page URLs that return the same rows', async () => {
		await fetch(`${emulator.url}/__emulator/config`, { method: 'POST', body: JSON.stringify({ resultPagesPerResponse: 2 }) });
		const first = await emulator.call(`${V}/jobs/query/${complete.id}/resultPages?maxRecords=5`);
		expect(first.json.done).toBe(false);
		expect(first.json.resultPages).toHaveLength(2);
		const urls = first.json.resultPages.map((p) => p.resultUrl);
		let next = first.json.nextRecordsUrl;
		while (next) {
			const page = await emulator.call(next);
			urls.push(...page.json.resultPages.map((p) => p.resultUrl));
			next = page.json.nextRecordsUrl;
		}
		expect(urls).toHaveLength(5);
		const rows = [];
		for (const url of urls) rows.push(...csvRows((await emulator.call(url)).text));
		expect(rows.map((r) => r.Name)).toHaveLength(22);
		expect(new Set(rows.map((r) => r.Id)).size).toBe(22);
	});

	test('results before completion are 412, with another API version 409', async () => {
		await fetch(`${emulator.url}/__emulator/config`, { method: 'POST', body: JSON.stringify({ holdJobs: true }) });
		try {
			const { json } = await emulator.call(`${V}/jobs/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { query: 'SELECT Id FROM Account' } });
			const early = await emulator.call(`${V}/jobs/query/${json.id}/results`);
			expect(early.status).toBe(412);
			expect(early.json[0].errorCode).toBe('JOB_NOT_COMPLETE');
			await emulator.waitForJob('query', json.id, ['InProgress']);
			expect((await fetch(`${emulator.url}/__emulator/jobs/${json.id}/finish`, { method: 'POST' })).status).toBe(200);
			expect((await emulator.call(`${V}/jobs/query/${json.id}`)).json.state).toBe('JobComplete');
		} finally {
			await fetch(`${emulator.url}/__emulator/config`, { method: 'POST', body: JSON.stringify({ holdJobs: false }) });
		}
		const other = await emulator.call(`/services/data/v64.0/jobs/query/${complete.id}/results`);
		expect(other.status).toBe(409);
		expect(other.json[0].errorCode).toBe('API_VERSION_MISMATCH');
	});

	test('queryAll includes deleted records; malformed SOQL is refused at create', async () => {
		const victim = [...emulator.org.table('Account').values()].find((r) => r.Name === 'Q01');
		victim.IsDeleted = true;
		const run = async (operation) => {
			const { json } = await emulator.call(`${V}/jobs/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { operation, query: "SELECT Name FROM Account WHERE Name = 'Q01'" } });
			await emulator.waitForJob('query', json.id);
			return csvRows((await emulator.call(`${V}/jobs/query/${json.id}/results`)).text);
		};
		expect(await run('query')).toEqual([]);
		expect(await run('queryAll')).toEqual([{ Name: 'Q01' }]);
		const bad = await emulator.call(`${V}/jobs/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { query: 'SELECT COUNT() FROM Account' } });
		expect(bad.status).toBe(400);
		expect(bad.json[0].errorCode).toBe('MALFORMED_QUERY');
		const empty = await emulator.call(`${V}/jobs/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { query: '' } });
		expect(empty.json).toEqual([{ message: 'SOQL statements cannot be empty or null', errorCode: 'MALFORMED_QUERY' }]);
	});
});

describe('job lists and describe', () => {
	test('job lists page with nextRecordsUrl and filter by job type', async () => {
		const local = await startTestEmulator({ jobsPageSize: 3 });
		try {
			for (let i = 0; i < 7; i++) await local.call(`${V}/jobs/ingest`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { object: 'Account', operation: 'insert' } });
			await local.call(`${V}/jobs/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { query: 'SELECT Id FROM Account' } });
			const ids = [];
			let next = `${V}/jobs/ingest?jobType=V2Ingest`;
			let pages = 0;
			while (next) {
				const { json } = await local.call(next);
				ids.push(...json.records.map((r) => r.id));
				expect(json.done).toBe(json.nextRecordsUrl === null);
				next = json.nextRecordsUrl;
				pages++;
			}
			expect(pages).toBe(3);
			expect(new Set(ids).size).toBe(7);
			const queries = await local.call(`${V}/jobs/query`);
			expect(queries.json.records.map((r) => r.jobType)).toEqual(['V2Query']);
			expect((await local.call(`${V}/jobs/ingest?jobType=Nope`)).status).toBe(400);
		} finally {
			await local.close();
		}
	});

	test('global and object describe for the dropdowns', async () => {
		const global = await emulator.call(`${V}/sobjects`);
		expect(global.json.sobjects.map((o) => o.name)).toEqual(expect.arrayContaining(['Account', 'Contact', 'Lead', 'Case', 'Invoice__c']));
		const invoice = await emulator.call(`${V}/sobjects/invoice__c/describe`);
		expect(invoice.json).toMatchObject({ name: 'Invoice__c', label: 'Invoice', custom: true, keyPrefix: 'a01' });
		const legacy = invoice.json.fields.find((f) => f.name === 'Legacy_Id__c');
		expect(legacy).toMatchObject({ type: 'string', externalId: true, idLookup: true });
		expect(invoice.json.fields.find((f) => f.name === 'Account__c')).toMatchObject({ type: 'reference', referenceTo: ['Account'], relationshipName: 'Account__r' });
		expect(new Set(invoice.json.fields.map((f) => f.type))).toEqual(new Set(['id', 'boolean', 'datetime', 'reference', 'string', 'currency', 'double', 'date', 'textarea']));
		expect((await emulator.call(`${V}/sobjects/Nope/describe`)).status).toBe(404);
	});

	test('any API version from 58.0 to 66.0 is served', async () => {
		for (const version of ['58.0', '63.0', '66.0']) {
			expect((await emulator.call(`/services/data/v${version}/jobs/ingest`)).status).toBe(200);
		}
	});
});
