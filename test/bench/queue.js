'use strict';
/**
 * Workload 7 of `npm run bench`: memory where big users run the package — n8n in queue mode (main + a
 * worker, PostgreSQL, Redis, binary data in the database store) — against the same workflows in a
 * regular-mode `n8n start` (filesystem binary store). Each case gets a fresh n8n process (worker, or
 * regular main), started by a webhook on main; the figure is that process's peak RSS (VmHWM in
 * /proc/<pid>/status) over its life: start, one execution, nothing else.
 *
 * Cases: Run Query to files of 1 and 2 million rows, as one file and split into files (the 1.1 default,
 * 100 MB), and Load Records of 200,000 items built by a Code node.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomUUID } = require('node:crypto');
const { Agent } = require('undici');

const { PACKAGE, MINUTE, N8n, emulatorCredential } = require('../../scripts/lib/n8n');
const { startQueueStack, memoryOf } = require('../../scripts/lib/queue');
const { startEmulatorProcess } = require('./lib/emulator');
const { QUERY } = require('./lib/data');

const V2 = `${PACKAGE.name}.salesforceBulk2`;
const credentials = { salesforceBulkOAuth2Api: { id: 'sfBulkEmulator', name: 'Salesforce Bulk (emulator)' } };
const agent = new Agent({ headersTimeout: 30 * MINUTE, bodyTimeout: 30 * MINUTE });

function hookWorkflow(id, nodes) {
	const all = [
		{ id: `${id}-0`, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: randomUUID(), parameters: { httpMethod: 'POST', path: id, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} } },
		...nodes.map((n, i) => ({ id: `${id}-${i + 1}`, position: [220 * (i + 1), 0], ...n })),
	];
	const connections = {};
	for (let i = 0; i + 1 < all.length; i++) connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name: `bench: ${id}`, nodes: all, connections, settings: { executionOrder: 'v1' }, active: false };
}

/** The workload's workflows: exports of `rows` as one file or split (default 100 MB), and a 200k load. */
function workflows(sizes) {
	const exportNode = (rows, split) => ({
		name: 'Export',
		type: V2,
		typeVersion: 1.1,
		credentials,
		parameters: { resource: 'queryJob', operation: 'runQuery', query: `${QUERY} LIMIT ${rows}`, outputAs: 'binary', fileName: 'accounts.csv', splitFiles: split ? 'size' : 'one', options: {} },
	});
	const flows = [];
	for (const rows of sizes.exportRows) for (const split of [false, true]) flows.push(hookWorkflow(`bench-export-${rows}-${split ? 'split' : 'one'}`, [exportNode(rows, split)]));
	flows.push(
		hookWorkflow(`bench-load-${sizes.loadRows}`, [
			{ name: 'Items', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: `const out = []; for (let i = 0; i < ${sizes.loadRows}; i++) out.push({ json: { Name: 'Bench ' + i, AccountNumber: 'B-' + i, Industry: 'Energy' } }); return out;` } },
			{ name: 'Load', type: V2, typeVersion: 1.1, credentials, parameters: { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert', inputDataType: 'items', fieldsToSend: 'all', options: {} } },
			{ name: 'Count', type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { jsCode: 'return [{ json: { items: $input.all().length } }];' } },
		]),
	);
	return flows;
}

/** POSTs to a webhook (again while it answers 404: not registered yet); the run's seconds. */
async function post(url) {
	for (let attempt = 0; ; attempt++) {
		const started = Date.now();
		const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}', dispatcher: agent });
		const text = await res.text();
		if (res.status === 404 && attempt < 60) {
			await new Promise((resolve) => setTimeout(resolve, 1000));
			continue;
		}
		if (!res.ok) throw new Error(`${url}: HTTP ${res.status} ${text.slice(0, 300)}`);
		return { seconds: (Date.now() - started) / 1000, answer: text };
	}
}

/** Runs every case in queue mode, each in a fresh worker; returns { [case]: { peakMiB, seconds } }. */
async function queueCases(flows, emulator, log) {
	const results = {};
	const stack = await startQueueStack({ workers: 1, concurrency: 1, emulator, workflows: flows, publish: flows.map((f) => f.id), skipBuild: true, log });
	try {
		for (const flow of flows) {
			await stack.restartWorker(0);
			const worker = stack.workers[0];
			const idleMiB = worker.memory().rssMiB;
			const { seconds } = await post(`${stack.url}/webhook/${flow.id}`);
			results[flow.id] = { peakMiB: worker.memory().peakMiB, idleMiB, seconds, runnerPeakMiB: Math.max(0, ...worker.runnerPids().map((pid) => memoryOf(pid).peakMiB).filter(Number.isFinite)) };
			log(`7 queue · ${flow.id}: worker peak ${results[flow.id].peakMiB.toFixed(0)} MiB, ${seconds.toFixed(1)} s`);
		}
	} finally {
		await stack.stop();
	}
	return results;
}

/** The same cases in regular mode: one `n8n start` per case (SQLite, filesystem binary data). */
async function regularCases(flows, emulator, log) {
	const results = {};
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-sf-bulk-bench-regular-'));
	try {
		const n8n = await N8n.create({ userFolder: path.join(tmp, 'user'), tmp, encryptionKey: 'bench-regular-key', skipBuild: true });
		await n8n.importCredentials([emulatorCredential('sfBulkEmulator', 'Salesforce Bulk (emulator)', emulator)]);
		const dir = fs.mkdtempSync(path.join(tmp, 'wf-'));
		await n8n.importWorkflows(flows.map((f) => {
			const file = path.join(dir, `${f.id}.json`);
			fs.writeFileSync(file, JSON.stringify(f));
			return file;
		}));
		for (const flow of flows) {
			const result = await n8n.cli(['publish:workflow', `--id=${flow.id}`]);
			if (result.code !== 0) throw new Error(`publish ${flow.id} failed`);
		}
		for (const flow of flows) {
			const server = await n8n.start({ timeoutMs: 60 * MINUTE });
			try {
				const pid = server.done.child.pid;
				await new Promise((resolve) => setTimeout(resolve, 3000)); // past the start-up work
				const idleMiB = memoryOf(pid).rssMiB;
				const { seconds } = await post(`${server.url}/webhook/${flow.id}`);
				results[flow.id] = { peakMiB: memoryOf(pid).peakMiB, idleMiB, seconds };
				log(`7 regular · ${flow.id}: n8n peak ${results[flow.id].peakMiB.toFixed(0)} MiB, ${seconds.toFixed(1)} s`);
			} finally {
				await server.stop();
			}
		}
	} finally {
		fs.rmSync(tmp, { recursive: true, force: true });
	}
	return results;
}

/** Workload 7: both modes. `sizes` = { exportRows: [1e6, 2e6], loadRows }. */
async function workload7(sizes, log) {
	const emulator = await startEmulatorProcess({ jobDelayMs: 0, generate: { Account: Math.max(...sizes.exportRows) } });
	try {
		const flows = workflows(sizes);
		const queue = await queueCases(flows, emulator, log);
		const regular = await regularCases(flows, emulator, log);
		return { sizes, queue, regular, idle: { queueWorkerMiB: Math.min(...Object.values(queue).map((r) => r.peakMiB)) } };
	} finally {
		await emulator.close();
	}
}

/** The workload's rows of the summary table and its lines of "All runs". */
function report7(w7, { fmt, int, row, push }) {
	const { sizes, queue, regular } = w7;
	const [n1, n2] = sizes.exportRows;
	const peak = (mode, id) => mode[id]?.peakMiB ?? NaN;
	// Peak, and in brackets what the run added to the process's RSS at rest before it.
	const added = (mode, id) => peak(mode, id) - (mode[id]?.idleMiB ?? NaN);
	const cell = (id, mode = queue) => `${fmt(peak(mode, id), 0)} MiB (+${fmt(added(mode, id), 0)})`;
	const ratio = (id) => `${fmt(peak(queue, id) / peak(regular, id), 2)}× (added: ${fmt(added(queue, id) / added(regular, id), 2)}×)`;
	const one = (n) => `bench-export-${n}-one`;
	const split = (n) => `bench-export-${n}-split`;
	const flatSplit = added(queue, split(n2)) <= added(queue, split(n1)) * 1.15 + 20;
	row(7, `Queue mode (n8n worker, database binary store; 1 run per case): export ${int(n1)} rows to one file`, 'worker peak RSS', cell(one(n1)), `${cell(one(n1), regular)} (regular-mode n8n, filesystem store)`, ratio(one(n1)), '(informative)', 'n/a');
	row(7, `… ${int(n2)} rows to one file`, 'worker peak RSS', cell(one(n2)), cell(one(n2), regular), ratio(one(n2)), '(informative)', 'n/a');
	row(7, `… ${int(n1)} rows split (100 MB files, the 1.1 default)`, 'worker peak RSS', cell(split(n1)), cell(split(n1), regular), ratio(split(n1)), '(informative)', 'n/a');
	row(7, `… ${int(n2)} rows split (100 MB files)`, 'worker peak RSS', cell(split(n2)), cell(split(n2), regular), ratio(split(n2)), 'split: added RSS flat when doubled (≤ +15 % + 20 MiB)', flatSplit ? '**yes**' : '**no**');
	const load = `bench-load-${sizes.loadRows}`;
	row(7, `… Load Records of ${int(sizes.loadRows)} items (Code node → Load Records)`, 'worker peak RSS', cell(load), cell(load, regular), ratio(load), '(informative)', 'n/a');
	return {
		goals: [flatSplit],
		runs() {
			for (const [mode, results] of [['queue worker', queue], ['regular n8n', regular]]) {
				for (const [id, r] of Object.entries(results)) push(`- 7 · ${mode} · ${id}: ${fmt(r.seconds, 1)} s / ${fmt(r.peakMiB, 0)} MiB (at rest before: ${fmt(r.idleMiB, 0)} MiB)${r.runnerPeakMiB ? ` (task runner ${fmt(r.runnerPeakMiB, 0)} MiB)` : ''}`);
			}
		},
	};
}

module.exports = { workload7, report7, workflows };
