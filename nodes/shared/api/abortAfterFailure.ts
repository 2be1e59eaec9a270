/**
 * What a load does with its jobs when it fails once they exist: aborts them (unless the user turned Abort
 * Job on Failure off) and says what became of each, in one wording for both nodes, so the user can resume
 * or clean up.
 */
import { isCancelled } from '../transport/errors';

/**
 * The one rule for a cancelled execution, in every operation that waits for jobs it created (Load Records and Run
 * Query, both nodes): those jobs are aborted whatever the options, as nobody is left to read their results. Wait
 * for Job and Wait for Completion never abort: the job is not theirs.
 */
export const abortsJobs = (error: unknown, abortOption: boolean): boolean => abortOption || isCancelled(error);

export async function abortAfterFailure(jobIds: readonly string[], abort: (jobId: string) => Promise<unknown>, abortOnFailure: boolean): Promise<string> {
	if (!abortOnFailure) {
		return `job ${jobIds.join(', ')} left as ${jobIds.length > 1 ? 'they are' : 'it is'} (Abort Job on Failure is off): pick ${jobIds.length > 1 ? 'them' : 'it'} up with the job ID`;
	}
	const aborted: string[] = [];
	const notAborted: string[] = [];
	for (const id of jobIds) {
		try {
			await abort(id);
			aborted.push(id);
		} catch {
			notAborted.push(id);
		}
	}
	return [
		aborted.length ? `aborted job ${aborted.join(', ')}` : '',
		notAborted.length ? `could not abort job ${notAborted.join(', ')} (already processing or finished): abort it in Setup → Bulk Data Load Jobs if needed` : '',
	]
		.filter(Boolean)
		.join('; ');
}
