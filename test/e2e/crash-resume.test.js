'use strict';
/**
 * End to end, issue 18: a crash in the middle of a load loses nothing. In the real n8n (scripts/lib/n8n.js), a
 * workflow loads 100,000 leads with Load Records (three jobs); while it waits for Salesforce, its n8n process is
 * killed with SIGKILL. Salesforce (the emulator) goes on and finishes the jobs — one of them fails part-way. n8n
 * starts again and runs the resume workflow: the same items, Resume Jobs = the job IDs read from the killed n8n's
 * log. Every one of the 100,000 items gets its outcome, paired to it, and the org holds each loaded lead once.
 *
 * `npx jest test/e2e/crash-resume.test.js`. E2E_KEEP=1 keeps the temp folder; E2E_SKIP_BUILD=1 uses dist/ as it is.
 */

const path = require('node:path');

const { startEmulator } = require('../emulator');
const { storedRun } = require('./storedRun');
const { MINUTE, emulatorCredential, freePort, killGroup, run, until } = require('../../scripts/lib/n8n');
const { openTestBed, closeTestBed } = require('./testBed');

const ROWS = 100_000;
const JOB_LOG = /Salesforce Bulk V2 Load Records: job (750\w{12,15}) created for (\d+) rows/g;
const GET_JOB = 'GET /services/data/v63.0/jobs/ingest/:id';

const log = (message) => process.stderr.write(`[e2e crash] ${message}\n`);
const env = {};

beforeAll(async () => {
	await openTestBed(env, 'crash', log);
	// n8n's own default log level: the job IDs must be in the log a default n8n writes.
	delete env.n8n.env.N8N_LOG_LEVEL;
	// Jobs are held in progress until the test lets Salesforce finish them: n8n is killed while it waits.
	env.emulator = await startEmulator({ jobDelayMs: 300, holdJobs: true });
	await env.n8n.importCredentials([emulatorCredential('e2eCrashSalesforce', 'Salesforce Bulk (crash e2e emulator)', env.emulator)]);
	await env.n8n.importWorkflows([path.join(__dirname, 'workflows', 'crash-resume', 'load.json')]);
}, 20 * MINUTE);

afterAll(async () => await closeTestBed(env, log, [env.emulator]));

/** `n8n execute` of a workflow as its own process (group), so the test can kill it; `onOutput` sees its log. */
async function startExecute(id, onOutput) {
	const ports = { N8N_PORT: String(await freePort()), N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
	const done = run(env.n8n.bin, ['execute', `--id=${id}`, '--rawOutput'], { env: { ...env.n8n.env, ...ports }, timeoutMs: 15 * MINUTE, onOutput });
	return { done, child: done.child };
}

const emulatorJob = (id) => env.emulator.jobs.get(id);

it('a load of 100,000 items whose n8n is killed (SIGKILL) while it waits is resumed: every item paired to its outcome, nothing loaded twice', async () => {
	const started = Date.now();
	// 1. The load, until every job is uploaded, closed and being waited for; then SIGKILL.
	let output = '';
	const loading = await startExecute('e2eCrashLoad', (text) => (output += text));
	const logged = () => [...output.matchAll(JOB_LOG)].map((m) => ({ id: m[1], rows: Number(m[2]) }));
	let polls;
	let shown = 0;
	await until(
		'n8n to create, upload and close three jobs and wait for them',
		async () => {
			const jobs = logged();
			if (Date.now() - shown > 10_000) {
				shown = Date.now();
				log(`waiting: jobs ${jobs.map((job) => `${job.id} ${emulatorJob(job.id)?.state}`).join(', ') || 'none yet'}; ${env.emulator.stats.byRoute[GET_JOB] ?? 0} job polls`);
			}
			if (jobs.length < 3 || jobs.some((job) => !['UploadComplete', 'InProgress'].includes(emulatorJob(job.id)?.state))) return false;
			polls ??= env.emulator.stats.byRoute[GET_JOB] ?? 0;
			return (env.emulator.stats.byRoute[GET_JOB] ?? 0) > polls; // Load Records is polling: it waits
		},
		5 * MINUTE,
		200,
	);
	killGroup(loading.child, 'SIGKILL');
	const killed = await loading.done;
	expect(killed.signal).toBe('SIGKILL');
	const jobs = logged();
	log(`killed n8n ${((Date.now() - started) / 1000).toFixed(1)} s after it started; jobs from its log: ${jobs.map((j) => `${j.id} (${j.rows} rows)`).join(', ')}`);
	// The log line names each job with the rows it holds.
	expect(jobs.map((job) => job.rows)).toEqual([40000, 40000, 20000]);
	expect(env.emulator.stats.byRoute['POST /services/data/v63.0/jobs/ingest']).toBe(3);

	// 2. Salesforce goes on without n8n: the first two jobs complete, the third fails after 15,000 rows.
	expect(env.emulator.jobs.finish(jobs[0].id)).toBe(true);
	expect(env.emulator.jobs.finish(jobs[1].id)).toBe(true);
	env.emulator.faults.failJobs({ message: 'InvalidBatch : Simulated failure after n8n died', afterRows: 15000, object: 'Lead' });
	expect(env.emulator.jobs.finish(jobs[2].id)).toBe(true);
	expect(jobs.map((job) => emulatorJob(job.id).state)).toEqual(['JobComplete', 'JobComplete', 'Failed']);
	const leadsAfterCrash = [...env.emulator.org.table('Lead').values()].filter((lead) => String(lead.LastName).startsWith('Crash '));
	expect(leadsAfterCrash.length).toBe(40000 - 40 + 40000 - 40 + 15000 - 15);

	// 3. n8n starts again: the resume workflow, with the job IDs from the log.
	const ids = jobs.map((job) => job.id).join(', ');
	await env.n8n.importWorkflows([path.join(__dirname, 'workflows', 'crash-resume', 'resume.json')], (text) => text.replaceAll('__RESUME_JOBS__', ids));
	const before = { ...env.emulator.stats.byRoute };
	const resumedAt = Date.now();
	// Its 100,000 items are read from n8n's database: `--rawOutput` of that many is cut off when n8n exits.
	const resumed = await (await startExecute('e2eCrashResume')).done;
	expect(resumed.code).toBe(0);
	const stored = await storedRun(env.n8n, path.join(env.tmp, 'user'), 'e2eCrashResume', 'Load Leads', path.join(env.tmp, 'resumed.json'));
	expect(stored.status).toBe('success');
	log(`resume run: ${stored.status} in ${((Date.now() - resumedAt) / 1000).toFixed(1)} s (whole test so far ${((Date.now() - started) / 1000).toFixed(1)} s)`);
	const made = Object.entries(env.emulator.stats.byRoute).filter(([route, n]) => n !== (before[route] ?? 0)).map(([route]) => route);
	expect(made.filter((route) => !route.startsWith('GET ') && route !== 'POST /services/oauth2/token')).toEqual([]); // nothing created or uploaded

	// 4. Every item has its outcome, paired to it.
	const items = stored.rows.map(([item, status, success, jobId, id, lastName, errorCode, error]) => ({ pairedItem: { item }, json: { status, success, jobId, id, errorCode, error, record: { LastName: lastName } } }));
	expect(items.length).toBe(ROWS);
	const count = (status) => items.filter((item) => item.json.status === status).length;
	const [successful, failed, unprocessed] = [count('created'), count('failed'), count('unprocessed')];
	log(`outcomes: ${successful} created, ${failed} failed, ${unprocessed} unprocessed`);
	expect(successful + failed + unprocessed).toBe(ROWS);
	expect([successful, failed, unprocessed]).toEqual([94905, 95, 5000]);
	items.forEach((item, i) => {
		if (item.pairedItem.item !== i || item.json.record.LastName !== `Crash ${i}`) throw new Error(`item ${i} is paired to ${JSON.stringify(item.pairedItem)} with ${JSON.stringify(item.json.record)}`);
	});
	for (const i of [0, 13, 39999, 40000, 55012, 80000, 94999, 95000, 99999]) {
		const { json } = items[i];
		const job = jobs[Math.floor(i / 40000)].id;
		if (i >= 95000) expect(json).toMatchObject({ status: 'unprocessed', success: false, jobId: job, error: 'InvalidBatch : Simulated failure after n8n died' });
		else if (i % 1000 === 13) expect(json).toMatchObject({ status: 'failed', success: false, jobId: job, errorCode: 'REQUIRED_FIELD_MISSING' });
		else expect(json).toMatchObject({ status: 'created', success: true, jobId: job, record: { LastName: `Crash ${i}` } });
	}

	// 5. The org holds each successful row once, under the ID its item got.
	const leads = [...env.emulator.org.table('Lead').values()].filter((lead) => String(lead.LastName).startsWith('Crash '));
	expect(leads.length).toBe(successful);
	expect(new Set(leads.map((lead) => lead.LastName)).size).toBe(successful);
	const byId = new Map(leads.map((lead) => [lead.Id, lead]));
	for (const item of items) if (item.json.success && byId.get(item.json.id)?.LastName !== item.json.record.LastName) throw new Error(`lead ${item.json.id} is not ${item.json.record.LastName}`);
	log(`crash and resume of ${ROWS} items: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 20 * MINUTE);
