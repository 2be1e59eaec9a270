// Get Many's filters (V2 and Classic): state, object, created after / before, created by me, applied while paging,
// the listing stopping once the limit is reached; a date that is not one names the filter.
import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { admin, setup, type Setup } from './setup';

let s: Setup;
const v2 = new SalesforceBulk2();
const classic = new SalesforceBulkClassic();
beforeAll(async () => {
	s = await setup();
});
afterAll(async () => await s.close());

const byId = (value: string) => ({ __rl: true, mode: 'id', value });
async function run(node: INodeType, parameters: INodeParameters) {
	const [out] = await s.harness.execute(node, { parameters });
	return out.map((i) => i.json);
}
const ids = (jobs: IDataObject[]) => jobs.map((j) => j.id);
const listRequests = () => Object.entries(s.emulator.stats.byRoute).filter(([route]) => route.startsWith('GET /services/data/v63.0/jobs/ingest')).reduce((n, [, count]) => n + Number(count), 0);

describe('Get Many filters', () => {
	let contactJob: string;
	let abortedJob: string;
	let startedAt: string;
	beforeAll(async () => {
		startedAt = new Date(Date.now() - 1000).toISOString();
		for (let k = 0; k < 4; k++) await run(v2, { resource: 'ingestJob', operation: 'create', object: 'Account', ingestOperation: 'insert' });
		contactJob = String((await run(v2, { resource: 'ingestJob', operation: 'create', object: 'Contact', ingestOperation: 'insert' }))[0].id);
		abortedJob = String((await run(v2, { resource: 'ingestJob', operation: 'create', object: 'Contact', ingestOperation: 'insert' }))[0].id);
		await run(v2, { resource: 'ingestJob', operation: 'abort', jobId: byId(abortedJob) });
	});

	it('V2: state and object (any case), together', async () => {
		const getMany = (filters: IDataObject) => run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: true, filters } as INodeParameters);
		expect(ids(await getMany({ objects: 'contact', states: ['Open'] }))).toEqual([contactJob]);
		expect(ids(await getMany({ objects: 'Lead, Contact', states: ['Aborted'] }))).toEqual([abortedJob]);
		expect((await getMany({ objects: 'Account' })).every((j) => j.object === 'Account')).toBe(true);
	});

	it('V2: created after / before, created by me', async () => {
		const getMany = (filters: IDataObject) => run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: true, filters } as INodeParameters);
		const future = new Date(Date.now() + 3600_000).toISOString();
		expect(await getMany({ createdAfter: future })).toEqual([]);
		expect(ids(await getMany({ createdAfter: startedAt, objects: 'Contact' })).sort()).toEqual([contactJob, abortedJob].sort());
		expect(await getMany({ createdBefore: startedAt, objects: 'Contact' })).toEqual([]);
		const mine = await getMany({ createdByMe: true, objects: 'Contact' });
		expect(ids(mine).sort()).toEqual([contactJob, abortedJob].sort());
	});

	it('V2: a date that is not one names the filter and the item', async () => {
		const error = (await run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: true, filters: { createdAfter: 'yesterday-ish' } } as INodeParameters).catch((e: Error) => e)) as Error & {
			context: IDataObject;
		};
		expect(error.message).toBe('Filters → Created After is not a date: "yesterday-ish"');
		expect(error.context.itemIndex).toBe(0);
	});

	it('Classic: a date that is not one names the filter (Created Before) and the item', async () => {
		const error = (await run(classic, { resource: 'job', operation: 'getAll', returnAll: true, filters: { createdBefore: '31/12/2026' } } as INodeParameters).catch((e: Error) => e)) as Error & {
			context: IDataObject;
		};
		expect(error.message).toBe('Filters → Created Before is not a date: "31/12/2026"');
		expect(error.context.itemIndex).toBe(0);
	});

	it('V2: stops paging as soon as the limit is reached, filters applied', async () => {
		await admin(s.emulator, 'config', { jobsPageSize: 1 });
		try {
			const before = listRequests();
			const jobs = await run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: false, limit: 1, filters: { objects: 'Account' } } as INodeParameters);
			expect(jobs).toHaveLength(1);
			const pages = listRequests() - before;
			const all = await run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: true } as INodeParameters);
			expect(pages).toBeLessThan(all.length);
		} finally {
			await admin(s.emulator, 'config', { jobsPageSize: 1000 });
		}
	});

	it('V2: the concurrency mode goes to Salesforce: Classic jobs in Serial mode, listed through Ingest Job', async () => {
		const serial = String((await run(classic, { resource: 'job', operation: 'create', object: 'Lead', jobOperation: 'insert', contentType: 'CSV', options: { concurrencyMode: 'Serial' } }))[0].id);
		const listed = await run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: true, filters: { jobType: 'Classic', concurrencyMode: 'Serial', objects: 'Lead' } } as INodeParameters);
		expect(ids(listed)).toEqual([serial]);
		expect(await run(v2, { resource: 'ingestJob', operation: 'getAll', returnAll: true, filters: { jobType: 'Classic', concurrencyMode: 'Parallel', objects: 'Lead' } } as INodeParameters)).toEqual([]);
	});

	it('Classic: state and object', async () => {
		const open = String((await run(classic, { resource: 'job', operation: 'create', object: 'Case', jobOperation: 'insert', contentType: 'CSV' }))[0].id);
		const closed = String((await run(classic, { resource: 'job', operation: 'create', object: 'Case', jobOperation: 'insert', contentType: 'CSV' }))[0].id);
		await run(classic, { resource: 'job', operation: 'update', jobId: byId(closed), state: 'Closed' });
		const getMany = (filters: IDataObject) => run(classic, { resource: 'job', operation: 'getAll', returnAll: true, filters } as INodeParameters);
		expect(ids(await getMany({ objects: 'Case', states: ['Open'] }))).toEqual([open]);
		// The Closed option stores UploadComplete, the state the job list shows a Closed Classic job in.
		expect(ids(await getMany({ objects: 'Case', states: ['UploadComplete'], kind: 'ingest' }))).toEqual([closed]);
	});
});
