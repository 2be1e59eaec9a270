/**
 * Resuming a load whose n8n stopped while Salesforce processed its jobs (a restart, out of memory, a deployment):
 * the same rows again and the IDs of the jobs the earlier run created. Nothing is created or uploaded: the jobs
 * are waited for and their results matched to the rows as a load matches them, across all the jobs at once,
 * since which rows went into which job is not known any more. Knows nothing about n8n parameters or items.
 */
import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Bulk2Api, IngestJobSpec, JobInfo } from '../api/bulk2Api';
import { RESULT_FILES, withJobs, type PartRow } from './load';
import { ResultMatcher, type MatchReport } from './resultMatching';

/** Why a row is in none of the jobs' results: never uploaded, or (when a job did not complete) not processed by it. */
export function notInResumedJobs(jobs: JobInfo[]): string {
	const ended = jobs.filter((job) => job.state !== 'JobComplete').map((job) => `${job.id} ended ${job.state}`);
	const why = ended.length ? `either the earlier run stopped before uploading it, or its job (${ended.join(', ')}) never processed it` : 'the earlier run stopped before uploading it';
	return `This row is in no result of the resumed jobs: ${why}, so it was not loaded. Load it again (without Resume Jobs).`;
}

const RESUME_HINT = 'Resume Jobs takes the job IDs an earlier run of this same Load Records created (n8n logs them as it creates them: "job … created for … rows").';

/** A job the resume may read: an ingest job of this load's object and operation that was closed (or has ended). */
export function checkResumable(node: INode, spec: IngestJobSpec, job: JobInfo, itemIndex: number): void {
	const same = (a: unknown, b: unknown) => String(a ?? '').toLowerCase() === String(b ?? '').toLowerCase();
	const externalId = spec.operation === 'upsert' && !same(job.externalIdFieldName, spec.externalIdFieldName) ? ` on ${String(job.externalIdFieldName)}` : '';
	if (!same(job.object, spec.object) || job.operation !== spec.operation || externalId) {
		throw new NodeOperationError(node, `Job ${job.id} is a ${job.operation} of ${job.object}${externalId}, not a ${spec.operation} of ${spec.object} as this node loads`, {
			itemIndex,
			description: `${RESUME_HINT} Check the IDs, or set Object and Operation as they were.`,
		});
	}
	if (job.state === 'Open') {
		throw new NodeOperationError(node, `Job ${job.id} is still Open: the earlier run stopped while uploading, before it closed its jobs`, {
			itemIndex,
			description:
				'Salesforce processes nothing of an Open job. Abort it (Ingest Job → Abort) and resume again: its rows then come out as unprocessed, to load again.',
		});
	}
}

/**
 * Waits for each job (the load's one deadline across them, as Load Records waits) and matches the results of all
 * of them to `rows`. A timeout or a cancel leaves the jobs as they are: this run did not create them.
 */
export async function resumedResults(
	node: INode,
	bulk2: Bulk2Api,
	operation: IngestJobSpec['operation'],
	header: string[],
	rows: PartRow[],
	jobs: JobInfo[],
	timeoutMs: number,
): Promise<MatchReport & { jobs: JobInfo[] }> {
	const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
	const matcher = new ResultMatcher(header, rows, operation);
	const finished: JobInfo[] = [];
	try {
		for (const { id } of jobs) {
			const job = await bulk2.waitForJob('ingest', id, { timeoutMs: deadline === Infinity ? 0 : Math.max(1, deadline - Date.now()) });
			finished.push(job);
			for (const which of RESULT_FILES) {
				const body = await bulk2.getIngestResults(job.id, which, 'stream');
				await matcher.read(which, body as AsyncIterable<Buffer>, job.columnDelimiter, job.id);
			}
		}
	} catch (error) {
		throw withJobs(node, error, jobs.map((job) => job.id), 'nothing was loaded again and the jobs are left as they are: resume again later');
	}
	return { ...matcher.finishAcross(finished, notInResumedJobs(finished)), jobs: finished };
}
