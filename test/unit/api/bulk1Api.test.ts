// api/bulk1Api: Bulk API 1.0 (Classic) over real HTTP against the emulator — the XML it sends, the headers,
// and job and batch info read from XML and JSON. (Partly moved from test/nodes/client.test.ts.)
import { apiProbe, type SentRequest } from '../apiProbe';

const p = apiProbe();
const ASYNC = '/services/async/63.0';
const routes = (sent: SentRequest[]) => sent.map((r) => `${r.method} ${r.path.replace(/\/75[012]\w+/g, '/:id')}`);

describe('load jobs', () => {
	it('creates a job, adds a CSV batch, closes, waits, reads the batch back and its results', async () => {
		let out: Record<string, unknown> = {};
		const sent = await p.requestsOf(async () => {
			out = await p.run(async ({ bulk1 }) => {
				const job = await bulk1.createJob({ operation: 'upsert', object: 'Account', externalIdFieldName: 'Legacy_Id__c' });
				const batch = await bulk1.addBatch(job.id, 'CSV', 'Name,Legacy_Id__c\nClassic One,L-1\n');
				const closed = await bulk1.setJobState(job.id, 'Closed');
				const done = await bulk1.waitForJob(job.id, { timeoutMs: 10000, initialIntervalMs: 20 });
				const batches = await bulk1.listBatches(job.id);
				const request = await bulk1.getBatchData(job.id, batch.id, 'request', 'text');
				const result = await bulk1.getBatchData(job.id, batch.id, 'result', 'text');
				return { job, batch, closed, done, batches, request: String(request.body), result: String(result.body) };
			});
		});
		expect(out.job).toMatchObject({ operation: 'upsert', object: 'Account', externalIdFieldName: 'Legacy_Id__c', state: 'Open', contentType: 'CSV' });
		expect(out.batch).toMatchObject({ state: 'Queued', id: expect.stringMatching(/^751/) });
		expect(out.closed).toMatchObject({ state: 'Closed' });
		// Counts read from XML text become numbers.
		expect(out.done).toMatchObject({ numberBatchesTotal: 1, numberBatchesCompleted: 1, numberRecordsProcessed: 1 });
		expect(out.batches).toEqual([expect.objectContaining({ state: 'Completed', numberRecordsProcessed: 1, numberRecordsFailed: 0 })]);
		expect(out.request).toBe('Name,Legacy_Id__c\nClassic One,L-1\n');
		expect(String(out.result).split('\n')[0]).toBe('"Id","Success","Created","Error"');
		const list = routes(sent);
		expect(list.slice(0, 3)).toEqual([`POST ${ASYNC}/job`, `POST ${ASYNC}/job/:id/batch`, `POST ${ASYNC}/job/:id`]);
		expect(list.slice(-3)).toEqual([`GET ${ASYNC}/job/:id/batch`, `GET ${ASYNC}/job/:id/batch/:id/request`, `GET ${ASYNC}/job/:id/batch/:id/result`]);
		expect(sent[0].headers['content-type']).toBe('application/xml; charset=UTF-8');
		expect(sent[1].headers['content-type']).toBe('text/csv; charset=UTF-8');
		// Bulk API 1.0 reads the session from X-SFDC-Session.
		expect(sent.every((r) => typeof r.headers['x-sfdc-session'] === 'string')).toBe(true);
		expect(p.s.emulator.org.table('Account').size).toBeGreaterThan(0);
		expect([...p.s.emulator.org.table('Account').values()].filter((a) => a.Legacy_Id__c === 'L-1')).toHaveLength(1);
	});

	it('a JSON job answers JSON, read into the same info', async () => {
		const out = await p.run(async ({ bulk1 }) => {
			const job = await bulk1.createJob({ operation: 'insert', object: 'Contact', contentType: 'JSON' });
			const batch = await bulk1.addBatch(job.id, 'JSON', JSON.stringify([{ LastName: 'Json Classic' }]));
			await bulk1.setJobState(job.id, 'Closed');
			return { job, batch, batches: await bulk1.waitForBatches(job.id, { timeoutMs: 10000, initialIntervalMs: 20 }) };
		});
		expect(out.job).toMatchObject({ contentType: 'JSON', state: 'Open' });
		expect(out.batches).toEqual([expect.objectContaining({ state: 'Completed', numberRecordsProcessed: 1 })]);
		expect([...p.s.emulator.org.table('Contact').values()].filter((c) => c.LastName === 'Json Classic')).toHaveLength(1);
	});
});

describe('query jobs', () => {
	it('runs a PK-chunked query (the header says the chunk size) and reads every chunk result', async () => {
		for (let i = 0; i < 9; i++) p.s.emulator.org.insertSystem('Contact', { LastName: `Chunk${i}`, Title: 'chunked' });
		let out: Record<string, unknown> = {};
		const sent = await p.requestsOf(async () => {
			out = await p.run(async ({ bulk1 }) => {
				const job = await bulk1.createJob({ operation: 'query', object: 'Contact' }, { chunkSize: 4 });
				await bulk1.addBatch(job.id, 'CSV', "SELECT Id, LastName FROM Contact WHERE Title = 'chunked'");
				const batches = await bulk1.waitForBatches(job.id, { timeoutMs: 10000, initialIntervalMs: 20 });
				await bulk1.setJobState(job.id, 'Closed');
				const names: string[] = [];
				for (const batch of batches.filter((b) => b.state === 'Completed')) {
					for (const resultId of await bulk1.getQueryResultIds(job.id, batch.id)) {
						const { body } = await bulk1.getQueryResult(job.id, batch.id, resultId, 'text');
						names.push(...String(body).trim().split('\n').slice(1).map((line) => line.split(',')[1].replace(/"/g, '')));
					}
				}
				return { states: batches.map((b) => b.state), names: names.sort() };
			});
		});
		expect(out.states).toContain('NotProcessed');
		expect((out.states as string[]).filter((state) => state === 'Completed').length).toBeGreaterThan(1);
		expect(out.names).toEqual(Array.from({ length: 9 }, (_, i) => `Chunk${i}`));
		expect(sent[0].headers['sforce-enable-pkchunking']).toBe('chunkSize=4');
		expect(routes(sent)).toContain(`GET ${ASYNC}/job/:id/batch/:id/result/:id`);
	});

	it('PK chunking without settings sends "true"', async () => {
		const sent = await p.requestsOf(async () => await p.run(async ({ bulk1 }) => await bulk1.createJob({ operation: 'query', object: 'Account' }, {})));
		expect(sent[0].headers['sforce-enable-pkchunking']).toBe('true');
	});
});

it('an unknown job is an error naming it', async () => {
	const error = await p.failure(async ({ bulk1 }) => await bulk1.getJob('750000000000000AAA'));
	expect(error.context).toMatchObject({ errorCode: 'InvalidJob', statusCode: 400, jobId: '750000000000000AAA' });
});
