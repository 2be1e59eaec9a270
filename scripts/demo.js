#!/usr/bin/env node
'use strict';
/**
 * `npm run demo`: runs the example workflows (examples/*.json) headlessly in the real n8n against the
 * Salesforce emulator and prints what each of our nodes did: records loaded and failed, rows exported,
 * files written. With `--trigger`, also activates the trigger example in `n8n start` and shows it firing
 * for the job the "start a load job" example leaves running (about a minute more: n8n polls every minute).
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ROOT, PACKAGE, N8n, emulatorCredential, killAll, until } = require('./lib/n8n');
const { startEmulator } = require('../test/emulator');
const { ensureOwner, login } = require('./start');

const out = (line = '') => process.stdout.write(`${line}\n`);
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One line on what a node's output items say. */
function describeOutput(items) {
	const json = items.map((i) => i.json);
	const binaries = items.flatMap((i) => Object.values(i.binary ?? {}));
	if (binaries.length) {
		return binaries
			.map((b, i) => {
				const rows = json[i]?.numberOfRecords ?? json[i]?.rows;
				return `file ${b.fileName} (${b.fileSize ?? '?'}${rows === undefined ? '' : `, ${plural(rows, 'row')}`})`;
			})
			.join('; ');
	}
	if (json.length && json.every((j) => typeof j.status === 'string' && 'success' in j)) {
		const counts = {};
		for (const j of json) counts[j.status] = (counts[j.status] ?? 0) + 1;
		const failed = json.find((j) => !j.success);
		const message = String(failed?.error ?? '').replace(`${failed?.errorCode}:`, '').trim();
		const detail = failed ? ` — e.g. ${failed.errorCode}: ${message.slice(0, 80)}` : '';
		return `${plural(json.length, 'record')}: ${Object.entries(counts).map(([s, n]) => `${n} ${s}`).join(', ')}${detail}`;
	}
	if (json.length === 1 && json[0].id && json[0].state) {
		const job = json[0];
		const numbers = job.numberRecordsProcessed === undefined ? '' : `, ${job.numberRecordsProcessed} processed, ${job.numberRecordsFailed ?? 0} failed`;
		const kind = job.jobId ? `batch ${job.id} of job ${job.jobId}` : `job ${job.id} ${job.object ?? ''} ${job.operation ?? ''}`;
		return `${kind} → ${job.state}${numbers}`.replace(/ +/g, ' ');
	}
	if (json.length === 1 && json[0].deleted) return `job ${json[0].id} deleted`;
	if (json.length === 1 && json[0].uploaded) return `data uploaded to job ${json[0].id}`;
	if (json.length && json.every((j) => j.sf__Error !== undefined)) return `${plural(json.length, 'failed row')}: ${json.map((j) => j.sf__Error.split(':')[0]).join(', ')}`;
	if (json.length && json.every((j) => j.sf__Id !== undefined)) return `${plural(json.length, 'successful row')}`;
	return plural(json.length, 'item');
}

/** What each of our nodes in an execution did, in the order they ran. */
function summarize(execution, workflow) {
	const ours = new Set(workflow.nodes.filter((n) => n.type.includes('salesforceBulk')).map((n) => n.name));
	const runData = execution.data.resultData.runData;
	const ran = Object.entries(runData)
		.filter(([name]) => ours.has(name))
		.sort(([, a], [, b]) => a[0].startTime - b[0].startTime);
	return ran.map(([name, runs]) => {
		const run = runs[0];
		const seconds = (run.executionTime / 1000).toFixed(1);
		const what = run.error ? `ERROR ${run.error.message}` : describeOutput(run.data.main[0] ?? []);
		return `  ${name.padEnd(32)} ${what}  (${seconds} s)`;
	});
}

async function main() {
	const withTrigger = process.argv.includes('--trigger');
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-sf-bulk-demo-'));
	let emulator;
	let server;
	try {
		out(`n8n-nodes-salesforce-bulk ${PACKAGE.version} — the example workflows in the real n8n ${PACKAGE.config.n8nVersion}, against the Salesforce emulator`);
		const n8n = await N8n.create({ userFolder: path.join(tmp, 'user'), tmp, files: tmp, encryptionKey: 'demo-only-key', log: (m) => out(`· ${m}`) });
		emulator = await startEmulator({ jobDelayMs: 300, seed: { Account: 25 } });
		out(`· emulator at ${emulator.url} with 25 Accounts; importing the credential and ${fs.readdirSync(path.join(ROOT, 'examples')).length} examples`);
		await n8n.importCredentials([emulatorCredential('sfBulkEmulator', 'Salesforce Bulk (emulator)', emulator)]);
		const sources = fs
			.readdirSync(path.join(ROOT, 'examples'))
			.filter((f) => f.endsWith('.json'))
			.map((f) => path.join(ROOT, 'examples', f));
		const imported = await n8n.importWorkflows(sources); // { id: file }
		const workflows = Object.fromEntries(Object.entries(imported).map(([id, file]) => [id, { ...JSON.parse(fs.readFileSync(file, 'utf8')), file }]));

		let failures = 0;
		for (const workflow of Object.values(workflows)) {
			if (!workflow.nodes.some((n) => n.type === 'n8n-nodes-base.manualTrigger')) continue;
			out();
			out(`▶ ${workflow.name}  (examples/${path.basename(workflow.file)})`);
			const started = Date.now();
			const result = await n8n.execute(workflow.id, { expectFailure: true });
			for (const line of summarize(result.execution, workflow)) out(line);
			out(`  → ${result.execution.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
			if (result.execution.status !== 'success') failures++;
		}

		const org = emulator.org;
		out();
		out(`The emulator's org now holds ${plural(org.table('Account').size, 'Account')} and ${plural(org.table('Contact').size, 'Contact')}.`);

		if (withTrigger) {
			out();
			out('▶ Salesforce Bulk: handle finished load jobs (trigger, in `n8n start`)');
			const triggerId = Object.values(workflows).find((w) => w.nodes.some((n) => /\.salesforceBulk2?Trigger$/.test(n.type))).id;
			const published = await n8n.cli(['publish:workflow', `--id=${triggerId}`]);
			if (published.code !== 0) throw new Error(`publishing the trigger workflow failed:\n${published.stdout}`);
			server = await n8n.start();
			out('  activated; its first poll records the jobs that already finished (no replay). Starting a new load job…');
			await n8n.execute('sfBulkStartJob');
			// The editor's REST API, as the owner, tells when the trigger's workflow has run.
			await ensureOwner(server.url);
			const cookie = await login(server.url);
			const executions = async () => {
				const query = new URLSearchParams({ filter: JSON.stringify({ workflowId: triggerId }) });
				const res = await fetch(`${server.url}/rest/executions?${query}`, { headers: { cookie } });
				return res.ok ? ((await res.json()).data?.results ?? []) : [];
			};
			const fired = await until('the trigger to fire (n8n polls every minute)', async () => (await executions()).at(0), 150_000, 2000);
			out(`  the trigger fired: execution ${fired.id}, ${fired.status}`);
		}
		out();
		out(failures ? `${plural(failures, 'workflow')} did not succeed.` : 'All example workflows succeeded.');
		process.exitCode = failures ? 1 : 0;
	} finally {
		await server?.stop();
		killAll();
		await emulator?.close();
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack || error.message}\n`);
	process.exit(1);
});
