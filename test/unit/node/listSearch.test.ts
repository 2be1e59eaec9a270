// listSearch.ts: the list of a Job resource locator.
import type { JobInfo } from '../../../nodes/shared/api/bulk2Api';
import { createdAt, jobSearchResults } from '../../../nodes/shared/node/listSearch';

const job = (id: string, object: string, createdDate: string) => ({ id, object, operation: 'insert', state: 'Open', createdDate }) as JobInfo;

describe('jobSearchResults', () => {
	const jobs = [job('750A', 'Account', '2025-01-01T10:00:00.000+0000'), job('750B', 'Contact', '2025-01-03T10:00:00.000+0000'), job('750C', 'Account', '2025-01-02T10:00:00.000+0000')];
	const search = (filter?: string) => jobSearchResults(jobs, filter, (j) => [j.id, j.object], (j) => `${j.object} · ${createdAt(j)}`).results;

	it('lists newest first, named by the label', () => {
		expect(search()).toEqual([
			{ name: 'Contact · 2025-01-03 10:00', value: '750B' },
			{ name: 'Account · 2025-01-02 10:00', value: '750C' },
			{ name: 'Account · 2025-01-01 10:00', value: '750A' },
		]);
	});

	it('filters by any searched value, case-insensitive, and shows at most 100', () => {
		expect(search('account').map((r) => r.value)).toEqual(['750C', '750A']);
		expect(search('750b').map((r) => r.value)).toEqual(['750B']);
		const many = Array.from({ length: 150 }, (_, k) => job(`750${k}`, 'Lead', `2025-02-${String((k % 28) + 1).padStart(2, '0')}`));
		expect(jobSearchResults(many, '', (j) => [j.id], (j) => j.id).results).toHaveLength(100);
	});
});
