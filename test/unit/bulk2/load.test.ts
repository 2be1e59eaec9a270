// bulk2/load: parts → one ingest job each (all closed once every part is up), results matched back to the rows,
// and what a failure does with the jobs — over HTTP against the emulator, asserting the requests made.
import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { LoadPart } from '../../../nodes/shared/bulk2/load';
import { loadResults, uploadParts, withJobs } from '../../../nodes/shared/bulk2/load';
import { apiProbe, type SentRequest } from '../apiProbe';
import { admin } from '../../nodes/setup';

const p = apiProbe();
const V2 = '/services/data/v63.0/jobs';
const routes = (sent: SentRequest[]) => sent.map((r) => `${r.method} ${r.path.replace(/\/750\w+/g, '/:id')}`);
const node = { name: 'Salesforce Bulk V2' } as INode;

function part(names: string[], fail?: Error): LoadPart {
	const text = ['Name,NumberOfEmployees', ...names.map((n) => `${n},${n.endsWith('bad') ? 'many' : '5'}`)].join('\n') + '\n';
	return { body: async () => (fail ? await Promise.reject(fail) : text), header: ['Name', 'NumberOfEmployees'], rows: names.map((n) => [n, n.endsWith('bad') ? 'many' : '5']), rowCount: names.length, lineEnding: 'LF' };
}

async function* parts(...list: LoadPart[]): AsyncGenerator<LoadPart> {
	yield* list;
}

describe('uploadParts', () => {
	it('creates and fills one job per part and closes them only once every part is up', async () => {
		const created: Array<[string, number]> = [];
		let out: Record<string, unknown> = {};
		const sent = await p.requestsOf(async () => {
			out = await p.run(async ({ bulk2 }) => {
				const jobs = await uploadParts(node, bulk2, { object: 'Account', operation: 'insert' }, parts(part(['L1 a', 'L1 b']), part(['L1 c'])), true, (id, rows) => created.push([id, rows]));
				return { jobs: jobs.map((j) => ({ id: j.job.id, state: j.job.state, firstRow: j.firstRow, rowCount: j.rowCount })) };
			});
		});
		const jobs = out.jobs as Array<{ id: string; state: string; firstRow: number; rowCount: number }>;
		expect(jobs.map((j) => [j.state, j.firstRow, j.rowCount])).toEqual([
			['UploadComplete', 0, 2],
			['UploadComplete', 2, 1],
		]);
		expect(created).toEqual(jobs.map((j) => [j.id, j.rowCount]));
		expect(routes(sent)).toEqual([`POST ${V2}/ingest`, `PUT ${V2}/ingest/:id/batches`, `POST ${V2}/ingest`, `PUT ${V2}/ingest/:id/batches`, `PATCH ${V2}/ingest/:id`, `PATCH ${V2}/ingest/:id`]);
		expect(p.s.emulator.jobs.get(jobs[0].id)).toMatchObject({ lineEnding: 'LF', object: 'Account', operation: 'insert' });
	});

	it('aborts the jobs of the load when a later part fails, and names them in the error', async () => {
		const error = await p.failure(async ({ bulk2 }) => ({ jobs: (await uploadParts(node, bulk2, { object: 'Account', operation: 'insert' }, parts(part(['L2 a']), part(['L2 b'], new Error('the file went away'))), true)).length }));
		const ids = error.context.jobIds as string[];
		expect(ids).toHaveLength(2);
		expect(error.message).toBe(`the file went away (aborted job ${ids.join(', ')})`);
		expect(error.description).toContain(`Job IDs: ${ids.join(', ')}`);
		for (const id of ids) expect(p.s.emulator.jobs.get(id)?.state).toBe('Aborted');
		expect([...p.s.emulator.org.table('Account').values()].filter((a) => String(a.Name).startsWith('L2 '))).toEqual([]);
	});

	it('leaves them Open when Abort Job on Failure is off, and creates none when the first create fails', async () => {
		const left = await p.failure(async ({ bulk2 }) => ({ n: (await uploadParts(node, bulk2, { object: 'Account', operation: 'insert' }, parts(part(['L3 a'], new Error('gone'))), false)).length }));
		const [id] = left.context.jobIds as string[];
		expect(left.message).toBe(`gone (job ${id} left as it is (Abort Job on Failure is off): pick it up with the job ID)`);
		expect(p.s.emulator.jobs.get(id)?.state).toBe('Open');
		const refused = await p.failure(async ({ bulk2 }) => ({ n: (await uploadParts(node, bulk2, { object: 'Nope__c', operation: 'insert' }, parts(part(['x'])), true)).length }));
		expect(refused.context.jobIds).toBeUndefined();
		expect(refused.context.statusCode).toBe(400);
	});
});

describe('loadResults', () => {
	it("waits for each job and matches its result files to the rows sent, in load order", async () => {
		const sent = await p.requestsOf(async () => {
			const out = await p.run(async ({ bulk2 }) => {
				const jobs = await uploadParts(node, bulk2, { object: 'Account', operation: 'insert' }, parts(part(['L4 a', 'L4 bad']), part(['L4 c'])), true);
				const reports = await loadResults(node, bulk2, jobs, 10000);
				return { reports: reports.map((r) => ({ statuses: r.outcomes.map((o) => o.status), codes: r.outcomes.map((o) => o.errorCode), counts: r.counts, problems: r.problems, state: r.job.state })) };
			});
			expect(out.reports).toEqual([
				{ statuses: ['created', 'failed'], codes: [null, 'INVALID_FIELD'], counts: { successfulResults: 1, failedResults: 1, unprocessedrecords: 0 }, problems: [], state: 'JobComplete' },
				{ statuses: ['created'], codes: [null], counts: { successfulResults: 1, failedResults: 0, unprocessedrecords: 0 }, problems: [], state: 'JobComplete' },
			]);
		});
		const results = routes(sent).filter((r) => /Results|unprocessed/.test(r));
		expect(results).toEqual([
			`GET ${V2}/ingest/:id/successfulResults`,
			`GET ${V2}/ingest/:id/failedResults`,
			`GET ${V2}/ingest/:id/unprocessedrecords`,
			`GET ${V2}/ingest/:id/successfulResults`,
			`GET ${V2}/ingest/:id/failedResults`,
			`GET ${V2}/ingest/:id/unprocessedrecords`,
		]);
	});

	it('a timeout leaves the jobs running and names them', async () => {
		await admin(p.s.emulator, 'config', { holdJobs: true });
		try {
			const error = await p.failure(async ({ bulk2 }) => {
				const jobs = await uploadParts(node, bulk2, { object: 'Account', operation: 'insert' }, parts(part(['L5 a'])), true);
				return { n: (await loadResults(node, bulk2, jobs, 200)).length };
			});
			const [id] = error.context.jobIds as string[];
			expect(error.message).toMatch(new RegExp(`^Timed out after \\d+ s waiting for ingest job ${id}; its state is \\w+ \\(the data is uploaded and Salesforce keeps processing it; get the results later with the job IDs\\)$`));
			expect(p.s.emulator.jobs.get(id)?.state).not.toBe('Aborted');
		} finally {
			await admin(p.s.emulator, 'config', { holdJobs: false });
		}
	});
});

it('withJobs adds the job IDs to message, description and context, keeping the error type and details', () => {
	const api = new NodeApiError(node, { errorCode: 'X' }, { message: 'Salesforce said no', description: 'HTTP 400' });
	const e = withJobs(node, api, ['750A', '750B'], 'aborted job 750A, 750B');
	expect(e).toBe(api);
	expect([e.message, e.description, e.context.jobIds]).toEqual(['Salesforce said no (aborted job 750A, 750B)', 'HTTP 400\nJob IDs: 750A, 750B', ['750A', '750B']]);
	const plain = withJobs(node, new Error('boom'), ['750C'], 'note');
	expect(plain).toBeInstanceOf(NodeOperationError);
	expect(plain.message).toBe('boom (note)');
});
