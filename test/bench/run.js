#!/usr/bin/env node
'use strict';
// `npm run bench`: every benchmark on loopback, written to test/bench/RESULTS.md. Query pages and uploads
// (workloads 1, 2, 4) go through the wire-speed server (wire-process.js: pre-rendered, pre-gzipped pages
// from memory, an upload sink), so the figures measure the client, not the emulator; loads that wait for
// results (3) and polling (6) run against the emulator.
//
//   npm run bench                    full sizes, 3 runs of each case (about 15 minutes)
//   npm run bench -- --quick         small sizes, 1 run, short job delays (a couple of minutes) → RESULTS-quick.md
//   options: --runs N  --only 1,3,5  --no-build  --out FILE          (BENCH_QUICK=1 = --quick)
//
// How: the package is built and the test harness transpiled; every measured run is a fresh Node process
// (case.js) so its peak RSS is that case's alone, and talks to an emulator in another process (its memory
// and CPU are not the client's). Rounds alternate the order of a workload's cases so machine load hits them
// alike; each figure is the median of the runs. Every workload runs at two sizes (N/2 and N) to show how time
// and memory grow; every node run reports the event-loop delay of its process (lib/measure.js). Workload 6
// computes the polling schedule in simulated time (10 s … 1 h jobs) and checks it over real HTTP on an
// emulator processing at a steady rate: 10 s and 60 s in real time, 10 min and 1 h on a clock running 20×/60×
// faster in both processes (lib/scaled-clock.js); they run last, all at once (dozens of
// processes: run beside the others they put the machine's load at 10-17 and moved those workloads' ratios). Workload 7 (test/bench/queue.js)
// runs n8n itself, in queue mode (a worker's peak RSS) and in regular mode, one run per case.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync, execSync } = require('node:child_process');

const { buildHarness } = require('./lib/ts');
const { runCase } = require('./lib/child');
const { startEmulatorProcess } = require('./lib/emulator');
const { QUERY, writeAccountCsv } = require('./lib/data');
const { CASES: CSV_CASES, PAIRS: CSV_PAIRS } = require('./csv-bench');
const { workload7, report7 } = require('./queue');

const ROOT = path.join(__dirname, '../..');
const SCALED_CLOCK = path.join(__dirname, 'lib/scaled-clock.js');
const TMP = path.join(__dirname, '.tmp');
const MiB = 1024 * 1024;

function parseArgs(argv) {
	const args = { quick: process.env.BENCH_QUICK === '1', build: true, only: null, runs: null, out: null };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		if (arg === '--quick') args.quick = true;
		else if (arg === '--no-build') args.build = false;
		else if (arg === '--runs') args.runs = Number(argv[++i]);
		else if (arg === '--only') args.only = new Set(argv[++i].split(',').map(Number));
		else if (arg === '--out') args.out = path.resolve(argv[++i]);
		else throw new Error(`Unknown option ${arg} (see the top of test/bench/run.js)`);
	}
	return args;
}

const args = parseArgs(process.argv.slice(2));
const SIZES = args.quick
	? { exportRows: 100000, itemRows: 20000, loadRows: 20000, fileMB: 30, splitMB: 10, csvMB: 10, delaysMs: [2000, 6000], scaledJobs: [{ ms: 600000, scale: 60 }, { ms: 3600000, scale: 240 }], runs: 1, queue: { exportRows: [100000, 200000], loadRows: 20000 } }
	: { exportRows: 1000000, itemRows: 200000, loadRows: 200000, fileMB: 300, splitMB: 100, csvMB: 100, delaysMs: [10000, 60000], scaledJobs: [{ ms: 600000, scale: 20 }, { ms: 3600000, scale: 60 }], runs: 3, queue: { exportRows: [1000000, 2000000], loadRows: 200000 } };
const RUNS = args.runs ?? SIZES.runs;
/** Workloads 1, 2 and 4 take about a second a run, where a busy moment of this shared machine moves a figure by ±30 %: more runs. */
const WIRE_RUNS = args.runs ?? (args.quick ? 1 : 5);
const OUT = args.out ?? path.join(__dirname, args.quick ? 'RESULTS-quick.md' : 'RESULTS.md');
const selected = (n) => !args.only || args.only.has(n);

// ---- helpers -------------------------------------------------------------------------------------

const median = (values) => {
	const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
	if (!sorted.length) return NaN;
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a');
const int = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const log = (...parts) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${parts.join(' ')}\n`);
const startLoad = os.loadavg()[0];
const loads = [];
const noteLoad = () => loads.push(os.loadavg()[0]);

/** Runs `cases` (name → () => Promise<result>) `runs` times, rotating their order each round. */
async function rounds(label, cases, runs = RUNS) {
	const names = Object.keys(cases);
	const results = Object.fromEntries(names.map((n) => [n, []]));
	for (let r = 0; r < runs; r++) {
		const order = names.map((_, k) => names[(k + r) % names.length]);
		for (const name of order) {
			noteLoad();
			const result = await cases[name]();
			results[name].push(result);
			log(`${label} · ${name} · run ${r + 1}/${runs}: ${fmt(result.seconds, 2)} s, ${result.mbps ? `${fmt(result.mbps, 1)} MB/s` : `peak RSS ${fmt(result.peakRssMB, 0)} MB`}`);
		}
	}
	return results;
}

/** One case run against a fresh emulator process with these options. */
async function withEmulator(options, file, name, params, clockScale = 1) {
	// A scaled clock (lib/scaled-clock.js) in both processes, from one origin so their timestamps agree.
	const clock = clockScale === 1 ? { nodeArgs: [], env: {} } : { nodeArgs: ['--require', SCALED_CLOCK], env: { BENCH_CLOCK_SCALE: String(clockScale), BENCH_CLOCK_ORIGIN: String(Date.now()) } };
	const emulator = await startEmulatorProcess(options, clock);
	try {
		return await runCase(file, name, { ...params, emulator: { url: emulator.url, credentials: emulator.credentials } }, { nodeArgs: clock.nodeArgs, env: { BENCH_TMP: TMP, ...clock.env } });
	} finally {
		await emulator.close();
	}
}

const med = (runs, key) => median(runs.map((r) => r[key]));

function versionOf(pkg) {
	try {
		return JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version;
	} catch {
		return 'n/a';
	}
}

function machine() {
	const cpus = os.cpus();
	let commit = 'n/a';
	try {
		commit = execSync('git rev-parse --short HEAD', { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
		const dirty = execSync('git status --porcelain -- nodes credentials', { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
		if (dirty) commit += ' (with uncommitted changes in nodes/)';
	} catch {
		// not a git checkout
	}
	return {
		cpu: `${cpus[0]?.model ?? 'unknown'} × ${cpus.length}`,
		ram: `${fmt(os.totalmem() / 1024 ** 3, 1)} GiB`,
		os: `${os.type()} ${os.release()} (${os.arch()})`,
		node: process.version,
		versions: ['n8n-core', 'n8n-workflow', 'jsforce', 'undici', 'csv-parse', 'csv-stringify'].map((p) => `${p} ${versionOf(p)}`).join(', '),
		commit,
	};
}

// ---- workloads -------------------------------------------------------------------------------------

/** One case run against a server already started (shared by the cases it compares); its counts reset first. */
async function withServer(server, file, name, params) {
	await fetch(`${server.url}/__emulator/stats`, { method: 'DELETE' });
	return await runCase(file, name, { ...params, emulator: { url: server.url, credentials: server.credentials } }, { env: { BENCH_TMP: TMP } });
}

/** The two sizes of a workload: half and all of `n`, so that growth is shown, not assumed. */
const twoSizes = (n) => [n / 2, n];

/**
 * 1. Query export to a binary file, at N/2 and N rows: the node vs raw undici (pages to disk), both against
 * the wire-speed page server (wire-process.js), the same server for both within a size.
 */
async function queryExportToFile() {
	const out = {};
	for (const rows of twoSizes(SIZES.exportRows)) {
		const server = await startEmulatorProcess({ generate: { Account: rows }, query: QUERY }, { wire: true });
		const params = { soql: QUERY, rows };
		try {
			out[rows] = await rounds(`1 export ${int(rows)} rows (wire)`, {
				node: () => withServer(server, 'query.js', 'nodeExportFile', params),
				raw: () => withServer(server, 'query.js', 'rawExportFile', params),
			}, WIRE_RUNS);
			out[rows].pages = server.pages;
		} finally {
			await server.close();
		}
	}
	return out;
}

/** 2. Query to typed items at N/2 and N rows: the node vs undici + csv-parse (columns: true), on the wire-speed server. */
async function queryToItems() {
	const out = {};
	for (const rows of twoSizes(SIZES.itemRows)) {
		const server = await startEmulatorProcess({ generate: { Account: rows }, query: QUERY }, { wire: true });
		const params = { soql: QUERY, rows };
		try {
			out[rows] = await rounds(`2 items ${int(rows)} rows (wire)`, {
				node: () => withServer(server, 'query.js', 'nodeItems', params),
				csvParse: () => withServer(server, 'query.js', 'csvParseItems', params),
			}, WIRE_RUNS);
		} finally {
			await server.close();
		}
	}
	return out;
}

/** 3. Load from items (upsert: a quarter update existing records, the rest insert) at N/2 and N: the node vs jsforce, on the emulator (results are matched). */
async function loadFromItems() {
	const out = {};
	for (const rows of twoSizes(SIZES.loadRows)) {
		// The org holds rows/2 Accounts (LEG-1 …); the load upserts LEG-(rows/4 + 1) …: a quarter update, the rest insert.
		const emulator = { generate: { Account: rows / 2 } };
		const params = { rows, firstLegacyId: rows / 4 + 1 };
		out[rows] = await rounds(`3 load ${int(rows)} items`, {
			node: () => withEmulator(emulator, 'load.js', 'nodeLoadItems', params),
			jsforce: () => withEmulator(emulator, 'load.js', 'jsforceLoadItems', params),
		});
	}
	return out;
}

/**
 * 4. Load from a big binary CSV (split across jobs, no waiting) of N/2 and N MB: the node vs the same parts
 * streamed by undici, both into the wire-speed upload sink (wire-process.js).
 */
async function loadFromBigFile() {
	const out = {};
	for (const mb of twoSizes(SIZES.fileMB)) {
		const file = path.join(TMP, `accounts-${mb}MB.csv`);
		const data = writeAccountCsv(file, mb * 1e6, SIZES.splitMB * MiB);
		const server = await startEmulatorProcess({}, { wire: true });
		const params = { file, rows: data.rows, parts: data.parts, splitSizeMB: SIZES.splitMB === 100 ? undefined : SIZES.splitMB };
		try {
			out[mb] = await rounds(`4 load file ${mb} MB (sink)`, {
				node: () => withServer(server, 'load.js', 'nodeLoadFile', params),
				raw: () => withServer(server, 'load.js', 'rawLoadFile', params),
			}, WIRE_RUNS);
			out[mb].data = { rows: data.rows, bytes: data.bytes, parts: data.parts.length };
		} finally {
			await server.close();
			fs.rmSync(file, { force: true });
		}
	}
	return out;
}

/** 5. CSV codec: csv-bench.js's cases, each run in a fresh process. */
async function csvCodec() {
	const script = path.join(__dirname, 'csv-bench.js');
	const names = Object.keys(CSV_CASES);
	const cases = Object.fromEntries(
		names.map((name) => [
			name,
			async () => {
				const out = execFileSync(process.execPath, ['--expose-gc', script, '--case', name, String(SIZES.csvMB)], { encoding: 'utf8', maxBuffer: 1 << 20 });
				const result = JSON.parse(out);
				return { ...result, mbps: result.bytes / 1e6 / result.seconds };
			},
		]),
	);
	return await rounds(`5 csv ${SIZES.csvMB} MB`, cases);
}

/**
 * 6. Polling, real: every (job, client, run) at once, each with an emulator of its own processing at a steady
 * rate. The short jobs run in real time; the 10-minute and 1-hour ones on a clock SCALE times faster in both
 * processes (lib/scaled-clock.js), so a real round trip counts SCALE times (reported as `rttMs`).
 */
function startPolling() {
	const runs = [];
	const jobs = [...SIZES.delaysMs.map((ms) => ({ ms, scale: 1 })), ...SIZES.scaledJobs];
	for (let r = 0; r < RUNS; r++) {
		for (const { ms: delayMs, scale } of jobs) {
			for (const client of ['node', 'jsforce', 'cli']) {
				const emulator = { ingestRecordsPerSecond: POLL_ROWS / (delayMs / 1000) };
				const run = withEmulator(emulator, 'polling.js', `${client}Wait`, { delayMs, rows: POLL_ROWS }, scale).then((result) => {
					log(`6 polling · ${client} · ${delayMs / 1000} s job (clock ×${scale}): ${result.polls} polls, seen +${fmt(result.lateMs / 1000, 1)} s, ${result.requests} requests, ${fmt(result.seconds, 1)} s real`);
					return { client, delayMs, scale, ...result };
				});
				runs.push(run);
			}
		}
	}
	return Promise.all(runs);
}
const POLL_ROWS = 1000;
/** Workload 6's goal for a job of this length: seen within 10 % or 3 s of its end, and the request budget. */
function pollingGoal(jobMs, lateMs, polls) {
	const allowed = Math.max(GOAL[6].lateShare * jobMs, GOAL[6].lateMinMs);
	const budget = jobMs === 600000 ? GOAL[6].polls10min : jobMs === 3600000 ? GOAL[6].polls1h : Infinity;
	return { met: lateMs <= allowed && polls <= budget, text: `seen ≤ +${fmt(allowed / 1000, 0)} s${Number.isFinite(budget) ? `, ≤ ${budget} requests` : ''}` };
}
/** The (job length, clock scale) pairs of workload 6's real runs, shortest first. */
const uniqueJobs = (runs) => [...new Map(runs.map((r) => [r.delayMs, { delayMs: r.delayMs, scale: r.scale }])).values()].sort((a, b) => a.delayMs - b.delayMs);

/**
 * 6. Polling, simulated: the node's PollSchedule (from dist/, the code the node runs) against a job that
 * processes its rows at a steady rate from the first poll, in simulated time (no waiting: an hour's job is
 * computed, not waited for); jsforce's fixed 1 s and the Salesforce CLI's fixed 5 s for comparison.
 */
function simulatePolling() {
	const { PollSchedule } = require(path.join(ROOT, 'dist/nodes/shared/transport/wait.js'));
	const schedules = {
		node: () => {
			const schedule = new PollSchedule();
			return (at, progress) => schedule.next(at, progress);
		},
		jsforce: () => () => 1000,
		cli: () => () => 5000,
	};
	const out = [];
	for (const jobMs of [10000, 60000, 600000, 3600000]) {
		for (const [client, make] of Object.entries(schedules)) {
			const next = make();
			let at = 0;
			let polls = 1;
			while (at < jobMs) {
				at += next(at, { done: Math.floor((POLL_ROWS * at) / jobMs), total: POLL_ROWS });
				polls++;
			}
			out.push({ client, jobMs, polls, lateMs: at - jobMs });
		}
	}
	return out;
}

/**
 * The workloads: what each measures (`name`, and its number for --only and the report), how it runs, and the
 * goals its figures are held to. Polling (6) runs after the others (see the top of this file).
 */
const WORKLOADS = [
	{ number: 1, name: 'query export to a binary file (wire-speed server)', run: queryExportToFile, goal: { throughputVsRaw: 0.8, peakRssMB: 200, flatWhenDoubled: 1.1 } },
	{ number: 2, name: 'query to typed items (wire-speed server)', run: queryToItems, goal: { rowsPerSecondVsCsvParse: 2 } },
	{ number: 3, name: 'load from items, results paired back', run: loadFromItems, goal: { timeVsJsforce: 1, peakRssVsJsforce: 1 } },
	{ number: 4, name: 'load from a big binary CSV (wire-speed sink)', run: loadFromBigFile, goal: { peakRssMB: 250, throughputVsRaw: 0.7 } },
	{ number: 5, name: 'CSV codec', run: csvCodec, goal: { vsBaseline: 'per case, CSV_PAIRS' } },
	{ number: 6, name: 'status requests while waiting', run: startPolling, goal: { polls10min: 15, polls1h: 25, lateShare: 0.1, lateMinMs: 3000 }, last: true },
];
/** Event-loop delay in the node's process during the biggest run of workloads 1-4 (measure.js). */
const LOOP_GOAL = { p99Ms: 50, maxMs: 200 };
const GOAL = Object.fromEntries(WORKLOADS.map((w) => [w.number, w.goal]));

// ---- report ------------------------------------------------------------------------------------------

function report(info, results, startedAt, finishedAt) {
	const lines = [];
	const push = (...l) => lines.push(...l);
	const goals = [];
	const goal = (met) => (met === undefined ? 'n/a' : met ? '**yes**' : '**no**');
	push(
		`# Benchmark results${args.quick ? ' (quick run: small sizes, 1 run — not the figures the goals are about)' : ''}`,
		'',
		`Written by \`npm run bench${args.quick ? ' -- --quick' : ''}\` (test/bench/run.js); do not edit by hand. Findings: the last section (from test/bench/findings.md).`,
		'',
		`- **Date**: ${startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC (took ${fmt((finishedAt - startedAt) / 60000, 1)} min)`,
		`- **Machine**: ${info.cpu}, ${info.ram} RAM, ${info.os}`,
		`- **Node** ${info.node}; ${info.versions}`,
		`- **Code**: commit ${info.commit}`,
		`- **Load average** (1 min) on ${os.cpus().length} cores: ${fmt(startLoad, 2)} when the run started${startLoad > os.cpus().length / 2 ? ' (other work was running: ratios, against baselines of the same run in alternating order, are steadier than absolute figures)' : ''}; before each case median ${fmt(median(loads), 2)}, max ${fmt(Math.max(...loads), 2)} (the benchmark's own client and emulator processes count in it; workload 6's, all at once, run last)`,
		`- **Method**: each figure is the median of ${RUNS} run${RUNS > 1 ? 's' : ''} (${WIRE_RUNS} for the short runs of workloads 1, 2 and 4); every run is a fresh Node process (peak RSS = \`process.resourceUsage().maxRSS\` of that process) against a server in its own process on 127.0.0.1: for workloads 1, 2 and 4 the wire-speed server (test/bench/wire-process.js: pre-rendered, pre-gzipped pages from memory, an upload sink), one per size, shared by the cases it compares; for 3 and 6 a fresh emulator per run. The event-loop delay is \`perf_hooks.monitorEventLoopDelay\` over the timed part of each run. The node runs as n8n runs it: the built package (dist/) in the test harness, i.e. n8n-core's execution context (WorkflowExecute.runNode), its HTTP helpers and its binary data service (filesystem mode). A node process starts at about 130 MB RSS with n8n-core loaded; undici processes at about 70 MB; jsforce in workload 3 runs with n8n-core loaded too (as from a Code node), so that both peaks carry n8n's memory.`,
		'',
		'## Summary',
		'',
		'| # | workload | figure | node | baseline | node / baseline | goal | met |',
		'|---|---|---|---|---|---|---|---|',
	);
	const row = (...cells) => push(`| ${cells.join(' | ')} |`);

	const mbps = (runs) => median(runs.map((r) => r.bytes / 1e6 / r.seconds));
	/** The node's event-loop delay, next to the baseline's in the same run: a baseline that does next to no CPU work shows what machine load alone adds. */
	const loopRow = (n, label, runs, baseline, baselineName) => {
		const p99 = (of) => median(of.map((r) => r.loop?.p99Ms));
		const max = (of) => Math.max(...of.map((r) => r.loop?.maxMs ?? NaN));
		const met = p99(runs) <= LOOP_GOAL.p99Ms && max(runs) <= LOOP_GOAL.maxMs;
		row(n, `… event-loop delay, ${label}`, 'p99 / max (ms)', `${fmt(p99(runs), 0)} / ${fmt(max(runs), 0)} ms`, `${fmt(p99(baseline), 0)} / ${fmt(max(baseline), 0)} ms (${baselineName}, same run)`, '', `p99 ≤ ${LOOP_GOAL.p99Ms}, max ≤ ${LOOP_GOAL.maxMs} ms`, goal(met));
		goals.push(met);
	};
	/** Time and peak memory at N against N/2: linear time is 2×, flat memory 1×. */
	const growthRow = (n, [small, big], runsOf, unit) => {
		const t = med(runsOf(big), 'seconds') / med(runsOf(small), 'seconds');
		const m = med(runsOf(big), 'peakRssMB') / med(runsOf(small), 'peakRssMB');
		row(n, `… growth from ${int(small)} to ${int(big)} ${unit}`, 'time / peak RSS ratio', `${fmt(t, 2)}× / ${fmt(m, 2)}×`, '', '', '(informative: 2× = linear time, 1× = flat memory)', 'n/a');
	};
	const w1 = results[1];
	if (w1) {
		const [n1, n2] = twoSizes(SIZES.exportRows);
		for (const rows of [n1, n2]) {
			const r = w1[rows];
			const ratio = mbps(r.node) / mbps(r.raw);
			row(1, `Query export to a binary file, ${int(rows)} rows (${fmt(r.pages.bytes / 1e6, 0)} MB, ${r.pages.count} pages, ${fmt(r.pages.gzBytes / 1e6, 0)} MB gzipped), wire-speed server`, 'throughput', `${fmt(mbps(r.node))} MB/s`, `${fmt(mbps(r.raw))} MB/s (undici, raw pages to disk)`, `${fmt(ratio, 2)}×`, `≥ ${GOAL[1].throughputVsRaw}×`, goal(ratio >= GOAL[1].throughputVsRaw));
			goals.push(ratio >= GOAL[1].throughputVsRaw);
		}
		const peak1 = med(w1[n1].node, 'peakRssMB');
		const peak2 = med(w1[n2].node, 'peakRssMB');
		const flat = peak2 <= peak1 * GOAL[1].flatWhenDoubled;
		row(1, `… peak memory at ${int(n1)} / ${int(n2)} rows`, 'peak RSS', `${fmt(peak1, 0)} / ${fmt(peak2, 0)} MB`, `${fmt(med(w1[n1].raw, 'peakRssMB'), 0)} / ${fmt(med(w1[n2].raw, 'peakRssMB'), 0)} MB`, `${fmt(peak2 / peak1, 2)}× when doubled`, `< ${GOAL[1].peakRssMB} MB, flat (≤ +${Math.round((GOAL[1].flatWhenDoubled - 1) * 100)} %)`, goal(Math.max(peak1, peak2) < GOAL[1].peakRssMB && flat));
		goals.push(Math.max(peak1, peak2) < GOAL[1].peakRssMB && flat);
		growthRow(1, [n1, n2], (rows) => w1[rows].node, 'rows');
		loopRow(1, `${int(n2)}-row export`, w1[n2].node, w1[n2].raw, 'raw undici');
	}
	const w2 = results[2];
	if (w2) {
		const rps = (runs) => median(runs.map((r) => r.rows / r.seconds));
		const [n1, n2] = twoSizes(SIZES.itemRows);
		for (const rows of [n1, n2]) {
			const r = w2[rows];
			const ratio = rps(r.node) / rps(r.csvParse);
			row(2, `Query to typed items, ${int(rows)} rows, wire-speed server`, 'rows / s', int(rps(r.node)), `${int(rps(r.csvParse))} (undici + csv-parse, columns: true)`, `${fmt(ratio, 2)}×`, `≥ ${GOAL[2].rowsPerSecondVsCsvParse}×`, goal(ratio >= GOAL[2].rowsPerSecondVsCsvParse));
			goals.push(ratio >= GOAL[2].rowsPerSecondVsCsvParse);
		}
		row(2, `… memory at ${int(n2)} rows`, 'peak RSS', `${fmt(med(w2[n2].node, 'peakRssMB'), 0)} MB`, `${fmt(med(w2[n2].csvParse, 'peakRssMB'), 0)} MB`, `${fmt(med(w2[n2].node, 'peakRssMB') / med(w2[n2].csvParse, 'peakRssMB'), 2)}×`, '—', 'n/a');
		growthRow(2, [n1, n2], (rows) => w2[rows].node, 'rows');
		loopRow(2, `${int(n2)}-row query to items`, w2[n2].node, w2[n2].csvParse, 'undici + csv-parse');
	}
	const w3 = results[3];
	if (w3) {
		const [n1, n2] = twoSizes(SIZES.loadRows);
		for (const rows of [n1, n2]) {
			const r = w3[rows];
			const t = med(r.node, 'seconds') / med(r.jsforce, 'seconds');
			const peakNode = med(r.node, 'peakRssMB');
			const peakJs = med(r.jsforce, 'peakRssMB');
			row(3, `Load from items: ${int(rows)} upserts, results paired back`, 'total time', `${fmt(med(r.node, 'seconds'), 2)} s`, `${fmt(med(r.jsforce, 'seconds'), 2)} s (jsforce bulk2.loadAndWaitForResults)`, `${fmt(t, 2)}×`, `≤ ${GOAL[3].timeVsJsforce}×`, goal(t <= GOAL[3].timeVsJsforce));
			row(3, '… memory', 'peak RSS (process)', `${fmt(peakNode, 0)} MB`, `${fmt(peakJs, 0)} MB`, `${fmt(peakNode / peakJs, 2)}×`, `≤ ${GOAL[3].peakRssVsJsforce}×`, goal(peakNode <= peakJs * GOAL[3].peakRssVsJsforce));
			goals.push(t <= GOAL[3].timeVsJsforce, peakNode <= peakJs * GOAL[3].peakRssVsJsforce);
		}
		const grow = (runs) => median(runs.map((r) => r.peakRssMB - r.rssBeforeMB));
		row(3, `… memory the load adds at ${int(n2)}`, 'peak RSS − RSS with the input ready', `${fmt(grow(w3[n2].node), 0)} MB`, `${fmt(grow(w3[n2].jsforce), 0)} MB`, `${fmt(grow(w3[n2].node) / grow(w3[n2].jsforce), 2)}×`, '(informative)', 'n/a');
		row(3, '… HTTP requests', 'requests (polls)', `${int(med(w3[n2].node, 'requests'))} (${int(med(w3[n2].node, 'polls'))})`, `${int(med(w3[n2].jsforce, 'requests'))} (${int(med(w3[n2].jsforce, 'polls'))})`, '', 'counted', 'n/a');
		growthRow(3, [n1, n2], (rows) => w3[rows].node, 'items');
		loopRow(3, `${int(n2)}-item load with results matched`, w3[n2].node, w3[n2].jsforce, 'jsforce');
	}
	const w4 = results[4];
	if (w4) {
		const [m1, m2] = twoSizes(SIZES.fileMB);
		for (const mb of [m1, m2]) {
			const r = w4[mb];
			const peak = med(r.node, 'peakRssMB');
			const ratio = mbps(r.node) / mbps(r.raw);
			row(4, `Load from a ${fmt(r.data.bytes / 1e6, 0)} MB binary CSV (${int(r.data.rows)} rows → ${r.data.parts} jobs, no waiting), wire-speed sink`, 'throughput', `${fmt(mbps(r.node))} MB/s`, `${fmt(mbps(r.raw))} MB/s (undici streaming the parts from disk)`, `${fmt(ratio, 2)}×`, `≥ ${GOAL[4].throughputVsRaw}×`, goal(ratio >= GOAL[4].throughputVsRaw));
			row(4, '… memory', 'peak RSS', `${fmt(peak, 0)} MB`, `${fmt(med(r.raw, 'peakRssMB'), 0)} MB`, `${fmt(peak / med(r.raw, 'peakRssMB'), 2)}×`, `< ${GOAL[4].peakRssMB} MB`, goal(peak < GOAL[4].peakRssMB));
			goals.push(ratio >= GOAL[4].throughputVsRaw, peak < GOAL[4].peakRssMB);
		}
		growthRow(4, [m1, m2], (mb) => w4[mb].node, 'MB');
		loopRow(4, `${m2} MB file load`, w4[m2].node, w4[m2].raw, 'raw undici');
	}
	const w5 = results[5];
	if (w5) {
		for (const [ours, theirs, target] of CSV_PAIRS) {
			const ratio = med(w5[ours], 'mbps') / med(w5[theirs], 'mbps');
			row(5, `CSV codec, ${SIZES.csvMB} MB: ${ours.replace(/^ours /, '')}`, 'MB/s', fmt(med(w5[ours], 'mbps')), `${fmt(med(w5[theirs], 'mbps'))} (${theirs})`, `${fmt(ratio, 2)}×`, `≥ ${target}×`, goal(ratio >= target));
			goals.push(ratio >= target);
		}
	}
	const w6 = results[6];
	if (w6) {
		const label = (ms) => (ms >= 3600000 ? `${ms / 3600000} h` : ms >= 60000 ? `${ms / 60000} min` : `${ms / 1000} s`);
		for (const jobMs of [...new Set(w6.simulated.map((r) => r.jobMs))]) {
			const of = (client) => w6.simulated.find((r) => r.client === client && r.jobMs === jobMs);
			const [node, js, cli] = [of('node'), of('jsforce'), of('cli')];
			const { met, text } = pollingGoal(jobMs, node.lateMs, node.polls);
			// Where the same job ran over real HTTP (below), that row holds the goal; this one is its model.
			const measured = w6.real.some((r) => r.delayMs === jobMs);
			row(6, `Polling (simulated time, steady rate): a ${label(jobMs)} ingest job`, 'status requests; seen after the end', `${node.polls}; +${fmt(node.lateMs / 1000, 1)} s`, `jsforce (1 s): ${js.polls}; +${fmt(js.lateMs / 1000, 1)} s · Salesforce CLI (5 s): ${cli.polls}; +${fmt(cli.lateMs / 1000, 1)} s`, `${fmt(node.polls / js.polls, 3)}× jsforce's requests`, text, measured ? `model (${goal(met)})` : goal(met));
			if (!measured) goals.push(met);
		}
		// The same jobs over real HTTP against the emulator: the short ones in real time, the long ones on the
		// scaled clock (held to the goals; the simulated rows above are the model they are checked against).
		for (const { delayMs, scale } of uniqueJobs(w6.real)) {
			const of = (client) => w6.real.filter((r) => r.client === client && r.delayMs === delayMs);
			const [node, js, cli] = [of('node'), of('jsforce'), of('cli')];
			const polls = med(node, 'polls');
			const { met, text } = pollingGoal(delayMs, med(node, 'lateMs'), polls);
			const clock = scale === 1 ? 'real time' : `clock ×${scale}: a ${fmt(med(node, 'rttMs'), 1)} ms round trip counts ${fmt((med(node, 'rttMs') * scale) / 1000, 2)} s`;
			const seen = (runs) => `${int(med(runs, 'polls'))}; +${fmt(med(runs, 'lateMs') / 1000, 1)} s`;
			row(6, `Polling (real HTTP, emulator at a steady rate, ${POLL_ROWS} rows, ${clock}): a ${label(delayMs)} ingest job`, 'status requests; seen after the end (the emulator\'s answer that reported it complete)', seen(node), `jsforce (1 s): ${seen(js)} · Salesforce CLI (5 s): ${seen(cli)}`, `${fmt(polls / med(js, 'polls'), 3)}× jsforce's requests`, text, goal(met));
			goals.push(met);
		}
	}
	const w7 = results[7];
	const r7 = w7 && report7(w7, { fmt, int, row, push });
	if (r7) goals.push(...r7.goals);
	const kept = keptFromLastRun();
	for (const line of kept.rows) push(line);
	push('', `Goals met: ${goals.filter(Boolean).length} of ${goals.length}${kept.rows.length ? ' (this run\'s workloads)' : ''}.`, '');
	if (kept.rows.length) push(`Workloads not selected this time (${kept.workloads.join(', ')}): rows and runs copied from the previous ${path.basename(OUT)} (${kept.date}).`, '');

	push('## All runs', '', 'Seconds (with the CPU seconds, user + system, the process spent in them), peak RSS (MB) and, where counted, HTTP requests of every run, in the order they ran within each case.', '');
	const cpuText = (r) => (Number.isFinite(r.cpuSeconds) ? ` (CPU ${fmt(r.cpuSeconds, 2)} s)` : '');
	const runLine = (label, runs, extra = () => '') => push(`- ${label}: ${runs.map((r) => `${fmt(r.seconds, 2)} s${cpuText(r)} / ${fmt(r.peakRssMB, 0)} MB${extra(r)}`).join('; ')}`);
	const loopText = (r) => (r.loop ? `, loop p99 ${fmt(r.loop.p99Ms, 0)} / max ${fmt(r.loop.maxMs, 0)} ms` : '');
	if (w1) for (const rows of Object.keys(w1)) for (const name of ['node', 'raw']) runLine(`1 · ${int(Number(rows))} rows · ${name}`, w1[rows][name], (r) => ` / ${r.requests} req${loopText(r)}`);
	if (w2) for (const rows of Object.keys(w2)) for (const name of ['node', 'csvParse']) runLine(`2 · ${int(Number(rows))} rows · ${name}`, w2[rows][name], (r) => ` / ${r.requests} req${loopText(r)}`);
	if (w3) for (const rows of Object.keys(w3)) for (const name of ['node', 'jsforce']) runLine(`3 · ${int(Number(rows))} items · ${name}`, w3[rows][name], (r) => ` (RSS before ${fmt(r.rssBeforeMB, 0)} MB) / ${r.requests} req, ${r.polls} polls, ${r.created} created + ${r.updated} updated${loopText(r)}`);
	if (w4) for (const mb of Object.keys(w4)) for (const name of ['node', 'raw']) runLine(`4 · ${mb} MB · ${name}`, w4[mb][name], (r) => ` (RSS before ${fmt(r.rssBeforeMB, 0)} MB) / ${r.jobs} jobs, ${r.requests} req${loopText(r)}`);
	if (w5) for (const [name, runs] of Object.entries(w5)) push(`- 5 · ${name}: ${runs.map((r) => `${fmt(r.mbps, 1)} MB/s`).join('; ')}`);
	if (w6) for (const r of w6.real) push(`- 6 · ${r.client} · ${r.delayMs / 1000} s job (clock ×${r.scale}): ${r.polls} polls, seen +${fmt(r.lateMs / 1000, 1)} s, ${r.requests} requests, job created → complete ${fmt(r.jobMs / 1000, 1)} s, ${fmt(r.seconds, 1)} s real, round trip ${fmt(r.rttMs, 1)} ms (real)`);
	if (r7) r7.runs();
	for (const line of kept.runs) push(line);
	push('');

	const findings = path.join(__dirname, 'findings.md');
	if (fs.existsSync(findings)) push(fs.readFileSync(findings, 'utf8').trim(), '');
	return lines.join('\n');
}

/**
 * With --only, the other workloads' summary rows and run lines of the previous results file, so a run of
 * one workload (e.g. 7, queue mode) does not wipe the others' figures.
 */
function keptFromLastRun() {
	const none = { rows: [], runs: [], workloads: [], date: '' };
	if (!args.only || !fs.existsSync(OUT)) return none;
	const old = fs.readFileSync(OUT, 'utf8').split('\n');
	const workloadOf = (line) => Number(/^(?:\| (\d+) \||- (\d+) ·)/.exec(line)?.slice(1).find(Boolean));
	const keep = (line) => Number.isFinite(workloadOf(line)) && !args.only.has(workloadOf(line));
	const rows = old.filter((l) => l.startsWith('| ') && keep(l));
	const runs = old.filter((l) => l.startsWith('- ') && keep(l));
	const date = /\*\*Date\*\*: ([^(]+)/.exec(old.join('\n'))?.[1]?.trim() ?? 'date unknown';
	return { rows, runs, workloads: [...new Set(rows.map(workloadOf))], date };
}

// ---- main ----------------------------------------------------------------------------------------------

async function main() {
	const startedAt = new Date();
	fs.mkdirSync(TMP, { recursive: true });
	if (args.build) {
		log('building the package (npm run build)');
		execSync('npm run build', { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
	} else if (!fs.existsSync(path.join(ROOT, 'dist/nodes/SalesforceBulk2/SalesforceBulk2.node.js'))) {
		throw new Error('dist/ is missing: run npm run build (or drop --no-build)');
	}
	buildHarness();
	const info = machine();
	log(`${args.quick ? 'quick' : 'full'} run, ${RUNS} run(s) per case (${WIRE_RUNS} in 1, 2 and 4), ${info.cpu}, load ${fmt(os.loadavg()[0], 2)}`);
	const results = {};
	for (const { number, run, last } of WORKLOADS) {
		if (!last && selected(number)) results[number] = await run();
	}
	if (selected(7)) {
		log(`7 queue mode: exports of ${SIZES.queue.exportRows.map(int).join(' and ')} rows, a load of ${int(SIZES.queue.loadRows)} items; worker vs regular n8n`);
		results[7] = await workload7(SIZES.queue, log);
	}
	if (selected(6)) {
		log(`6 polling: ${SIZES.delaysMs.map((d) => `${d / 1000} s`).join(', ')} jobs and, on a scaled clock, ${SIZES.scaledJobs.map((j) => `${j.ms / 60000} min (×${j.scale})`).join(', ')}; node, jsforce and a 5 s poller, ${RUNS} run(s), all at once`);
		noteLoad();
		results[6] = { real: await startPolling(), simulated: simulatePolling() };
	}
	noteLoad();
	const finishedAt = new Date();
	const text = report(info, results, startedAt, finishedAt);
	fs.writeFileSync(OUT, text);
	process.stdout.write(`${text.slice(0, text.indexOf('## All runs'))}\nwritten to ${path.relative(ROOT, OUT)}\n`);
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
