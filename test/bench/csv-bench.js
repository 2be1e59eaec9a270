'use strict';
// CSV codec benchmark: nodes/shared/codecs/csv.ts against csv-parse and csv-stringify on ~100 MB of
// Salesforce-like CSV (Id + 6 typical fields, ≈130 bytes a row). Not a jest test. Workload 5 of
// `npm run bench` (run.js), which runs its cases (below) the same way; alone:
//
//   npm run build && node test/bench/csv-bench.js [MB] [rounds]
//   CSV_MODULE=/tmp/out/csv.js node test/bench/csv-bench.js   # a separately compiled csv.js
//   BENCH_ONLY=ours node test/bench/csv-bench.js               # only cases whose name contains it
//
// Every measurement runs in a fresh Node process (V8 adapts to what ran before, e.g. allocation
// pretenuring and heap sizing, which skews whichever case comes next), and rounds alternate the
// cases so machine load hits all of them alike. Reports input MB/s, the median over the rounds.
// Targets: reader ≥ 3x csv-parse, writer ≥ 2x csv-stringify.

const path = require('node:path');
const { execFileSync } = require('node:child_process');

const MODULE = process.env.CSV_MODULE || path.join(__dirname, '../../dist/nodes/shared/codecs/csv.js');
const CHUNK = 64 * 1024;

function generate(csv, targetBytes) {
	const header = 'Id,Name,Email,Phone,AnnualRevenue,CreatedDate,Description\n';
	const parts = [header];
	let size = header.length;
	let seed = 1;
	const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 4294967296;
	const names = ['Acme Corp', 'Globex', 'Initech', 'Umbrella, Inc.', 'Zoë Straße GmbH', 'Stark Industries', 'Wayne "WE" Enterprises'];
	const notes = ['', '', 'Key account', 'Renewal due', 'Called twice; no answer', 'Line one\nline two', 'Prefers email 📧'];
	const csvLine = csv.csvLineWriter();
	for (let i = 0; size < targetBytes; i++) {
		const row = [
			'001Kf00000' + i.toString(36).toUpperCase().padStart(5, '0') + 'IAA',
			names[i % names.length] + ' ' + i,
			`contact${i}@example.com`,
			`+1 415 555 ${String(i % 10000).padStart(4, '0')}`,
			String(Math.round(rand() * 1e8) / 100),
			`2024-0${1 + (i % 9)}-1${i % 10}T0${i % 10}:2${i % 10}:00.000Z`,
			notes[i % notes.length],
		];
		const line = csvLine(row);
		parts.push(line);
		size += Buffer.byteLength(line);
	}
	return Buffer.from(parts.join(''));
}

// name → [group, prepare(input) → run() → check value]
const CASES = {
	'ours parseCsv (one string)': ['reader', ({ text, csv }) => () => csv.parseCsv(text).length],
	'ours readCsvBatches (64 KB Buffer chunks)': [
		'reader',
		({ chunks, csv }) =>
			async () => {
				let n = 0;
				for await (const batch of csv.readCsvBatches(chunks)) n += batch.length;
				return n;
			},
	],
	'ours readCsvRows (64 KB Buffer chunks)': [
		'reader',
		({ chunks, csv }) =>
			async () => {
				let n = 0;
				for await (const row of csv.readCsvRows(chunks)) n += row.length > 0 ? 1 : 0;
				return n;
			},
	],
	'csv-parse sync (one Buffer)': [
		'reader',
		({ buf }) => {
			const { parse } = require('csv-parse/sync');
			return () => parse(buf).length;
		},
	],
	'csv-parse stream (64 KB chunks, data events)': [
		'reader',
		({ chunks }) => {
			const { parse } = require('csv-parse');
			const { Readable } = require('node:stream');
			return () =>
				new Promise((resolve, reject) => {
					let n = 0;
					const parser = parse();
					parser.on('data', () => n++).on('end', () => resolve(n)).on('error', reject);
					Readable.from(chunks).pipe(parser);
				});
		},
	],
	'csv-parse stream (64 KB chunks, for await)': [
		'reader',
		({ chunks }) => {
			const { parse } = require('csv-parse');
			const { Readable } = require('node:stream');
			return async () => {
				let n = 0;
				for await (const row of Readable.from(chunks).pipe(parse())) n += row.length > 0 ? 1 : 0;
				return n;
			};
		},
	],
	'ours CsvChunkWriter (16 K-char chunks)': [
		'writer',
		({ rows, csv }) =>
			async () => {
				const writer = new csv.CsvChunkWriter();
				let n = 0;
				for (const row of rows) n += writer.add(row)?.length ?? 0;
				return n + (writer.flush()?.length ?? 0);
			},
	],
	'ours csvLineWriter (one string)': [
		'writer',
		({ rows, csv }) => {
			const line = csv.csvLineWriter();
			return () => rows.map(line).join('').length;
		},
	],
	'csv-stringify sync (one string)': [
		'writer',
		({ rows }) => {
			const { stringify } = require('csv-stringify/sync');
			return () => stringify(rows).length;
		},
	],
	'csv-stringify stream (data events)': [
		'writer',
		({ rows }) => {
			const { stringify } = require('csv-stringify');
			return () =>
				new Promise((resolve, reject) => {
					let n = 0;
					const s = stringify();
					s.setEncoding('utf8');
					s.on('data', (c) => (n += c.length)).on('end', () => resolve(n)).on('error', reject);
					for (const row of rows) s.write(row);
					s.end();
				});
		},
	],
};

/** Child: one timed run of one case on freshly generated data; prints JSON. */
async function child(name, mb) {
	const csv = require(MODULE);
	const buf = generate(csv, mb * 1e6);
	const chunks = [];
	for (let i = 0; i < buf.length; i += CHUNK) chunks.push(buf.subarray(i, i + CHUNK));
	const [group, prepare] = CASES[name];
	const input = { csv, buf, chunks, text: buf.toString('utf8') };
	if (group === 'writer') input.rows = csv.parseCsv(input.text);
	const run = prepare(input);
	if (global.gc) global.gc();
	const start = process.hrtime.bigint();
	const check = await run();
	const seconds = Number(process.hrtime.bigint() - start) / 1e9;
	process.stdout.write(JSON.stringify({ seconds, check, bytes: buf.length }));
}

function parent(mb, rounds) {
	const names = Object.keys(CASES).filter((n) => !process.env.BENCH_ONLY || n.includes(process.env.BENCH_ONLY));
	const times = Object.fromEntries(names.map((n) => [n, []]));
	const checks = {};
	let bytes = 0;
	console.log(`input ≈${mb} MB of Salesforce-like CSV, node ${process.version}, ${rounds} rounds, fresh process per run`);
	for (let r = 0; r < rounds; r++) {
		for (const name of names) {
			const out = execFileSync(process.execPath, ['--expose-gc', __filename, '--case', name, String(mb)], {
				encoding: 'utf8',
				maxBuffer: 1 << 20,
			});
			const result = JSON.parse(out);
			times[name].push(result.seconds);
			checks[name] = result.check;
			bytes = result.bytes;
		}
		process.stderr.write(`round ${r + 1}/${rounds} done\n`);
	}
	const mbps = {};
	for (const group of ['reader', 'writer']) {
		console.log(`\n${group} (${(bytes / 1e6).toFixed(1)} MB)`);
		for (const name of names.filter((n) => CASES[n][0] === group)) {
			const sorted = times[name].slice().sort((a, b) => a - b);
			const median = sorted[Math.floor(sorted.length / 2)];
			mbps[name] = bytes / 1e6 / median;
			console.log(`  ${name.padEnd(44)} ${mbps[name].toFixed(1).padStart(7)} MB/s   (median ${median.toFixed(2)} s; check ${checks[name]})`);
		}
	}
	const ratio = (a, b) => (mbps[a] && mbps[b] ? `${(mbps[a] / mbps[b]).toFixed(1)}x` : 'n/a');
	console.log('\nratios (targets: reader >= 3x csv-parse, writer >= 2x csv-stringify)');
	console.log(`  reader  parseCsv / csv-parse sync:              ${ratio('ours parseCsv (one string)', 'csv-parse sync (one Buffer)')}`);
	console.log(`  reader  readCsvBatches / csv-parse stream data: ${ratio('ours readCsvBatches (64 KB Buffer chunks)', 'csv-parse stream (64 KB chunks, data events)')}`);
	console.log(`  reader  readCsvRows / csv-parse stream data:    ${ratio('ours readCsvRows (64 KB Buffer chunks)', 'csv-parse stream (64 KB chunks, data events)')}`);
	console.log(`  reader  readCsvRows / csv-parse for await:      ${ratio('ours readCsvRows (64 KB Buffer chunks)', 'csv-parse stream (64 KB chunks, for await)')}`);
	console.log(`  writer  CsvChunkWriter / csv-stringify stream:  ${ratio('ours CsvChunkWriter (16 K-char chunks)', 'csv-stringify stream (data events)')}`);
	console.log(`  writer  csvLineWriter / csv-stringify sync:     ${ratio('ours csvLineWriter (one string)', 'csv-stringify sync (one string)')}`);
}

/** The ratios that the goals are about: [ours, theirs, goal]. */
const PAIRS = [
	['ours parseCsv (one string)', 'csv-parse sync (one Buffer)', 3],
	['ours readCsvBatches (64 KB Buffer chunks)', 'csv-parse stream (64 KB chunks, data events)', 3],
	['ours csvLineWriter (one string)', 'csv-stringify sync (one string)', 2],
	['ours CsvChunkWriter (16 K-char chunks)', 'csv-stringify stream (data events)', 2],
];

module.exports = { CASES, PAIRS };

if (require.main === module) {
	if (process.argv[2] === '--case') {
		child(process.argv[3], Number(process.argv[4])).catch((e) => {
			console.error(e);
			process.exitCode = 1;
		});
	} else {
		parent(Number(process.argv[2] || 100), Number(process.argv[3] || 3));
	}
}
