'use strict';
// Workload 6: status requests spent waiting for a job that takes a while (the emulator processing its rows
// at a steady rate: ingestRecordsPerSecond). Each function is one run in its own process (see ../case.js),
// against an emulator of its own.

const { n8nNode } = require('../lib/n8n');
const { timed } = require('../lib/measure');
const { stats, jsforceConnection } = require('../lib/emulator');
const { accountRecords } = require('../lib/data');

const POLL_ROUTE = 'GET /services/data/v63.0/jobs/ingest/:id';

async function counts(emulator) {
	const { requests, byRoute } = await stats(emulator.url);
	return { requests, polls: byRoute[POLL_ROUTE] ?? 0 };
}

/** The node: Load Records (insert) with its default waiting. */
async function nodeWait({ emulator, delayMs, rows }) {
	const { harness, node } = await n8nNode({ emulator });
	const items = accountRecords(rows).map((json) => ({ json }));
	const parameters = { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert', inputDataType: 'items' };
	const { value: out, seconds } = await timed(() => harness.execute(node, { parameters, items }));
	if (out[0].length !== rows || out[0].some((item) => item.json.status !== 'created')) throw new Error('the load did not create every record');
	await harness.close();
	return { seconds, delayMs, ...(await counts(emulator)) };
}

/** jsforce: bulk2.loadAndWaitForResults with its fixed 1 s polling. */
async function jsforceWait({ emulator, delayMs, rows }) {
	const jsforce = require('jsforce');
	const input = accountRecords(rows);
	const { value: results, seconds } = await timed(async () => {
		const conn = await jsforceConnection(jsforce, emulator);
		return await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input, pollInterval: 1000, pollTimeout: delayMs + 5 * 60 * 1000 });
	});
	if (results.successfulResults.length !== rows) throw new Error('jsforce did not create every record');
	return { seconds, delayMs, ...(await counts(emulator)) };
}

module.exports = { nodeWait, jsforceWait };
