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
const path = require('node:path');

const AdmZip = require('adm-zip');

const { startEmulator } = require('../emulator');
const { accessToken } = require('../helpers/emulator');
const { ROOT, PACKAGE, MINUTE, emulatorCredential, until } = require('../../scripts/lib/n8n');
const { openTestBed, closeTestBed } = require('./testBed');
const { emulatorSecrets, accessTokens, filesUnder, findSecrets } = require('./secrets');

const LOAD_AS = process.env.E2E_LOAD_AS === 'custom' ? 'custom' : 'package';
const API = '/services/data/v63.0';
const BULK1 = '/services/async/63.0';

const log = (message) => process.stderr.write(`[e2e] ${message}\n`);

// ---------------------------------------------------------------------------------------------------
// the environment: runtime, package, emulators, n8n user folder

const env = {
	/** The whole output of every n8n process the suite ran (import, execute, start), for the secret grep. */
	outputs: [],
};

async function setup() {
	const started = Date.now();
	await openTestBed(env, 'e2e', log, { withFiles: true, loadAs: LOAD_AS, recordOutput: (name, content) => env.outputs.push({ name, content }) });
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
	const token = await accessToken(emulator);
	const res = await fetch(`${emulator.url}${pathname}`, {
		method,
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	let json;
	try {
		json = text ? JSON.parse(text) : undefined;
	} catch {
		// XML or CSV: keep the text
	}
	if (res.status >= 300 && !(method === 'GET' && res.status === 404)) throw new Error(`${method} ${pathname}: HTTP ${res.status} ${text.slice(0, 500)}`);
	return { status: res.status, json, text };
}

/** A Bulk 2.0 ingest job (insert) of `csv`, uploaded and closed, straight through the API; its ID. */
async function v2Ingest(emulator, object, csv) {
	const { json: job } = await salesforce(emulator, 'POST', `${API}/jobs/ingest`, { object, operation: 'insert', lineEnding: 'LF' });
	await salesforce(emulator, 'PUT', `${API}/jobs/ingest/${job.id}/batches`, csv, 'text/csv');
	await salesforce(emulator, 'PATCH', `${API}/jobs/ingest/${job.id}`, { state: 'UploadComplete' });
	return job.id;
}

/** A Bulk 2.0 query job; its ID. */
async function v2Query(emulator, query) {
	return (await salesforce(emulator, 'POST', `${API}/jobs/query`, { operation: 'query', query })).json.id;
}

/**
 * A Classic (Bulk 1.0) JSON job with `batches` (arrays of records, or SOQL for a query job), then closed — or
 * aborted, with `abort`; its ID.
 */
async function classicJob(emulator, { operation, object, batches = [], abort = false }) {
	const { json: job } = await salesforce(emulator, 'POST', `${BULK1}/job`, { operation, object, contentType: 'JSON' });
	for (const batch of batches) await salesforce(emulator, 'POST', `${BULK1}/job/${job.id}/batch`, batch);
	await salesforce(emulator, 'POST', `${BULK1}/job/${job.id}`, { state: abort ? 'Aborted' : 'Closed' });
	return job.id;
}

/** Whether a job (Bulk 2.0 ingest or query, or Classic) has reached a final state with every batch done. */
async function jobFinished(emulator, kind, id) {
	if (kind === 'classic') {
		const { json: job } = await salesforce(emulator, 'GET', `${BULK1}/job/${id}`);
		return job.state === 'Aborted' || (job.state === 'Closed' && job.numberBatchesQueued + job.numberBatchesInProgress === 0);
	}
	return ['JobComplete', 'Failed', 'Aborted'].includes((await salesforce(emulator, 'GET', `${API}/jobs/${kind}/${id}`)).json.state);
}

async function untilFinished(emulator, jobs) {
	for (const [kind, id] of jobs) await until(`${kind} job ${id} to finish`, () => jobFinished(emulator, kind, id), 30_000, 200);
}

const byName = (list, prefix) => list.filter((r) => String(r.Name ?? r.LastName ?? r.Subject ?? '').startsWith(prefix));

// ---------------------------------------------------------------------------------------------------

describe(`n8n-nodes-salesforce-bulk in the real n8n ${PACKAGE.config.n8nVersion}`, () => {
	beforeAll(setup, 40 * MINUTE);
	afterAll(async () => await closeTestBed(env, log, [env.emulator, env.shortTokens]), MINUTE);

	it('loads the package: its nodes under their type names, with the credential; the trigger paired with the V2 node', async () => {
		const file = path.join(env.tmp, 'nodes.json');
		const result = await n8n(['export:nodes', `--output=${file}`]);
		expect(result.code).toBe(0);
		const ours = JSON.parse(fs.readFileSync(file, 'utf8')).filter((n) => n.name.startsWith(`${env.n8n.typePrefix}.`));
		const byType = Object.fromEntries(ours.map((n) => [n.name.slice(env.n8n.typePrefix.length + 1), n]));
		// The two action nodes also as AI agent tools (usableAsTool), which n8n derives as <name>Tool.
		expect(Object.keys(byType).sort()).toEqual(['salesforceBulk2', 'salesforceBulk2Tool', 'salesforceBulk2Trigger', 'salesforceBulkClassic', 'salesforceBulkClassicTool', 'salesforceBulkTrigger']);
		for (const node of Object.values(byType)) {
			expect(node.credentials).toEqual([expect.objectContaining({ name: 'salesforceBulkOAuth2Api', required: true })]);
		}
		// n8n's nodes panel shows a trigger named <action node>Trigger on the action node's page; the trigger's
		// first type name stays loadable for saved workflows but is hidden from the panel.
		expect(byType.salesforceBulk2Trigger).toMatchObject({ polling: true, group: ['trigger'], displayName: 'Salesforce Bulk Trigger' });
		expect(byType.salesforceBulk2Trigger.hidden).toBeUndefined();
		expect(byType.salesforceBulkTrigger).toMatchObject({ polling: true, hidden: true });
		expect(byType.salesforceBulk2Trigger.properties).toEqual(byType.salesforceBulkTrigger.properties);
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
		expect(got[1].json).toEqual(expect.objectContaining({ error: expect.stringMatching(/Job 750000000000000AAA does not exist \(any more\)/) }));
		expect(got[2].json).toMatchObject({ id: job.id });

		const aborted = run.items('Abort Each Job');
		expect(pairs(aborted)).toEqual([[0], [1], [2]]);
		expect(aborted[0].json).toMatchObject({ id: job.id, state: 'Aborted' });
		expect(aborted[1].json.error).toMatch(/does not exist \(any more\)/);
		// Aborting it twice: Salesforce's refusal is the answer. (Only an abort the transport sent again after a
		// lost answer is answered by the job as it is now: api/stateChange.ts.)
		expect(aborted[2].json.error).toMatch(/InvalidJob/);
		expect((await salesforce(env.emulator, 'GET', `${API}/jobs/ingest/${job.id}`)).json).toMatchObject({ state: 'Aborted' });

		const loads = run.items('Load Bad Items');
		expect(pairs(loads)).toEqual([[0], [1], [2]]);
		expect(loads[0].json).toMatchObject({ status: 'created', success: true, record: { LastName: 'E2E Cof 0' } });
		expect(loads[1].json.error).toMatch(/Text is empty/);
		expect(loads[2].json.error).toMatch(/Text is empty/); // its abort failed
		expect(byName(await records(env.emulator, 'Contact'), 'E2E Cof').map((c) => c.LastName)).toEqual(['E2E Cof 0']);

		const stopped = await execute('e2eV2StopOnFail', { expectFailure: true });
		expect(stopped.code).not.toBe(0);
		expect(stopped.execution.status).toBe('error');
		expect(stopped.error.message).toMatch(/Job 750000000000000AAA does not exist \(any more\)/);
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

	it('V2 Upload Data from a CSV file read from disk (CRLF job) and from input items (semicolon job)', async () => {
		// A CRLF file with quotes, an embedded comma and an embedded line break, written for n8n's Read/Write Files node.
		const csv = 'Name,Phone,Description\r\n"E2E Upload File ""One"", Inc",555-0401,"two\r\nlines"\r\nE2E Upload File Two,555-0402,plain\r\n,555-0403,no name\r\n';
		fs.writeFileSync(path.join(env.files, 'v2-upload.csv'), csv);
		const run = await execute('e2eV2Upload');

		const [fileJob] = run.json('Create File Job');
		expect(fileJob).toMatchObject({ object: 'Account', operation: 'insert', lineEnding: 'CRLF', state: 'Open' });
		const [read] = run.items('Read CSV File');
		expect(read.binary.data).toMatchObject({ fileName: 'v2-upload.csv', fileSize: expect.anything() });
		const uploaded = run.items('Upload CSV File');
		expect(uploaded.map((i) => i.json)).toEqual([{ id: fileJob.id, uploaded: true }]);
		expect(pairs(uploaded)).toEqual([[0]]);
		expect(run.json('Close File Job')).toEqual([expect.objectContaining({ id: fileJob.id, state: 'UploadComplete' })]);
		expect(run.json('Get File Job')).toEqual([expect.objectContaining({ id: fileJob.id, state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 1 })]);

		// The file's rows landed byte for byte (quotes, comma, CRLF inside the field).
		const accounts = byName(await records(env.emulator, 'Account'), 'E2E Upload File');
		expect(accounts.map((a) => [a.Name, a.Phone, a.Description]).sort()).toEqual([
			['E2E Upload File "One", Inc', '555-0401', 'two\r\nlines'],
			['E2E Upload File Two', '555-0402', 'plain'],
		]);
		const successes = run.json('File Job Successes');
		expect(successes.map((r) => [r.sf__Id, r.Name]).sort()).toEqual(accounts.map((a) => [a.Id, a.Name]).sort());

		// Items: all four become the rows of one upload, written in the job's delimiter and line ending.
		const [itemsJob] = run.json('Create Items Job');
		expect(itemsJob).toMatchObject({ object: 'Contact', columnDelimiter: 'SEMICOLON', lineEnding: 'CRLF', state: 'Open' });
		const upload = run.items('Upload Items');
		expect(upload.map((i) => i.json)).toEqual([{ id: itemsJob.id, uploaded: true, records: 4 }]);
		expect(pairs(upload)).toEqual([[0, 1, 2, 3]]);
		expect(run.json('Close Items Job')).toEqual([expect.objectContaining({ id: itemsJob.id, state: 'UploadComplete' })]);
		expect(run.json('Get Items Job')).toEqual([expect.objectContaining({ id: itemsJob.id, state: 'JobComplete', numberRecordsProcessed: 4, numberRecordsFailed: 1 })]);
		expect(run.json('Items Job Failures')).toEqual([
			expect.objectContaining({ sf__Error: expect.stringMatching(/^REQUIRED_FIELD_MISSING:.*LastName/), LastName: '', FirstName: 'Nameless', Email: 'three@example.com' }),
		]);
		const contacts = (await records(env.emulator, 'Contact')).filter((c) => String(c.LastName).startsWith('E2E Upload Items'));
		expect(contacts.map((c) => [c.LastName, c.FirstName ?? null, c.Email ?? null]).sort()).toEqual([
			['E2E Upload Items Four', null, null],
			['E2E Upload Items One', 'Ann', 'one@example.com'],
			['E2E Upload Items; Two', 'Bob "B"', 'two@example.com'],
		]);
	}, 5 * MINUTE);

	it('Classic: a CSV batch from a binary file (Convert to File), an attachment batch from a ready zip read from disk', async () => {
		// The attachments' parent, and a zip as a user would make it: request.txt and the files, one in a folder.
		const parentJob = await v2Ingest(env.emulator, 'Account', 'Name\nE2E Zip Parent\n');
		await untilFinished(env.emulator, [['ingest', parentJob]]);
		const [parent] = byName(await records(env.emulator, 'Account'), 'E2E Zip Parent');
		const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i)); // every byte value, NUL and 0xFF included
		const zip = new AdmZip();
		zip.addFile(
			'request.txt',
			Buffer.from(
				'Name,ParentId,Body,Description\n' +
					`e2e-zip-note.txt,${parent.Id},#notes/e2e-zip-note.txt,E2E Zip note\n` +
					`e2e-zip-bytes.bin,${parent.Id},#e2e-zip-bytes.bin,E2E Zip bytes\n` +
					`e2e-zip-missing.txt,${parent.Id},#missing.txt,E2E Zip missing\n`,
			),
		);
		zip.addFile('notes/e2e-zip-note.txt', Buffer.from('Hello from a ready-made zip\n'));
		zip.addFile('e2e-zip-bytes.bin', bytes);
		fs.writeFileSync(path.join(env.files, 'e2e-attachments.zip'), zip.toBuffer());

		const run = await execute('e2eClassicFiles');

		// CSV batch from the file n8n's Convert to File made of three items.
		const [csvJob] = run.json('Create CSV Job');
		expect(csvJob).toMatchObject({ object: 'Contact', operation: 'insert', contentType: 'CSV', state: 'Open' });
		expect(run.items('Contacts to CSV')[0].binary.data).toMatchObject({ fileName: 'contacts.csv' });
		const [batch] = run.json('Add CSV File Batch');
		expect(batch).toMatchObject({ jobId: csvJob.id, recordsSent: 3 });
		expect(run.json('Close CSV Job')).toEqual([expect.objectContaining({ id: csvJob.id, state: 'Closed' })]);
		expect(run.json('Get CSV Job')).toEqual([expect.objectContaining({ id: csvJob.id, numberBatchesCompleted: 1, numberRecordsProcessed: 3, numberRecordsFailed: 1 })]);
		const results = run.json('CSV Batch Results');
		expect(results.map((r) => [r.status, r.record.LastName])).toEqual([
			['created', 'E2E Classic File One'],
			['failed', ''],
			['created', 'E2E Classic File, Three'],
		]);
		expect(results[1]).toMatchObject({ success: false, errorCode: 'REQUIRED_FIELD_MISSING', id: null });
		const contacts = (await records(env.emulator, 'Contact')).filter((c) => String(c.LastName).startsWith('E2E Classic File'));
		expect(contacts).toHaveLength(2);
		for (const r of results.filter((x) => x.success)) {
			expect(contacts.find((c) => c.Id === r.id)).toMatchObject({ LastName: r.record.LastName, FirstName: r.record.FirstName, Email: r.record.Email });
		}

		// The zip, sent as it is: two attachments created, the row whose file is missing fails.
		const [attachmentJob] = run.json('Create Attachment Job');
		expect(attachmentJob).toMatchObject({ object: 'Attachment', operation: 'insert', contentType: 'ZIP_CSV' });
		expect(run.items('Read Zip File')[0].binary.data).toMatchObject({ fileName: 'e2e-attachments.zip' });
		const [zipBatch] = run.json('Upload Zip Batch');
		expect(zipBatch).toMatchObject({ jobId: attachmentJob.id, id: expect.stringMatching(/^751/) });
		expect(run.json('Get Attachment Job')).toEqual([expect.objectContaining({ id: attachmentJob.id, state: 'Closed', numberRecordsProcessed: 3, numberRecordsFailed: 1 })]);
		const zipResults = run.json('Zip Batch Results');
		expect(zipResults.map((r) => r.status)).toEqual(['created', 'created', 'failed']);
		expect(zipResults[2]).toMatchObject({ errorCode: 'INVALID_FIELD', error: expect.stringMatching(/#missing\.txt/) });
		const attachments = await records(env.emulator, 'Attachment');
		const stored = zipResults.slice(0, 2).map((r) => attachments.find((a) => a.Id === r.id));
		expect(stored.map((a) => [a.Name, a.ParentId, a.Description])).toEqual([
			['e2e-zip-note.txt', parent.Id, 'E2E Zip note'],
			['e2e-zip-bytes.bin', parent.Id, 'E2E Zip bytes'],
		]);
		expect(Buffer.from(stored[0].Body, 'base64').toString('utf8')).toBe('Hello from a ready-made zip\n');
		expect(Buffer.from(stored[1].Body, 'base64').equals(bytes)).toBe(true);
		expect(attachments.filter((a) => a.Name === 'e2e-zip-missing.txt')).toEqual([]);
	}, 5 * MINUTE);

	it('V2 Load Records → Separate Outputs: each lead on Successful, Failed or Unprocessed, paired to its item', async () => {
		// The job stops after 3 of its 5 rows: the last two are unprocessed.
		await admin(env.emulator, 'POST', 'fail-jobs', { object: 'Lead', afterRows: 3, message: 'InvalidBatch : e2e stop after 3 rows' });
		const run = await execute('e2eV2LoadOutputs');
		// The node's three outputs, as n8n stored them, and what reached the node on each.
		const outputs = run.runData['Load Leads'][0].data.main;
		const routed = (name) => {
			const output = outputs[['Successful', 'Failed', 'Unprocessed'].indexOf(name)];
			expect(run.json(name)).toEqual(output.map((i) => i.json));
			return output.map((i) => [i.json.status, i.json.record.LastName, pairs([i])[0][0]]);
		};
		expect(routed('Successful')).toEqual([
			['created', 'E2E Routed A', 0],
			['created', 'E2E Routed C', 2],
		]);
		expect(routed('Failed')).toEqual([['failed', '', 1]]);
		expect(routed('Unprocessed')).toEqual([
			['unprocessed', 'E2E Routed D', 3],
			['unprocessed', 'E2E Routed E', 4],
		]);
	}, 5 * MINUTE);

	it('V2 Load Records 1.2 Columns mapper: automatic with Skip Bad Rows, then manual with a lookup by external ID', async () => {
		const run = await execute('e2eV2ColumnMapping');
		const accounts = run.items('Load Accounts');
		expect(accounts.map((i) => [pairs([i])[0][0], i.json.status ?? i.json.error])).toEqual([
			[0, 'created'],
			[1, 'Item 1: the value "many" of field "NumberOfEmployees" is not a number (int field Employees)'],
			[2, 'created'],
		]);
		const orgAccounts = byName(await records(env.emulator, 'Account'), 'E2E Map');
		expect(orgAccounts.map((a) => a.Name).sort()).toEqual(['E2E Map Alpha', 'E2E Map Gamma']);
		// Converted before sending: text to numbers and booleans, a date-time with an offset to its calendar date.
		expect(orgAccounts.find((a) => a.Name === 'E2E Map Alpha')).toMatchObject({ NumberOfEmployees: 12, Active__c: true, SLA_Expiration_Date__c: '2026-01-31' });
		expect(orgAccounts.find((a) => a.Name === 'E2E Map Gamma')).toMatchObject({ AnnualRevenue: 2501, Industry: 'Energy' });

		const contacts = run.items('Load Contacts');
		expect(contacts.map((i) => i.json.status)).toEqual(['created', 'created']);
		// A DateTime expression became the date as written (23:30 at +02:00 stays the 15th); the lookup by Legacy_Id__c found each account.
		expect(contacts.map((i) => i.json.record)).toEqual([
			{ LastName: 'E2E Mapped Alpha', Birthdate: '1985-06-15', 'Account.Legacy_Id__c': 'E2E-MAP-A' },
			{ LastName: 'E2E Mapped Gamma', Birthdate: '1990-01-02', 'Account.Legacy_Id__c': 'E2E-MAP-C' },
		]);
		const orgContacts = byName(await records(env.emulator, 'Contact'), 'E2E Mapped');
		for (const contact of orgContacts) {
			const account = orgAccounts.find((a) => a.Id === contact.AccountId);
			expect(`${contact.LastName} → ${account?.Name}`).toBe(`E2E Mapped ${account?.Name.split(' ').pop()} → ${account?.Name}`);
		}
		expect(orgContacts).toHaveLength(2);
	}, 5 * MINUTE);

	it('V2 query results as JSON files (split, each a valid array, typed) and Get Many resumed from resumeFrom', async () => {
		await admin(env.emulator, 'POST', 'seed', { object: 'Invoice__c', count: 25 });
		// A second query job, so that the list goes on after the first job Get Many returns.
		await v2Query(env.emulator, 'SELECT Id FROM Account');
		const run = await execute('e2eV2JsonResume');
		const files = run.items('Export Invoices as JSON');
		expect(files.map((f) => [f.binary.data.fileName, f.binary.data.mimeType, f.json.rows])).toEqual([
			['invoices-001.json', 'application/json', 10],
			['invoices-002.json', 'application/json', 10],
			['invoices-003.json', 'application/json', 5],
		]);
		// Written to disk by n8n's Read/Write Files node: each file parses on its own; together, every invoice, typed.
		const invoices = files.flatMap((f) => JSON.parse(fs.readFileSync(path.join(env.files, f.binary.data.fileName), 'utf8')));
		expect(invoices).toHaveLength(25);
		expect(invoices[0]).toEqual({ Id: expect.any(String), Name: 'INV-1', Amount__c: 1.5, Paid__c: false, Due_Date__c: '2026-12-31' });
		const [first] = run.json('First Jobs');
		expect(first.resumeFrom).toBe('query:#1');
		const [next] = run.json('Next Jobs');
		const listed = (await salesforce(env.emulator, 'GET', `${API}/jobs/query?jobType=V2Query`)).json.records.map((j) => j.id);
		expect([first.id, next.id]).toEqual(listed.slice(0, 2));
	}, 5 * MINUTE);

	it('Classic Wait for Job: waits for the batch added, the job on the Completed output (a failed row is not a failed job)', async () => {
		const run = await execute('e2eClassicWait');
		const [job] = run.json('Create Job');
		expect(run.json('Completed Jobs')).toEqual([expect.objectContaining({ id: job.id, numberBatchesTotal: 1, numberBatchesCompleted: 1, numberRecordsProcessed: 2, numberRecordsFailed: 1, timedOut: false })]);
		expect(run.runData['Failed Jobs']).toBeUndefined();
		expect(run.runData['Wait for Job'][0].data.main).toHaveLength(2);
	}, 5 * MINUTE);

	it('the example workflows run as shipped, without a Wait node: V2 load and export, Classic, trigger start job', async () => {
		for (const example of ['salesforce-bulk-v2-load-and-export.json', 'salesforce-bulk-classic.json']) {
			const { nodes } = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', example), 'utf8'));
			expect([example, nodes.filter((n) => n.type === 'n8n-nodes-base.wait').length]).toEqual([example, 0]);
		}
		const v2 = await execute('sfBulkV2Seed');
		expect(v2.json('Close Job')).toEqual([expect.objectContaining({ state: 'JobComplete', timedOut: false })]);
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

	it('the trigger, in `n8n start`: once per finished job — Bulk 2.0 ingest, Classic, query — and across a restart', async () => {
		const { emulator } = env;
		const caseQuery = "SELECT Id, Subject FROM Case WHERE Subject LIKE 'E2E Trigger%'";
		const cases = async () => byName(await records(emulator, 'Case'), 'E2E Trigger').map((c) => c.Id).sort();

		// What the emulator is asked while n8n runs: each trigger's poll lists its own kind of jobs.
		const requests = [];
		let lastRequestAt = Date.now();
		const onRequest = (req) => {
			requests.push({ method: req.method, url: req.url });
			lastRequestAt = Date.now();
		};
		emulator.server.on('request', onRequest);
		const listed = (jobType) => requests.filter((r) => r.method === 'GET' && r.url.includes(`jobType=${jobType}`)).length;
		const ingestPolls = () => listed('V2Ingest'); // e2eTrigger: Bulk 2.0 ingest jobs only
		const kindsPolls = () => listed('V2Query'); // e2eTriggerKinds: Classic and Bulk 2.0 query jobs
		// e2eTrigger uses the trigger's first type name (salesforceBulkTrigger), as saved workflows do;
		// e2eTriggerKinds the name the nodes panel offers now (salesforceBulk2Trigger).
		const quiet = () => until('the emulator to get no request for 3 s', () => Date.now() - lastRequestAt >= 3000, MINUTE, 250);

		// The files the two trigger workflows write, one per output item.
		const fired = (prefix) =>
			fs
				.readdirSync(env.files)
				.filter((f) => f.startsWith(prefix))
				.map((f) => JSON.parse(fs.readFileSync(path.join(env.files, f), 'utf8')));
		const firedIds = (prefix) => fired(prefix).map((j) => j.id).sort();
		const firedJob = (prefix, id) => fired(prefix).find((j) => j.id === id);

		/**
		 * `n8n start`, until both trigger workflows are active: each polls once on activation (n8n logs nothing
		 * about it at info level), a quick run of requests; the emulator is quiet once both are done.
		 */
		let server;
		const startN8n = async () => {
			const startedAt = Date.now();
			const [ingestBefore, kindsBefore] = [ingestPolls(), kindsPolls()];
			server = await env.n8n.start({ timeoutMs: 10 * MINUTE });
			await until('both triggers\' activation polls', () => ingestPolls() > ingestBefore && kindsPolls() > kindsBefore, 3 * MINUTE, 250);
			await quiet();
			log(`n8n start ready, triggers activated in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
		};
		/** Stops n8n; it finishes the executions under way first. */
		const stopN8n = async (name) => {
			const { stdout } = await server.stop();
			fs.writeFileSync(path.join(env.tmp, name), stdout);
			server = undefined;
		};

		// Finished before the first activation: never fire.
		const before = [
			['ingest', await v2Ingest(emulator, 'Case', 'Subject\nE2E Trigger before activation\n')],
			['classic', await classicJob(emulator, { operation: 'insert', object: 'Case', batches: [[{ Subject: 'E2E Trigger classic before' }]] })],
			['query', await v2Query(emulator, caseQuery)],
		];
		await untilFinished(emulator, before);

		await admin(emulator, 'POST', 'config', { holdJobs: true });
		try {
			// Held InProgress until they are finished while the workflows are active.
			const held = await v2Ingest(emulator, 'Case', 'Subject,IsEscalated\nE2E Trigger ok,false\nE2E Trigger bad,maybe\n');
			const classicHeld = await classicJob(emulator, { operation: 'insert', object: 'Case', batches: [[{ Subject: 'E2E Trigger classic 1' }, { Subject: 'E2E Trigger classic 2' }]] });
			const queryHeld = await v2Query(emulator, caseQuery);
			for (const id of ['e2eTrigger', 'e2eTriggerKinds']) expect((await n8n(['publish:workflow', `--id=${id}`])).code).toBe(0);

			// ---- first `n8n start`
			await startN8n();
			// The editor previews an operation's output fields from the schemas the package ships.
			const schema = await fetch(`${server.url}/schemas/${env.n8n.typePrefix}.salesforceBulk2/1.0.0/ingestJob/get.json`);
			expect(schema.status).toBe(200);
			expect(await schema.json()).toEqual(JSON.parse(fs.readFileSync(path.join(ROOT, 'nodes/SalesforceBulk2/__schema__/v1.0.0/ingestJob/get.json'), 'utf8')));
			for (const id of [held, classicHeld, queryHeld]) await admin(emulator, 'POST', `jobs/${id}/finish`);
			await untilFinished(emulator, [['ingest', held], ['classic', classicHeld], ['query', queryHeld]]);
			const casesAtQuery = await cases();

			// n8n polls every minute: the next poll of each trigger fires its jobs; one more must not fire them again.
			await until('the triggers to fire', () => fired('trigger-').length >= 1 && fired('kinds-').length >= 2, 3 * MINUTE, 1000);
			const [ingestPolled, kindsPolled] = [ingestPolls(), kindsPolls()];
			log('triggers fired; waiting for one more poll of each');
			await until('one more poll of each trigger', () => ingestPolls() > ingestPolled && kindsPolls() > kindsPolled, 3 * MINUTE, 1000);
			await quiet();
			await stopN8n('n8n-start-1.log');

			expect(firedIds('trigger-')).toEqual([held]);
			const ingestItem = firedJob('trigger-', held);
			expect(ingestItem).toMatchObject({ event: 'completed', kind: 'ingest', id: held, object: 'Case', state: 'JobComplete', numberRecordsProcessed: 2, numberRecordsFailed: 1 });
			expect(ingestItem.failedRecords).toEqual([expect.objectContaining({ Subject: 'E2E Trigger bad', IsEscalated: 'maybe', sf__Error: expect.stringMatching(/^INVALID_FIELD/) })]);

			expect(firedIds('kinds-')).toEqual([classicHeld, queryHeld].sort());
			expect(firedJob('kinds-', classicHeld)).toMatchObject({
				event: 'completed',
				kind: 'ingest',
				jobType: 'Classic',
				id: classicHeld,
				object: 'Case',
				operation: 'insert',
				state: 'Closed',
				numberBatchesCompleted: 1,
				numberRecordsProcessed: 2,
				numberRecordsFailed: 0,
			});
			const queryItem = firedJob('kinds-', queryHeld);
			expect(queryItem).toMatchObject({ event: 'completed', kind: 'query', id: queryHeld, object: 'Case', state: 'JobComplete', numberRecordsProcessed: casesAtQuery.length });
			expect(queryItem.records.map((r) => r.Id).sort()).toEqual(casesAtQuery);
			expect(casesAtQuery).toHaveLength(5); // before activation, classic before, ok, classic 1, classic 2

			// ---- n8n is down: jobs finish meanwhile (one Classic job aborted).
			await admin(emulator, 'POST', 'config', { holdJobs: false });
			const downIngest = await v2Ingest(emulator, 'Case', 'Subject\nE2E Trigger while down\n');
			const downClassicQuery = await classicJob(emulator, { operation: 'query', object: 'Case', batches: [caseQuery] });
			const downClassicAborted = await classicJob(emulator, { operation: 'insert', object: 'Case', abort: true });
			const downQuery = await v2Query(emulator, caseQuery);
			await untilFinished(emulator, [['ingest', downIngest], ['classic', downClassicQuery], ['classic', downClassicAborted], ['query', downQuery]]);
			const casesDown = await cases();

			// ---- second `n8n start`, same database: the triggers' state survived; only the new jobs fire.
			await startN8n();
			await until('the jobs that finished while n8n was down to fire', () => fired('trigger-').length >= 2 && fired('kinds-').length >= 5, 3 * MINUTE, 1000);
			await quiet();
			await stopN8n('n8n-start-2.log');

			expect(firedIds('trigger-')).toEqual([held, downIngest].sort());
			expect(firedJob('trigger-', downIngest)).toMatchObject({ event: 'completed', kind: 'ingest', state: 'JobComplete', numberRecordsProcessed: 1, numberRecordsFailed: 0, failedRecords: [] });
			expect(firedIds('kinds-')).toEqual([classicHeld, queryHeld, downClassicQuery, downClassicAborted, downQuery].sort());
			expect(firedJob('kinds-', downClassicQuery)).toMatchObject({ event: 'completed', kind: 'query', jobType: 'Classic', operation: 'query', state: 'Closed', numberBatchesCompleted: 1 });
			expect(firedJob('kinds-', downClassicAborted)).toMatchObject({ event: 'aborted', kind: 'ingest', jobType: 'Classic', state: 'Aborted' });
			const downQueryItem = firedJob('kinds-', downQuery);
			expect(downQueryItem).toMatchObject({ event: 'completed', kind: 'query', state: 'JobComplete' });
			expect(downQueryItem.records.map((r) => r.Id).sort()).toEqual(casesDown);
			// Jobs that finished before the first activation never fired.
			for (const [, id] of before) expect([...firedIds('trigger-'), ...firedIds('kinds-')]).not.toContain(id);
		} finally {
			emulator.server.off('request', onRequest);
			await admin(emulator, 'POST', 'config', { holdJobs: false });
			if (server) await stopN8n('n8n-start-failed.log');
		}
	}, 14 * MINUTE);

	it('no secret anywhere: n8n output, execution JSON, logs, database and files hold no emulator secret or access token', async () => {
		const secrets = [...emulatorSecrets(env.emulator, 'emulator'), ...emulatorSecrets(env.shortTokens, 'short-token emulator')];
		// n8n got tokens from both (more than one from the short-lived one), so the grep covers real tokens.
		expect(accessTokens(emulatorSecrets(env.emulator, 'emulator'))).toBeGreaterThanOrEqual(1);
		expect(accessTokens(emulatorSecrets(env.shortTokens, 'short'))).toBeGreaterThanOrEqual(3);

		// The grep finds a secret wherever it is planted: plain, in JSON-escaped PEM, URL-encoded, in binary bytes.
		const token = [...env.shortTokens.oauth.tokens.keys()][0];
		const { clientSecret, privateKeyPem } = env.emulator.credentials;
		const planted = [
			{ name: 'plain', content: `error: client_secret=${clientSecret} refused` },
			{ name: 'json', content: JSON.stringify({ privateKey: privateKeyPem }) },
			{ name: 'url', content: `Authorization%3A%20Bearer%20${encodeURIComponent(token)}` },
			{ name: 'bytes', content: Buffer.concat([Buffer.from([0, 255, 1]), Buffer.from(env.shortTokens.credentials.refreshToken), Buffer.from([7])]) },
			{ name: 'clean', content: 'nothing to see here' },
		];
		const plantedHits = findSecrets(planted, secrets);
		expect(plantedHits).toEqual(
			expect.arrayContaining([
				'emulator clientSecret in plain',
				expect.stringMatching(/^emulator privateKeyPem line \d+ in json$/),
				expect.stringMatching(/^short-token emulator access token #\d+ \(after "!"\) in url$/),
				'short-token emulator refreshToken in bytes',
			]),
		);
		expect(plantedHits.filter((h) => h.endsWith(' in clean'))).toEqual([]);

		// Everything the real n8n printed (import, execute with its execution JSON, both `n8n start` runs), and
		// every file under the suite's folder: n8n's database (execution data, workflow static data), binary
		// data, logs, the files its workflows wrote.
		const names = env.outputs.map((o) => o.name);
		expect(names.filter((n) => n.startsWith('n8n execute')).length).toBeGreaterThanOrEqual(10);
		expect(names.filter((n) => n === 'n8n start').length).toBeGreaterThanOrEqual(2);
		expect(names.filter((n) => n.startsWith('n8n import:credentials')).length).toBe(1);
		// (n8n's editor bundle, copied to .cache/n8n/public at start, is 50 MB of static assets: not searched.)
		const files = filesUnder(env.tmp, [path.join('user', '.cache', 'n8n', 'public')]);
		expect(files.map((f) => f.name)).toEqual(expect.arrayContaining([expect.stringMatching(/database\.sqlite$/), expect.stringMatching(/^files\/kinds-/)]));
		const sources = [...env.outputs, ...files];
		const started = Date.now();
		const hits = findSecrets(sources, secrets);
		const mb = (sources.reduce((n, s) => n + s.content.length, 0) / 1e6).toFixed(1);
		log(`secret grep: ${secrets.length} secrets in ${env.outputs.length} n8n outputs and ${files.length} files (${mb} MB), ${Date.now() - started} ms`);
		expect(hits).toEqual([]);
	}, 5 * MINUTE);
});
