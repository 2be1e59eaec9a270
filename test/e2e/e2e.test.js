'use strict';
/**
 * End to end: the built package inside the real n8n (the version pinned in package.json config.n8nVersion,
 * installed once by scripts/n8n-runtime.sh into a cache folder), against the Salesforce emulator.
 *
 * Setup: build the package, install it into an isolated n8n user folder the way a self-hosted n8n loads a
 * community package (<user folder>/.n8n/nodes/node_modules/n8n-nodes-salesforce-bulk: node types keep their
 * published names, as in examples/*.json) — or, with E2E_LOAD_AS=custom, as a custom extension through
 * N8N_CUSTOM_EXTENSIONS (node types become CUSTOM.<name>; the workflows are rewritten to match). Start
 * emulators, import credentials pointing at them (Custom Login URL = the emulator) and the workflows of
 * test/e2e/workflows/ and examples/, then run them with `n8n execute --rawOutput` and check the data in
 * the outputs, in the files n8n wrote and in the emulator's org. The trigger runs in `n8n start`.
 *
 * `npm run test:e2e`. E2E_KEEP=1 keeps the temp folder (n8n user folder, logs) for a look afterwards.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startEmulator } = require('../emulator');
const { ROOT, PACKAGE, MINUTE, N8n, emulatorCredential, killAll, sleep, until } = require('../../scripts/lib/n8n');

const LOAD_AS = process.env.E2E_LOAD_AS === 'custom' ? 'custom' : 'package';
const KEEP = process.env.E2E_KEEP === '1';
const API = '/services/data/v63.0';

const log = (message) => process.stderr.write(`[e2e] ${message}\n`);

// ---------------------------------------------------------------------------------------------------
// the environment: runtime, package, emulators, n8n user folder

const env = {};

async function setup() {
	const started = Date.now();
	env.tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-sf-bulk-e2e-'));
	env.files = path.join(env.tmp, 'files');
	fs.mkdirSync(env.files, { recursive: true });
	env.n8n = await N8n.create({
		userFolder: path.join(env.tmp, 'user'),
		tmp: env.tmp,
		files: env.files,
		loadAs: LOAD_AS,
		encryptionKey: 'e2e-fixed-encryption-key-for-tests-only',
		skipBuild: process.env.E2E_SKIP_BUILD === '1',
		log,
	});
	log(`package loaded as ${LOAD_AS === 'custom' ? 'a custom extension (N8N_CUSTOM_EXTENSIONS)' : 'a community package (.n8n/nodes)'}: node types ${env.n8n.typePrefix}.*`);

	// The main emulator, and one whose tokens live 1.5 s while its jobs take 4 s.
	env.emulator = await startEmulator({ jobDelayMs: 300 });
	env.shortTokens = await startEmulator({ jobDelayMs: 4000, tokenTtlMs: 1500 });

	await env.n8n.importCredentials([
		emulatorCredential('e2eSalesforce', 'Salesforce Bulk (e2e emulator)', env.emulator),
		emulatorCredential('e2eSalesforceShort', 'Salesforce Bulk (e2e emulator, short tokens)', env.shortTokens),
		emulatorCredential('sfBulkEmulator', 'Salesforce Bulk (emulator)', env.emulator), // the examples' credential
	]);
	// Every e2e workflow and example, with the files folder filled in.
	const sources = [
		...fs.readdirSync(path.join(__dirname, 'workflows')).map((f) => path.join(__dirname, 'workflows', f)),
		...fs.readdirSync(path.join(ROOT, 'examples')).map((f) => path.join(ROOT, 'examples', f)),
	].filter((f) => f.endsWith('.json'));
	env.workflows = await env.n8n.importWorkflows(sources, (text) => text.replaceAll('__E2E_FILES__', env.files.replaceAll('\\', '/')));
	log(`setup done in ${Math.round((Date.now() - started) / 1000)} s`);
}

async function teardown() {
	killAll();
	await env.emulator?.close();
	await env.shortTokens?.close();
	if (env.tmp) {
		if (KEEP) log(`kept ${env.tmp}`);
		else fs.rmSync(env.tmp, { recursive: true, force: true });
	}
}

// ---------------------------------------------------------------------------------------------------
// running workflows and reading their results

const n8n = (args, options) => env.n8n.cli(args, options);

/** Runs a workflow in `n8n execute` and logs how it ended. */
async function execute(id, options) {
	const started = Date.now();
	const result = await env.n8n.execute(id, options);
	log(`${id} (${path.relative(ROOT, env.workflows[id])}): ${result.execution.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	return result;
}

/** The item indexes each output item is paired with. */
const pairs = (items) => items.map((item) => [item.pairedItem].flat().map((p) => p.item));

async function admin(emulator, method, what, body) {
	const res = await fetch(`${emulator.url}/__emulator/${what}`, {
		method,
		headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!res.ok) throw new Error(`emulator ${method} ${what}: HTTP ${res.status}`);
	return await res.json();
}

/** The org's records of an object, as the emulator's admin endpoint gives them. */
const records = (emulator, object) => admin(emulator, 'GET', `records/${object}`);

/** A Salesforce API call to the emulator with a token of its test client (not through n8n). */
async function salesforce(emulator, method, pathname, body, contentType = 'application/json') {
	const { clientId, clientSecret, refreshToken } = emulator.credentials;
	const tokenRes = await fetch(`${emulator.url}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken }),
	});
	const { access_token: token } = await tokenRes.json();
	const res = await fetch(`${emulator.url}${pathname}`, {
		method,
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

const byName = (list, prefix) => list.filter((r) => String(r.Name ?? r.LastName ?? r.Subject ?? '').startsWith(prefix));

// ---------------------------------------------------------------------------------------------------

describe(`n8n-nodes-salesforce-bulk in the real n8n ${PACKAGE.config.n8nVersion}`, () => {
	beforeAll(setup, 40 * MINUTE);
	afterAll(teardown, MINUTE);

	it('loads the package: three nodes under their type names, with the credential', async () => {
		const file = path.join(env.tmp, 'nodes.json');
		const result = await n8n(['export:nodes', `--output=${file}`]);
		expect(result.code).toBe(0);
		const ours = JSON.parse(fs.readFileSync(file, 'utf8')).filter((n) => n.name.startsWith(`${env.n8n.typePrefix}.`));
		const byType = Object.fromEntries(ours.map((n) => [n.name, n]));
		for (const name of ['salesforceBulk2', 'salesforceBulkClassic', 'salesforceBulkTrigger']) {
			expect(byType[`${env.n8n.typePrefix}.${name}`]).toBeDefined();
			expect(byType[`${env.n8n.typePrefix}.${name}`].credentials).toEqual([expect.objectContaining({ name: 'salesforceBulkOAuth2Api', required: true })]);
		}
		expect(byType[`${env.n8n.typePrefix}.salesforceBulkTrigger`].polling).toBe(true);
	});

	it('V2 seed scenario step by step: create, upload, close, wait, job info, results, files, delete, query', async () => {
		// The job stops after 3 of its 4 rows, so that every kind of result has rows.
		await admin(env.emulator, 'POST', 'fail-jobs', { object: 'Account', afterRows: 3, message: 'InvalidBatch : e2e stop after 3 rows' });
		const run = await execute('e2eV2Seed');

		const [job] = run.json('Create Job');
		expect(job).toMatchObject({ object: 'Account', operation: 'insert', state: 'Open' });
		expect(run.json('Upload Data')).toEqual([{ id: job.id, uploaded: true }]);
		expect(run.json('Close Job')).toEqual([expect.objectContaining({ id: job.id, state: 'UploadComplete' })]);
		expect(run.json('Get Job Info')).toEqual([
			expect.objectContaining({ id: job.id, state: 'Failed', numberRecordsProcessed: 3, numberRecordsFailed: 1, errorMessage: 'InvalidBatch : e2e stop after 3 rows' }),
		]);

		const accounts = byName(await records(env.emulator, 'Account'), 'E2E Seed');
		expect(accounts.map((a) => a.Name).sort()).toEqual(['E2E Seed Acme', 'E2E Seed Globex']);
		const idOf = Object.fromEntries(accounts.map((a) => [a.Name, a.Id]));

		expect(run.json('Get Successful Results')).toEqual([
			{ sf__Id: idOf['E2E Seed Acme'], sf__Created: 'true', Name: 'E2E Seed Acme', Phone: '555-0100', Industry: 'Energy' },
			{ sf__Id: idOf['E2E Seed Globex'], sf__Created: 'true', Name: 'E2E Seed Globex', Phone: '555-0102', Industry: 'Media' },
		]);
		expect(run.json('Get Failed Results')).toEqual([
			{ sf__Id: '', sf__Error: expect.stringMatching(/^REQUIRED_FIELD_MISSING:/), Name: '', Phone: '555-0101', Industry: 'Retail' },
		]);

		// Unprocessed rows: a binary file in n8n's binary store, written to disk by n8n's Read/Write Files node.
		const [unprocessed] = run.items('Unprocessed Records to File');
		expect(unprocessed.binary.data).toMatchObject({ fileName: 'unprocessed.csv', mimeType: 'text/csv' });
		expect(run.json('Write Unprocessed File')).toEqual([expect.objectContaining({ fileName: path.join(env.files, 'unprocessed.csv') })]);
		expect(fs.readFileSync(path.join(env.files, 'unprocessed.csv'), 'utf8')).toBe('Name,Phone,Industry\nE2E Seed Initech,555-0103,Technology\n');

		expect(run.json('Delete Job')).toEqual([{ id: job.id, deleted: true }]);
		expect((await salesforce(env.emulator, 'GET', `${API}/jobs/ingest/${job.id}`)).status).toBe(404);

		const [queryJob] = run.json('Get Query Job Info');
		expect(queryJob).toMatchObject({ id: run.json('Create Query Job')[0].id, operation: 'query', state: 'JobComplete', numberRecordsProcessed: 2 });
		expect(run.json('Get Query Results')).toEqual([
			{ Id: idOf['E2E Seed Acme'], Name: 'E2E Seed Acme', Phone: '555-0100' },
			{ Id: idOf['E2E Seed Globex'], Name: 'E2E Seed Globex', Phone: '555-0102' },
		]);
		expect(run.json('Export Accounts to File')).toEqual([expect.objectContaining({ numberOfRecords: 2 })]);
		expect(fs.readFileSync(path.join(env.files, 'accounts.csv'), 'utf8')).toBe(
			'"Id","Name","Phone","Industry"\n' +
				`"${idOf['E2E Seed Acme']}","E2E Seed Acme","555-0100","Energy"\n` +
				`"${idOf['E2E Seed Globex']}","E2E Seed Globex","555-0102","Media"\n`,
		);
	}, 5 * MINUTE);

	it('V2 Load Records: failed rows come back paired to their items, across jobs and shuffled results', async () => {
		await admin(env.emulator, 'POST', 'config', { shuffleResults: true });
		let run;
		try {
			run = await execute('e2eV2LoadRecords');
		} finally {
			await admin(env.emulator, 'POST', 'config', { shuffleResults: false });
		}
		const input = run.json('Accounts');
		const loaded = run.items('Load Accounts');
		expect(pairs(loaded)).toEqual([[0], [1], [2], [3], [4]]);
		expect(loaded.map((i) => [i.json.status, i.json.errorCode])).toEqual([
			['created', null],
			['failed', 'REQUIRED_FIELD_MISSING'],
			['failed', 'INVALID_FIELD'],
			['created', null],
			['created', null],
		]);
		// Each outcome carries the row of its own item (Max Rows per Job 3: two jobs).
		loaded.forEach((item, i) => expect(item.json.record.Name).toBe(input[i].Name));
		expect(new Set(loaded.map((i) => i.json.jobId)).size).toBe(2);
		expect(loaded[2].json.error).toMatch(/'many' is not a valid value/);
		expect(loaded[4].json.record.NumberOfEmployees).toBe('#N/A');

		const accounts = byName(await records(env.emulator, 'Account'), 'E2E Load');
		expect(accounts.map((a) => a.Name).sort()).toEqual(['E2E Load Alpha', 'E2E Load Delta', 'E2E Load Epsilon']);
		for (const item of loaded.filter((i) => i.json.success)) {
			expect(accounts.find((a) => a.Id === item.json.id)).toMatchObject({ Name: item.json.record.Name, Phone: item.json.record.Phone });
		}

		// The created rows, filtered by n8n, updated by a second Load Records (Selected Fields).
		const renamed = run.items('Rename Created');
		expect(renamed.map((i) => i.json.status)).toEqual(['updated', 'updated', 'updated']);
		expect(pairs(renamed)).toEqual([[0], [1], [2]]);
		for (const account of accounts) expect(account.Description).toBe('created');
	}, 5 * MINUTE);

	it('V2 Continue On Fail: errors become items paired to their input; without it the workflow stops', async () => {
		const run = await execute('e2eV2ContinueOnFail');
		const [job] = run.json('Create Job');
		const got = run.items('Get Each Job');
		expect(pairs(got)).toEqual([[0], [1], [2]]);
		expect(got[0].json).toMatchObject({ id: job.id, state: 'Open' });
		expect(got[1].json).toEqual(expect.objectContaining({ error: expect.stringMatching(/Job 750000000000000AAA was not found/) }));
		expect(got[2].json).toMatchObject({ id: job.id });

		const aborted = run.items('Abort Each Job');
		expect(pairs(aborted)).toEqual([[0], [1], [2]]);
		expect(aborted[0].json).toMatchObject({ id: job.id, state: 'Aborted' });
		expect(aborted[1].json.error).toMatch(/was not found/);
		expect(aborted[2].json.error).toMatch(/InvalidJob/); // aborting it twice
		expect((await salesforce(env.emulator, 'GET', `${API}/jobs/ingest/${job.id}`)).json).toMatchObject({ state: 'Aborted' });

		const loads = run.items('Load Bad Items');
		expect(pairs(loads)).toEqual([[0], [1], [2]]);
		expect(loads[0].json).toMatchObject({ status: 'created', success: true, record: { LastName: 'E2E Cof 0' } });
		expect(loads[1].json.error).toMatch(/CSV Data is empty/);
		expect(loads[2].json.error).toMatch(/CSV Data is empty/);
		expect(byName(await records(env.emulator, 'Contact'), 'E2E Cof').map((c) => c.LastName)).toEqual(['E2E Cof 0']);

		const stopped = await execute('e2eV2StopOnFail', { expectFailure: true });
		expect(stopped.code).not.toBe(0);
		expect(stopped.execution.status).toBe('error');
		expect(stopped.error.message).toMatch(/Job 750000000000000AAA was not found/);
		expect(stopped.runData['Never Reached']).toBeUndefined();
	}, 5 * MINUTE);

	it('V2 job IDs fed from node to node by expressions', async () => {
		const run = await execute('e2eV2Expressions');
		const [job] = run.items('Load Without Waiting');
		expect(job.json).toMatchObject({ object: 'Lead', state: 'UploadComplete', uploadedRows: 3 });
		expect(pairs([job])).toEqual([[0, 1, 2]]);
		expect(run.json('Get Job by Expression')).toEqual([expect.objectContaining({ id: job.json.id, state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 1 })]);
		expect(run.json('Failed Rows of That Job')).toEqual([
			{ sf__Id: '', sf__Error: expect.stringMatching(/^REQUIRED_FIELD_MISSING:.*Company/), LastName: 'E2E Expr Three', Company: '' },
		]);
		expect(run.json('List Ingest Jobs').map((j) => j.id)).toContain(job.json.id);
		const leads = byName(await records(env.emulator, 'Lead'), 'E2E Expr');
		expect(run.json('Query by Job Object')).toEqual(
			expect.arrayContaining(leads.map((l) => ({ Id: l.Id, LastName: l.LastName }))),
		);
		expect(leads.map((l) => l.LastName).sort()).toEqual(['E2E Expr One', 'E2E Expr Two']);
		expect(run.json('List Query Jobs')).toEqual(expect.arrayContaining([expect.objectContaining({ object: 'Lead', operation: 'query', state: 'JobComplete' })]));
	}, 5 * MINUTE);

	it('V2 and Classic survive their token expiring in the middle of the run (1.5 s tokens, 4 s jobs)', async () => {
		await admin(env.shortTokens, 'DELETE', 'stats');
		const run = await execute('e2eV2TokenExpiry');
		expect(run.json('Load Contacts').map((r) => r.status)).toEqual(['created', 'created']);
		expect(run.json('Get Successful Results')).toEqual([expect.objectContaining({ LastName: 'E2E Token Three', sf__Created: 'true' })]);
		expect(run.json('Export Contacts').map((r) => r.LastName).sort()).toEqual(['E2E Token One', 'E2E Token Three', 'E2E Token Two']);
		expect(byName(await records(env.shortTokens, 'Contact'), 'E2E Token')).toHaveLength(3);
		// Bulk API 1.0 answers an expired session with HTTP 400 InvalidSessionId, which the nodes renew themselves.
		expect(run.json('Classic Update Contacts').map((r) => r.status)).toEqual(['updated', 'updated', 'updated']);
		// A query job aborted before it finished (these jobs take 4 s), then deleted.
		const [queryJob] = run.json('Start a Query');
		expect(run.json('Abort the Query')).toEqual([expect.objectContaining({ id: queryJob.id, state: 'Aborted' })]);
		expect(run.json('Delete the Query')).toEqual([{ id: queryJob.id, deleted: true }]);
		expect((await salesforce(env.shortTokens, 'GET', `${API}/jobs/query/${queryJob.id}`)).status).toBe(404);
		// n8n asks for a token only when it has none or the one it has is refused: more than one = renewed.
		const stats = await admin(env.shortTokens, 'GET', 'stats');
		expect(stats.byRoute['POST /services/oauth2/token']).toBeGreaterThanOrEqual(3);
	}, 5 * MINUTE);

	it('Classic: jobs, batches, results, PK-chunked query results, an attachment batch built from binary items', async () => {
		const run = await execute('e2eClassic');
		const [job] = run.json('Create Job');
		expect(job).toMatchObject({ object: 'Account', operation: 'insert', contentType: 'CSV', concurrencyMode: 'Serial', state: 'Open' });
		const [batch] = run.json('Add Batch');
		expect(batch).toMatchObject({ jobId: job.id, recordsSent: 6 });
		expect(run.json('Close Job')).toEqual([expect.objectContaining({ id: job.id, state: 'Closed' })]);
		expect(run.json('Get Job')).toEqual([expect.objectContaining({ id: job.id, numberBatchesCompleted: 1, numberRecordsProcessed: 6, numberRecordsFailed: 1 })]);
		expect(run.json('Get Batch Status')).toEqual([expect.objectContaining({ id: batch.id, state: 'Completed', numberRecordsProcessed: 6, numberRecordsFailed: 1 })]);
		expect(run.json('List Batches').map((b) => b.id)).toEqual([batch.id]);
		const sent = run.json('Get Batch Request');
		expect(sent.map((r) => r.Name)).toEqual(['E2E Classic 1', 'E2E Classic 2', '', 'E2E Classic 4', 'E2E Classic 5', 'E2E Classic 6']);

		// Bulk 1.0 results in input order, each with its row.
		const results = run.json('Get Batch Results');
		expect(results.map((r) => r.status)).toEqual(['created', 'created', 'failed', 'created', 'created', 'created']);
		results.forEach((r, i) => expect(r.record).toEqual(sent[i]));
		expect(results[2]).toMatchObject({ success: false, errorCode: 'REQUIRED_FIELD_MISSING', id: null });
		const accounts = byName(await records(env.emulator, 'Account'), 'E2E Classic');
		expect(accounts).toHaveLength(5);
		for (const r of results.filter((x) => x.success)) expect(accounts.find((a) => a.Id === r.id)).toMatchObject(r.record);

		expect(run.json('List Classic Jobs').map((j) => j.id)).toContain(job.id);
		expect(run.json('Abort Job')).toEqual([expect.objectContaining({ id: run.json('Create Job to Abort')[0].id, state: 'Aborted' })]);

		// PK chunking (chunk size 2): the submitted batch is NotProcessed, the chunks hold the records.
		const [queryJob] = run.json('Create PK Query Job');
		expect(queryJob).toMatchObject({ operation: 'query', object: 'Account' });
		const all = run.json('Get All Results');
		expect(all.map((r) => r.Id).sort()).toEqual(accounts.map((a) => a.Id).sort());
		const batches = run.json('List Query Batches');
		expect(batches[0]).toMatchObject({ id: run.json('Add SOQL Batch')[0].id, state: 'NotProcessed' });
		expect(batches.slice(1).length).toBeGreaterThanOrEqual(3);
		expect(batches.slice(1).every((b) => b.state === 'Completed')).toBe(true);
		expect(batches.reduce((n, b) => n + b.numberRecordsProcessed, 0)).toBe(5);
		const [resultSet] = run.json('Get Result IDs');
		const chunk = batches.find((b) => b.id === resultSet.batchId);
		expect(chunk.numberRecordsProcessed).toBeGreaterThan(0);
		const oneChunk = run.json('Get Result');
		expect(oneChunk).toHaveLength(chunk.numberRecordsProcessed);
		expect(all).toEqual(expect.arrayContaining(oneChunk));
		expect(run.json('Close Query Job')).toEqual([expect.objectContaining({ id: queryJob.id, state: 'Closed' })]);

		// Attachments: two binary items with the same file name, zipped by the node, paired to both items.
		const upload = run.items('Upload Attachment Batch');
		expect(upload.map((u) => u.json)).toEqual([expect.objectContaining({ files: 2 })]);
		expect(pairs(upload)).toEqual([[0, 1]]);
		const attached = run.json('Attachment Results');
		expect(attached.map((a) => a.status)).toEqual(['created', 'created']);
		const attachments = await records(env.emulator, 'Attachment');
		const files = attached.map((a) => attachments.find((x) => x.Id === a.id));
		expect(files.map((f) => [f.Name, f.ParentId, Buffer.from(f.Body, 'base64').toString('utf8')])).toEqual([
			['e2e-note.txt', results[0].id, 'Hello from n8n'],
			['e2e-note.txt', results[0].id, 'Same name, second file'], // its zip entry is e2e-note-2.txt
		]);
	}, 5 * MINUTE);

	it('the example workflows run as shipped: V2 load and export, Classic, trigger start job', async () => {
		const v2 = await execute('sfBulkV2Seed');
		const [v2Job] = v2.json('Get Job Info');
		expect(v2Job).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 1 });
		expect(v2.json('Get Failed Results')).toEqual([expect.objectContaining({ sf__Error: expect.stringMatching(/^REQUIRED_FIELD_MISSING/) })]);
		expect(v2.json('Delete Job')).toEqual([{ id: v2Job.id, deleted: true }]);
		expect(v2.items('Export Accounts to File')[0].binary.data).toMatchObject({ fileName: 'accounts.csv' });

		const classic = await execute('sfBulkClassicSeed');
		const [classicJob] = classic.json('Create Job');
		expect(classicJob).toMatchObject({ object: 'Account', operation: 'insert', contentType: 'XML', concurrencyMode: 'Serial' });
		const results = classic.items('Get Batch Results');
		expect(results.map((r) => r.json.status)).toEqual(['created', 'created', 'failed']);
		expect(results[2].json.errorCode).toBe('REQUIRED_FIELD_MISSING');
		expect(classic.items('Export Accounts (PK Chunking)')[0].binary.data).toMatchObject({ fileName: 'accounts.csv' });
		expect(classic.json('Load Contacts (JSON)').map((r) => r.status)).toEqual(['created', 'created']);
		const contacts = await records(env.emulator, 'Contact');
		for (const row of classic.json('Load Contacts (JSON)')) expect(contacts.find((c) => c.Id === row.id)).toMatchObject({ LastName: row.record.LastName });

		const start = await execute('sfBulkStartJob');
		const [started] = start.json('Close Job');
		expect(started).toMatchObject({ object: 'Account', state: 'UploadComplete' });
	}, 5 * MINUTE);

	it('the trigger, in `n8n start`, fires exactly once for a job that finishes while the workflow is active', async () => {
		const { emulator } = env;
		// A Case job that finished before activation (must not fire), and one held InProgress.
		const createJob = async (rows) => {
			const { json: job } = await salesforce(emulator, 'POST', `${API}/jobs/ingest`, { object: 'Case', operation: 'insert', lineEnding: 'LF' });
			await salesforce(emulator, 'PUT', `${API}/jobs/ingest/${job.id}/batches`, rows, 'text/csv');
			await salesforce(emulator, 'PATCH', `${API}/jobs/ingest/${job.id}`, { state: 'UploadComplete' });
			return job.id;
		};
		const before = await createJob('Subject\nE2E Trigger before activation\n');
		await until('the first Case job to finish', async () => (await salesforce(emulator, 'GET', `${API}/jobs/ingest/${before}`)).json.state === 'JobComplete', 30_000);
		await admin(emulator, 'POST', 'config', { holdJobs: true });
		let server;
		try {
			const held = await createJob('Subject,IsEscalated\nE2E Trigger ok,false\nE2E Trigger bad,maybe\n');

			const published = await n8n(['publish:workflow', '--id=e2eTrigger']);
			expect(published.code).toBe(0);
			await admin(emulator, 'DELETE', 'stats');
			const polls = async () => (await admin(emulator, 'GET', 'stats')).byRoute[`GET ${API}/jobs/ingest`] ?? 0;

			const startedAt = Date.now();
			server = await env.n8n.start({ timeoutMs: 8 * MINUTE });
			// Activation polls once at once: the job that finished before is recorded, nothing fires.
			await until('the activation poll', async () => (await polls()) >= 1, MINUTE);
			log(`n8n start ready and trigger activated in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
			await sleep(1000);
			await admin(emulator, 'POST', `jobs/${held}/finish`);

			// n8n polls every minute: the next poll fires the job once.
			const triggerFiles = () => fs.readdirSync(env.files).filter((f) => f.startsWith('trigger-'));
			await until('the trigger execution', () => triggerFiles().length > 0, 2 * MINUTE, 1000);
			const pollsWhenFired = await polls();
			log(`trigger fired ${((Date.now() - startedAt) / 1000).toFixed(1)} s after start; waiting for one more poll`);
			// One more poll must not fire it again.
			await until('one more poll', async () => (await polls()) > pollsWhenFired, 2 * MINUTE, 1000);
			await sleep(5000);

			const fired = triggerFiles().map((f) => JSON.parse(fs.readFileSync(path.join(env.files, f), 'utf8')));
			expect(fired).toHaveLength(1);
			expect(fired[0]).toMatchObject({ event: 'completed', kind: 'ingest', id: held, object: 'Case', state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 1 });
			expect(fired[0].failedRecords).toEqual([expect.objectContaining({ Subject: 'E2E Trigger bad', IsEscalated: 'maybe', sf__Error: expect.stringMatching(/^INVALID_FIELD/) })]);
			expect(fired.map((f) => f.id)).not.toContain(before);
		} finally {
			await admin(emulator, 'POST', 'config', { holdJobs: false });
			if (server) fs.writeFileSync(path.join(env.tmp, 'n8n-start.log'), (await server.stop()).stdout);
		}
	}, 8 * MINUTE);
});
