'use strict';
// Workloads 3 and 4: loading records from items (upsert, results paired back) and from a big binary CSV.
// Each function is one measured run in its own process (see ../case.js); the emulator runs elsewhere.

const fs = require('node:fs');

const { n8nNode, placeBinaryFile } = require('../lib/n8n');
const { rssNow, timed } = require('../lib/measure');
const { stats, token, jsforceConnection } = require('../lib/emulator');
const { accountRecords } = require('../lib/data');

const V = '/services/data/v63.0';
const UPSERT = { object: 'Account', operation: 'upsert', externalIdFieldName: 'Legacy_Id__c' };

/** Workload 3, the node: Load Records from items (upsert on Legacy_Id__c), one item per record back. */
async function nodeLoadItems({ emulator, rows, firstLegacyId }) {
	const { harness, node } = await n8nNode({ emulator, binaryMode: 'filesystem' });
	const items = accountRecords(rows, firstLegacyId).map((json) => ({ json }));
	const rssBeforeMB = rssNow();
	const parameters = { resource: 'ingestJob', operation: 'loadRecords', object: UPSERT.object, ingestOperation: UPSERT.operation, externalIdFieldName: UPSERT.externalIdFieldName, inputDataType: 'items' };
	const { value: out, seconds } = await timed(() => harness.execute(node, { typeVersion: 1.1, parameters, items })); // 1.1: Fields to Send, the measured baseline
	const results = out[0];
	const created = results.filter((r) => r.json.status === 'created').length;
	const updated = results.filter((r) => r.json.status === 'updated').length;
	if (results.length !== rows || created + updated !== rows || results[rows - 1].pairedItem.item !== rows - 1) {
		throw new Error(`got ${results.length} items, ${created} created + ${updated} updated, for ${rows} records`);
	}
	await harness.close();
	const { requests, byRoute } = await stats(emulator.url);
	return { seconds, rows, created, updated, rssBeforeMB, requests, polls: pollsOf(byRoute, 'ingest') };
}

/**
 * Workload 3, baseline: jsforce's bulk2.loadAndWaitForResults on the same records (its default 1 s polling), as
 * it would run inside n8n (from a Code node): with n8n-core loaded as in the node's process, so that the two
 * peaks start from the same ~45 MB of n8n rather than the node's peak carrying n8n and jsforce's not.
 */
async function jsforceLoadItems({ emulator, rows, firstLegacyId }) {
	const { harness } = await n8nNode({ emulator, binaryMode: 'filesystem' });
	const jsforce = require('jsforce');
	const input = accountRecords(rows, firstLegacyId);
	const rssBeforeMB = rssNow();
	// The access token is fetched inside the timed part, as the node fetches its own.
	const { value: results, seconds } = await timed(async () => {
		const conn = await jsforceConnection(jsforce, emulator);
		return await conn.bulk2.loadAndWaitForResults({ ...UPSERT, input, pollTimeout: 30 * 60 * 1000 });
	});
	await harness.close();
	const { successfulResults, failedResults, unprocessedRecords } = results;
	const created = successfulResults.filter((r) => r.sf__Created === 'true' || r.sf__Created === true).length;
	if (successfulResults.length !== rows || failedResults.length || unprocessedRecords.length) {
		throw new Error(`jsforce: ${successfulResults.length} successful, ${failedResults.length} failed, ${unprocessedRecords.length} unprocessed of ${rows}`);
	}
	const { requests, byRoute } = await stats(emulator.url);
	return { seconds, rows, created, updated: rows - created, rssBeforeMB, requests, polls: pollsOf(byRoute, 'ingest') };
}

function pollsOf(byRoute, kind) {
	return byRoute[`GET ${V}/jobs/${kind}/:id`] ?? 0;
}

/**
 * Workload 4, the node: Load Records from a binary CSV file in n8n's filesystem binary store, split into
 * jobs of at most Split Size, without waiting for the jobs (the way to load millions of rows; results
 * are fetched later as files).
 */
async function nodeLoadFile({ emulator, file, rows, splitSizeMB }) {
	const { harness, node } = await n8nNode({ emulator, binaryMode: 'filesystem' });
	const binary = await placeBinaryFile(harness, file, 'accounts.csv', 'text/csv');
	const rssBeforeMB = rssNow();
	const parameters = {
		resource: 'ingestJob',
		operation: 'loadRecords',
		object: 'Account',
		ingestOperation: 'insert',
		inputDataType: 'binary',
		binaryPropertyName: 'data',
		options: { waitForCompletion: false, ...(splitSizeMB ? { splitSize: splitSizeMB } : {}) },
	};
	const { value: out, seconds } = await timed(() => harness.execute(node, { typeVersion: 1.1, parameters, items: [{ json: {}, binary: { data: binary } }] }));
	const jobs = out[0];
	const uploaded = jobs.reduce((sum, job) => sum + job.json.uploadedRows, 0);
	if (uploaded !== rows || jobs.some((job) => job.json.state !== 'UploadComplete')) throw new Error(`uploaded ${uploaded} of ${rows} rows in ${jobs.length} jobs`);
	await harness.close();
	return { seconds, rows, bytes: fs.statSync(file).size, jobs: jobs.length, rssBeforeMB, requests: (await stats(emulator.url)).requests };
}

/**
 * Workload 4, baseline and physical limit: the same parts (cut at the same row boundaries) streamed from
 * disk with undici, one job each: create, PUT the part (header + its byte range of the file), close.
 */
async function rawLoadFile({ emulator, file, rows, parts }) {
	const { request } = require('undici');
	const headerBytes = readHeader(file);
	const rssBeforeMB = rssNow();
	const { seconds } = await timed(async () => {
		const auth = { Authorization: `Bearer ${await token(emulator)}` };
		const base = `${emulator.url}${V}/jobs/ingest`;
		for (const part of parts) {
			const job = await (await request(base, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ object: 'Account', operation: 'insert', lineEnding: 'LF' }) })).body.json();
			const body = (async function* () {
				if (part.start > headerBytes.length) yield headerBytes;
				// Read in 1 MiB chunks, as the node reads its binary input (with the default 64 KiB it ran at ~330 MB/s, with 1 MiB ~650-820).
				yield* fs.createReadStream(file, { start: part.start, end: part.end - 1, highWaterMark: 1024 * 1024 });
			})();
			const put = await request(`${base}/${job.id}/batches`, { method: 'PUT', headers: { ...auth, 'Content-Type': 'text/csv' }, body });
			await put.body.dump();
			if (put.statusCode !== 201) throw new Error(`upload: HTTP ${put.statusCode}`);
			const closed = await (await request(`${base}/${job.id}`, { method: 'PATCH', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ state: 'UploadComplete' }) })).body.json();
			if (closed.state !== 'UploadComplete') throw new Error(`close: ${closed.state}`);
		}
	});
	return { seconds, rows, bytes: fs.statSync(file).size, jobs: parts.length, rssBeforeMB, requests: (await stats(emulator.url)).requests };
}

function readHeader(file) {
	const fd = fs.openSync(file, 'r');
	const buf = Buffer.alloc(4096);
	const n = fs.readSync(fd, buf, 0, buf.length, 0);
	fs.closeSync(fd);
	return buf.subarray(0, buf.subarray(0, n).indexOf(10) + 1);
}

module.exports = { nodeLoadItems, jsforceLoadItems, nodeLoadFile, rawLoadFile };
