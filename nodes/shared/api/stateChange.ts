import { answersResentRequest } from '../transport/errors';

/**
 * A job state change (close, abort) whose answer was lost after Salesforce applied it: the transport sends
 * it again and Salesforce refuses the repeat (the job is no longer in the state it leaves). Only then, when
 * the job as it is now shows the change done, is that the answer. Any other refusal stands: a user's own
 * second abort of an aborted job fails as Salesforce says.
 */
export async function changeJobState<J extends { state: string }>(change: () => Promise<J>, current: () => Promise<J>, done: (job: J) => boolean): Promise<J> {
	return await change().catch(async (refusal: unknown) => {
		if (!answersResentRequest(refusal)) throw refusal;
		const job = await current().catch(() => undefined);
		return job && done(job) ? job : await Promise.reject(refusal);
	});
}
