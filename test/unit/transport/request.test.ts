/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: a real stream body */
// transport/request: the one request function over real HTTP against the emulator — what it sends, how it
// turns Salesforce's errors into NodeApiErrors, what it retries, how it renews sessions, and when it marks an
// error as the answer to a request sent again after a lost answer. (Moved here from test/nodes/client.test.ts.)
import { Readable } from 'node:stream';

import { apiRequest } from '../../../nodes/shared/transport/request';
import { retryPolicy } from '../../../nodes/shared/transport/retryPolicy';
import { apiProbe } from '../apiProbe';
import { CREDENTIAL } from '../../nodes/setup';

const p = apiProbe();
const V2 = '/services/data/v63.0';

describe('what is sent', () => {
	it('an object body goes as JSON with the bearer token; the JSON answer is parsed', async () => {
		let body: unknown;
		const sent = await p.requestsOf(async () => {
			body = await p.run(async (_sf, ctx) => (await apiRequest<{ id: string; state: string }>(ctx, { method: 'POST', path: `${V2}/jobs/ingest`, body: { object: 'Account', operation: 'insert' } })).body);
		});
		expect(body).toMatchObject({ object: 'Account', operation: 'insert', state: 'Open', id: expect.stringMatching(/^750/) });
		expect(sent).toHaveLength(1);
		expect(sent[0]).toMatchObject({ method: 'POST', path: `${V2}/jobs/ingest` });
		expect(sent[0].headers['content-type']).toBe('application/json; charset=UTF-8');
		expect(sent[0].headers.authorization).toMatch(/^Bearer \S+/);
	});

	it('refuses to send the token to a URL that is not https (plain http only on loopback)', async () => {
		const sent = await p.requestsOf(async () => {
			const error = await p.failure(async (_sf, ctx) => (await apiRequest<object>(ctx, { method: 'GET', path: 'http://example.com/services/data' })).body as never);
			expect(error.message).toBe("Refusing to send a request to http://example.com: requests with the access token go only to the org's instance over https (plain http only on loopback)");
		});
		expect(sent).toEqual([]);
	});
});

describe('errors', () => {
	it('a missing job is a NodeApiError with errorCode, status and job ID', async () => {
		const error = await p.failure(async ({ bulk2 }) => await bulk2.getJob('ingest', '7505e00000ZZZZZAAA'));
		expect(error.message).toBe('Job 7505e00000ZZZZZAAA was not found: it was deleted, it is older than 7 days, it belongs to another org, or it is a job of another kind');
		expect(error.context).toMatchObject({ errorCode: 'NOT_FOUND', statusCode: 404, jobId: '7505e00000ZZZZZAAA' });
		expect(error.description).toContain('Salesforce says: NOT_FOUND – The requested resource does not exist');
	});

	it('a rejected SOQL query says why', async () => {
		const error = await p.failure(async ({ bulk2 }) => await bulk2.createQueryJob({ query: 'SELECT Nope__c FROM Account' }));
		expect(error.message).toMatch(/^Salesforce rejected the SOQL query: No such column 'Nope__c' on entity 'Account'/);
		expect(error.context).toMatchObject({ errorCode: 'INVALID_FIELD', statusCode: 400 });
	});

	it('Bulk 1.0 XML errors carry exceptionCode and exceptionMessage', async () => {
		const error = await p.failure(async ({ bulk1 }) => await bulk1.createJob({ operation: 'insert', object: 'Nope' }));
		expect(error.message).toMatch(/^Salesforce refused the job: /);
		expect(error.context).toMatchObject({ errorCode: 'InvalidJob', statusCode: 400 });
	});
});

describe('retries', () => {
	it('retries 503, 502, 504 and 429 (honouring Retry-After) on safe requests', async () => {
		p.s.emulator.faults.add({ status: 503, path: '/sobjects' }, { status: 502, path: '/sobjects' }, { status: 504, path: '/sobjects' }, { status: 429, retryAfter: 1, path: '/sobjects' });
		const started = Date.now();
		let out: { names?: string[] } = {};
		const sent = await p.requestsOf(async () => {
			out = await p.run(async ({ rest }) => ({ names: (await rest.describeGlobal()).map((o) => o.name) }));
		});
		expect(out.names).toEqual(expect.arrayContaining(['Account', 'Invoice__c']));
		expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(Array(5).fill(`GET ${V2}/sobjects`));
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
	});

	it('gives up after a bounded number of tries with a clear message', async () => {
		p.s.emulator.faults.add({ status: 503, count: 10, path: '/jobs/ingest/' });
		const sent = await p.requestsOf(async () => {
			const error = await p.failure(async ({ bulk2 }) => await bulk2.getJob('ingest', '7505e00000YYYYYAAA'));
			expect(error.message).toBe('Salesforce is unavailable (HTTP 503); retries did not help. Try again later');
		});
		expect(sent).toHaveLength(retryPolicy.attempts);
	});

	it('does not retry a POST that may have been applied, nor 403 REQUEST_LIMIT_EXCEEDED', async () => {
		// A 502 may come after the job was made (503 and 429 are refusals, sent again even for a POST).
		p.s.emulator.faults.add({ status: 502, method: 'POST', path: '/jobs/query' });
		const posts = await p.requestsOf(async () => {
			const post = await p.failure(async ({ bulk2 }) => await bulk2.createQueryJob({ query: 'SELECT Id FROM Account' }));
			expect(post.context).toMatchObject({ statusCode: 502 });
		});
		expect(posts).toHaveLength(1);
		p.s.emulator.faults.add({ status: 403, path: '/jobs/query' });
		const quota = await p.failure(async ({ bulk2 }) => {
			for await (const job of bulk2.listJobs('query')) return { job };
			return {};
		});
		expect(quota.message).toMatch(/used up its limit of API requests per rolling 24 hours .* \(REQUEST_LIMIT_EXCEEDED\)/);
		expect(quota.context).toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED', statusCode: 403 });
	});

	it('retries a connection reset on a GET', async () => {
		p.s.emulator.faults.add({ kind: 'reset', afterBytes: 5, path: '/sobjects' });
		const sent = await p.requestsOf(async () => {
			const out = await p.run(async ({ rest }) => ({ count: (await rest.describeGlobal()).length }));
			expect(out.count).toBeGreaterThan(5);
		});
		expect(sent).toHaveLength(2);
	});
});

describe('a request sent again after its answer was lost', () => {
	const abort = (jobId: string) => async (_sf: unknown, ctx: Parameters<typeof apiRequest>[0]) =>
		(await apiRequest<object>(ctx, { method: 'PATCH', path: `${V2}/jobs/ingest/${jobId}`, body: { state: 'Aborted' }, jobId, idempotent: true })).body as never;
	const openJob = async () => String((await p.run(async ({ bulk2 }) => await bulk2.createIngestJob({ object: 'Account', operation: 'insert' }))).id);

	it('its refusal says so in the error context: Salesforce may have applied the first', async () => {
		p.s.emulator.faults.add({ kind: 'reset', afterBytes: 20, method: 'PATCH', path: '/jobs/ingest/', count: 1 });
		const jobId = await openJob();
		const sent = await p.requestsOf(async () => {
			const error = await p.failure(abort(jobId));
			expect(error.context).toMatchObject({ statusCode: 409, errorCode: 'INVALIDJOB', jobId, resentAfterLostAnswer: true });
		});
		expect(sent.map((r) => r.method)).toEqual(['PATCH', 'PATCH']);
		expect(p.s.emulator.jobs.get(jobId)?.state).toBe('Aborted');
	});

	it('a refusal of a request sent once does not', async () => {
		const jobId = await openJob();
		await p.run(abort(jobId));
		const error = await p.failure(abort(jobId));
		expect(error.context).toMatchObject({ statusCode: 409, errorCode: 'INVALIDJOB', jobId });
		expect(error.context.resentAfterLostAnswer).toBeUndefined();
	});
});

describe('tokens that expire in the middle of a run', () => {
	it('Bulk 2.0: n8n renews on the 401 and the run goes on', async () => {
		const before = String(p.s.harness.credentialData(CREDENTIAL)?.accessToken);
		const out = await p.run(async ({ bulk2 }) => {
			const job = await bulk2.createIngestJob({ object: 'Account', operation: 'insert' });
			p.s.emulator.oauth.expireAll();
			return await bulk2.getJob('ingest', job.id);
		});
		expect(out.state).toBe('Open');
		expect(p.s.harness.credentialData(CREDENTIAL)?.accessToken).not.toBe(before);
	});

	it('Bulk 1.0: HTTP 400 InvalidSessionId is renewed and the request sent again, also with a stream body', async () => {
		let out: { batches?: unknown; result?: string } = {};
		const sent = await p.requestsOf(async () => {
			out = await p.run(async ({ bulk1 }) => {
				const job = await bulk1.createJob({ operation: 'insert', object: 'Account' });
				p.s.emulator.oauth.expireAll();
				const batch = await bulk1.addBatch(job.id, 'CSV', async () => Readable.from([Buffer.from('Name\nV1 Renewed\n')]));
				p.s.emulator.oauth.expireAll();
				await bulk1.setJobState(job.id, 'Closed');
				const batches = await bulk1.waitForBatches(job.id, { timeoutMs: 10000, initialIntervalMs: 20 });
				const result = await bulk1.getBatchData(job.id, batch.id, 'result', 'text');
				return { batches, result: String(result.body) };
			});
		});
		expect(out.batches).toEqual([expect.objectContaining({ state: 'Completed', numberRecordsProcessed: 1 })]);
		expect([...p.s.emulator.org.table('Account').values()].filter((a) => a.Name === 'V1 Renewed')).toHaveLength(1);
		expect(String(out.result).split('\n')[0]).toBe('"Id","Success","Created","Error"');
		// Each expiry: the refused request, the REST call that makes n8n renew, the request again.
		const route = (r: { method: string; path: string }) => `${r.method} ${r.path.replace(/\/75[01]\w+/g, '/:id')}`;
		expect(sent.map(route).filter((r) => r.startsWith('POST') || r.includes('/limits'))).toEqual([
			'POST /services/async/63.0/job',
			'POST /services/async/63.0/job/:id/batch',
			'GET /services/data/v63.0/limits',
			'GET /services/data/v63.0/limits',
			'POST /services/async/63.0/job/:id/batch',
			'POST /services/async/63.0/job/:id',
			'GET /services/data/v63.0/limits',
			'GET /services/data/v63.0/limits',
			'POST /services/async/63.0/job/:id',
		]);
	});
});
