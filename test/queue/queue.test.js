'use strict';
/**
 * Queue mode end to end: n8n main + 2 workers on their own PostgreSQL and Redis (scripts/lib/queue.js),
 * this package installed in every process's user folder, binary data in n8n's queue-mode default store
 * (the database). Every execution is started the way production starts it — a webhook on main, or the
 * trigger polling on main — and each test checks that a worker ran it (the worker's log names the
 * execution; main's does not), then checks counts in n8n's output (read back through the editor's REST
 * API) and in the emulator's org.
 *
 * `npm run test:queue` (part of `npm test`). Needs PostgreSQL 15 and redis-server (.ci/run installs them);
 * without them it fails with one line saying what to install. QUEUE_KEEP=1 keeps the temp folder.
 */

const path = require('node:path');
const { Agent } = require('undici');

const { startEmulator } = require('../emulator');
const { MINUTE, until, sleep } = require('../../scripts/lib/n8n');
const { startQueueStack, findTools } = require('../../scripts/lib/queue');
const { login } = require('../../scripts/start');
const { workflows } = require('./workflows');

const log = (message) => process.stderr.write(`[queue] ${message}\n`);
const API = '/services/data/v63.0';

// QUEUE_SMALL=1: a tenth of the sizes, for working on the suite itself.
const SCALE = process.env.QUEUE_SMALL === '1' ? 0.1 : 1;
const SIZES = { loadRows: 50_000 * SCALE, exportRows: 1_000_000 * SCALE, exportFileMb: 25 * SCALE, pkRows: 200_000 * SCALE, pkChunkSize: 50_000 * SCALE, fileRows: 10_000 * SCALE };
const EXPORT_QUERY = 'SELECT Id, FirstName, LastName, Company, Status FROM Lead';
const PK_QUERY = 'SELECT Id, FirstName, LastName, Email FROM Contact';

// Long exports answer their webhook only when the worker is done.
const slowAgent = new Agent({ headersTimeout: 20 * MINUTE, bodyTimeout: 20 * MINUTE });

const env = {};

/** A token of the emulator's test client, for calls straight to its API (not through n8n). */
async function salesforce(method, pathname, body, contentType = 'application/json') {
	const { clientId, clientSecret, refreshToken } = env.emulator.credentials;
	const tokenRes = await fetch(`${env.emulator.url}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken }),
	});
	const { access_token: token } = await tokenRes.json();
	const res = await fetch(`${env.emulator.url}${pathname}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
	if (!res.ok) throw new Error(`${method} ${pathname}: HTTP ${res.status} ${await res.text()}`);
	return await res.json();
}

/** A Bulk 2.0 insert of Cases (one per subject), closed; resolves with its ID once it is JobComplete. */
async function caseJob(...subjects) {
	const job = await salesforce('POST', `${API}/jobs/ingest`, { object: 'Case', operation: 'insert', lineEnding: 'LF' });
	const res = await fetch(`${env.emulator.url}${API}/jobs/ingest/${job.id}/batches`, {
		method: 'PUT',
		headers: { Authorization: `Bearer ${(await salesforceToken())}`, 'Content-Type': 'text/csv' },
		body: `Subject\n${subjects.join('\n')}\n`,
	});
	if (!res.ok) throw new Error(`upload: HTTP ${res.status}`);
	await salesforce('PATCH', `${API}/jobs/ingest/${job.id}`, { state: 'UploadComplete' });
	await until(`Case job ${job.id} to complete`, async () => (await salesforce('GET', `${API}/jobs/ingest/${job.id}`)).state === 'JobComplete', 30_000, 200);
	return job.id;
}

/** A Bulk 2.0 ingest job on Accounts (create, upload, close), waited for: how the changed-records trigger's rows change. */
async function accountJob(operation, csv) {
	const job = await salesforce('POST', `${API}/jobs/ingest`, { object: 'Account', operation, lineEnding: 'LF' });
	const res = await fetch(`${env.emulator.url}${API}/jobs/ingest/${job.id}/batches`, { method: 'PUT', headers: { Authorization: `Bearer ${await salesforceToken()}`, 'Content-Type': 'text/csv' }, body: csv });
	if (!res.ok) throw new Error(`upload: HTTP ${res.status}`);
	await salesforce('PATCH', `${API}/jobs/ingest/${job.id}`, { state: 'UploadComplete' });
	await until(`Account job ${job.id} to complete`, async () => (await salesforce('GET', `${API}/jobs/ingest/${job.id}`)).state === 'JobComplete', 30_000, 200);
}

async function salesforceToken() {
	const { clientId, clientSecret, refreshToken } = env.emulator.credentials;
	const res = await fetch(`${env.emulator.url}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken }),
	});
	return (await res.json()).access_token;
}

/** The org's live records of an object (the emulator runs in this process). */
const orgRecords = (object) => [...env.emulator.org.table(object).values()].filter((r) => !r.IsDeleted);

// ---- n8n's editor REST API

async function rest(pathname) {
	const res = await fetch(`${env.stack.url}${pathname}`, { headers: { Cookie: env.cookie }, dispatcher: slowAgent });
	if (!res.ok) throw new Error(`GET ${pathname}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
	return (await res.json()).data;
}

/** Executions of a workflow, newest first (summaries). */
async function executionsOf(workflowId) {
	const data = await rest(`/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100`);
	return data.results;
}

/** Whether an execution (summary or whole) has ended: one queued for a worker, or running there, has no run data yet. */
const ended = (e) => e.finished || ['success', 'error', 'crashed'].includes(e.status);

/** One execution with its run data (n8n stores it flatted). */
async function execution(id) {
	const data = await rest(`/rest/executions/${id}`);
	const runData = env.flatted.parse(data.data).resultData.runData;
	return {
		...data,
		runData,
		items(node) {
			if (!runData[node]) throw new Error(`Node "${node}" did not run in execution ${id}; ran: ${Object.keys(runData).join(', ')}`);
			const nodeRun = runData[node][0];
			if (nodeRun.error) throw new Error(`Node "${node}" failed in execution ${id}: ${nodeRun.error.message}`);
			return nodeRun.data.main[0] ?? [];
		},
		json(node) {
			return this.items(node).map((item) => item.json);
		},
	};
}

/** Which workers' logs say they ran the execution, and whether main's says it queued it (and did not run it). */
function ranOnWorker(executionId) {
	const ran = new RegExp(`Worker started execution ${executionId} \\(job`);
	const finished = new RegExp(`Worker finished execution ${executionId} \\(job`);
	const queued = new RegExp(`Enqueued execution ${executionId} \\(job`);
	return {
		workers: env.stack.workers.filter((w) => ran.test(w.output) && finished.test(w.output)).map((w) => w.name),
		main: ran.test(env.mainOutput()) ? 'ran it' : queued.test(env.mainOutput()) ? 'queued it' : 'never saw it',
	};
}

/**
 * POSTs to a webhook of main; main queues the execution, a worker runs it, main answers with the last
 * node's items. Returns the answer and the stored execution.
 */
async function runWebhook(workflowId, hookPath) {
	const before = new Set((await executionsOf(workflowId)).map((e) => e.id));
	const started = Date.now();
	const res = await fetch(`${env.stack.url}/webhook/${hookPath}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', dispatcher: slowAgent });
	const answer = await res.text();
	const [summary] = (await executionsOf(workflowId)).filter((e) => !before.has(e.id));
	if (!summary) throw new Error(`No execution of ${workflowId} (webhook answered HTTP ${res.status}: ${answer.slice(0, 500)})`);
	const run = await until(`execution ${summary.id} to be stored as finished`, async () => {
		const e = await execution(summary.id);
		return ended(e) ? e : undefined;
	}, MINUTE);
	log(`${workflowId}: execution ${summary.id} ${run.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	if (run.status !== 'success') {
		const error = env.flatted.parse((await rest(`/rest/executions/${summary.id}`)).data).resultData.error;
		throw new Error(`${workflowId} ended ${run.status}: ${error?.node?.name ?? ''} ${error?.message ?? ''}`);
	}
	expect(res.status).toBe(200);
	expect(ranOnWorker(summary.id)).toEqual({ workers: [expect.stringMatching(/^worker\d$/)], main: 'queued it' });
	return { answer: JSON.parse(answer), run };
}

// ---- the trigger: what the emulator is asked by main's polls

const triggerPolls = { count: 0 };
/** Query jobs created: each poll of the changed-records trigger creates one (other tests' exports too). */
const queryJobs = { count: 0 };

function watchTriggerPolls() {
	env.emulator.server.on('request', (req) => {
		if (req.method === 'GET' && req.url.includes('jobType=V2Ingest')) triggerPolls.count++;
		if (req.method === 'POST' && req.url === `${API}/jobs/query`) queryJobs.count++;
	});
}

/** The rows the changed-records trigger's executions (on the workers) received, oldest execution first. */
async function changesFired() {
	const fired = [];
	for (const summary of (await executionsOf('qChanges')).reverse()) {
		if (!ended(summary)) continue; // counted once a worker has run it
		const run = await execution(summary.id);
		for (const row of run.json('Fired')) fired.push({ ...row, execution: summary.id, status: run.status });
	}
	return fired;
}

/** The Case job IDs the trigger's executions (on the workers) received, one entry per fired item. */
async function triggerFired() {
	const fired = [];
	for (const summary of await executionsOf('qTrigger')) {
		if (!ended(summary)) continue; // counted once a worker has run it
		const run = await execution(summary.id);
		for (const item of run.json('Fired')) fired.push({ jobId: item.id, execution: summary.id, status: run.status });
	}
	return fired;
}

// ---------------------------------------------------------------------------------------------------

beforeAll(async () => {
	const started = Date.now();
	findTools(); // one clear line if PostgreSQL or Redis is missing — in CI too, never a skip
	env.emulator = await startEmulator({ jobDelayMs: 300, seed: { Account: 25, Contact: 40 }, generate: { Lead: SIZES.exportRows, Contact: SIZES.pkRows } });
	watchTriggerPolls();
	// Finished before the trigger is activated: must never fire.
	env.beforeActivation = await caseJob('Q Trigger before activation');

	const flows = workflows({ ...SIZES, exportQuery: EXPORT_QUERY, pkQuery: PK_QUERY });
	const outputs = [];
	env.mainOutput = () => outputs.join('');
	env.stack = await startQueueStack({
		workers: 2,
		emulator: env.emulator,
		workflows: Object.values(flows),
		publish: Object.values(flows).map((w) => w.id),
		skipBuild: process.env.QUEUE_SKIP_BUILD === '1',
		log,
		onOutput: (name, text) => name === 'main' && outputs.push(text),
	});
	env.flatted = require(path.join(env.stack.n8n.runtime, 'n8n/node_modules/flatted'));
	env.cookie = env.stack.cookie;
	await until("the trigger's activation poll", () => triggerPolls.count > 0, 2 * MINUTE, 250);
	log(`stack ready in ${Math.round((Date.now() - started) / 1000)} s`);
	// Finishes while the trigger is active: fires once, on the next poll (within a minute).
	env.whileActive = await caseJob('Q Trigger while active 1', 'Q Trigger while active 2');
}, 20 * MINUTE);

afterAll(async () => {
	await env.stack?.stop();
	await env.emulator?.close();
}, 3 * MINUTE);

describe('queue mode: n8n main + 2 workers, PostgreSQL, Redis, binary data in the database', () => {
	it('every process loaded the package under its published type names; binary data mode is database', async () => {
		const names = (await (await fetch(`${env.stack.url}/types/nodes.json`, { headers: { Cookie: env.cookie } })).json()).map((t) => t.name);
		for (const name of ['salesforceBulk2', 'salesforceBulkClassic', 'salesforceBulkTrigger']) expect(names).toContain(`n8n-nodes-salesforce-bulk.${name}`);
		// Each worker found the package in its own user folder (none says it is missing a node type).
		for (const worker of env.stack.workers) expect(worker.output).not.toMatch(/Unrecognized node type|is not installed/);
		const settings = await rest('/rest/settings');
		expect(settings.executionMode).toBe('queue');
		expect(settings.binaryDataMode).toBe('database');
	});

	it('the V2 example workflow, started by a webhook, runs on a worker', async () => {
		const { run } = await runWebhook('qV2Example', 'q-v2-example');
		const [job] = run.json('Get Job Info');
		expect(job).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 1 });
		expect(run.json('Get Failed Results')).toEqual([expect.objectContaining({ sf__Error: expect.stringMatching(/^REQUIRED_FIELD_MISSING/) })]);
		const file = run.items('Export Accounts to File')[0].binary.data;
		expect(file).toMatchObject({ fileName: 'accounts.csv' });
		expect(file.id).toMatch(/^database:/);
		const accounts = orgRecords('Account');
		expect(accounts.filter((a) => a.Name === 'Acme Corp' || a.Name === 'Globex')).toHaveLength(2);
	}, 3 * MINUTE);

	it(`Load Records of ${SIZES.loadRows.toLocaleString('en-US')} items: every outcome paired back to its item`, async () => {
		const { answer, run } = await runWebhook('qLoad', 'q-load');
		const failures = SIZES.loadRows / 100;
		expect(answer).toEqual([{ items: SIZES.loadRows, counts: { created: SIZES.loadRows - failures, failed: failures } }]);
		const loaded = run.items('Load Accounts');
		expect(loaded).toHaveLength(SIZES.loadRows);
		let mismatched = 0;
		loaded.forEach((item, i) => {
			const paired = [item.pairedItem].flat().map((p) => p.item);
			const expectFailed = i % 100 === 0;
			if (paired.length !== 1 || paired[0] !== i || item.json.record.AccountNumber !== `QL-${i}` || (item.json.status === 'failed') !== expectFailed) mismatched++;
			if (expectFailed && item.json.errorCode !== 'REQUIRED_FIELD_MISSING') mismatched++;
		});
		expect(mismatched).toBe(0);
		const created = orgRecords('Account').filter((a) => String(a.AccountNumber).startsWith('QL-'));
		expect(created).toHaveLength(SIZES.loadRows - failures);
		const ids = new Set(loaded.filter((i) => i.json.success).map((i) => i.json.id));
		expect(created.every((a) => ids.has(a.Id))).toBe(true);
	}, 6 * MINUTE);

	it('Load Records from a CSV file that n8n keeps in the database binary store', async () => {
		const { answer, run } = await runWebhook('qFileLoad', 'q-file-load');
		expect(run.items('To CSV File')[0].binary.data.id).toMatch(/^database:/);
		const failed = Math.ceil(SIZES.fileRows / 7); // Amount__c 'lots' on every 7th row
		expect(answer).toEqual([{ items: SIZES.fileRows, counts: { created: SIZES.fileRows - failed, failed } }]);
		expect(orgRecords('Invoice__c').filter((r) => String(r.Name).startsWith('Q File '))).toHaveLength(SIZES.fileRows - failed);
	}, 4 * MINUTE);

	it('the trigger polls on main and fires once per finished job on the workers, across a restart of main', async () => {
		await until('the trigger to fire for the job that finished while it was active', async () => (await triggerFired()).length > 0, 3 * MINUTE, 2000);
		const first = await triggerFired();
		expect(first.map((f) => f.jobId)).toEqual([env.whileActive]);
		for (const f of first) expect(ranOnWorker(f.execution)).toEqual({ workers: [expect.stringMatching(/^worker\d$/)], main: 'queued it' });

		// Main goes down (workers stay); a job finishes meanwhile; main comes back with the trigger's state.
		const polls = triggerPolls.count;
		await env.stack.main.stop();
		env.whileDown = await caseJob('Q Trigger while main was down');
		await env.stack.startMain();
		env.cookie = await login(env.stack.url);
		await until('the activation poll after the restart', () => triggerPolls.count > polls, 2 * MINUTE, 250);
		await until('the trigger to fire for the job that finished while main was down', async () => (await triggerFired()).length >= 2, 2 * MINUTE, 1000);
		const fired = await triggerFired();
		expect(fired.map((f) => f.jobId).sort()).toEqual([env.whileActive, env.whileDown].sort());
		for (const f of fired) expect(f.status).toBe('success');
		for (const f of fired) expect(ranOnWorker(f.execution).workers).toHaveLength(1);
	}, 8 * MINUTE);

	it('the nightly sync example imports and activates: its first poll exports every Account to a file, on a worker', async () => {
		const runs = await until('the example to run for its activation poll', async () => {
			const all = await executionsOf('qNightly');
			return all.length && all.every(ended) ? all : undefined;
		}, 2 * MINUTE, 1000);
		// The oldest execution is the activation's (a restart of main by an earlier test may have added one
		// with the Accounts loaded since).
		const summary = runs[runs.length - 1];
		const run = await execution(summary.id);
		expect(run.status).toBe('success');
		const [counted] = run.json('Count Rows');
		// Start From "Everything First": the 25 Accounts the org held when the workflow was published.
		expect(counted.rows).toBe(25);
		expect(counted.files).toEqual([expect.objectContaining({ fileName: 'accounts.csv', id: expect.stringMatching(/^database:/) })]);
		expect(counted.files[0].header).toMatch(/^"Id","SystemModstamp","IsDeleted",/);
		expect(ranOnWorker(summary.id)).toEqual({ workers: [expect.stringMatching(/^worker\d$/)], main: 'queued it' });
	}, 3 * MINUTE);

	it('the changed-records trigger emits each insert, update and delete once, across polls and a restart of main', async () => {
		const names = (rows) => rows.map((r) => `${r.Name}${r.deleted ? ' (deleted)' : ''}`).sort();
		await accountJob('insert', 'Name\nQ Changes 1\nQ Changes 2\n');
		await until('the inserts to fire', async () => (await changesFired()).length >= 2, 3 * MINUTE, 2000);
		const id = Object.fromEntries(orgRecords('Account').filter((a) => String(a.Name).startsWith('Q Changes')).map((a) => [a.Name, a.Id]));
		await sleep(1100); // the next change in a later second than the inserts (Salesforce stamps to the second)
		await accountJob('update', `Id,Name\n${id['Q Changes 1']},Q Changes 1b\n`);
		await accountJob('delete', `Id\n${id['Q Changes 2']}\n`);
		await until('the update and the delete to fire', async () => (await changesFired()).length >= 4, 3 * MINUTE, 2000);

		// Main goes down (workers stay); an Account is inserted meanwhile; main comes back with the cursor.
		await env.stack.main.stop();
		await accountJob('insert', 'Name\nQ Changes 3\n');
		await env.stack.startMain();
		env.cookie = await login(env.stack.url);
		await until('the insert made while main was down to fire', async () => (await changesFired()).length >= 5, 3 * MINUTE, 2000);
		// Two more polls: nothing comes again (the boundary second's rows and the lookback are deduplicated).
		const jobs = queryJobs.count;
		await until('two more polls of the trigger', () => queryJobs.count >= jobs + 2, 3 * MINUTE, 1000);
		await sleep(3000);
		const fired = await changesFired();
		expect(names(fired)).toEqual(['Q Changes 1', 'Q Changes 1b', 'Q Changes 2', 'Q Changes 2 (deleted)', 'Q Changes 3']);
		expect(new Set(fired.map((r) => `${r.Id} ${r.stamp}`)).size).toBe(5);
		for (const f of fired) expect(f.status).toBe('success');
		for (const e of new Set(fired.map((f) => f.execution))) expect(ranOnWorker(e).workers).toHaveLength(1);
	}, 12 * MINUTE);

	it('a Classic PK-chunked export to a file in the database store, counted by a Code node', async () => {
		const { answer, run } = await runWebhook('qPkChunk', 'q-pk');
		const contacts = orgRecords('Contact').length;
		expect(contacts).toBeGreaterThanOrEqual(SIZES.pkRows);
		expect(answer[0].rows).toBe(contacts);
		for (const file of answer[0].files) {
			expect(file.id).toMatch(/^database:/);
			expect(file.header).toBe('"Id","FirstName","LastName","Email"');
		}
		// Salesforce cut the export into chunks of the chunk size; the node joined their results into one file.
		const { batches, resultSets } = run.items('PK Chunked Export')[0].json;
		expect(batches).toBeGreaterThanOrEqual(SIZES.pkRows / SIZES.pkChunkSize);
		expect(resultSets).toBe(batches);
	}, 6 * MINUTE);

	it(`an export of ${SIZES.exportRows.toLocaleString('en-US')} rows to files in the database store, counted by a Code node`, async () => {
		const { answer } = await runWebhook('qExport', 'q-export');
		const [{ files, rows }] = answer;
		expect(rows).toBe(SIZES.exportRows);
		// Split Into Files: numbered files under the limit, so the store never buffers more than one of them.
		expect(files.length).toBeGreaterThanOrEqual(3);
		expect(files.map((f) => f.fileName)).toEqual(files.map((_, i) => `leads-${String(i + 1).padStart(3, '0')}.csv`));
		for (const file of files) expect(file.bytes).toBeLessThanOrEqual(SIZES.exportFileMb * 1024 * 1024);
		for (const file of files) {
			expect(file.id).toMatch(/^database:/);
			expect(file.header).toBe('"Id","FirstName","LastName","Company","Status"');
		}
		log(`export: ${files.length} file(s), ${(files.reduce((n, f) => n + f.bytes, 0) / 1024 / 1024).toFixed(1)} MiB`);
	}, 10 * MINUTE);

	it('the trigger still fired each job exactly once after later polls; the job finished before activation never', async () => {
		const polls = triggerPolls.count;
		await until('one more poll of the trigger', () => triggerPolls.count > polls, 2 * MINUTE, 1000);
		await sleep(3000); // an execution that poll would have started
		const ids = (await triggerFired()).map((f) => f.jobId).sort();
		expect(ids).toEqual([env.whileActive, env.whileDown].sort());
		expect(ids).not.toContain(env.beforeActivation);
		const cases = orgRecords('Case').filter((c) => String(c.Subject).startsWith('Q Trigger'));
		expect(cases).toHaveLength(4);
	}, 4 * MINUTE);
});
