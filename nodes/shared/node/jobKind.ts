/**
 * A job ID of the wrong kind: Salesforce answers "not found" when a query job is asked for as an ingest job or a
 * Classic job through Bulk API 2.0. On such an answer the ID is looked up in each API, and the error says which
 * kind the job is and which operation takes it, or that no API knows it (deleted, or past its 7 days).
 */
import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { Salesforce } from '../api/connect';

export type JobKindName = 'ingest' | 'query' | 'classic';

/** Where a job of each kind is handled, named as the editor shows it. */
const HANDLED_BY: Record<JobKindName, { what: string; where: string }> = {
	ingest: { what: 'a Bulk API 2.0 ingest job', where: 'the Salesforce Bulk V2 node, resource Ingest Job' },
	query: { what: 'a Bulk API 2.0 query job', where: 'the Salesforce Bulk V2 node, resource Query Job' },
	classic: { what: 'a Bulk API 1.0 (Classic) job', where: 'the Salesforce Bulk Classic node, resource Job' },
};

function isNotFound(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	const code = String((error.context as JsonObject | undefined)?.errorCode ?? '');
	// Bulk API 2.0 answers 404 NOT_FOUND; Bulk API 1.0 answers 400 InvalidJob "Unable to find job".
	return code === 'NOT_FOUND' || (code === 'InvalidJob' && /unable to find job/i.test(error.message + String(error.description ?? '')));
}

/** The kind of job an ID is, asked of each API the caller did not already ask; undefined when none knows it. */
async function kindOfJob(salesforce: Salesforce, jobId: string, asked: JobKindName): Promise<JobKindName | undefined> {
	const lookups: Record<JobKindName, () => Promise<unknown>> = {
		ingest: async () => await salesforce.bulk2.getJob('ingest', jobId),
		query: async () => await salesforce.bulk2.getJob('query', jobId),
		classic: async () => await salesforce.bulk1.getJob(jobId),
	};
	for (const kind of Object.keys(lookups) as JobKindName[]) {
		if (kind === asked) continue;
		const found = await lookups[kind]().then(
			() => true,
			(error: unknown) => (isNotFound(error) ? false : Promise.reject(error)),
		);
		if (found) return kind;
	}
	return undefined;
}

/** What to use for a job of each kind, for operations whose counterpart is named differently per kind. */
export type OperationByKind = Partial<Record<JobKindName, string>>;

/** The counterparts of the job operations both nodes have, as full "use …" phrases. */
export const SAME_OPERATION: Record<'get' | 'abort' | 'delete' | 'results' | 'upload', OperationByKind> = {
	get: { ingest: `Get of ${HANDLED_BY.ingest.where}`, query: `Get of ${HANDLED_BY.query.where}`, classic: `Get of ${HANDLED_BY.classic.where}` },
	abort: { ingest: `Abort of ${HANDLED_BY.ingest.where}`, query: `Abort of ${HANDLED_BY.query.where}`, classic: `Update (State: Aborted) of ${HANDLED_BY.classic.where}` },
	delete: { ingest: `Delete of ${HANDLED_BY.ingest.where}`, query: `Delete of ${HANDLED_BY.query.where}`, classic: `Get of ${HANDLED_BY.classic.where} (Bulk API 1.0 jobs cannot be deleted)` },
	results: {
		ingest: `Get Successful Results, Get Failed Results or Get Unprocessed Records of ${HANDLED_BY.ingest.where}`,
		query: `Get Results of ${HANDLED_BY.query.where}`,
		classic: 'Batch → Get Results or Query Result → Get All Results of the Salesforce Bulk Classic node',
	},
	upload: {
		ingest: `Upload Data of ${HANDLED_BY.ingest.where}`,
		query: `Get Results of ${HANDLED_BY.query.where} (a query job takes its SOQL when it is created, no data)`,
		classic: 'Batch → Add of the Salesforce Bulk Classic node',
	},
};

/**
 * Runs `run` on a job of kind `expected`; a "not found" from Salesforce becomes an error that says what the job
 * really is and which operation to use (`operation`, as the editor names it, or per kind), or that it no longer
 * exists.
 */
export async function onJobOfKind<T>(
	ctx: IExecuteFunctions,
	salesforce: Salesforce,
	jobId: string,
	expected: JobKindName,
	operation: string | OperationByKind,
	itemIndex: number,
	run: () => Promise<T>,
): Promise<T> {
	return await run().catch(async (error: unknown) => {
		if (!isNotFound(error)) return await Promise.reject(error);
		const actual = await kindOfJob(salesforce, jobId, expected);
		// Salesforce's answer stays in the context (errorCode, statusCode, jobId: Continue On Fail items show them).
		const answered = (found: NodeOperationError) => Object.assign(found, { context: { ...(error as NodeApiError).context, ...found.context } });
		if (actual) {
			throw answered(
				new NodeOperationError(ctx.getNode(), `Job ${jobId} is ${HANDLED_BY[actual].what}, not ${HANDLED_BY[expected].what}`, {
					itemIndex,
					description: typeof operation === 'string' ? `Use ${operation} of ${HANDLED_BY[actual].where}.` : `Use ${operation[actual] ?? HANDLED_BY[actual].where}.`,
				}),
			);
		}
		throw answered(
			new NodeOperationError(ctx.getNode(), `Job ${jobId} does not exist (any more): it was deleted, or it finished more than 7 days ago`, {
				itemIndex,
				description: 'Salesforce keeps bulk jobs for 7 days. Check the job ID (an expression may point at the wrong field), and that the credential is for the org the job ran in.',
			}),
		);
	});
}
