'use strict';
const http = require('node:http');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { requestToken, startTestEmulator } = require('../../helpers/emulator');

const V = '/services/data/v63.0';
let emulator;
beforeAll(async () => {
	emulator = await startTestEmulator();
});
afterEach(() => emulator.faults.clear());
afterAll(() => emulator.close());

const admin = (what, body) => fetch(`${emulator.url}/__emulator/${what}`, { method: 'POST', body: JSON.stringify(body) });

describe('fault injection', () => {
	test('503 for the next N matching requests, then normal answers', async () => {
		await admin('faults', { status: 503, count: 2, method: 'GET', path: '/jobs/ingest' });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await emulator.call(`${V}/jobs/ingest`)).status);
		expect(statuses).toEqual([503, 503, 200]);
		expect((await emulator.call(`${V}/sobjects`)).status).toBe(200);
	});

	test('429 carries Retry-After; 403 REQUEST_LIMIT_EXCEEDED has Salesforce bodies for v2 and v1', async () => {
		await admin('faults', [{ status: 429, retryAfter: 3 }, { status: 403, path: '/services/async/' }]);
		const limited = await emulator.call(`${V}/jobs/query`);
		expect(limited.status).toBe(429);
		expect(limited.headers.get('retry-after')).toBe('3');
		expect(limited.json[0].errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
		const quota = await emulator.call('/services/async/63.0/job/750000000000000AAA');
		expect(quota.status).toBe(403);
		expect(quota.text).toContain('<exceptionCode>ExceededQuota</exceptionCode>');
		expect(quota.text).toContain('TotalRequests Limit exceeded.');
	});

	test('a fraction of requests fails, reproducibly for a seed', async () => {
		const run = async () => {
			const local = await startTestEmulator({ faultSeed: 7 });
			try {
				const accessToken = await local.token();
				local.faults.add({ status: 503, fraction: 0.5 });
				const statuses = [];
				for (let i = 0; i < 40; i++) statuses.push((await local.call(`${V}/limits`, { accessToken })).status);
				return statuses;
			} finally {
				await local.close();
			}
		};
		const first = await run();
		const failures = first.filter((s) => s === 503).length;
		expect(failures).toBeGreaterThan(8);
		expect(failures).toBeLessThan(32);
		expect(await run()).toEqual(first);
	});

	test('connection reset part-way through a response body', async () => {
		emulator.org.insertSystem('Account', { Name: 'x'.repeat(200) });
		const { json } = await emulator.call(`${V}/jobs/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { query: 'SELECT Id, Name FROM Account' } });
		await emulator.waitForJob('query', json.id);
		await admin('faults', { kind: 'reset', afterBytes: 20, path: '/results' });
		const token = await emulator.token();
		const outcome = await new Promise((resolve) => {
			http.get(`${emulator.url}${V}/jobs/query/${json.id}/results`, { headers: { Authorization: `Bearer ${token}` } }, (res) => {
				let received = 0;
				res.on('data', (c) => (received += c.length));
				res.on('error', () => undefined);
				res.on('close', () => resolve({ status: res.statusCode, received, complete: res.complete }));
			});
		});
		expect(outcome).toEqual({ status: 200, received: 20, complete: false });
		const again = await emulator.call(`${V}/jobs/query/${json.id}/results`);
		expect(again.text).toContain('x'.repeat(200));
	});

	test('slow responses', async () => {
		await admin('faults', { kind: 'delay', ms: 300, path: '/limits' });
		const started = Date.now();
		expect((await emulator.call(`${V}/limits`)).status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});

	test('a job failed by the org with an errorMessage, through the admin endpoint', async () => {
		await admin('fail-jobs', { message: 'InvalidBatch : The org said no' });
		const { json } = await emulator.call(`${V}/jobs/query`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { query: 'SELECT Id FROM Account' } });
		expect(await emulator.waitForJob('query', json.id)).toMatchObject({ state: 'Failed', errorMessage: 'InvalidBatch : The org said no' });
	});

	test('request statistics count API calls by route', async () => {
		await fetch(`${emulator.url}/__emulator/stats`, { method: 'DELETE' });
		await emulator.call(`${V}/jobs/ingest`);
		await emulator.call(`${V}/jobs/ingest`);
		const stats = await (await fetch(`${emulator.url}/__emulator/stats`)).json();
		expect(stats).toEqual({ requests: 2, byRoute: { [`GET ${V}/jobs/ingest`]: 2 } });
	});

	test('seed generates records and records lists them', async () => {
		const seeded = await (await admin('seed', { object: 'Lead', count: 5 })).json();
		expect(seeded).toEqual({ created: 5 });
		const leads = await (await fetch(`${emulator.url}/__emulator/records/Lead`)).json();
		expect(leads.filter((l) => l.Company.startsWith('Company '))).toHaveLength(5);
	});

	test('backdate-commits stamps the next writes (of one object, count times) in the past, to the second; then writes are stamped now', async () => {
		const clock = emulator.org.clock;
		emulator.org.clock = () => Date.parse('2026-12-06T07:00:30.750Z');
		try {
			await admin('backdate-commits', { seconds: 120, count: 2, object: 'Case' });
			const account = emulator.org.insertSystem('Account', { Name: 'Not Backdated' });
			const cases = [1, 2, 3].map((i) => emulator.org.insertSystem('Case', { Subject: `Late ${i}` }));
			expect(account.SystemModstamp).toBe('2026-12-06T07:00:30.000Z');
			expect(cases.map((c) => c.SystemModstamp)).toEqual(['2026-12-06T06:58:30.000Z', '2026-12-06T06:58:30.000Z', '2026-12-06T07:00:30.000Z']);
			expect(cases[0]).toMatchObject({ CreatedDate: '2026-12-06T06:58:30.000Z', LastModifiedDate: '2026-12-06T06:58:30.000Z' });
		} finally {
			emulator.org.clock = clock;
		}
	});
});

describe('command line', () => {
	test('npm run emulator -- --port 0 prints the URL and credentials as its first line, on 127.0.0.1', async () => {
		const child = spawn(process.execPath, [path.join(__dirname, '../../emulator/cli.js'), '--port', '0', '--job-delay', '10'], { stdio: ['ignore', 'pipe', 'inherit'] });
		try {
			const line = await new Promise((resolve, reject) => {
				let out = '';
				child.stdout.on('data', (d) => {
					out += d;
					if (out.includes('\n')) resolve(out.split('\n')[0]);
				});
				child.on('exit', (code) => reject(new Error(`exited ${code}`)));
			});
			const info = JSON.parse(line);
			expect(Object.keys(info)).toEqual(expect.arrayContaining(['url', 'clientId', 'clientSecret', 'refreshToken', 'username', 'password', 'privateKeyPem']));
			expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(info.privateKeyPem).toContain('BEGIN PRIVATE KEY');
			const { body } = await requestToken(info.url, { grant_type: 'client_credentials', client_id: info.clientId, client_secret: info.clientSecret });
			expect(body.instance_url).toBe(info.url);
		} finally {
			child.kill('SIGTERM');
		}
	});

	test('the server listens on loopback only', () => {
		expect(emulator.server.address().address).toBe('127.0.0.1');
	});
});
