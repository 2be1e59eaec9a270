// Salesforce's 24-hour limits (issue 18): a refusal names the limit and says when it frees up; a load that
// would need more API requests than the org has left (as Sforce-Limit-Info reported) gets a notice first.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { classic, failure, hits, items, jobIdsNow, jobsSince, record, run, suite, v2 } from './context';

const AREA = "Limits: Salesforce's 24-hour limits";
const V2 = '/services/data/v63.0/jobs';
const V1 = '/services/async/63.0/job';
const LOAD = { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert' };
const CLASSIC_LOAD = { resource: 'job', operation: 'loadRecords', object: 'Account', jobOperation: 'insert', contentType: 'CSV' };
const QUERY = { resource: 'queryJob', operation: 'runQuery', query: 'SELECT Id FROM Account LIMIT 1' };
const ROLLING = 'The window is rolling: what was used 24 hours ago frees up continuously, so it works again later (within 24 hours at the latest)';

const accounts = (prefix: string, n = 3): INodeExecutionData[] => items(Array.from({ length: n }, (_, i) => ({ Name: `${prefix}${i}` })));
const notices = () => suite.harness.lastHints.map((h) => h.message).filter((m) => m.includes('more API requests'));

/** Sets how many API requests the org has left (the emulator counts on from there), and puts it back after. */
async function withRequestsLeft<T>(left: number, fn: () => Promise<T>): Promise<T> {
	const { options } = suite.emulator as unknown as { options: IDataObject & { apiRequestLimit: number; apiRequestsUsed: number } };
	const saved = { limit: options.apiRequestLimit, used: options.apiRequestsUsed };
	options.apiRequestLimit = 100_000;
	options.apiRequestsUsed = 100_000 - left;
	try {
		return await fn();
	} finally {
		options.apiRequestLimit = saved.limit;
		options.apiRequestsUsed = saved.used + (options.apiRequestsUsed - (100_000 - left));
	}
}

export function limitCases(): void {
	afterEach(() => suite.emulator.faults.clear());

	describe('a refusal names the limit and when it frees up; it is not retried', () => {
		// [limit, the request Salesforce refuses (as the emulator counts it), the fault's path, the operation, what the message names]
		const cases: Array<[string, string, string, () => Promise<unknown>, RegExp]> = [
			['batches', `POST ${V1}/:id/batch`, `/^${V1}\\/750\\w+\\/batch$/`, async () => await failure(classic, CLASSIC_LOAD, accounts('L-batches-')), /15,000 Bulk API batches per rolling 24 hours, shared by Bulk API 1\.0 and 2\.0 .*\(ExceededQuota\)/],
			['batches', `POST ${V2}/ingest`, `${V2}/ingest`, async () => await failure(v2, LOAD, accounts('L-v2-batches-')), /15,000 Bulk API batches per rolling 24 hours.*\(LIMIT_EXCEEDED\)/],
			['ingestRecords', `POST ${V2}/ingest`, `${V2}/ingest`, async () => await failure(v2, LOAD, accounts('L-records-')), /150,000,000 Bulk API 2\.0 ingest records per rolling 24 hours \(LIMIT_EXCEEDED\)/],
			['queryJobs', `POST ${V2}/query`, `${V2}/query`, async () => await failure(v2, QUERY), /10,000 Bulk API 2\.0 query jobs per rolling 24 hours \(LIMIT_EXCEEDED\)/],
			['queryResults', `POST ${V2}/query`, `${V2}/query`, async () => await failure(v2, QUERY), /1 TB of Bulk API 2\.0 query results per rolling 24 hours \(LIMIT_EXCEEDED\)/],
			['apiRequests', `POST ${V1}`, `/^${V1}$/`, async () => await failure(classic, CLASSIC_LOAD, accounts('L-v1-requests-')), /API requests per rolling 24 hours .*\(ExceededQuota\)/],
		];
		it.each(cases)('%s, refused on %s', async (limit, route, path, act, named) => {
			const before = jobIdsNow();
			const sent = hits(route);
			suite.emulator.faults.add({ limit, method: route.split(' ')[0], path, count: 5 });
			const error = (await act()) as Error & { description?: string; context: IDataObject };
			expect(error.message).toMatch(named);
			expect(error.message).toContain(ROLLING);
			expect(hits(route) - sent).toBe(1);
			// A job created before the refusal (Classic: the batch was refused) is aborted, not left open.
			const made = jobsSince(before);
			expect(made.filter((j) => j.state !== 'Aborted')).toEqual([]);
			record(AREA, `${limit} used up: Salesforce refuses ${route}`, `error: "${error.message}"; 1 request, not retried`, made.length ? `the job it had created is Aborted (${made.length})` : 'no job created');
		});

		it('API requests: the emulator counts every request and refuses the one past the limit with 403 REQUEST_LIMIT_EXCEEDED', async () => {
			const error = await withRequestsLeft(0, async () => await failure(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: false, limit: 1 }));
			expect(error.message).toMatch(/^Salesforce refused: the org has used up its limit of API requests per rolling 24 hours .* \(REQUEST_LIMIT_EXCEEDED\)\. The window is rolling/);
			expect(error.context).toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED', statusCode: 403 });
			record(AREA, 'API requests used up (the emulator counts requests: 0 left)', `error: "${error.message}"`, 'nothing sent after the refusal');
		});

		it('429 REQUEST_LIMIT_EXCEEDED (too many at once) is throttling, not a daily limit: retried', async () => {
			const sent = hits(`POST ${V2}/query`);
			suite.emulator.faults.add({ status: 429, method: 'POST', path: `${V2}/query`, count: 1 });
			const out = await run(v2, QUERY);
			expect(suite.emulator.faults.fired.at(-1)).toMatchObject({ status: 429, method: 'POST' });
			expect(hits(`POST ${V2}/query`) - sent).toBe(2);
			expect(out.every((o) => String(o.json.Id).startsWith('001'))).toBe(true);
		});
	});

	describe('Sforce-Limit-Info: a load that needs more API requests than are left gets a notice, not an error', () => {
		it('REST and Bulk 2.0 answers carry api-usage=N/M as Salesforce sends it; Bulk 1.0 answers do not', async () => {
			const v2Answer = await fetch(`${suite.emulator.url}${V2}/ingest`, { headers: { Authorization: `Bearer ${await token()}` } });
			const v1Answer = await fetch(`${suite.emulator.url}${V1}/7500000000000000AAA`, { headers: { 'X-SFDC-Session': await token() } });
			expect(v2Answer.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/1000000$/);
			expect(v1Answer.headers.get('sforce-limit-info')).toBeNull();
		});

		it('V2 Load Records: plenty left, no notice; 10 left for 3 jobs, a notice before they are closed', async () => {
			await withRequestsLeft(50_000, async () => await run(v2, { ...LOAD, options: { maxRowsPerJob: 1 } }, accounts('L-plenty-')));
			expect(notices()).toEqual([]);
			// 3 jobs: 6 requests to create and fill them, then 4 left for 3 closes, polls and 9 result files.
			const out = await withRequestsLeft(10, async () => await run(v2, { ...LOAD, options: { maxRowsPerJob: 1 } }, accounts('L-short-'), { continueOnFail: true }));
			const [notice] = notices();
			expect(notice).toBe(
				'Processing the 3 job(s) of this load needs about 18 more API requests, but the org has 4 of its 100000 left for the rolling 24 hours (Salesforce reported api-usage=99996/100000). Once they are used up Salesforce refuses every request (REQUEST_LIMIT_EXCEEDED) and the load stops part-way; requests free up as those of 24 hours ago age out',
			);
			// …and so it went: the load ran out part-way, and the error says which limit and when it frees up.
			expect(String(out[0].json.error)).toMatch(/used up its limit of API requests per rolling 24 hours/);
			record(AREA, 'V2 Load Records of 3 jobs with 10 API requests left', `notice: "${notice}"`, `the load then stopped with: "${String(out[0].json.error).slice(0, 120)}…"`);
		});

		it('Classic Load Records: the usage the latest REST / Bulk 2.0 answer reported', async () => {
			const out = await withRequestsLeft(3, async () => {
				await run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: false, limit: 1 });
				return await run(classic, CLASSIC_LOAD, accounts('L-v1-short-'), { continueOnFail: true });
			});
			const [notice] = notices();
			expect(notice).toBe(
				'This load of 3 records needs about 6 more API requests, but the org has 2 of its 100000 left for the rolling 24 hours (Salesforce reported api-usage=99998/100000). Once they are used up Salesforce refuses every request (REQUEST_LIMIT_EXCEEDED) and the load stops part-way; requests free up as those of 24 hours ago age out',
			);
			expect(out).toHaveLength(3);
			record(AREA, 'Classic Load Records with 2 API requests left', `notice: "${notice}"`, `${out.filter((o) => o.json.success === true).length} of 3 loaded before the limit`);
		});

		it('Classic Load Records resuming a job loads nothing, so it gets no load notice', async () => {
			const input = accounts('L-v1-resume-');
			const loaded = await run(classic, CLASSIC_LOAD, input);
			const jobId = String(loaded[0].json.jobId);
			expect(jobId).toMatch(/^750/);
			// 5 left when it runs: fewer than a load of 3 records needs (6), enough for the resume's reads.
			const out = await withRequestsLeft(6, async () => {
				await run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: false, limit: 1 });
				return await run(classic, { ...CLASSIC_LOAD, options: { resumeJobs: jobId } }, input, { continueOnFail: true });
			});
			expect(notices()).toEqual([]);
			expect(out.map((o) => [o.json.jobId, o.json.status])).toEqual(input.map(() => [jobId, 'created']));
		});
	});
}

/** A valid access token of the suite's credential, for the raw header checks. */
async function token(): Promise<string> {
	await run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: false, limit: 1 });
	return [...suite.emulator.oauth.tokens.keys()].filter((t) => suite.emulator.oauth.valid(t)).pop()!;
}
