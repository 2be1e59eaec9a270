import type { IDataObject } from 'n8n-workflow';

import type { ColumnDelimiter, LineEnding } from '../codecs/csv';
import { detached } from '../transport/cancellation';
import { isCancelled, nodeError } from '../transport/errors';
import { apiRequest, type ApiRequest, type SalesforceFunctions } from '../transport/request';
import { waitFor, type WaitOptions } from '../transport/wait';
import { changeJobState } from './stateChange';

export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';
export type QueryOperation = 'query' | 'queryAll';
export type JobKind = 'ingest' | 'query';
export type IngestResultKind = 'successfulResults' | 'failedResults' | 'unprocessedrecords';
/** The ingest job operation that gets each result file. */
const RESULT_NAMES: Record<IngestResultKind, string> = { successfulResults: 'Successful Results', failedResults: 'Failed Results', unprocessedrecords: 'Unprocessed Records' };

export interface JobInfo extends IDataObject {
	id: string;
	object: string;
	operation: string;
	state: string;
	columnDelimiter?: ColumnDelimiter;
	lineEnding?: LineEnding;
	numberRecordsProcessed?: number;
	numberRecordsFailed?: number;
	errorMessage?: string;
	jobType?: string;
}

export interface IngestJobSpec extends IDataObject {
	object: string;
	operation: IngestOperation;
	externalIdFieldName?: string;
	columnDelimiter?: ColumnDelimiter;
	lineEnding?: LineEnding;
	assignmentRuleId?: string;
}

export interface QueryJobSpec extends IDataObject {
	query: string;
	operation?: QueryOperation;
	columnDelimiter?: ColumnDelimiter;
	lineEnding?: LineEnding;
}

export interface JobListFilter {
	jobType?: string;
	isPkChunkingEnabled?: boolean;
	concurrencyMode?: string;
}

export interface ResultPage<T> {
	body: T;
	/** The locator of the next page, or undefined on the last page (Salesforce sends the text "null"). */
	nextLocator?: string;
	numberOfRecords: number;
}

export type UploadBody = () => Promise<NodeJS.ReadableStream | Buffer | string>;

export const FINISHED_STATES = ['JobComplete', 'Failed', 'Aborted'];

/** Bulk API 2.0: every endpoint of /services/data/vXX.X/jobs. */
export class Bulk2Api {
	constructor(
		private readonly ctx: SalesforceFunctions,
		readonly apiVersion: string,
	) {}

	private path(rest: string): string {
		return `/services/data/v${this.apiVersion}/jobs/${rest}`;
	}

	private async json<T>(request: ApiRequest): Promise<T> {
		return (await apiRequest<T>(this.ctx, request)).body;
	}

	async createIngestJob(spec: IngestJobSpec): Promise<JobInfo> {
		return await this.json({ method: 'POST', path: this.path('ingest'), body: withoutEmpty(spec) });
	}

	/**
	 * Uploads the job's CSV (only one upload per job). Never blindly retried: when the upload fails without a
	 * clear answer (network error, 5xx), the job state says whether to send the data once more.
	 */
	async uploadJobData(jobId: string, body: UploadBody): Promise<void> {
		const upload = async () => await apiRequest(this.ctx, { method: 'PUT', path: this.path(`ingest/${jobId}/batches`), headers: { 'Content-Type': 'text/csv' }, body, jobId });
		try {
			await upload();
		} catch (error) {
			// apiRequest's error as it is, so that a cancel stays recognisable (isCancelled); after a cancel nothing more is asked.
			const failure = nodeError(this.ctx.getNode(), error);
			const status = Number((error as { context?: IDataObject }).context?.statusCode ?? 0);
			if (isCancelled(error) || (status > 0 && status < 500 && status !== 429)) throw failure;
			const job = await this.getJob('ingest', jobId).catch(() => undefined);
			if (!job || job.state !== 'Open') throw failure;
			try {
				await upload();
			} catch (second) {
				// "Found multiple contents for job": the first upload did arrive after all.
				if (String((second as { context?: IDataObject }).context?.message ?? '').includes('Found multiple contents')) return;
				throw nodeError(this.ctx.getNode(), second);
			}
		}
	}

	async closeJob(jobId: string): Promise<JobInfo> {
		return await changeJobState(
			async () => await this.setState('ingest', jobId, 'UploadComplete'),
			async () => await this.getJob('ingest', jobId),
			// Closed and then processed; an Aborted job was not closed.
			(job) => ['UploadComplete', 'InProgress', 'JobComplete', 'Failed'].includes(job.state),
		);
	}

	/** Aborts the job; also after the execution was cancelled (clean-up), within 30 s. */
	async abortJob(kind: JobKind, jobId: string): Promise<JobInfo> {
		const request: ApiRequest = { method: 'PATCH', path: this.path(`${kind}/${jobId}`), body: { state: 'Aborted' }, jobId, idempotent: true, timeoutMs: 30000 };
		return await changeJobState(
			async () => (await apiRequest<JobInfo>(detached(this.ctx), request)).body,
			async () => await this.getJob(kind, jobId),
			(job) => job.state === 'Aborted',
		);
	}

	private async setState(kind: JobKind, jobId: string, state: string): Promise<JobInfo> {
		return await this.json({ method: 'PATCH', path: this.path(`${kind}/${jobId}`), body: { state }, jobId, idempotent: true });
	}

	async getJob(kind: JobKind, jobId: string): Promise<JobInfo> {
		return await this.json({ method: 'GET', path: this.path(`${kind}/${jobId}`), jobId });
	}

	async deleteJob(kind: JobKind, jobId: string): Promise<void> {
		try {
			await apiRequest(this.ctx, { method: 'DELETE', path: this.path(`${kind}/${jobId}`), jobId, response: 'text' });
		} catch (error) {
			// Sent again after getting no answer (a timeout, a dropped connection), and now not found: the first one deleted it.
			const { sentTimes, httpCode } = error as { sentTimes?: number; httpCode?: string | null };
			if (httpCode === '404' && (sentTimes ?? 1) > 1) return;
			throw nodeError(this.ctx.getNode(), error);
		}
	}

	/** Every job of a kind, page after page through the query locators. */
	async *listJobs(kind: JobKind, filter: JobListFilter = {}): AsyncGenerator<JobInfo> {
		for (let page = await this.listJobPage(kind, filter); ; page = await this.listJobPage(kind, filter, page.nextLocator)) {
			yield* page.records;
			if (!page.nextLocator) return;
		}
	}

	/**
	 * One page of a job list (at most 1,000 jobs): from the start, or from a query locator that an earlier page's
	 * `nextRecordsUrl` carried. `nextLocator` is that of the page after this one, undefined on the last page.
	 */
	async listJobPage(kind: JobKind, filter: JobListFilter, locator?: string): Promise<{ records: JobInfo[]; nextLocator?: string }> {
		const qs: IDataObject = withoutEmpty({ ...filter, isPkChunkingEnabled: filter.isPkChunkingEnabled === undefined ? undefined : String(filter.isPkChunkingEnabled), queryLocator: locator });
		const page: { records?: JobInfo[]; nextRecordsUrl?: string | null; done?: boolean } = await this.json({ method: 'GET', path: this.path(kind), qs });
		const next = page.nextRecordsUrl && !page.done ? new URL(page.nextRecordsUrl, 'https://salesforce.invalid').searchParams.get('queryLocator') : undefined;
		return { records: page.records ?? [], nextLocator: next ?? undefined };
	}

	/**
	 * Every Bulk 1.0 job of the org: the job lists with jobType=Classic, of the ingest and query endpoints
	 * both (each ID once, whichever endpoint lists it), page after page.
	 */
	async *listClassicJobs(filter: JobListFilter = {}, kinds: JobKind[] = ['ingest', 'query']): AsyncGenerator<JobInfo> {
		const seen = new Set<string>();
		for (const kind of kinds) {
			for await (const job of this.listJobs(kind, { ...filter, jobType: 'Classic' })) {
				if (seen.has(job.id)) continue;
				seen.add(job.id);
				yield job;
			}
		}
	}

	/** Ingest results as text, or as a stream for large results. */
	async getIngestResults(jobId: string, which: IngestResultKind, response: 'text'): Promise<string>;
	async getIngestResults(jobId: string, which: IngestResultKind, response: 'stream'): Promise<NodeJS.ReadableStream>;
	async getIngestResults(jobId: string, which: IngestResultKind, response: 'text' | 'stream'): Promise<string | NodeJS.ReadableStream> {
		const rereadable = { what: `the ${which} of job ${jobId}`, whatToDo: `run the node again, or get them with Get ${RESULT_NAMES[which]} and job ID ${jobId}` };
		const result = await apiRequest<string | NodeJS.ReadableStream>(this.ctx, { method: 'GET', path: this.path(`ingest/${jobId}/${which}`), headers: { Accept: 'text/csv' }, response, jobId, rereadable });
		return result.body;
	}

	async createQueryJob(spec: QueryJobSpec): Promise<JobInfo> {
		return await this.json({ method: 'POST', path: this.path('query'), body: withoutEmpty({ operation: 'query', ...spec }) });
	}

	/** One page of query results, from `locator` (or the start), at most `maxRecords` rows. */
	async getQueryResults(jobId: string, page: { locator?: string; maxRecords?: number }, response: 'text'): Promise<ResultPage<string>>;
	async getQueryResults(jobId: string, page: { locator?: string; maxRecords?: number }, response: 'stream'): Promise<ResultPage<NodeJS.ReadableStream>>;
	async getQueryResults(jobId: string, page: { locator?: string; maxRecords?: number }, response: 'text' | 'stream'): Promise<ResultPage<string | NodeJS.ReadableStream>> {
		return await this.resultPage(this.path(`query/${jobId}/results`), withoutEmpty({ locator: page.locator, maxRecords: page.maxRecords }), response, jobId);
	}

	/** A page URL from resultPages, fetched like getQueryResults. */
	async getResultPage(resultUrl: string, response: 'stream' | 'text', jobId?: string): Promise<ResultPage<string | NodeJS.ReadableStream>> {
		return await this.resultPage(resultUrl, undefined, response, jobId);
	}

	private async resultPage(path: string, qs: IDataObject | undefined, response: 'text' | 'stream', jobId?: string): Promise<ResultPage<string | NodeJS.ReadableStream>> {
		const rereadable = { what: `a result page of query job ${jobId ?? ''}`, whatToDo: `run the node again, or get them with Query Job → Get Results and job ID ${jobId ?? ''}` };
		const result = await apiRequest<string | NodeJS.ReadableStream>(this.ctx, { method: 'GET', path, qs, headers: { Accept: 'text/csv' }, response, jobId, rereadable });
		const locator = result.headers['sforce-locator'];
		return {
			body: result.body,
			nextLocator: locator && locator !== 'null' ? locator : undefined,
			numberOfRecords: Number(result.headers['sforce-numberofrecords'] ?? 0),
		};
	}

	/** The result page URLs of a completed query job (API 58.0+), for fetching pages in parallel. */
	async *resultPageUrls(jobId: string, maxRecords?: number): AsyncGenerator<string> {
		let request: ApiRequest | undefined = { method: 'GET', path: this.path(`query/${jobId}/resultPages`), qs: withoutEmpty({ maxRecords }), jobId };
		while (request) {
			const page: { resultPages?: Array<{ resultUrl: string }>; nextRecordsUrl?: string | null } = await this.json(request);
			for (const { resultUrl } of page.resultPages ?? []) yield resultUrl;
			request = page.nextRecordsUrl ? { method: 'GET', path: page.nextRecordsUrl, jobId } : undefined;
		}
	}

	/**
	 * Waits until the job is JobComplete, Failed or Aborted, and returns its info. With `uploadedRows` (a load
	 * that knows what it sent) the polls follow the job's progress (numberRecordsProcessed); else they back off.
	 */
	async waitForJob(kind: JobKind, jobId: string, options: Omit<WaitOptions<JobInfo>, 'what'> & { uploadedRows?: number }): Promise<JobInfo> {
		const { uploadedRows, ...waitOptions } = options;
		return await waitFor(
			this.ctx,
			async () => {
				const job = await this.getJob(kind, jobId);
				const progress = uploadedRows ? { done: Number(job.numberRecordsProcessed ?? 0), total: uploadedRows } : undefined;
				return { done: FINISHED_STATES.includes(job.state) ? job : undefined, state: job.state, progress };
			},
			{ ...waitOptions, what: `${kind} job ${jobId}` },
		);
	}
}

/** Drops undefined, null and empty-string values, which Salesforce would reject or misread. */
export function withoutEmpty<T extends IDataObject>(object: T): T {
	return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;
}
