// api/abortAfterFailure: what a failed load does with the jobs it created, and the words it uses.
import { abortAfterFailure } from '../../../nodes/shared/api/abortAfterFailure';

describe('abortAfterFailure', () => {
	it('aborts every job and says which ones could not be aborted', async () => {
		const asked: string[] = [];
		const note = await abortAfterFailure(['750A', '750B', '750C'], async (id) => {
			asked.push(id);
			if (id === '750B') throw new Error('InvalidJobState');
		}, true);
		expect(asked).toEqual(['750A', '750B', '750C']);
		expect(note).toBe('aborted job 750A, 750C; could not abort job 750B (already processing or finished): abort it in Setup → Bulk Data Load Jobs if needed');
	});

	it('leaves the jobs alone when Abort Job on Failure is off, naming them', async () => {
		const abort = jest.fn();
		expect(await abortAfterFailure(['750A'], abort, false)).toBe('job 750A left as it is (Abort Job on Failure is off): pick it up with the job ID');
		expect(await abortAfterFailure(['750A', '750B'], abort, false)).toContain('job 750A, 750B left as they are');
		expect(abort).not.toHaveBeenCalled();
	});
});
