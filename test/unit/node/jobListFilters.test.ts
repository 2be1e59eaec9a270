// node/jobListFilters: Get Many's filters split into what Salesforce's job list takes and a test for each job,
// read from real node parameters; "Created by Me" asks Salesforce who the credential's user is.
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { JobInfo } from '../../../nodes/shared/api/bulk2Api';
import { concurrencyModeFilter, jobListFilterOptions, jobListFiltersOf } from '../../../nodes/shared/node/jobListFilters';
import { apiProbe } from '../apiProbe';

const options = jobListFilterOptions(['Open', { name: 'Job Complete', value: 'JobComplete' }], [concurrencyModeFilter]);
const p = apiProbe([{ displayName: 'Filters', name: 'filters', type: 'collection', default: {}, options }]);

const job = (fields: Partial<JobInfo>): JobInfo => ({ id: '750A', object: 'Account', operation: 'insert', state: 'Open', createdDate: '2026-12-01T10:00:00.000+0000', createdById: '005000000000001AAA', ...fields }) as JobInfo;

/** The split filters for `filters`, and which of `jobs` they accept. */
async function filtersFor(filters: IDataObject, jobs: JobInfo[]) {
	return await p.run(
		async (_sf, ctx) => {
			const { query, accepts } = await jobListFiltersOf(ctx, 0);
			return { query: query as IDataObject, accepted: jobs.filter(accepts).map((j) => j.id) };
		},
		{ parameters: { filters } as INodeParameters },
	);
}

it('lists the options in alphabetical order, states as options', () => {
	expect(options.map((o) => o.displayName)).toEqual(['Concurrency Mode', 'Created After', 'Created Before', 'Created by Me', 'Object Names', 'States']);
	expect(options.find((o) => o.name === 'states')?.options).toEqual([
		{ name: 'Open', value: 'Open' },
		{ name: 'Job Complete', value: 'JobComplete' },
	]);
});

it("passes Salesforce's own filters on, and tests each job for the others", async () => {
	const jobs = [
		job({ id: '750A' }),
		job({ id: '750B', state: 'JobComplete' }),
		job({ id: '750C', object: 'Contact' }),
		job({ id: '750D', createdDate: '2026-11-30T23:59:59.000+0000' }),
		job({ id: '750E', createdDate: '2026-12-02T00:00:00.000+0000' }),
	];
	const out = await filtersFor({ concurrencyMode: 'Parallel', states: ['Open'], objects: ' account , lead', createdAfter: '2026-12-01T00:00:00Z', createdBefore: '2026-12-02T00:00:00Z' }, jobs);
	expect(out).toEqual({ query: { concurrencyMode: 'Parallel' }, accepted: ['750A'] });
	expect((await filtersFor({}, jobs)).accepted).toEqual(['750A', '750B', '750C', '750D', '750E']);
});

it("Created by Me compares with the credential's user, on the first 15 characters of the ID", async () => {
	const me = String(p.s.emulator.oauth.userinfo().user_id);
	let out: IDataObject = {};
	const sent = await p.requestsOf(async () => {
		out = await filtersFor({ createdByMe: true }, [job({ id: '750M', createdById: me.slice(0, 15) }), job({ id: '750O', createdById: '005000000000999AAA' })]);
	});
	expect(out.accepted).toEqual(['750M']);
	expect(sent.map((r) => r.path)).toEqual(['/services/oauth2/userinfo']);
});

it('a date that is not a date is an error that says what to give', async () => {
	const error = await p.failure(async (_sf, ctx) => ({ q: (await jobListFiltersOf(ctx, 0)).query as IDataObject }), { parameters: { filters: { createdAfter: 'yesterday' } } });
	expect(error.message).toBe('Filters → Created After is not a date: "yesterday"');
	expect(error.description).toMatch(/^Give a date and time/);
});
