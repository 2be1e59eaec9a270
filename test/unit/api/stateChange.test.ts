// api/stateChange: a close or abort refused only because its first sending was applied and its answer lost is
// answered by the job as it now is; every other refusal stands (a user's second abort fails as Salesforce says).
import { changeJobState } from '../../../nodes/shared/api/stateChange';
import { apiProbe } from '../apiProbe';

const refusal = (resentAfterLostAnswer?: boolean) => Object.assign(new Error('InvalidJob'), { context: { statusCode: 409, ...(resentAfterLostAnswer ? { resentAfterLostAnswer } : {}) } });

describe('changeJobState', () => {
	it('answers a refused resend with the job when the job shows the change done', async () => {
		const current = jest.fn(async () => ({ state: 'Aborted' }));
		await expect(changeJobState(async () => await Promise.reject(refusal(true)), current, (job) => job.state === 'Aborted')).resolves.toEqual({ state: 'Aborted' });
		expect(current).toHaveBeenCalledTimes(1);
	});

	it('keeps the refusal of a resend when the job does not show the change (or cannot be read)', async () => {
		const error = refusal(true);
		await expect(changeJobState(async () => await Promise.reject(error), async () => ({ state: 'JobComplete' }), (job) => job.state === 'Aborted')).rejects.toBe(error);
		await expect(changeJobState(async () => await Promise.reject(error), async () => await Promise.reject(new Error('down')), () => true)).rejects.toBe(error);
	});

	it('keeps a refusal of a request sent once, without reading the job', async () => {
		const error = refusal();
		const current = jest.fn(async () => ({ state: 'Aborted' }));
		await expect(changeJobState(async () => await Promise.reject(error), current, () => true)).rejects.toBe(error);
		expect(current).not.toHaveBeenCalled();
	});

	it('passes the answer through when the change succeeds', async () => {
		await expect(changeJobState(async () => ({ state: 'UploadComplete' }), async () => ({ state: 'x' }), () => false)).resolves.toEqual({ state: 'UploadComplete' });
	});
});

describe('over HTTP (Bulk 2.0 and Bulk 1.0 aborts)', () => {
	const p = apiProbe();

	it('an abort whose answer was lost and whose resend is refused answers with the aborted job', async () => {
		const v2 = String((await p.run(async ({ bulk2 }) => await bulk2.createIngestJob({ object: 'Account', operation: 'insert' }))).id);
		const v1 = String((await p.run(async ({ bulk1 }) => await bulk1.createJob({ object: 'Account', operation: 'insert' }))).id);
		p.s.emulator.faults.add({ kind: 'reset', afterBytes: 20, method: 'PATCH', path: '/jobs/ingest/', count: 1 }, { kind: 'reset', afterBytes: 20, method: 'POST', path: `/job/${v1}`, count: 1 });
		const sent = await p.requestsOf(async () => {
			expect(await p.run(async ({ bulk2 }) => await bulk2.abortJob('ingest', v2))).toMatchObject({ id: v2, state: 'Aborted' });
			expect(await p.run(async ({ bulk1 }) => await bulk1.setJobState(v1, 'Aborted'))).toMatchObject({ id: v1, state: 'Aborted' });
		});
		// Each: the abort, its resend (refused), the job read.
		expect(sent.map((r) => `${r.method} ${r.path.replace(/\/75[01]\w+/g, '/:id')}`)).toEqual([
			'PATCH /services/data/v63.0/jobs/ingest/:id',
			'PATCH /services/data/v63.0/jobs/ingest/:id',
			'GET /services/data/v63.0/jobs/ingest/:id',
			'POST /services/async/63.0/job/:id',
			'POST /services/async/63.0/job/:id',
			'GET /services/async/63.0/job/:id',
		]);
	});

	it("a user's second abort of an aborted job fails with Salesforce's refusal", async () => {
		const v2 = String((await p.run(async ({ bulk2 }) => await bulk2.createIngestJob({ object: 'Account', operation: 'insert' }))).id);
		await p.run(async ({ bulk2 }) => await bulk2.abortJob('ingest', v2));
		const again = await p.failure(async ({ bulk2 }) => await bulk2.abortJob('ingest', v2));
		expect(again.context).toMatchObject({ errorCode: 'INVALIDJOB', statusCode: 409, jobId: v2 });
		const v1 = String((await p.run(async ({ bulk1 }) => await bulk1.createJob({ object: 'Account', operation: 'insert' }))).id);
		await p.run(async ({ bulk1 }) => await bulk1.setJobState(v1, 'Aborted'));
		const classic = await p.failure(async ({ bulk1 }) => await bulk1.setJobState(v1, 'Aborted'));
		expect(classic.context).toMatchObject({ errorCode: 'InvalidJobState', statusCode: 400, jobId: v1 });
	});
});
