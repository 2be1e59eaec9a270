/**
 * A job state change (close, abort) whose answer was lost after Salesforce applied it: the request goes
 * again and Salesforce refuses the repeat (the job is no longer in the state it leaves). When the job as it
 * is now shows the change done, that is the answer; otherwise the refusal is.
 */
export async function changeJobState<J extends { state: string }>(change: () => Promise<J>, current: () => Promise<J>, done: (job: J) => boolean): Promise<J> {
	return await change().catch(async (refusal: unknown) => {
		const job = await current().catch(() => undefined);
		return job && done(job) ? job : await Promise.reject(refusal);
	});
}
