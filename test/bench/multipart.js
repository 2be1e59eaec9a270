'use strict';
// Does Bulk API 2.0's multipart create-and-upload (one POST with the job and its CSV; the job comes back
// UploadComplete) save time for small loads, against create + upload + close (three requests)? Both flows
// run over real HTTP against the emulator, with no added latency and with a per-request delay standing in for
// the round trip to a real org, then poll with the node's schedule (1 s doubling) and read the three result
// files, as Load Records does. Prints requests and wall time per flow (median of RUNS runs).
//
//   node test/bench/multipart.js [runs]        (findings: test/bench/findings.md, "Multipart create")

const { startEmulator } = require('../emulator');
const { accessToken } = require('../helpers/emulator');

const RUNS = Number(process.argv[2] ?? 5);
const SIZES = [100, 1000, 10000];
const LATENCIES_MS = [0, 100];

function csvOf(rows) {
	const lines = ['Name,AccountNumber,NumberOfEmployees'];
	for (let k = 0; k < rows; k++) lines.push(`Bench ${k},MP-${k},${k % 500}`);
	return `${lines.join('\n')}\n`;
}

async function main() {
	const emulator = await startEmulator({ jobDelayMs: 300 });
	const token = await accessToken(emulator);
	const base = `${emulator.url}/services/data/v63.0/jobs/ingest`;
	let requests = 0;
	const call = async (method, url, body, headers = {}) => {
		requests++;
		const res = await fetch(url, { method, body, headers: { Authorization: `Bearer ${token}`, ...headers } });
		const text = await res.text();
		if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
		return text ? (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) : undefined;
	};
	const json = { 'Content-Type': 'application/json' };
	const spec = JSON.stringify({ object: 'Account', operation: 'insert' });

	const flows = {
		async separate(csv) {
			const job = await call('POST', base, spec, json);
			await call('PUT', `${base}/${job.id}/batches`, csv, { 'Content-Type': 'text/csv' });
			await call('PATCH', `${base}/${job.id}`, JSON.stringify({ state: 'UploadComplete' }), json);
			return job.id;
		},
		async multipart(csv) {
			const boundary = `bench${Date.now().toString(36)}`;
			const body = Buffer.concat([
				Buffer.from(`--${boundary}\r\nContent-Type: application/json\r\nContent-Disposition: form-data; name="job"\r\n\r\n${spec}\r\n`),
				Buffer.from(`--${boundary}\r\nContent-Type: text/csv\r\nContent-Disposition: form-data; name="content"; filename="content"\r\n\r\n`),
				Buffer.from(csv),
				Buffer.from(`\r\n--${boundary}--\r\n`),
			]);
			const job = await call('POST', base, body, { 'Content-Type': `multipart/form-data; boundary=${boundary}` });
			return job.id;
		},
	};

	async function load(flow, csv) {
		requests = 0;
		const start = performance.now();
		const id = await flows[flow](csv);
		const submitted = performance.now() - start;
		for (let wait = 1000; ; wait = Math.min(wait * 2, 120000)) {
			await new Promise((resolve) => setTimeout(resolve, wait));
			const job = await call('GET', `${base}/${id}`);
			if (['JobComplete', 'Failed', 'Aborted'].includes(job.state)) break;
		}
		for (const which of ['successfulResults', 'failedResults', 'unprocessedrecords']) await call('GET', `${base}/${id}/${which}`, undefined, { Accept: 'text/csv' });
		return { requests, submitted, total: performance.now() - start };
	}

	const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
	console.log(`runs per case: ${RUNS}; emulator jobDelayMs 300; times in ms (median)`);
	console.log('latency | rows   | flow      | requests | submit (create…closed) | total (…results read)');
	for (const latency of LATENCIES_MS) {
		emulator.faults.clear();
		if (latency) emulator.faults.add({ kind: 'delay', ms: latency, path: '/services/data/', fraction: 1 });
		for (const rows of SIZES) {
			const csv = csvOf(rows);
			for (const flow of ['separate', 'multipart']) {
				const runs = [];
				for (let r = 0; r < RUNS; r++) runs.push(await load(flow, csv));
				const row = [`${latency} ms`.padEnd(7), String(rows).padEnd(6), flow.padEnd(9), String(runs[0].requests).padEnd(8), median(runs.map((x) => x.submitted)).toFixed(1).padEnd(22), median(runs.map((x) => x.total)).toFixed(0)];
				console.log(row.join(' | '));
			}
		}
	}
	await emulator.close();
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
