// The fault matrix (issue 18): every request the nodes make × every transient fault, generated from the
// one list below. Each cell runs the node operation that makes the request, with the fault on the first
// such request, and checks the outcome against the same operation without the fault, the requests made
// and the org. The last test fails when the nodes made a request (during this whole suite) that has no
// row in the list, so a new request cannot be forgotten.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { retryPolicy } from '../../nodes/shared/transport/retryPolicy';

import { everythingOf, NODES, runners } from './everyOperation';
import { byId, classic, config, hits, items, orgRows, record, run, shown, suite, trigger, v2, type NodeError } from './context';

const AREA = 'Fault matrix: every request × every transient fault';
const V2 = 'GET /services/data/v63.0';
const DATA = '/services/data/v63.0';
const ASYNC = '/services/async/63.0';
const ROWS = 6;

interface Fault {
	name: string;
	rule: (bulk1: boolean) => IDataObject;
	/** The request never got an answer (it may or may not have been applied). */
	network?: boolean;
	/** The answer comes after the request timeout (shortened for the cell, as retryPolicy is for the suite). */
	slow?: boolean;
}

/** The request timeout while a slow answer is faulted: short, yet long enough for every answer that is not held back. */
const CELL_TIMEOUT_MS = 1500;

const FAULTS: Fault[] = [
	{ name: '503', rule: () => ({ status: 503 }) },
	{ name: '503 + Retry-After', rule: () => ({ status: 503, retryAfter: 0 }) },
	{ name: '429', rule: () => ({ status: 429 }) },
	{ name: '429 + Retry-After', rule: () => ({ status: 429, retryAfter: 0 }) },
	{ name: 'reset before the response', rule: () => ({ kind: 'reset', beforeResponse: true }), network: true },
	{ name: 'reset mid-body', rule: () => ({ kind: 'reset', afterBytes: 20 }), network: true },
	// Answered (and applied) only once the node has stopped waiting: the node gives up after its timeout.
	{ name: 'slow response beyond the timeout', rule: () => ({ kind: 'delay', untilClientGivesUp: true }), network: true, slow: true },
	{
		name: 'expired session',
		rule: (bulk1) => (bulk1 ? { status: 400, errorCode: 'InvalidSessionId', message: 'Invalid session id' } : { status: 401, errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }),
	},
];

/** What a cell compares with the run without the fault: the data, without IDs and names that differ per run. */
type Outcome = unknown;

interface Request {
	/** As the emulator counts it: method and path, IDs as :id. */
	route: string;
	/** The node operation that makes it. */
	through: string;
	/** Runs the operation (rows named with `prefix` when it loads) and returns its comparable outcome. */
	run: (prefix: string) => Promise<Outcome>;
	/** Rows the operation loads, checked in the org (each successful row once). */
	loads?: boolean;
	/** Sent more than once per run (polls): the count is only checked to have grown by the retry. */
	repeated?: boolean;
	/** Salesforce answers with no body: a drop "mid-body" comes after the whole answer, so nothing goes again. */
	noBody?: boolean;
}

/** V2 Load Records at node version 1.2: the items through the Columns mapper, which reads the object's describe first. */
const v2MappedLoad = async (prefix: string) =>
	loadOutcome(prefix)(
		await run(
			v2,
			{ resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert', columns: { mappingMode: 'autoMapInputData', value: null } },
			// As in the other loads, the last row fails at Salesforce (no Name: required), not in the mapper.
			items(Array.from({ length: ROWS }, (_, i) => ({ Name: i === ROWS - 1 ? '' : `${prefix}${i}`, NumberOfEmployees: String(i) }))),
			{ typeVersion: 1.2 },
		),
	);

const accounts = (prefix: string) => items(Array.from({ length: ROWS }, (_, i) => ({ Name: `${prefix}${i}`, NumberOfEmployees: i === ROWS - 1 ? 'many' : String(i) })));

/** A load's outcome: each row's status and name (without the prefix), in input order. */
const loadOutcome = (prefix: string) => (out: INodeExecutionData[]) =>
	out.map((o) => `${String(o.json.status)} ${String((o.json.record as IDataObject | undefined)?.Name ?? '').replace(prefix, '')}`);
const names = (out: INodeExecutionData[]) => out.map((o) => String(o.json.LastName ?? o.json.Name)).sort();
const fileText = async (out: INodeExecutionData[]) => (await suite.harness.readBinary(out[0].binary!.data)).toString().split('\n').sort();
const MATRIX_LEADS = "SELECT LastName FROM Lead WHERE Company = 'Matrix Co'";

let v2Load: (prefix: string) => Promise<Outcome>;
let classicLoad: (prefix: string) => Promise<Outcome>;
/** A finished V2 ingest job, a Classic load job and batch, a Classic query job and its first result set. */
const fixed: Record<string, string> = {};

/** Creates a job of the resource, aborts it or waits for it, deletes it; the outcome is Delete's output without the ID. */
async function deleteJob(resource: string): Promise<Outcome> {
	const [job] = await run(v2, resource === 'ingestJob' ? { resource, operation: 'create', object: 'Account', ingestOperation: 'insert' } : { resource, operation: 'create', query: MATRIX_LEADS });
	const jobId = byId(String(job.json.id));
	// Only a finished or aborted job can be deleted: the (Open) ingest job is aborted, the query job waited for.
	await run(v2, { resource, operation: resource === 'ingestJob' ? 'abort' : 'waitForJob', jobId });
	return (await run(v2, { resource, operation: 'delete', jobId })).map((o) => o.json.deleted);
}

function requests(): Request[] {
	const v2Query = async () => names(await run(v2, { resource: 'queryJob', operation: 'runQuery', query: MATRIX_LEADS, pageSize: 5 }));
	const classicQuery = async () => names(await run(classic, { resource: 'job', operation: 'runQuery', query: MATRIX_LEADS, pkChunking: true, chunkSize: 400 }));
	const classicLoadJob = { jobId: byId(fixed.classicJob) };
	// The trigger's changed-records event: the Matrix Co leads, read by query jobs of 5 rows each (12 rows: 3 jobs).
	const changedLeads = { triggerOn: 'changedRecords', object: 'Lead', fieldsMode: 'list', fields: ['LastName'], where: "Company = 'Matrix Co'", startFrom: 'everything', recordOptions: { rowsPerJob: 5 } };
	const changedRecords = (mode: 'manual' | 'trigger') => async () => names((await suite.harness.poll(trigger, { parameters: changedLeads, mode })).result?.[0] ?? []);
	// All Fields reads the object's describe at each poll (the fixed Accounts: a sample of their newest 10).
	const allFieldsSample = async () =>
		names((await suite.harness.poll(trigger, { parameters: { ...changedLeads, object: 'Account', fieldsMode: 'all', where: "Name LIKE 'M-fixed-%'" }, mode: 'manual' })).result?.[0] ?? []);
	return [
		{ route: `POST ${DATA}/jobs/ingest`, through: 'V2 Load Records', run: v2Load, loads: true },
		{ route: `PUT ${DATA}/jobs/ingest/:id/batches`, through: 'V2 Load Records', run: v2Load, loads: true, noBody: true },
		{ route: `PATCH ${DATA}/jobs/ingest/:id`, through: 'V2 Load Records (close)', run: v2Load, loads: true },
		{ route: `${V2}/jobs/ingest/:id`, through: 'V2 Load Records (poll)', run: v2Load, loads: true, repeated: true },
		{ route: `${V2}/jobs/ingest/:id/successfulResults`, through: 'V2 Load Records', run: v2Load, loads: true },
		{ route: `${V2}/jobs/ingest/:id/failedResults`, through: 'V2 Load Records', run: v2Load, loads: true },
		{ route: `${V2}/jobs/ingest/:id/unprocessedrecords`, through: 'V2 Load Records', run: v2Load, loads: true },
		{ route: `POST ${DATA}/jobs/query`, through: 'V2 Run Query', run: v2Query },
		{ route: `${V2}/jobs/query/:id`, through: 'V2 Run Query (poll)', run: v2Query, repeated: true },
		{ route: `${V2}/jobs/query/:id/results`, through: 'V2 Run Query', run: v2Query, repeated: true },
		{
			route: `${V2}/jobs/query/:id/resultPages`,
			through: 'V2 Run Query (binary, parallel pages)',
			run: async () => await fileText(await run(v2, { resource: 'queryJob', operation: 'runQuery', query: MATRIX_LEADS, pageSize: 5, outputAs: 'binary', options: { parallel: 2 } })),
		},
		{
			route: `PATCH ${DATA}/jobs/query/:id`,
			through: 'V2 Query Job → Abort',
			run: async () => {
				await config({ holdJobs: true });
				try {
					const [job] = await run(v2, { resource: 'queryJob', operation: 'create', query: MATRIX_LEADS });
					return (await run(v2, { resource: 'queryJob', operation: 'abort', jobId: byId(String(job.json.id)) }))[0].json.state;
				} finally {
					await config({ holdJobs: false });
				}
			},
		},
		{ route: `DELETE ${DATA}/jobs/ingest/:id`, through: 'V2 Ingest Job → Delete', run: async () => await deleteJob('ingestJob'), noBody: true },
		{ route: `DELETE ${DATA}/jobs/query/:id`, through: 'V2 Query Job → Delete', run: async () => await deleteJob('queryJob'), noBody: true },
		{ route: `${V2}/jobs/ingest`, through: 'V2 Ingest Job → Get Many', run: async () => (await run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: false, limit: 1 })).length },
		{ route: `${V2}/jobs/query`, through: 'Trigger (query jobs list)', run: async () => (await suite.harness.poll(trigger, { parameters: { jobKinds: ['query'] }, mode: 'manual' })).result?.[0]?.length ?? 0 },
		{ route: `${V2}/jobs/ingest`, through: 'Trigger (ingest jobs list)', run: async () => (await suite.harness.poll(trigger, { parameters: { jobKinds: ['ingest'] }, mode: 'manual' })).result?.[0]?.length ?? 0 },
		{ route: `${V2}/jobs/ingest`, through: 'Trigger (Classic jobs: the ingest list, jobType=Classic)', run: async () => (await suite.harness.poll(trigger, { parameters: { jobKinds: ['classic'] }, mode: 'manual' })).result?.[0]?.length ?? 0 },
		{ route: `${V2}/jobs/ingest`, through: 'Classic Job list search (jobType=Classic)', run: async () => (await suite.harness.listSearch(classic, 'searchClassicJobs')).results.length },
		{ route: `${V2}/jobs/query`, through: 'V2 Query Job list search', run: async () => (await suite.harness.listSearch(v2, 'searchQueryJobs')).results.length },
		{
			route: 'GET /services/oauth2/userinfo',
			through: 'Trigger Only My Jobs (who the credential is)',
			run: async () => (await suite.harness.poll(trigger, { parameters: { jobKinds: ['query'], filters: { onlyMine: true } }, mode: 'manual' })).result?.[0]?.length ?? 0,
		},
		{ route: `POST ${DATA}/jobs/query`, through: 'Trigger: changed records (poll, 3 window jobs)', run: changedRecords('trigger') },
		{ route: `${V2}/jobs/query/:id`, through: 'Trigger: changed records (poll, job waits)', run: changedRecords('trigger'), repeated: true },
		{ route: `${V2}/jobs/query/:id/results`, through: 'Trigger: changed records (poll, window results)', run: changedRecords('trigger'), repeated: true },
		{ route: `${V2}/sobjects/Account/describe`, through: 'Trigger: changed records, All Fields (Fetch Test Event)', run: allFieldsSample },
		{ route: `${V2}/sobjects`, through: 'V2 Object dropdown', run: async () => (await suite.harness.loadOptions(v2, 'getObjects')).length },
		{ route: `${V2}/sobjects`, through: 'Classic Object dropdown', run: async () => (await suite.harness.loadOptions(classic, 'getObjects')).length },
		{
			route: `${V2}/limits`,
			through: 'Classic session renewal (Job → Get with an expired token)',
			run: async () => {
				suite.emulator.oauth.expireAll();
				return (await run(classic, { resource: 'job', operation: 'get', ...classicLoadJob }))[0].json.state;
			},
			// Sent twice when renewing (401, then again with the new token): a 401 fault stands in for the first.
			repeated: true,
		},
		{ route: `${V2}/sobjects/Account/describe`, through: 'V2 External ID Field dropdown', run: async () => (await suite.harness.loadOptions(v2, 'getExternalIdFields', { parameters: { object: 'Account' } })).length },
		{ route: `${V2}/sobjects/Account/describe`, through: 'V2 Load Records 1.2 (Columns: the object describe)', run: v2MappedLoad, loads: true },
		{ route: `POST ${ASYNC}/job`, through: 'Classic Load Records', run: classicLoad, loads: true },
		{ route: `POST ${ASYNC}/job/:id/batch`, through: 'Classic Load Records', run: classicLoad, loads: true },
		{ route: `POST ${ASYNC}/job/:id`, through: 'Classic Load Records (close)', run: classicLoad, loads: true },
		{ route: `GET ${ASYNC}/job/:id/batch`, through: 'Classic Load Records (poll)', run: classicLoad, loads: true, repeated: true },
		{ route: `GET ${ASYNC}/job/:id/batch/:id/result`, through: 'Classic Load Records (batch results)', run: classicLoad, loads: true },
		{ route: `GET ${ASYNC}/job/:id/batch/:id/result/:id`, through: 'Classic Run Query (PK chunking, result sets)', run: classicQuery },
		{ route: `GET ${ASYNC}/job/:id`, through: 'Classic Job → Get', run: async () => (await run(classic, { resource: 'job', operation: 'get', ...classicLoadJob }))[0].json.state },
		{
			route: `GET ${ASYNC}/job/:id/batch/:id`,
			through: 'Classic Batch → Get',
			run: async () => (await run(classic, { resource: 'batch', operation: 'get', ...classicLoadJob, batchId: fixed.classicBatch }))[0].json.state,
		},
		{
			route: `GET ${ASYNC}/job/:id/batch/:id/request`,
			through: 'Classic Batch → Get Request (binary)',
			run: async () => await fileText(await run(classic, { resource: 'batch', operation: 'getRequest', ...classicLoadJob, batchId: fixed.classicBatch, outputAs: 'binary' })),
		},
	];
}

/** Requests n8n makes itself (the OAuth2 token), not the nodes. */
const NOT_OURS = ['POST /services/oauth2/token'];
const seenRoutes = () => Object.keys(suite.emulator.stats.byRoute);
/** A route as the list names it (one describe for every object). */
const routeOf = (key: string) => key.replace(/\/sobjects\/\w+\/describe/, '/sobjects/Account/describe');

export function matrixCases(): void {
	const table2: Array<{ route: string; through: string; fault: string; observed: string; data: string }> = [];
	beforeAll(async () => {
		for (let i = 0; i < 12; i++) suite.emulator.org.insertSystem('Lead', { LastName: `M-${String(i).padStart(2, '0')}`, Company: 'Matrix Co' });
		v2Load = async (prefix) => loadOutcome(prefix)(await run(v2, { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert' }, accounts(prefix)));
		classicLoad = async (prefix) =>
			loadOutcome(prefix)(await run(classic, { resource: 'job', operation: 'loadRecords', object: 'Account', jobOperation: 'insert', contentType: 'CSV' }, accounts(prefix)));
		await classicLoad('M-fixed-');
		const job = [...suite.emulator.jobs.jobs.values()].filter((j) => j.batches).pop()!;
		fixed.classicJob = job.id;
		fixed.classicBatch = String(job.batches![0].id);
	});
	afterEach(() => suite.emulator.faults.clear());

	let cell = 0;
	describe('requests × faults', () => {
		const list = () => requests();
		const suiteTimeout = retryPolicy.timeoutMs;
		it.each(FAULTS.map((f) => [f.name, f] as const))('every request with %s', async (_name, fault) => {
			for (const request of list()) {
				const bulk1 = request.route.includes('/async/');
				const prefix = `M-${++cell}-`;
				const baselinePrefix = `M-${cell}b-`;
				const baselineHits = hits(request.route);
				const baselineJobsBefore = suite.emulator.jobs.jobs.size;
				const expected = await request.run(baselinePrefix);
				const baselineRequests = hits(request.route) - baselineHits;
				const baselineJobs = suite.emulator.jobs.jobs.size - baselineJobsBefore;
				expect({ route: request.route, baselineRequests }).toEqual({ route: request.route, baselineRequests: expect.any(Number) });
				expect(`${request.route}: ${baselineRequests > 0}`).toBe(`${request.route}: true`);
				const [method, path] = request.route.split(' ');
				const pattern = `/^${path.replace(/:id/g, '(750|751|752)\\w+')}$/`;
				const fired = suite.emulator.faults.fired.length;
				suite.emulator.faults.add({ ...fault.rule(bulk1), method, path: pattern, count: 1 });
				const before = hits(request.route);
				const jobsBefore = suite.emulator.jobs.jobs.size;
				let outcome: string;
				if (fault.slow) retryPolicy.timeoutMs = CELL_TIMEOUT_MS;
				try {
					const got = await request.run(prefix);
					expect(got).toEqual(expected);
					outcome = 'same data';
				} catch (error) {
					// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- test code: not a node error, let it fail the test as it is
					if (!(error instanceof Error) || !('description' in error)) throw error;
					const text = shown(error as NodeError);
					// Only a request that may have been applied (no answer to a write) may end in an error, and it says what to do.
					expect(fault.network && method !== 'GET').toBe(true);
					expect(text).not.toMatch(/^(aborted|socket hang up|read ECONNRESET)/);
					expect(text).toMatch(/check job 750\w{12}|check the recent jobs|try again/i);
					outcome = `error: ${text.slice(0, 160)}`;
				} finally {
					retryPolicy.timeoutMs = suiteTimeout;
					// A request answered late is applied once the node stopped waiting: let it land before counting.
					while (suite.emulator.lateRequests > 0) await sleep(10);
				}
				const jobsMade = suite.emulator.jobs.jobs.size - jobsBefore;
				expect(`${request.route}: fired ${suite.emulator.faults.fired.length - fired}`).toBe(`${request.route}: fired 1`);
				const made = hits(request.route) - before;
				if (outcome === 'same data') {
					const wanted = request.repeated ? Math.max(made, 2) : request.noBody && fault.name === 'reset mid-body' ? baselineRequests : baselineRequests + 1;
					expect(`${request.route}: ${made} requests`).toBe(`${request.route}: ${wanted} requests`);
				}
				// No job made twice by a retry: as many as without the fault (an error may leave fewer, or one more
				// when the request that created it went unanswered and the error says to check the recent jobs).
				if (outcome === 'same data') expect(`${request.route}: ${jobsMade} jobs`).toBe(`${request.route}: ${baselineJobs} jobs`);
				else expect(jobsMade).toBeLessThanOrEqual(baselineJobs);
				let org = `; ${jobsMade} jobs made (${baselineJobs} without the fault)`;
				if (request.loads) {
					const inOrg = orgRows('Account', prefix).map((r) => String(r.Name));
					expect(inOrg.length).toBe(new Set(inOrg).size);
					if (outcome === 'same data') expect(inOrg).toHaveLength(ROWS - 1);
					org += `; org has ${inOrg.length} of the rows, none twice`;
				}
				table2.push({
					route: request.route,
					through: request.through,
					fault: fault.name,
					observed: `${outcome}; ${made} requests to the route (${baselineRequests} without the fault)`,
					data: `${outcome === 'same data' ? 'same as without the fault' : 'error names the job and what to do'}${org}`,
				});
			}
		}, 300_000);
	});

	it('every request of every operation, dropdown, list search and trigger mode has a row in the list', async () => {
		// The operations and methods come from the nodes' descriptions: one without a runner fails here.
		const everything = everythingOf(NODES);
		const table = runners();
		expect(everything.filter((name) => !(name in table))).toEqual([]);
		expect(Object.keys(table).filter((name) => !everything.includes(name) && !name.startsWith('trigger poll.'))).toEqual([]);
		const before = { ...suite.emulator.stats.byRoute };
		for (const [name, runner] of Object.entries(table)) {
			try {
				await runner();
			} catch (error) {
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- test code: names the runner that failed
				throw new Error(`${name}: ${(error as Error).message}`);
			}
		}
		const listed = new Set(requests().map((r) => r.route));
		const made = [...new Set(Object.keys(suite.emulator.stats.byRoute).filter((key) => suite.emulator.stats.byRoute[key] > (before[key] ?? 0)).map(routeOf))];
		const missing = made.filter((route) => !listed.has(route) && !NOT_OURS.includes(route));
		expect(missing).toEqual([]);
		// …and the whole suite (faults, bad input, security) made no request the list lacks either.
		expect([...new Set(seenRoutes().map(routeOf))].filter((route) => !listed.has(route) && !NOT_OURS.includes(route))).toEqual([]);
		record(
			AREA,
			'completeness: a run of everything the nodes can do',
			`${Object.keys(table).length} runs (${everything.length} operations, dropdowns and list searches read from the node descriptions, and the trigger per job kind) made ${made.length} distinct requests, each in the list above`,
			`the list has ${listed.size} distinct requests in ${requests().length} rows`,
		);
		for (const cell of table2) record(AREA, `${cell.route} (${cell.through}) × ${cell.fault}`, cell.observed, cell.data);
	}, 180_000);

}

