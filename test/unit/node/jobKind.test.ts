// node/jobKind: a job ID of the wrong kind is looked up in the other APIs, and the error says what the job is
// and where it is handled — over HTTP against the emulator, asserting which lookups were made.
import type { Salesforce } from '../../../nodes/shared/api/connect';
import { onJobOfKind, type JobKindName } from '../../../nodes/shared/node/jobKind';
import { apiProbe } from '../apiProbe';

const p = apiProbe();
const ids: Record<string, string> = {};

beforeAll(async () => {
	const out = await p.run(async ({ bulk1, bulk2 }) => ({
		ingest: (await bulk2.createIngestJob({ object: 'Account', operation: 'insert' })).id,
		query: (await bulk2.createQueryJob({ query: 'SELECT Id FROM Account' })).id,
		classic: (await bulk1.createJob({ object: 'Account', operation: 'insert' })).id,
	}));
	Object.assign(ids, out);
});

const read: Record<JobKindName, (sf: Salesforce, id: string) => Promise<unknown>> = {
	ingest: async (sf, id) => await sf.bulk2.getJob('ingest', id),
	query: async (sf, id) => await sf.bulk2.getJob('query', id),
	classic: async (sf, id) => await sf.bulk1.getJob(id),
};

const asKind = (id: string, expected: JobKindName) => async (sf: Salesforce, ctx: Parameters<typeof onJobOfKind>[0]) => ({ job: (await onJobOfKind(ctx, sf, id, expected, 'Get', 0, async () => await read[expected](sf, id))) as never });

it('a job of the kind expected is simply returned', async () => {
	const sent = await p.requestsOf(async () => expect((await p.run(asKind(ids.query, 'query'))).job).toMatchObject({ id: ids.query }));
	expect(sent).toHaveLength(1);
});

it.each([
	['query', 'ingest', 'a Bulk API 2.0 query job, not a Bulk API 2.0 ingest job', 'the Salesforce Bulk V2 node, resource Query Job'],
	['ingest', 'query', 'a Bulk API 2.0 ingest job, not a Bulk API 2.0 query job', 'the Salesforce Bulk V2 node, resource Ingest Job'],
	['classic', 'ingest', 'a Bulk API 1.0 (Classic) job, not a Bulk API 2.0 ingest job', 'the Salesforce Bulk Classic node, resource Job'],
	['ingest', 'classic', 'a Bulk API 2.0 ingest job, not a Bulk API 1.0 (Classic) job', 'the Salesforce Bulk V2 node, resource Ingest Job'],
] as Array<[JobKindName, JobKindName, string, string]>)('a %s job asked for as %s says what it is and where it is handled', async (actual, expected, what, where) => {
	const error = await p.failure(asKind(ids[actual], expected));
	expect(error.message).toBe(`Job ${ids[actual]} is ${what}`);
	expect(error.description).toBe(`Use Get of ${where}.`);
});

it('an ID no API knows: every other API asked, then "does not exist (any more)"', async () => {
	const unknown = '7505e00000UNKNOAAA';
	const sent = await p.requestsOf(async () => {
		const error = await p.failure(asKind(unknown, 'ingest'));
		expect(error.message).toBe(`Job ${unknown} does not exist (any more): it was deleted, or it finished more than 7 days ago`);
	});
	expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual([
		`GET /services/data/v63.0/jobs/ingest/${unknown}`,
		`GET /services/data/v63.0/jobs/query/${unknown}`,
		`GET /services/async/63.0/job/${unknown}`,
	]);
});

it('an error other than "not found" is not looked into', async () => {
	p.s.emulator.faults.add({ status: 403, path: '/jobs/ingest/' });
	const sent = await p.requestsOf(async () => {
		const error = await p.failure(asKind(ids.ingest, 'ingest'));
		expect(error.context).toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED', statusCode: 403 });
	});
	expect(sent).toHaveLength(1);
});
