/**
 * What a load does with its jobs when it fails once they exist: aborts them (unless the user turned Abort
 * Job on Failure off) and says what became of each, in one wording for both nodes, so the user can resume
 * or clean up.
 */
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
