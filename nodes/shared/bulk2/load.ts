/**
 * One Bulk API 2.0 load: parts of CSV → one ingest job each (create and upload; all closed at the end), then wait for the
 * jobs and match their results back to the rows sent. Knows nothing about n8n parameters or items.
 */
import type { INode, NodeApiError, NodeOperationError } from 'n8n-workflow';

import { abortAfterFailure, abortsJobs } from '../api/abortAfterFailure';
import type { Bulk2Api, IngestJobSpec, IngestResultKind, JobInfo, UploadBody } from '../api/bulk2Api';
import type { LineEnding } from '../codecs/csv';
import { nodeError } from '../transport/errors';
import { ResultMatcher, type MatchReport } from './resultMatching';

/** A row sent: its values in column order, or (items) the record of column → value, as written. */
export type PartRow = string[] | Record<string, string>;

/**
 * One job's worth of data: the CSV to upload and the rows it holds (header excluded). A part checked while it
 * is sent (a file) knows its header, rows and count once its body has been uploaded.
 */
export interface LoadPart {
	/** The part's CSV bytes, header included: given afresh for each upload attempt. */
	body: UploadBody;
	header: string[];
	/** The rows, when the results are to be matched to them; without waiting only `rowCount` is kept. */
	rows?: PartRow[];
	rowCount: number;
	lineEnding: LineEnding;
	/** The error that stopped the body part-way (bad data found while sending): reported instead of the upload's. */
	failure?: () => Error | undefined;
}

export interface LoadedJob {
	job: JobInfo;
	header: string[];
	rows?: PartRow[];
	rowCount: number;
	/** Index of the job's first row in the whole load. */
	firstRow: number;
}

export const RESULT_FILES: IngestResultKind[] = ['successfulResults', 'failedResults', 'unprocessedrecords'];

/**
 * Creates and fills one job per part, and closes them only once every part is uploaded: until then the jobs
 * are Open, so bad data in a later part aborts the whole load before Salesforce processes any of it. If
 * anything fails once a job exists, the jobs of this load are aborted (unless `abortOnFailure` is off) and
 * the error names them.
 */
export async function uploadParts(
	node: INode,
	bulk2: Bulk2Api,
	spec: IngestJobSpec,
	parts: AsyncIterable<LoadPart>,
	abortOnFailure: boolean,
	onJobCreated: (jobId: string, rows: number) => void = () => undefined,
): Promise<LoadedJob[]> {
	const jobs: LoadedJob[] = [];
	let firstRow = 0;
	try {
		for await (const part of parts) {
			const job = await bulk2.createIngestJob({ ...spec, lineEnding: part.lineEnding });
			const loaded: LoadedJob = { job, header: part.header, rows: part.rows, rowCount: part.rowCount, firstRow };
			jobs.push(loaded);
			// Logged as soon as its rows are known: at once for a part checked before it is sent (items, text),
			// after the upload for one checked while it is sent (a file), whose rows are counted on the way.
			const checkedBefore = !part.failure;
			if (checkedBefore) onJobCreated(job.id, part.rowCount);
			// The body can be given again (in memory, or read again from its source) if the upload has to be repeated.
			try {
				await bulk2.uploadJobData(job.id, part.body);
			} catch (error) {
				throw part.failure?.() ?? error;
			}
			Object.assign(loaded, { header: part.header, rows: part.rows, rowCount: part.rowCount });
			if (!checkedBefore) onJobCreated(job.id, part.rowCount);
			firstRow += part.rowCount;
		}
		for (const loaded of jobs) loaded.job = await bulk2.closeJob(loaded.job.id);
	} catch (error) {
		const ids = jobs.map((j) => j.job.id);
		if (!ids.length) throw nodeError(node, error);
		const note = await abortAfterFailure(ids, (id) => bulk2.abortJob('ingest', id), abortsJobs(error, abortOnFailure));
		throw withJobs(node, error, ids, note);
	}
	return jobs;
}

/** Waits for a job (within the load's deadline), then reads its three result files and matches them. */
export async function jobResults(node: INode, bulk2: Bulk2Api, loaded: LoadedJob, deadline: number): Promise<MatchReport & { job: JobInfo }> {
	const timeoutMs = deadline === Infinity ? 0 : Math.max(1, deadline - Date.now());
	const job = await bulk2.waitForJob('ingest', loaded.job.id, { timeoutMs, uploadedRows: loaded.rowCount });
	// A result file whose connection drops in the middle is read on by apiRequest (the files of a finished
	// job do not change), so each row is matched once.
	const matcher = new ResultMatcher(loaded.header, loaded.rows ?? [], job.operation as IngestJobSpec['operation']);
	try {
		for (const which of RESULT_FILES) {
			const body = await bulk2.getIngestResults(job.id, which, 'stream');
			await matcher.read(which, body as AsyncIterable<Buffer>, job.columnDelimiter);
		}
	} catch (error) {
		throw nodeError(node, error);
	}
	return { ...matcher.finish(job), job };
}

/**
 * Every job's results, in load order. A wait that times out leaves the jobs running and names them; a cancelled
 * execution aborts them (abortsJobs).
 */
export async function loadResults(node: INode, bulk2: Bulk2Api, jobs: LoadedJob[], timeoutMs: number): Promise<Array<MatchReport & { job: JobInfo }>> {
	const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
	const reports: Array<MatchReport & { job: JobInfo }> = [];
	try {
		for (const loaded of jobs) reports.push(await jobResults(node, bulk2, loaded, deadline));
	} catch (error) {
		const ids = jobs.map((j) => j.job.id);
		// No option here: a timeout leaves the jobs running, a cancel aborts them.
		if (abortsJobs(error, false)) throw withJobs(node, error, ids, await abortAfterFailure(ids, (id) => bulk2.abortJob('ingest', id), true));
		throw withJobs(node, error, ids, 'the data is uploaded and Salesforce keeps processing it; get the results later with the job IDs');
	}
	return reports;
}

/** Adds the load's job IDs to an error (message, description and context), keeping its type and details. */
export function withJobs(node: INode, error: unknown, jobIds: string[], note: string): NodeApiError | NodeOperationError {
	const e = nodeError(node, error);
	e.message = `${e.message} (${note})`;
	e.description = [e.description, `Job IDs: ${jobIds.join(', ')}`].filter(Boolean).join('\n');
	e.context = { ...e.context, jobIds };
	return e;
}
