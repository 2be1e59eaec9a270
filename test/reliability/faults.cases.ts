// Faults of the service and the network, each through the nodes: bursts of 503 and 429, dropped
// connections, tokens that expire mid-run, the daily limit, jobs the org fails, timeouts and cancelled
// executions. Every load is accounted for row by row against the emulator's org.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	accountFor,
	afterRequest,
	byId,
	classic,
	config,
	countFired,
	failure,
	finishedJob,
	hits,
	items,
	jobIdsNow,
	jobsSince,
	jobStore,
	logLines,
	orgRows,
	record,
	run,
	see,
	settled,
	shown,
	suite,
	trigger,
	useCredential,
	v2,
	type NodeError,
} from './context';

const V2_AREA = 'Faults: Bulk API 2.0 (Salesforce Bulk V2)';
const V1_AREA = 'Faults: Bulk API 1.0 (Salesforce Bulk (Classic))';
const LOAD = { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert' };
const CLASSIC_LOAD = { resource: 'job', operation: 'loadRecords', object: 'Account', jobOperation: 'insert', contentType: 'CSV' };
const ROWS = 40;

const V2 = '/services/data/v63.0/jobs';
const V1 = '/services/async/63.0/job';
const ROUTES = {
	create: `POST ${V2}/ingest`,
	upload: `PUT ${V2}/ingest/:id/batches`,
	poll: `GET ${V2}/ingest/:id`,
	successful: `GET ${V2}/ingest/:id/successfulResults`,
	failed: `GET ${V2}/ingest/:id/failedResults`,
	queryCreate: `POST ${V2}/query`,
	queryPoll: `GET ${V2}/query/:id`,
	queryResults: `GET ${V2}/query/:id/results`,
	v1Create: `POST ${V1}`,
	v1Batch: `POST ${V1}/:id/batch`,
	v1Poll: `GET ${V1}/:id/batch`,
	v1Result: `GET ${V1}/:id/batch/:id/result`,
};

/** `n` accounts named `${prefix}0…`; every 10th fails in Salesforce (NumberOfEmployees is not a number). */
function accounts(prefix: string, n = ROWS): INodeExecutionData[] {
	return items(Array.from({ length: n }, (_, i) => ({ Name: `${prefix}${i}`, NumberOfEmployees: i % 10 === 9 ? 'many' : String(i) })));
}

/** Counts requests to routes and fired faults across a step. */
function counter(...routes: string[]) {
	const before = routes.map(hits);
	const fired = suite.emulator.faults.fired.length;
	return {
		requests: () => routes.map((r, k) => hits(r) - before[k]),
		fired: () => suite.emulator.faults.fired.slice(fired),
	};
}

const describeFired = (fired: Array<{ kind: string; status?: number; method: string; path: string }>) => {
	const groups = new Map<string, number>();
	for (const f of fired) {
		const key = `${f.kind === 'status' ? `HTTP ${f.status}` : f.kind} on ${f.method} ${f.path.replace(/\/(750|751|752)\w+/g, '/:id')}`;
		groups.set(key, (groups.get(key) ?? 0) + 1);
	}
	return [...groups].map(([key, n]) => `${n} × ${key}`).join(', ');
};

export function faultCases(): void {
	afterEach(() => suite.emulator.faults.clear());

	describe('503 and 429 bursts through Salesforce Bulk V2', () => {
		it.each([
			['create', 503, { method: 'POST', path: '/jobs/ingest' }, ROUTES.create],
			['create', 429, { method: 'POST', path: '/jobs/ingest', retryAfter: 1 }, ROUTES.create],
			['upload', 503, { method: 'PUT', path: '/batches' }, ROUTES.upload],
			['upload', 429, { method: 'PUT', path: '/batches' }, ROUTES.upload],
			['poll', 503, { method: 'GET', path: '/\\/jobs\\/ingest\\/750\\w+$/' }, ROUTES.poll],
			['poll', 429, { method: 'GET', path: '/\\/jobs\\/ingest\\/750\\w+$/' }, ROUTES.poll],
			['result download', 503, { method: 'GET', path: '/successfulResults' }, ROUTES.successful],
			['result download', 429, { method: 'GET', path: '/failedResults' }, ROUTES.failed],
		])('Load Records survives 3 × %s answered %s', async (step, status, where, route) => {
			const prefix = `R-burst-${step}-${status}-`;
			const before = jobIdsNow();
			const count = counter(route);
			suite.emulator.faults.add({ status, count: 3, ...where });
			const started = Date.now();
			const out = await run(v2, LOAD, accounts(prefix));
			// Three answers said "Retry-After: 1": the node waited that long each time (a lower bound only).
			if ('retryAfter' in where) expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
			const fired = count.fired();
			expect(fired.filter((f) => f.status === status)).toHaveLength(3);
			const [requests] = count.requests();
			// Each refused request went again, and nothing was sent twice that had arrived.
			if (step === 'create' || step === 'upload') expect(requests).toBe(4);
			else expect(requests).toBeGreaterThanOrEqual(4);
			expect(jobsSince(before).map((j) => j.state)).toEqual(['JobComplete']);
			const data = accountFor(out, ROWS, 'Account', prefix);
			record(V2_AREA, `${status} burst during ${step} (Load Records)`, `${describeFired(fired)}${'retryAfter' in where ? ' (Retry-After: 1 s, honoured)' : ''}; retried with backoff: ${requests} requests to ${route}; load completed with one job`, data);
		});

		it('Run Query survives 503 and 429 bursts on create, poll and result pages', async () => {
			for (let i = 0; i < 1200; i++) suite.emulator.org.insertSystem('Lead', { LastName: `R-q-${String(i).padStart(4, '0')}`, Company: 'Burst Co' });
			const count = counter(ROUTES.queryCreate, ROUTES.queryPoll, ROUTES.queryResults);
			suite.emulator.faults.add(
				{ status: 503, count: 2, method: 'POST', path: '/jobs/query' },
				{ status: 429, count: 2, method: 'GET', path: '/\\/jobs\\/query\\/750\\w+$/' },
				{ status: 503, count: 2, method: 'GET', path: '/results', skip: 1 },
			);
			const out = await run(v2, { resource: 'queryJob', operation: 'runQuery', query: "SELECT LastName FROM Lead WHERE Company = 'Burst Co'", pageSize: 500 });
			const names = out.map((o) => String(o.json.LastName));
			expect(names).toEqual(Array.from({ length: 1200 }, (_, i) => `R-q-${String(i).padStart(4, '0')}`));
			const [creates, polls, pages] = count.requests();
			expect(creates).toBe(3);
			expect(count.fired()).toHaveLength(6);
			record(V2_AREA, '503 / 429 bursts during query create, poll and result download (Run Query)', `${describeFired(count.fired())}; retried: ${creates} creates, ${polls} polls, ${pages} page requests for 3 pages`, `1200 of 1200 rows returned in order, 0 lost, 0 duplicated`);
		});
	});

	describe('503 and 429 bursts through Salesforce Bulk (Classic)', () => {
		it.each([
			['create', 503, { method: 'POST', path: '/\\/job$/' }, ROUTES.v1Create],
			['batch upload', 429, { method: 'POST', path: '/\\/batch$/' }, ROUTES.v1Batch],
			['batch upload', 503, { method: 'POST', path: '/\\/batch$/' }, ROUTES.v1Batch],
			['poll', 503, { method: 'GET', path: '/\\/batch$/' }, ROUTES.v1Poll],
			['result download', 429, { method: 'GET', path: '/\\/result$/' }, ROUTES.v1Result],
		])('Load Records survives 3 × %s answered %s', async (step, status, where, route) => {
			const prefix = `R-v1-burst-${step}-${status}-`;
			const before = jobIdsNow();
			const count = counter(route);
			suite.emulator.faults.add({ status, count: 3, ...where });
			const out = await run(classic, CLASSIC_LOAD, accounts(prefix));
			expect(count.fired()).toHaveLength(3);
			const [requests] = count.requests();
			if (step !== 'poll') expect(requests).toBe(4);
			const jobs = jobsSince(before);
			expect(jobs.map((j) => j.state)).toEqual(['Closed']);
			expect(jobs[0].batches).toHaveLength(1);
			const data = accountFor(out, ROWS, 'Account', prefix);
			record(V1_AREA, `${status} burst during ${step} (Load Records)`, `${describeFired(count.fired())}; retried: ${requests} requests to ${route}; one job, one batch`, data);
		});
	});

	describe('a crash in the middle of a load: the job can be found', () => {
		it.each([
			['Salesforce Bulk V2', v2, LOAD],
			['Salesforce Bulk (Classic)', classic, CLASSIC_LOAD],
		])('%s Load Records logs each job ID with its rows (info) as soon as the job is created', async (name, node, parameters) => {
			const prefix = `R-log-${name.length}-`;
			const before = jobIdsNow();
			let created: string[] = [];
			// What the log says once the data goes up (before the job is closed): n8n could die from here on.
			afterRequest(/^(PUT .*\/jobs\/ingest\/750\w+\/batches|POST .*\/async\/63\.0\/job\/750\w+\/batch)$/, () => {
				created = logLines('info').filter((l) => l.includes('created for'));
			});
			const out = await run(node as typeof v2, parameters, accounts(prefix));
			const [job] = jobsSince(before);
			expect(created.filter((l) => l.includes(`job ${job.id} created for ${ROWS} rows`))).toHaveLength(1);
			record(name === 'Salesforce Bulk V2' ? V2_AREA : V1_AREA, 'the job ID is in n8n\'s log as soon as the job exists (Load Records)', `info: "${created.find((l) => l.includes(job.id))}"`, accountFor(out, ROWS, 'Account', prefix));
		});
	});

	describe('connection reset in the middle of a result page', () => {
		const soql = "SELECT LastName FROM Lead WHERE Company = 'Reset Co'";
		const expected = Array.from({ length: 1500 }, (_, i) => `R-reset-${String(i).padStart(4, '0')}`);
		beforeAll(() => {
			for (const name of expected) suite.emulator.org.insertSystem('Lead', { LastName: name, Company: 'Reset Co' });
		});

		it('Run Query (items, locators): the page is fetched again with the same locator; no row lost or repeated', async () => {
			const from = suite.requests.length;
			const resets = countFired('reset');
			suite.emulator.faults.add({ kind: 'reset', afterBytes: 2000, path: '/results', skip: 1, count: 1 }, { kind: 'reset', afterBytes: 500, path: '/results', skip: 2, count: 1 });
			const out = await run(v2, { resource: 'queryJob', operation: 'runQuery', query: soql, pageSize: 500 });
			expect(out.map((o) => o.json.LastName)).toEqual(expected);
			const dropped = countFired('reset') - resets;
			expect(dropped).toBe(2);
			const pages = suite.requests.slice(from).filter((r) => r.includes('/results'));
			const locators = pages.map((r) => new URL(r.split(' ')[1], 'http://x').searchParams.get('locator'));
			// 3 pages; every extra request (one per dropped connection) asked for a locator already asked for.
			expect(new Set(locators).size).toBe(3);
			expect(pages).toHaveLength(3 + dropped);
			const repeats = [...new Set(locators)].map((l) => `${l ?? 'first page'} × ${locators.filter((x) => x === l).length}`).join(', ');
			record(V2_AREA, 'connection reset in the middle of result pages (Run Query, items)', `2 connections dropped (after 2000 and 500 bytes); the pages were fetched again with the same locator: ${repeats} (${pages.length} requests for 3 pages)`, `1500 of 1500 rows, in order, 0 lost, 0 duplicated`);
		});

		it('Run Query (one binary file, parallel downloads through /resultPages): the page URL is fetched again', async () => {
			const from = suite.requests.length;
			suite.emulator.faults.add({ kind: 'reset', afterBytes: 1000, path: '/results', skip: 1, count: 1 });
			const [file] = await run(v2, { resource: 'queryJob', operation: 'runQuery', query: soql, pageSize: 400, outputAs: 'binary', options: { parallel: 3 } });
			const text = (await suite.harness.readBinary(file.binary!.data)).toString();
			const lines = text.trim().split('\n');
			expect(lines[0]).toBe('"LastName"');
			expect(lines.slice(1).map((l) => l.replace(/"/g, ''))).toEqual(expected);
			const pages = suite.requests.slice(from).filter((r) => r.includes('/results'));
			expect(pages.length).toBe(5);
			expect(new Set(pages).size).toBe(4);
			record(V2_AREA, 'connection reset in the middle of a result page (Run Query, binary file, 3 parallel downloads)', `connection dropped after 1000 bytes; that page URL fetched again (${pages.length} requests for 4 pages)`, `file has 1 header + 1500 of 1500 rows, in order, 0 lost, 0 duplicated`);
		});

		describe('Salesforce Bulk (Classic): a result set whose connection drops in the middle of the body', () => {
			const pkQuery = { resource: 'job', operation: 'runQuery', query: soql, pkChunking: true, chunkSize: 400 };
			const resultSets = () => suite.requests.filter((r) => /\/result\/752\w+$/.test(r));
			const namesIn = async (file: INodeExecutionData) =>
				(await suite.harness.readBinary(file.binary!.data)).toString().trim().split('\n').slice(1).map((l) => l.replace(/"/g, ''));

			it.each([
				['Run Query with PK chunking, binary file', { ...pkQuery, outputAs: 'binary' } as IDataObject],
				['Run Query with PK chunking, items', { ...pkQuery, outputAs: 'items' } as IDataObject],
			])('%s: the result set is read again from where it dropped; no row lost or repeated', async (what, parameters) => {
				const from = resultSets().length;
				const resets = countFired('reset');
				suite.emulator.faults.add({ kind: 'reset', afterBytes: 2000, method: 'GET', path: '/\\/result\\/752\\w+$/', skip: 1, count: 2 });
				const out = await run(classic, parameters);
				const names = parameters.outputAs === 'binary' ? await namesIn(out[0]) : out.map((o) => String(o.json.LastName));
				expect(names.sort()).toEqual(expected);
				expect(countFired('reset') - resets).toBe(2);
				const requests = resultSets().slice(from);
				// One result set per chunk (ID ranges of every Lead in the org): each dropped one was requested once more.
				const sets = new Set(requests).size;
				expect(requests).toHaveLength(sets + 2);
				record(V1_AREA, `connection reset in the middle of result sets (${what})`, `2 connections dropped after 2000 bytes; those result sets were requested again and read on from the byte where they dropped (${requests.length} requests for ${sets} result sets)`, '1500 of 1500 rows, 0 lost, 0 duplicated');
			});

			it('Get All Results and Get Result: read again after a drop; a drop that persists names the job, batch and result set and what to do', async () => {
				const [job] = await run(classic, { resource: 'job', operation: 'create', object: 'Lead', jobOperation: 'query', contentType: 'CSV', pkChunking: true, chunkSize: 400 });
				const jobId = String(job.json.id);
				await run(classic, { resource: 'batch', operation: 'add', jobId: byId(jobId), inputDataType: 'soql', query: soql });
				await run(classic, { resource: 'job', operation: 'update', jobId: byId(jobId), state: 'Closed' });
				expect((await settled(jobId)).batches?.filter((b) => b.state === 'Completed').length).toBeGreaterThanOrEqual(4);
				suite.emulator.faults.add({ kind: 'reset', afterBytes: 1500, method: 'GET', path: '/\\/result\\/752\\w+$/', count: 1 });
				const [file] = await run(classic, { resource: 'queryResult', operation: 'getAllResults', jobId: byId(jobId), outputAs: 'binary' });
				expect((await namesIn(file)).sort()).toEqual(expected);
				suite.emulator.faults.add({ kind: 'reset', afterBytes: 1500, method: 'GET', path: '/\\/result\\/752\\w+$/', count: 1 });
				const all = await run(classic, { resource: 'queryResult', operation: 'getAllResults', jobId: byId(jobId) });
				expect(all.map((o) => String(o.json.LastName)).sort()).toEqual(expected);

				const [ref] = resultSets().slice(-1).map((r) => /batch\/(751\w+)\/result\/(752\w+)$/.exec(r)!);
				const [, batchId, resultId] = ref;
				const one = { resource: 'queryResult', operation: 'getResult', jobId: byId(jobId), batchId, resultId };
				const clean = await run(classic, one);
				suite.emulator.faults.add({ kind: 'reset', afterBytes: 1000, method: 'GET', path: '/\\/result\\/752\\w+$/', count: 1 });
				expect(await run(classic, one)).toEqual(clean);
				suite.emulator.faults.add({ kind: 'reset', afterBytes: 1000, method: 'GET', path: '/\\/result\\/752\\w+$/', count: 1 });
				const [binary] = await run(classic, { ...one, outputAs: 'binary' });
				expect(await namesIn(binary)).toEqual(clean.map((o) => String(o.json.LastName)));

				suite.emulator.faults.add({ kind: 'reset', afterBytes: 1000, method: 'GET', path: '/\\/result\\/752\\w+$/', count: 20 });
				const error = await failure(classic, { ...one, outputAs: 'binary' });
				suite.emulator.faults.clear();
				expect(shown(error)).not.toMatch(/^aborted/);
				expect(shown(error)).toContain(`result set ${resultId} of batch ${batchId} of job ${jobId}`);
				expect(shown(error)).toContain('Get Result');
				expect(shown(error)).toMatch(/run the node again/i);
				record(V1_AREA, 'connection reset in the middle of a result set (Get All Results and Get Result, binary and items)', `one drop each: read again from where it dropped; a drop on every attempt: error "${shown(error)}"`, `1500 of 1500 rows each time, 0 lost, 0 duplicated; Get Result the same ${clean.length} rows as without the fault`);
			});
		});

		it('Load Records: a connection dropped while reading the results reads them again', async () => {
			const prefix = 'R-reset-load-';
			suite.emulator.faults.add({ kind: 'reset', afterBytes: 300, path: '/successfulResults', count: 1 });
			const out = await run(v2, LOAD, accounts(prefix));
			expect(countFired('reset')).toBeGreaterThanOrEqual(1);
			const data = accountFor(out, ROWS, 'Account', prefix);
			record(V2_AREA, 'connection reset in the middle of the successful results (Load Records)', 'the results were read again; every row matched once', data);
		});
	});

	describe('tokens that expire in the middle of a run', () => {
		const issued = () => suite.emulator.oauth.issued;

		it('Bulk 2.0: between two result pages (401, renewed, next page)', async () => {
			const before = issued();
			afterRequest(/^GET .*\/jobs\/query\/750\w+\/results/, () => suite.emulator.oauth.expireAll());
			const out = await run(v2, { resource: 'queryJob', operation: 'runQuery', query: "SELECT LastName FROM Lead WHERE Company = 'Reset Co'", pageSize: 500 });
			expect(out).toHaveLength(1500);
			expect(new Set(out.map((o) => o.json.LastName)).size).toBe(1500);
			expect(issued() - before).toBe(1);
			record(V2_AREA, 'access token expires between two result pages (Run Query)', 'page 2 answered 401 INVALID_SESSION_ID; n8n renewed the token (1 new token) and sent the request again', '1500 of 1500 rows, 0 lost, 0 duplicated');
		});

		it('Bulk 2.0: during an upload from items (401 on PUT, the buffered part is sent again)', async () => {
			const prefix = 'R-token-upload-';
			const before = issued();
			const count = counter(ROUTES.upload);
			afterRequest(/^POST .*\/jobs\/ingest$/, () => suite.emulator.oauth.expireAll());
			const out = await run(v2, LOAD, accounts(prefix));
			expect(issued() - before).toBe(1);
			expect(count.requests()[0]).toBe(2);
			record(V2_AREA, 'access token expires during an upload (Load Records)', `upload answered 401; token renewed; the upload sent again (${count.requests()[0]} PUTs), one job`, accountFor(out, ROWS, 'Account', prefix));
		});

		it('Bulk 2.0: during an upload of a binary file streamed from the binary store (Upload Data)', async () => {
			const [job] = await run(v2, { resource: 'ingestJob', operation: 'create', object: 'Account', ingestOperation: 'insert' });
			const file = await suite.harness.prepareBinary(Buffer.from('Name\nR-token-stream-1\nR-token-stream-2\n'), 'accounts.csv', 'text/csv');
			expect(file.id).toBeTruthy(); // a stream, which n8n cannot send again by itself
			// Expires once Upload Data has read the job, so the PUT itself answers 401.
			afterRequest(new RegExp(`^GET .*/jobs/ingest/${String(job.json.id)}$`), () => suite.emulator.oauth.expireAll());
			const count = counter(ROUTES.upload);
			const before = issued();
			const out = await run(v2, { resource: 'ingestJob', operation: 'uploadData', jobId: byId(String(job.json.id)), inputDataType: 'binary' }, [{ json: {}, binary: { data: file } }]);
			expect(out[0].json).toEqual({ id: job.json.id, uploaded: true });
			expect(issued() - before).toBe(1);
			expect(count.requests()).toEqual([2]);
			await run(v2, { resource: 'ingestJob', operation: 'close', jobId: byId(String(job.json.id)) });
			const done = await finishedJob(String(job.json.id));
			expect(done).toMatchObject({ state: 'JobComplete', numberRecordsProcessed: 2 });
			expect(orgRows('Account', 'R-token-stream-')).toHaveLength(2);
			record(V2_AREA, 'access token expires before an upload of a binary file (Upload Data, stream body)', `upload answered 401; n8n renewed the token but does not resend a stream ("was not retried after refreshing the credential", logged); the node opened the file again and sent it (${count.requests()[0]} PUTs)`, 'job processed 2 of 2 rows; org has 2, 0 duplicates');
		});

		it('Bulk 1.0: during an upload (HTTP 400 InvalidSessionId on the batch, renewed, sent again)', async () => {
			const prefix = 'R-v1-token-upload-';
			const before = issued();
			const count = counter(ROUTES.v1Batch);
			afterRequest(/^POST .*\/async\/63\.0\/job$/, () => suite.emulator.oauth.expireAll());
			const out = await run(classic, CLASSIC_LOAD, accounts(prefix));
			expect(issued() - before).toBe(1);
			expect(count.requests()[0]).toBe(2);
			record(V1_AREA, 'session expires during a batch upload (Load Records)', `batch answered HTTP 400 InvalidSessionId; the node renewed the token and sent the batch again (${count.requests()[0]} POSTs, one batch in the job)`, accountFor(out, ROWS, 'Account', prefix));
		});

		it('Bulk 1.0: between two result sets of a PK-chunked query', async () => {
			const before = issued();
			afterRequest(/^GET .*\/result\/752\w+$/, () => suite.emulator.oauth.expireAll());
			const out = await run(classic, { resource: 'job', operation: 'runQuery', query: "SELECT LastName FROM Lead WHERE Company = 'Reset Co'", pkChunking: true, chunkSize: 400 });
			expect(out.map((o) => o.json.LastName).sort()).toEqual(Array.from({ length: 1500 }, (_, i) => `R-reset-${String(i).padStart(4, '0')}`));
			expect(issued() - before).toBe(1);
			record(V1_AREA, 'session expires between two result sets (Run Query, PK chunking)', 'the next result set answered HTTP 400 InvalidSessionId; token renewed; request sent again', '1500 of 1500 rows, 0 lost, 0 duplicated');
		});

		it('a refresh token revoked mid-run: a clear error, no retry loop', async () => {
			suite.emulator.oauth.revokeRefreshToken();
			suite.emulator.oauth.expireAll();
			const before = jobIdsNow();
			try {
				const error = await failure(v2, LOAD, accounts('R-revoked-'));
				expect(error.message).toBe('The Refresh Token is expired, revoked or belongs to another app: get a new one. Salesforce said: invalid_grant (expired access/refresh token)');
				expect(jobsSince(before)).toEqual([]);
				record(V2_AREA, 'refresh token revoked while the access token expired (Load Records)', `error: "${error.message}"`, 'no job created, nothing loaded');
			} finally {
				// A new refresh token for the rest of the suite.
				(suite.emulator.credentials as IDataObject).refreshToken = `${suite.emulator.credentials.refreshToken}B`;
				useCredential();
			}
		});
	});

	describe('403 REQUEST_LIMIT_EXCEEDED: clear, not retried', () => {
		it('Salesforce Bulk V2', async () => {
			const before = jobIdsNow();
			const count = counter(ROUTES.create);
			suite.emulator.faults.add({ status: 403, count: 5, method: 'POST', path: '/jobs/ingest' });
			const error = await failure(v2, LOAD, accounts('R-403-'));
			expect(error.message).toBe(`Salesforce refused: the org has used up its limit of API requests per rolling 24 hours (the org's allocation depends on its edition and licenses; Setup → Company Information shows it) (REQUEST_LIMIT_EXCEEDED). The window is rolling: what was used 24 hours ago frees up continuously, so it works again later (within 24 hours at the latest). Ask Salesforce for a higher allocation if this happens often`);
			expect(error.context).toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED', statusCode: 403 });
			expect(count.requests()).toEqual([1]);
			expect(jobsSince(before)).toEqual([]);
			record(V2_AREA, '403 REQUEST_LIMIT_EXCEEDED on create (Load Records)', `error: "${error.message}"; 1 request, not retried`, 'no job created, nothing loaded');
		});

		it('Salesforce Bulk (Classic)', async () => {
			const before = jobIdsNow();
			const count = counter(ROUTES.v1Create);
			suite.emulator.faults.add({ status: 403, count: 5, method: 'POST', path: '/\\/job$/' });
			const error = await failure(classic, CLASSIC_LOAD, accounts('R-v1-403-'));
			expect(error.message).toMatch(/^Salesforce refused: the org has used up its limit of API requests per rolling 24 hours .* \(ExceededQuota\)\. The window is rolling/);
			expect(error.context).toMatchObject({ errorCode: 'ExceededQuota', statusCode: 403 });
			expect(count.requests()).toEqual([1]);
			expect(jobsSince(before)).toEqual([]);
			record(V1_AREA, '403 ExceededQuota on create (Load Records)', `error: "${error.message}"; 1 request, not retried`, 'no job created, nothing loaded');
		});
	});

	describe('a job the org fails', () => {
		it('Load Records (V2): processed rows keep their outcome, the rest are unprocessed with the job’s errorMessage', async () => {
			const prefix = 'R-failed-job-';
			suite.emulator.faults.failJobs({ message: 'InvalidBatch : Simulated org failure', afterRows: 15, object: 'Account' });
			const out = await run(v2, LOAD, accounts(prefix));
			const unprocessed = out.filter((o) => o.json.status === 'unprocessed');
			expect(unprocessed).toHaveLength(ROWS - 15);
			expect(unprocessed.filter((o) => o.json.error !== 'InvalidBatch : Simulated org failure')).toEqual([]);
			const hint = suite.harness.lastHints.map((h) => h.message).find((m) => m.includes('ended Failed'));
			// 15 rows processed, of which rows 9 (NumberOfEmployees "many") failed: the counts so far, then the rest.
			expect(hint).toBe(`Job ${out[0].json.jobId} ended Failed (InvalidBatch : Simulated org failure): Salesforce had processed 15 rows (1 failed); ${ROWS - 15} rows were not processed (status "unprocessed" in their items)`);
			record(V2_AREA, 'the org fails the job after 15 rows (Load Records)', `warning: "${hint}"; unprocessed rows carry the errorMessage`, accountFor(out, ROWS, 'Account', prefix));
		});

		it('Run Query (V2): the error names the job and its errorMessage', async () => {
			suite.emulator.faults.failJobs({ message: 'InvalidBatch : Query timed out', object: 'Lead' });
			const error = await failure(v2, { resource: 'queryJob', operation: 'runQuery', query: "SELECT Id FROM Lead WHERE Company = 'Reset Co'" });
			expect(error.message).toMatch(/^Query job 750\w{15} ended Failed: InvalidBatch : Query timed out$/);
			record(V2_AREA, 'the org fails a query job (Run Query)', `error: "${error.message}"`, 'no rows returned as if complete');
		});

		it('Load Records (Classic): rows of the failed batch are unprocessed with its state message', async () => {
			const prefix = 'R-v1-failed-job-';
			suite.emulator.faults.failJobs({ message: 'InvalidBatch : Simulated org failure', afterRows: 10, object: 'Account' });
			const out = await run(classic, CLASSIC_LOAD, accounts(prefix));
			// The fault fired: rows after the first 10 were never processed, and each says why.
			const unprocessed = out.filter((o) => o.json.status === 'unprocessed');
			expect(out).toHaveLength(ROWS);
			expect(unprocessed).toHaveLength(ROWS - 10);
			expect(unprocessed.filter((o) => o.json.error !== 'InvalidBatch : Simulated org failure')).toEqual([]);
			record(V1_AREA, 'the org fails the batch after 10 rows (Load Records)', 'rows after the failure come back unprocessed with the batch’s stateMessage', accountFor(out, ROWS, 'Account', prefix));
		});

		it('the trigger fires "failed" with the errorMessage, once', async () => {
			await config({ holdJobs: true });
			try {
				suite.emulator.faults.failJobs({ message: 'InvalidBatch : Simulated org failure', object: 'Contact' });
				const [job] = await run(v2, { resource: 'ingestJob', operation: 'loadRecords', object: 'Contact', ingestOperation: 'insert', options: { waitForCompletion: false } }, items([{ LastName: 'R-trigger-failed' }]));
				const id = String(job.json.id);
				const parameters = { filters: { jobId: id } };
				// Activated while the job runs (a first poll fires nothing), then the job fails.
				const first = await suite.harness.poll(trigger, { parameters, mode: 'trigger' });
				expect(first.result).toBeNull();
				for (let k = 0; k < 200 && !suite.emulator.jobs.finish(id); k++) await sleep(10);
				expect(await finishedJob(id)).toMatchObject({ state: 'Failed' });
				const next = await suite.harness.poll(trigger, { parameters, mode: 'trigger', staticData: first.staticData });
				see(next.result);
				const fired = next.result?.[0] ?? [];
				expect(fired.map((i) => [i.json.id, i.json.event, i.json.state, i.json.errorMessage])).toEqual([[id, 'failed', 'Failed', 'InvalidBatch : Simulated org failure']]);
				expect((await suite.harness.poll(trigger, { parameters, mode: 'trigger', staticData: next.staticData })).result).toBeNull();
				record('Faults: Salesforce Bulk Trigger', 'the org fails a job (started by Load Records without waiting)', `fired once: event "failed", errorMessage "${fired[0].json.errorMessage}"; the next poll fired nothing`, `the fired item is job ${id}, state ${fired[0].json.state}`);
			} finally {
				await config({ holdJobs: false });
			}
		});
	});

	describe('a job that outlives the timeout', () => {
		beforeEach(async () => await config({ holdJobs: true }));
		afterEach(async () => await config({ holdJobs: false }));

		it('Load Records (V2): the error names the job and its state; the job runs on, and the trigger fires when it finishes', async () => {
			const prefix = 'R-timeout-';
			const error = await failure(v2, { ...LOAD, options: { timeout: 1 } }, accounts(prefix));
			const [id] = error.context.jobIds as string[];
			expect(error.message).toBe(`Timed out after 1 s waiting for ingest job ${id}; its state is InProgress (the data is uploaded and Salesforce keeps processing it; get the results later with the job IDs)`);
			expect(jobStore().get(id)?.state).toBe('InProgress');
			const parameters = { filters: { jobId: id }, attachFailedRecords: 'items' };
			const first = await suite.harness.poll(trigger, { parameters, mode: 'trigger' });
			expect(first.result).toBeNull();
			suite.emulator.jobs.finish(id);
			const next = await suite.harness.poll(trigger, { parameters, mode: 'trigger', staticData: first.staticData });
			see(next.result);
			const fired = next.result?.[0] ?? [];
			expect(fired.map((i) => [i.json.id, i.json.event, i.json.numberRecordsProcessed])).toEqual([[id, 'completed', ROWS]]);
			expect((fired[0].json.failedRecords as IDataObject[]).length).toBe(4);
			const again = await suite.harness.poll(trigger, { parameters, mode: 'trigger', staticData: next.staticData });
			expect(again.result).toBeNull();
			const inOrg = orgRows('Account', prefix);
			expect(inOrg).toHaveLength(ROWS - 4);
			record(V2_AREA, 'the job outlives the timeout (Load Records, Timeout 1 s)', `error: "${error.message}"; job left InProgress; the trigger fired once ("completed", 40 processed, 4 failed records attached) after it finished`, `processed ${fired[0].json.numberRecordsProcessed} = ${ROWS} rows sent; org has ${inOrg.length} (36 successful + 4 failed), 0 duplicates`);
		});

		it('Run Query (V2): the job is left running, or aborted when Abort Job on Timeout is on', async () => {
			const query = { resource: 'queryJob', operation: 'runQuery', query: 'SELECT Id FROM Account' };
			const left = await failure(v2, { ...query, options: { timeout: 0.3 } });
			const leftId = String(left.context.jobId ?? /750\w{15}/.exec(left.message)?.[0]);
			expect(left.message).toBe(`Timed out after 0 s waiting for query job ${leftId}; its state is InProgress`);
			expect(jobStore().get(leftId)?.state).toBe('InProgress');
			const aborted = await failure(v2, { ...query, options: { timeout: 0.3, abortOnTimeout: true } });
			const abortedId = /750\w{15}/.exec(aborted.message)![0];
			expect(jobStore().get(abortedId)?.state).toBe('Aborted');
			record(V2_AREA, 'the query job outlives the timeout (Run Query, Timeout 0.3 s)', `error: "${left.message}"; job left InProgress; with Abort Job on Timeout the job was Aborted`, 'no partial results returned');
		});

		it('Run Query (Classic): the job is aborted by default, left running when Abort Job on Failure is off', async () => {
			const query = { resource: 'job', operation: 'runQuery', query: 'SELECT Id FROM Account' };
			const aborted = await failure(classic, { ...query, options: { timeout: 0.3 } });
			const id = String(aborted.context.jobId);
			expect(aborted.message).toMatch(new RegExp(`^Timed out after 0 s waiting for the batches of job ${id}; its state is 751\\w+ (Queued|InProgress)$`));
			expect(aborted.description).toContain(`Aborted job ${id}`);
			expect(jobStore().get(id)?.state).toBe('Aborted');
			const left = await failure(classic, { ...query, options: { timeout: 0.3, abortOnFailure: false } });
			expect(left.description).toContain(`Job ${left.context.jobId} left as it is (Abort Job on Failure is off)`);
			expect(jobStore().get(String(left.context.jobId))?.state).toBe('Open');
			record(V1_AREA, 'the query job outlives the timeout (Run Query, Timeout 0.3 s)', `error: "${aborted.message}" — "${aborted.description?.split('\n').pop()}"; with Abort Job on Failure off: "${left.description?.split('\n').pop()}"`, 'no partial results returned');
		});
	});

	describe('cancelling the n8n execution while waiting', () => {
		beforeEach(async () => await config({ holdJobs: true }));
		afterEach(async () => await config({ holdJobs: false }));

		/** Starts a run, cancels it once its job exists, and returns the error, how long the stop took and the job. */
		async function cancelled(node: typeof v2 | typeof classic, parameters: IDataObject, input?: INodeExecutionData[]) {
			const before = jobIdsNow();
			const controller = new AbortController();
			const running = failure(node, parameters, input, { abortSignal: controller.signal });
			for (let i = 0; i < 200 && !jobsSince(before).some((j) => j.state === 'InProgress' || j.batches?.some((b) => b.state === 'InProgress')); i++) await sleep(20);
			await sleep(100); // now waiting between polls
			const started = Date.now();
			controller.abort();
			const error: NodeError = await running;
			const stoppedMs = Date.now() - started;
			await sleep(50);
			const jobs = jobsSince(before);
			expect(jobs).toHaveLength(1);
			return { error, stoppedMs, job: jobs[0] };
		}

		it('Load Records (V2): stops promptly; the job it created is aborted (the one cancel rule)', async () => {
			const { error, stoppedMs, job } = await cancelled(v2, { ...LOAD, options: { timeout: 60 } }, accounts('R-cancel-'));
			expect(error.message).toMatch(/^The execution was cancelled/);
			expect(stoppedMs).toBeLessThan(5000);
			expect(job.state).toBe('Aborted');
			const loaded = orgRows('Account', 'R-cancel-');
			expect(new Set(loaded.map((r) => r.Name)).size).toBe(loaded.length);
			record(V2_AREA, 'execution cancelled while waiting (Load Records)', `stopped ${stoppedMs < 1000 ? 'within 1 s' : 'within 5 s'}: "${shown(error)}"; the job it created Aborted`, `${loaded.length} of ${ROWS} rows in the org when aborted, 0 duplicates`);
		});

		it('Run Query (V2): stops promptly; the job it created is aborted, whatever Abort Job on Timeout says', async () => {
			const aborted = await cancelled(v2, { resource: 'queryJob', operation: 'runQuery', query: 'SELECT Id FROM Account', options: { abortOnTimeout: true } });
			expect(aborted.error.message).toBe('The execution was cancelled');
			expect(aborted.stoppedMs).toBeLessThan(5000);
			expect(aborted.job.state).toBe('Aborted');
			const without = await cancelled(v2, { resource: 'queryJob', operation: 'runQuery', query: 'SELECT Id FROM Account' });
			expect(without.job.state).toBe('Aborted');
			record(V2_AREA, 'execution cancelled while waiting (Run Query)', `stopped ${aborted.stoppedMs < 1000 ? 'within 1 s' : 'within 5 s'}: "${aborted.error.message}"; the job it created Aborted (with and without Abort Job on Timeout)`, 'no partial results returned');
		});

		it('Load Records (Classic): stops promptly; the job is aborted (Abort Job on Failure, the default)', async () => {
			const { error, stoppedMs, job } = await cancelled(classic, CLASSIC_LOAD, accounts('R-v1-cancel-'));
			expect(error.message).toMatch(/^The execution was cancelled/);
			expect(stoppedMs).toBeLessThan(5000);
			expect(job.state).toBe('Aborted');
			expect(error.description).toContain(`Aborted job ${job.id}`);
			expect(orgRows('Account', 'R-v1-cancel-')).toEqual([]);
			record(V1_AREA, 'execution cancelled while waiting (Load Records)', `stopped ${stoppedMs < 1000 ? 'within 1 s' : 'within 5 s'}: "${shown(error)}"; job Aborted`, 'the held batch was never processed: 0 rows in the org');
		});
	});
}

