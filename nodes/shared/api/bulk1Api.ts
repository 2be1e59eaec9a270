import type { IDataObject } from 'n8n-workflow';

import { ASYNC_API_NS, parseXml, toXml, xmlToObject, type XmlObject } from '../codecs/xml';
import { detached } from '../transport/cancellation';
import { apiRequest, type ApiRequest, type ApiResponse, type SalesforceFunctions } from '../transport/request';
import { waitFor, type WaitOptions } from '../transport/wait';
import { changeJobState } from './stateChange';

export type Bulk1Operation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete' | 'query' | 'queryAll';
export type Bulk1ContentType = 'CSV' | 'XML' | 'JSON' | 'ZIP_CSV' | 'ZIP_XML' | 'ZIP_JSON';

export interface Bulk1JobSpec extends IDataObject {
	operation: Bulk1Operation;
	object: string;
	contentType?: Bulk1ContentType;
	concurrencyMode?: 'Parallel' | 'Serial';
	externalIdFieldName?: string;
	assignmentRuleId?: string;
}

/** Whether a job (Bulk 1.0 info, or a Classic job as the Bulk 2.0 lists show it) is a query job. */
export const isQueryJob = (job: { operation?: unknown }): boolean => job.operation === 'query' || job.operation === 'queryAll';

export interface PkChunking {
	chunkSize?: number;
	startRow?: string;
}

export interface Bulk1JobInfo extends IDataObject {
	id: string;
	object: string;
	operation: string;
	state: string;
	contentType: Bulk1ContentType;
}

export interface BatchInfo extends IDataObject {
	id: string;
	jobId: string;
	state: string;
	stateMessage?: string;
	numberRecordsProcessed: number;
	numberRecordsFailed: number;
}

/** The MIME type of a batch body for each job content type. */
export const BATCH_CONTENT_TYPES: Record<Bulk1ContentType, string> = {
	CSV: 'text/csv; charset=UTF-8',
	XML: 'application/xml; charset=UTF-8',
	JSON: 'application/json; charset=UTF-8',
	ZIP_CSV: 'zip/csv',
	ZIP_XML: 'zip/xml',
	ZIP_JSON: 'zip/json',
};

const NUMERIC = /^(number[A-Z]\w*|totalProcessingTime|apiActiveProcessingTime|apexProcessingTime)$/;
const FINISHED_BATCH_STATES = ['Completed', 'Failed', 'NotProcessed'];

/** Job and batch info come as XML or JSON (JSON jobs answer JSON); both become the same plain object. */
function infoOf(response: ApiResponse<unknown>): IDataObject {
	const body = response.body;
	if (typeof body === 'object' && body !== null) return body as IDataObject;
	const text = String(body ?? '');
	if (text.trim().startsWith('{') || text.trim().startsWith('[')) return JSON.parse(text) as IDataObject;
	return typedInfo(xmlToObject(parseXml(text)) as XmlObject);
}

function typedInfo(value: XmlObject): IDataObject {
	const out: IDataObject = {};
	for (const [key, v] of Object.entries(value)) {
		if (Array.isArray(v)) out[key] = v.map((item) => (typeof item === 'object' && item !== null ? typedInfo(item as XmlObject) : item));
		else out[key] = typeof v === 'string' && NUMERIC.test(key) && v !== '' ? Number(v) : v;
	}
	return out;
}

/** Bulk API 1.0 ("Classic"): /services/async/XX.X. */
export class Bulk1Api {
	constructor(
		private readonly ctx: SalesforceFunctions,
		readonly apiVersion: string,
	) {}

	private path(rest: string): string {
		return `/services/async/${this.apiVersion}/${rest}`;
	}

	private async call(request: Omit<ApiRequest, 'bulk1'>): Promise<ApiResponse<unknown>> {
		return await apiRequest(this.ctx, { response: 'text', ...request, bulk1: true });
	}

	private async info<T>(request: Omit<ApiRequest, 'bulk1'>): Promise<T> {
		return infoOf(await this.call(request)) as T;
	}

	private jobXml(fields: IDataObject): string {
		// Salesforce reads jobInfo elements in schema order.
		const order = ['operation', 'object', 'externalIdFieldName', 'concurrencyMode', 'contentType', 'assignmentRuleId', 'state'];
		const ordered = Object.fromEntries(order.filter((k) => fields[k] !== undefined && fields[k] !== '').map((k) => [k, fields[k]]));
		return toXml('jobInfo', ordered, { namespace: ASYNC_API_NS });
	}

	async createJob(spec: Bulk1JobSpec, pkChunking?: PkChunking): Promise<Bulk1JobInfo> {
		const headers: IDataObject = { 'Content-Type': 'application/xml; charset=UTF-8' };
		if (pkChunking) {
			const parts = [pkChunking.chunkSize ? `chunkSize=${pkChunking.chunkSize}` : '', pkChunking.startRow ? `startRow=${pkChunking.startRow}` : ''].filter(Boolean);
			headers['Sforce-Enable-PKChunking'] = parts.length ? parts.join('; ') : 'true';
		}
		return await this.info({ method: 'POST', path: this.path('job'), headers, body: this.jobXml({ contentType: 'CSV', ...spec }) });
	}

	async getJob(jobId: string): Promise<Bulk1JobInfo> {
		return await this.info({ method: 'GET', path: this.path(`job/${jobId}`), jobId });
	}

	/** Close (no more batches; queued ones still run) or abort (unprocessed batches are not processed). */
	async setJobState(jobId: string, state: 'Closed' | 'Aborted'): Promise<Bulk1JobInfo> {
		const request: ApiRequest = {
			method: 'POST',
			path: this.path(`job/${jobId}`),
			headers: { 'Content-Type': 'application/xml; charset=UTF-8' },
			body: this.jobXml({ state }),
			jobId,
			idempotent: true,
			response: 'text',
			bulk1: true,
		};
		// Aborting is clean-up: it goes out also after the execution was cancelled, within 30 s.
		const send = state === 'Closed' ? async () => await apiRequest(this.ctx, request) : async () => await apiRequest(detached(this.ctx), { ...request, timeoutMs: 30000 });
		return await changeJobState(
			async () => infoOf(await send()) as Bulk1JobInfo,
			async () => await this.getJob(jobId),
			(job) => job.state === state,
		);
	}

	/** Adds a batch; for query jobs the body is the SOQL. A stream body is made fresh for each attempt. */
	async addBatch(jobId: string, contentType: Bulk1ContentType, body: ApiRequest['body']): Promise<BatchInfo> {
		// As bytes: n8n JSON-encodes a string body sent as application/json (the SOQL of a JSON query job).
		const bytes = typeof body === 'string' ? Buffer.from(body) : body;
		return await this.info({ method: 'POST', path: this.path(`job/${jobId}/batch`), headers: { 'Content-Type': BATCH_CONTENT_TYPES[contentType] }, body: bytes, jobId });
	}

	async listBatches(jobId: string): Promise<BatchInfo[]> {
		const list = await this.info<IDataObject>({ method: 'GET', path: this.path(`job/${jobId}/batch`), jobId });
		const batches = (list.batchInfo ?? []) as BatchInfo[] | BatchInfo;
		return Array.isArray(batches) ? batches : [batches];
	}

	async getBatch(jobId: string, batchId: string): Promise<BatchInfo> {
		return await this.info({ method: 'GET', path: this.path(`job/${jobId}/batch/${batchId}`), jobId });
	}

	/** The batch as it was uploaded, or its load results (CSV, XML or JSON as the job's content type). */
	async getBatchData(jobId: string, batchId: string, which: 'request' | 'result', response: 'text' | 'stream'): Promise<ApiResponse<unknown>> {
		const rereadable = { what: `the ${which} of batch ${batchId} of job ${jobId}`, whatToDo: `run the node again, or get it with Batch → ${which === 'request' ? 'Get Request' : 'Get Results'} (job ${jobId}, batch ${batchId})` };
		return await this.call({ method: 'GET', path: this.path(`job/${jobId}/batch/${batchId}/${which}`), jobId, response, rereadable });
	}

	/** The result set IDs of a completed query batch. */
	async getQueryResultIds(jobId: string, batchId: string): Promise<string[]> {
		const { body } = await this.call({ method: 'GET', path: this.path(`job/${jobId}/batch/${batchId}/result`), jobId });
		const text = String(body ?? '').trim();
		if (text.startsWith('[')) return JSON.parse(text) as string[];
		const list = xmlToObject(parseXml(text)) as XmlObject | string;
		const results = typeof list === 'object' && list !== null ? list.result : undefined;
		return Array.isArray(results) ? results.map(String) : results ? [String(results)] : [];
	}

	async getQueryResult(jobId: string, batchId: string, resultId: string, response: 'text' | 'stream'): Promise<ApiResponse<unknown>> {
		const rereadable = { what: `result set ${resultId} of batch ${batchId} of job ${jobId}`, whatToDo: `run the node again, or get it with Query Result → Get Result (job ${jobId}, batch ${batchId}, result ${resultId})` };
		return await this.call({ method: 'GET', path: this.path(`job/${jobId}/batch/${batchId}/result/${resultId}`), jobId, response, rereadable });
	}

	/**
	 * Waits until the job has finished: no batch queued or in progress (one request per poll: the job's batch
	 * counts), or, with no batch at all, the job aborted or failed. Returns the job's info.
	 */
	async waitForJob(jobId: string, options: Omit<WaitOptions<Bulk1JobInfo>, 'what'>): Promise<Bulk1JobInfo> {
		return await waitFor(
			this.ctx,
			async () => {
				const job = await this.getJob(jobId);
				const running = Number(job.numberBatchesQueued ?? 0) + Number(job.numberBatchesInProgress ?? 0);
				const finished = Number(job.numberBatchesTotal ?? 0) > 0 ? running === 0 : job.state === 'Aborted' || job.state === 'Failed';
				const total = Number(job.numberBatchesTotal ?? 0);
				const progress = { done: total - running, total };
				return { done: finished ? job : undefined, state: `${job.state}, ${running} of ${total} batches queued or in progress`, progress };
			},
			{ ...options, what: `job ${jobId}` },
		);
	}

	/** Waits until every batch of the job has finished (Completed, Failed or NotProcessed). */
	async waitForBatches(jobId: string, options: Omit<WaitOptions<BatchInfo[]>, 'what'>): Promise<BatchInfo[]> {
		return await waitFor(
			this.ctx,
			async () => {
				const batches = await this.listBatches(jobId);
				const open = batches.filter((b) => !FINISHED_BATCH_STATES.includes(b.state));
				const progress = { done: batches.length - open.length, total: batches.length };
				return { done: batches.length > 0 && open.length === 0 ? batches : undefined, state: open.map((b) => `${b.id} ${b.state}`).join(', ') || 'no batches', progress };
			},
			{ ...options, what: `the batches of job ${jobId}` },
		);
	}
}
