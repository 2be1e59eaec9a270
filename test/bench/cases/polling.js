'use strict';
// Workload 6: status requests spent waiting for a job that takes a while (the emulator processing its rows
// at a steady rate: ingestRecordsPerSecond). Each function is one run in its own process (see ../case.js),
// against an emulator of its own. The long jobs (10 min, 1 h) run on a scaled clock (../lib/scaled-clock.js,
// preloaded here and in the emulator): every time below is in that clock's milliseconds.

const { n8nNode } = require('../lib/n8n');
const { timed } = require('../lib/measure');
const { stats, token, jsforceConnection } = require('../lib/emulator');
const { accountRecords } = require('../lib/data');

const POLL_ROUTE = 'GET /services/data/v63.0/jobs/ingest/:id';

const V = '/services/data/v63.0';

/**
 * The status requests (read first: the job lookup below is not the client's) and how long after the job
 * ended the client saw it: the emulator's clock when it answered the last status request (the one that
 * reported the job complete) against the job's systemModstamp (when it completed). `doneLateMs` is when the
 * client's wait returned, by its own clock (same origin): for the node and jsforce it includes fetching the results.
 */
async function counts(emulator, seenAt) {
	const { requests, byRoute, lastStatusAt } = await stats(emulator.url);
	const auth = { Authorization: `Bearer ${await token(emulator)}` };
	const { records } = await (await fetch(`${emulator.url}${V}/jobs/ingest`, { headers: auth })).json();
	if (records.length !== 1 || records[0].state !== 'JobComplete') throw new Error(`expected one completed job, got ${JSON.stringify(records)}`);
	const endedAt = Date.parse(records[0].systemModstamp);
	return { requests, polls: byRoute[POLL_ROUTE] ?? 0, jobMs: endedAt - Date.parse(records[0].createdDate), lateMs: lastStatusAt - endedAt, doneLateMs: seenAt - endedAt, rttMs: await roundTripMs(`${emulator.url}${V}/jobs/ingest/${records[0].id}`, auth) };
}

/** Median real time (ms, hrtime: not scaled) of a status request: on a scaled clock it counts scale × this. */
async function roundTripMs(url, headers) {
	const times = [];
	for (let i = 0; i < 5; i++) {
		const start = process.hrtime.bigint();
		await (await fetch(url, { headers })).json();
		times.push(Number(process.hrtime.bigint() - start) / 1e6);
	}
	return times.sort((a, b) => a - b)[2];
}

/** The node: Load Records (insert) with its default waiting. */
async function nodeWait({ emulator, delayMs, rows }) {
	const { harness, node } = await n8nNode({ emulator });
	const items = accountRecords(rows).map((json) => ({ json }));
	// The same allowance as jsforce's pollTimeout: the default (1 h) would race a 1-hour job.
	const options = { timeout: delayMs / 1000 + 5 * 60 };
	const parameters = { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert', inputDataType: 'items', options };
	const { value: out, seconds } = await timed(() => harness.execute(node, { parameters, items }));
	if (out[0].length !== rows || out[0].some((item) => item.json.status !== 'created')) throw new Error('the load did not create every record');
	const seenAt = Date.now();
	await harness.close();
	return { seconds, delayMs, ...(await counts(emulator, seenAt)) };
}

/** jsforce: bulk2.loadAndWaitForResults with its fixed 1 s polling. */
async function jsforceWait({ emulator, delayMs, rows }) {
	const jsforce = require('jsforce');
	const input = accountRecords(rows);
	const { value: results, seconds } = await timed(async () => {
		const conn = await jsforceConnection(jsforce, emulator);
		return await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input, pollInterval: 1000, pollTimeout: delayMs + 5 * 60 * 1000 });
	});
	const seenAt = Date.now();
	if (results.successfulResults.length !== rows) throw new Error('jsforce did not create every record');
	return { seconds, delayMs, ...(await counts(emulator, seenAt)) };
}

/** The Salesforce CLI's schedule: a fixed 5 s between status requests (create, upload, close, then poll). */
async function cliWait({ emulator, delayMs, rows }) {
	const csv = `Name\n${accountRecords(rows).map((r) => `"${String(r.Name).replace(/"/g, '""')}"`).join('\n')}\n`;
	let seenAt;
	const { seconds } = await timed(async () => {
		const auth = { Authorization: `Bearer ${await token(emulator)}` };
		const base = `${emulator.url}${V}/jobs/ingest`;
		const call = async (url, init) => {
			const res = await fetch(url, { ...init, headers: { ...auth, ...init?.headers } });
			if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: HTTP ${res.status}`);
			return res.status === 201 && init?.method === 'PUT' ? null : await res.json();
		};
		const job = await call(base, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ object: 'Account', operation: 'insert', lineEnding: 'LF' }) });
		await call(`${base}/${job.id}/batches`, { method: 'PUT', headers: { 'Content-Type': 'text/csv' }, body: csv });
		await call(`${base}/${job.id}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ state: 'UploadComplete' }) });
		for (;;) {
			const { state, numberRecordsProcessed } = await call(`${base}/${job.id}`);
			if (state === 'JobComplete') {
				seenAt = Date.now();
				if (numberRecordsProcessed !== rows) throw new Error(`CLI poller: ${numberRecordsProcessed} of ${rows} processed`);
				return;
			}
			if (state === 'Failed' || state === 'Aborted') throw new Error(`CLI poller: job ${state}`);
			await new Promise((resolve) => setTimeout(resolve, 5000));
		}
	});
	return { seconds, delayMs, ...(await counts(emulator, seenAt)) };
}

module.exports = { nodeWait, jsforceWait, cliWait };
