'use strict';
// Query results as a JSON file against the CSV file: peak memory (RSS of the measuring process) and time of
// Run Query → one file in n8n's filesystem binary store, at N and 2N rows, each run in a process of its own
// against an emulator process that generates the rows. Memory that does not grow with N is the streaming claim.
//
//   npm run build && node test/bench/json-export.js [rows=200000] [runs=2]   (findings: findings.md, "JSON files")

const { buildHarness } = require('./lib/ts');
const { runCase } = require('./lib/child');
const { startEmulatorProcess } = require('./lib/emulator');
const { QUERY } = require('./lib/data');

const ROWS = Number(process.argv[2] ?? 200000);
const RUNS = Number(process.argv[3] ?? 2);

async function main() {
	buildHarness();
	console.log(`rows | file | runs | seconds (median) | peak RSS MB (median) | file MB`);
	for (const rows of [ROWS, ROWS * 2]) {
		const emulator = await startEmulatorProcess({ generate: { Account: rows }, jobDelayMs: 0 });
		try {
			for (const [label, name] of [
				['CSV', 'nodeExportFile'],
				['JSON', 'nodeExportJsonFile'],
			]) {
				const runs = [];
				for (let r = 0; r < RUNS; r++) runs.push(await runCase('query.js', name, { soql: QUERY, rows, emulator: { url: emulator.url, credentials: emulator.credentials } }));
				const median = (key) => [...runs.map((x) => x[key])].sort((a, b) => a - b)[Math.floor(runs.length / 2)];
				console.log(`${rows} | ${label} | ${RUNS} | ${median('seconds').toFixed(2)} | ${median('peakRssMB').toFixed(0)} | ${(median('bytes') / 1e6).toFixed(1)}`);
			}
		} finally {
			await emulator.close();
		}
	}
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
