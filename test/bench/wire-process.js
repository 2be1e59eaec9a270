'use strict';
// A server that costs ~nothing, for measuring against the wire rather than the emulator:
//   node test/bench/wire-process.js '{"generate":{"Account":1000000},"query":"SELECT …","pageSize":50000}'
// Query result pages are rendered once (by the emulator, so they are its bytes: the CSV Salesforce sends),
// gzipped once (zlib's default level 6), and then served from memory to every query job with Salesforce's
// headers (Sforce-Locator, Sforce-NumberOfRecords); ingest uploads (PUT …/batches) are read and dropped as
// they arrive. Everything else (OAuth, creating, polling and closing jobs) goes to an emulator behind it,
// unchanged but for instance_url. Prints one JSON line ({ url, credentials, pid, pages }) like
// emulator-process.js and serves until SIGTERM; GET /__emulator/stats counts its own requests.

const http = require('node:http');
const zlib = require('node:zlib');
const { startEmulator } = require('../emulator');

const ID = /\/(?:750|751|752)[A-Za-z0-9]{12,15}/g;
const RESULTS = /^\/services\/data\/v\d{2}\.\d\/jobs\/query\/[A-Za-z0-9]{15,18}\/results$/;
const UPLOAD = /^\/services\/data\/v\d{2}\.\d\/jobs\/ingest\/[A-Za-z0-9]{15,18}\/batches$/;

/** The pages of `query`, rendered by the emulator: locator sent ('' for the first) → { gz, count, next }. */
async function renderPages(backend, query, pageSize) {
	const pages = new Map();
	if (!query) return pages;
	const { clientId, clientSecret, refreshToken } = backend.credentials;
	const token = await (await fetch(`${backend.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken }) })).json();
	const headers = { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' };
	const base = `${backend.url}/services/data/v63.0/jobs/query`;
	const job = await (await fetch(base, { method: 'POST', headers, body: JSON.stringify({ operation: 'query', query }) })).json();
	while ((await (await fetch(`${base}/${job.id}`, { headers })).json()).state !== 'JobComplete') await new Promise((r) => setTimeout(r, 20));
	let locator = '';
	for (;;) {
		const res = await fetch(`${base}/${job.id}/results?maxRecords=${pageSize}${locator ? `&locator=${locator}` : ''}`, { headers: { ...headers, Accept: 'text/csv' } });
		const raw = Buffer.from(await res.arrayBuffer());
		const next = res.headers.get('sforce-locator');
		pages.set(locator, { gz: zlib.gzipSync(raw), bytes: raw.length, count: Number(res.headers.get('sforce-numberofrecords')), next });
		if (!next || next === 'null') break;
		locator = next;
	}
	return pages;
}

async function main() {
	const { query, pageSize = 50000, ...emulatorOptions } = JSON.parse(process.argv[2] || '{}');
	const backend = await startEmulator({ jobDelayMs: 0, ...emulatorOptions });
	const pages = await renderPages(backend, query, pageSize);
	// Uploads are not kept: an ingest job closed here ends Failed (no data) after its close was answered
	// UploadComplete, which is all a load that does not wait reads.
	const stats = { requests: 0, byRoute: {} };
	let url = '';

	const proxy = (req, res) => {
		const oauth = req.url.startsWith('/services/oauth2/');
		const headers = { ...req.headers, host: new URL(backend.url).host };
		if (oauth) delete headers['accept-encoding']; // its body is rewritten (instance_url)
		const out = http.request(`${backend.url}${req.url}`, { method: req.method, headers }, (answer) => {
			if (!oauth) {
				res.writeHead(answer.statusCode, answer.headers);
				answer.pipe(res);
				return;
			}
			const chunks = [];
			answer.on('data', (c) => chunks.push(c));
			answer.on('end', () => {
				const body = Buffer.from(Buffer.concat(chunks).toString('utf8').split(backend.url).join(url));
				res.writeHead(answer.statusCode, { ...answer.headers, 'content-length': body.length });
				res.end(body);
			});
		});
		out.on('error', (error) => res.destroy(error));
		req.pipe(out);
	};

	const server = http.createServer((req, res) => {
		const path = req.url.split('?')[0];
		if (path === '/__emulator/stats') {
			if (req.method === 'DELETE') Object.assign(stats, { requests: 0, byRoute: {} });
			res.writeHead(200, { 'Content-Type': 'application/json' });
			return res.end(JSON.stringify(stats));
		}
		stats.requests++;
		const key = `${req.method} ${path.replace(ID, '/:id')}`;
		stats.byRoute[key] = (stats.byRoute[key] ?? 0) + 1;
		if (req.method === 'GET' && RESULTS.test(path)) {
			const params = new URL(req.url, 'http://x').searchParams;
			const page = pages.get(params.get('locator') ?? '');
			const size = params.get('maxRecords');
			if (page && (!size || Number(size) === pageSize)) {
				const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
				const body = gzip ? page.gz : zlib.gunzipSync(page.gz);
				const headers = { 'Content-Type': 'text/csv', 'Content-Length': body.length, 'Sforce-Locator': page.next ?? 'null', 'Sforce-NumberOfRecords': String(page.count) };
				if (gzip) Object.assign(headers, { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' });
				res.writeHead(200, headers);
				return res.end(body);
			}
			process.stderr.write(`wire: no pre-rendered page for ${req.url} (page size ${pageSize}); the emulator answers\n`);
		}
		if (req.method === 'PUT' && UPLOAD.test(path)) {
			req.on('data', () => undefined);
			req.on('end', () => {
				res.writeHead(201, { 'Content-Type': 'text/plain', 'Content-Length': 0 });
				res.end();
			});
			return;
		}
		proxy(req, res);
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${server.address().port}`;
	const { clientId, clientSecret, refreshToken } = backend.credentials;
	const rendered = [...pages.values()];
	process.stdout.write(`${JSON.stringify({ url, pid: process.pid, credentials: { clientId, clientSecret, refreshToken }, pages: { count: rendered.length, bytes: rendered.reduce((s, p) => s + p.bytes, 0), gzBytes: rendered.reduce((s, p) => s + p.gz.length, 0) } })}\n`);
	process.on('SIGTERM', () => {
		server.closeAllConnections?.();
		server.close();
		backend.close().then(() => process.exit(0));
	});
}

main().catch((error) => {
	console.error(error);
	process.exit(1);
});
