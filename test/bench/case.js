'use strict';
// One measured run of one case, in a process of its own (so its peak RSS is the case's alone):
//   node --expose-gc test/bench/case.js <cases file> <function> '<params JSON>'
// The case function resolves to its figures; this adds the process's peak RSS and prints one JSON line.

const path = require('node:path');

async function main() {
	const [file, name, json] = process.argv.slice(2);
	const run = require(path.join(__dirname, 'cases', file))[name];
	if (typeof run !== 'function') throw new Error(`No case ${file}.${name}`);
	const result = await run(JSON.parse(json || '{}'));
	result.peakRssMB = (process.resourceUsage().maxRSS * 1024) / 1e6;
	const { loop, cpu } = require('./lib/measure');
	if (Number.isFinite(loop.maxMs)) result.loop = { ...loop };
	if (Number.isFinite(cpu.seconds)) result.cpuSeconds = cpu.seconds;
	process.stdout.write(`\n@@result ${JSON.stringify(result)}\n`);
}

main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
