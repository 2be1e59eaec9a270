'use strict';
// Workloads 1 and 2: a query's results to one binary file, and to typed items.
// Each function is one measured run in its own process (see ../case.js); the emulator runs elsewhere.

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { pipeline } = require('node:stream/promises');

const { n8nNode, binaryStream } = require('../lib/n8n');
const { rssNow, timed } = require('../lib/measure');
const { stats, token } = require('../lib/emulator');

const V = '/services/data/v63.0';

function countLines(chunk) {
	let n = 0;
	for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
	return n;
}

/** Workload 1, the node: Run Query → one CSV file in n8n's filesystem binary store. */
async function nodeExportFile({ emulator, soql, rows }) {
	const { harness, node } = await n8nNode({ emulator, binaryMode: 'filesystem' });
	const rssBeforeMB = rssNow();
	const parameters = { resource: 'queryJob', operation: 'runQuery', query: soql, outputAs: 'binary', binaryPropertyName: 'data', fileName: 'export.csv', splitFiles: 'one' }; // one file, as the baseline writes
	const { value: out, seconds } = await timed(() => harness.execute(node, { parameters }));
	const binary = out[0][0].binary.data;
	let bytes = 0;
	let lines = 0;
	for await (const chunk of await binaryStream(binary)) {
		bytes += chunk.length;
		lines += countLines(chunk);
	}
	if (lines !== rows + 1 || bytes !== binary.bytes) throw new Error(`the file holds ${lines} lines / ${bytes} bytes, expected ${rows + 1} lines / ${binary.bytes} bytes`);
	await harness.close();
	return { seconds, rows, bytes, rssBeforeMB, requests: (await stats(emulator.url)).requests };
}

/**
 * Run Query → one JSON file (File Format JSON) in the filesystem binary store, checked to parse into `rows`
 * records: the JSON codec's memory and time against the CSV file of nodeExportFile (test/bench/json-export.js).
 */
async function nodeExportJsonFile({ emulator, soql, rows }) {
	const { harness, node } = await n8nNode({ emulator, binaryMode: 'filesystem' });
	const rssBeforeMB = rssNow();
	const parameters = { resource: 'queryJob', operation: 'runQuery', query: soql, outputAs: 'binary', binaryPropertyName: 'data', fileName: 'export.json', fileFormat: 'json', splitFiles: 'one' };
	const { value: out, seconds } = await timed(() => harness.execute(node, { parameters }));
	const binary = out[0][0].binary.data;
	let bytes = 0;
	let lines = 0;
	let head = '';
	for await (const chunk of await binaryStream(binary)) {
		if (head.length < 2) head += chunk.subarray(0, 2).toString();
		bytes += chunk.length;
		lines += countLines(chunk);
	}
	// One record a line between "[" and "]": rows + 2 lines.
	if (!head.startsWith('[') || lines !== rows + 2) throw new Error(`the JSON file holds ${lines} lines, expected ${rows + 2}`);
	await harness.close();
	return { seconds, rows, bytes, rssBeforeMB, requests: (await stats(emulator.url)).requests };
}

/** Query job by hand (baselines): create it and poll without pause until it is complete. Like the node, the
 * baselines get their access token inside the timed part (one request). */
async function rawQueryJob(request, base, pageHeaders, soql) {
	const headers = { Authorization: pageHeaders.Authorization };
	const created = await (await request(base, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ operation: 'query', query: soql }) })).body.json();
	for (;;) {
		const job = await (await request(`${base}/${created.id}`, { headers })).body.json();
		if (job.state === 'JobComplete') return job;
		if (job.state === 'Failed' || job.state === 'Aborted') throw new Error(`query job ${job.state}`);
	}
}

/** The locator pages of a query job, one after the other: (response) → consumed by `each`. */
async function rawPages(request, base, headers, jobId, pageSize, each) {
	let locator = '';
	do {
		const res = await request(`${base}/${jobId}/results?maxRecords=${pageSize}${locator ? `&locator=${locator}` : ''}`, { headers: { ...headers, Accept: 'text/csv' } });
		if (res.statusCode !== 200) throw new Error(`results: HTTP ${res.statusCode}`);
		locator = res.headers['sforce-locator'];
		const body = res.headers['content-encoding'] === 'gzip' ? res.body.pipe(zlib.createGunzip()) : res.body;
		await each(body);
	} while (locator && locator !== 'null');
}

/**
 * Workload 1, baseline and physical limit: the same job and pages with undici, same wire format as the
 * node (n8n asks for gzip), each page's body piped to a file on the same disk.
 */
async function rawExportFile({ emulator, soql, rows, pageSize = 50000, gzip = true }) {
	const { request } = require('undici');
	const file = path.join(process.env.BENCH_TMP || require('node:os').tmpdir(), `raw-export-${process.pid}.csv`);
	const rssBeforeMB = rssNow();
	const { seconds } = await timed(async () => {
		const headers = { Authorization: `Bearer ${await token(emulator)}`, 'Accept-Encoding': gzip ? 'gzip' : 'identity' };
		const base = `${emulator.url}${V}/jobs/query`;
		const job = await rawQueryJob(request, base, headers, soql);
		const out = fs.createWriteStream(file);
		await rawPages(request, base, headers, job.id, pageSize, (body) => pipeline(body, out, { end: false }));
		out.end();
		await new Promise((resolve, reject) => out.on('finish', resolve).on('error', reject));
	});
	let lines = 0;
	for await (const chunk of fs.createReadStream(file)) lines += countLines(chunk);
	const bytes = fs.statSync(file).size;
	fs.rmSync(file);
	const pages = Math.ceil(rows / pageSize);
	if (lines !== rows + pages) throw new Error(`the file holds ${lines} lines, expected ${rows + pages}`);
	return { seconds, rows, bytes, rssBeforeMB, requests: (await stats(emulator.url)).requests };
}

/** Workload 2, the node: Run Query → typed items. */
async function nodeItems({ emulator, soql, rows }) {
	const { harness, node } = await n8nNode({ emulator, binaryMode: 'filesystem' });
	const rssBeforeMB = rssNow();
	const parameters = { resource: 'queryJob', operation: 'runQuery', query: soql, outputAs: 'items', typedValues: true };
	const { value: out, seconds } = await timed(() => harness.execute(node, { parameters }));
	const items = out[0];
	if (items.length !== rows || typeof items[rows - 1].json.AnnualRevenue !== 'number') throw new Error(`got ${items.length} items, expected ${rows} typed`);
	await harness.close();
	return { seconds, rows, rssBeforeMB, requests: (await stats(emulator.url)).requests };
}

/** Workload 2, baseline: undici + csv-parse with `columns: true`, page by page (the faster, whole-page API). */
async function csvParseItems({ emulator, soql, rows, pageSize = 50000 }) {
	const { request } = require('undici');
	const { parse } = require('csv-parse/sync');
	const rssBeforeMB = rssNow();
	const { value: records, seconds } = await timed(async () => {
		const headers = { Authorization: `Bearer ${await token(emulator)}`, 'Accept-Encoding': 'gzip' };
		const base = `${emulator.url}${V}/jobs/query`;
		const job = await rawQueryJob(request, base, headers, soql);
		const all = [];
		await rawPages(request, base, headers, job.id, pageSize, async (body) => {
			const chunks = [];
			for await (const chunk of body) chunks.push(chunk);
			for (const record of parse(Buffer.concat(chunks), { columns: true })) all.push(record);
		});
		return all;
	});
	if (records.length !== rows) throw new Error(`got ${records.length} records, expected ${rows}`);
	return { seconds, rows, rssBeforeMB, requests: (await stats(emulator.url)).requests };
}

module.exports = { nodeExportFile, nodeExportJsonFile, rawExportFile, nodeItems, csvParseItems };
