import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { isQueryJob, type Bulk1Api } from '../shared/api/bulk1Api';
import type { JobInfo, JobKind } from '../shared/api/bulk2Api';
import type { Salesforce } from '../shared/api/connect';
import { csvBinary, csvFormat, csvItems, queryResultFile, queryResultItems, onePage } from '../shared/node/csvOutput';
import { valueTyping } from '../shared/node/resultTyping';

export type JobKindOption = 'ingest' | 'query' | 'classic';
export type TriggerEvent = 'completed' | 'failed' | 'aborted';
export type Attach = 'none' | 'items' | 'binary';

/** A job in a finished state, as the trigger reports it. */
export interface FinishedJob {
	id: string;
	/** Which option selects it. */
	kindOption: JobKindOption;
	/** Load or query (Classic jobs too, by their operation). */
	kind: JobKind;
	event: TriggerEvent;
	/** When it finished, as near as Salesforce tells: the job's systemModstamp. */
	finishedAt: string;
	/** The list entry. */
	info: IDataObject;
	/** Classic jobs: the Bulk 1.0 job info, fetched to tell whether the job finished. */
	classicDetail?: IDataObject;
}

export interface Filters {
	events: TriggerEvent[];
	objects: string[];
	operations: string[];
	userId?: string;
	jobId?: string;
}

export interface AttachOptions {
	failedRecords: Attach;
	queryResults: Attach;
	typed: boolean;
	/** Type Values by Schema: attached records typed by the describe of the job's object (see resultTyping). */
	bySchema: boolean;
	/** Records per job attached as items; Infinity = all. */
	limit: number;
	binaryPropertyName: string;
	pageSize: number;
}

const V2_EVENTS: Record<string, TriggerEvent> = { JobComplete: 'completed', Failed: 'failed', Aborted: 'aborted' };

/** A Salesforce date-time as milliseconds (NaN when there is none). */
export const timeOf = (date: unknown): number => Date.parse(String(date ?? '').replace(/\+0000$/, 'Z'));

/** Salesforce IDs compare on their first 15 characters (the 18-character form adds a checksum). */
export const sameId = (a: unknown, b: unknown): boolean => String(a ?? '').slice(0, 15) === String(b ?? '').slice(0, 15);

export interface ListedJob extends JobInfo {
	kindOption: JobKindOption;
}

/** Every job of the selected kinds Salesforce still lists, each once, following nextRecordsUrl. */
export async function listJobs(sf: Salesforce, kinds: JobKindOption[]): Promise<ListedJob[]> {
	const jobs = new Map<string, ListedJob>();
	for (const kindOption of kinds) {
		const listed = kindOption === 'classic' ? sf.bulk2.listClassicJobs() : sf.bulk2.listJobs(kindOption, { jobType: kindOption === 'ingest' ? 'V2Ingest' : 'V2Query' });
		for await (const job of listed) if (!jobs.has(job.id)) jobs.set(job.id, { ...job, kindOption });
	}
	return [...jobs.values()];
}

/** Filters that need no request: everything but the event of Classic jobs. */
export function passesFilters(job: IDataObject, filters: Filters): boolean {
	return (
		(!filters.objects.length || filters.objects.includes(String(job.object))) &&
		(!filters.operations.length || filters.operations.includes(String(job.operation))) &&
		(!filters.userId || sameId(job.createdById, filters.userId)) &&
		(!filters.jobId || sameId(job.id, filters.jobId))
	);
}

/**
 * The job's finished event, or undefined while it is still under way. Bulk 2.0 jobs carry it in the list.
 * A Classic job has finished when it is Aborted or Failed, or Closed (no more batches can come) with no
 * batch queued or in progress; telling a Closed job's batches apart needs its Bulk 1.0 job info. Jobs
 * the list shows Open take more batches, so they cannot have finished and cost no request.
 */
export async function finishedJob(bulk1: Bulk1Api, job: ListedJob): Promise<FinishedJob | undefined> {
	const kind: JobKind = job.kindOption === 'classic' ? (isQueryJob(job) ? 'query' : 'ingest') : job.kindOption;
	const base = { id: job.id, kindOption: job.kindOption, kind, finishedAt: String(job.systemModstamp ?? job.createdDate ?? ''), info: job };
	if (job.kindOption !== 'classic') {
		const event = V2_EVENTS[job.state];
		return event ? { ...base, event } : undefined;
	}
	if (job.state === 'Open') return undefined;
	const detail = await bulk1.getJob(job.id);
	const event = classicEvent(detail);
	return event ? { ...base, event, finishedAt: String(detail.systemModstamp ?? base.finishedAt), classicDetail: detail } : undefined;
}

function classicEvent(detail: IDataObject): TriggerEvent | undefined {
	if (detail.state === 'Aborted') return 'aborted';
	if (detail.state === 'Failed') return 'failed';
	const busy = Number(detail.numberBatchesQueued ?? 0) + Number(detail.numberBatchesInProgress ?? 0);
	return detail.state === 'Closed' && busy === 0 ? 'completed' : undefined;
}

const isNotFound = (error: unknown) => Number((error as { context?: IDataObject }).context?.statusCode) === 404;

/** One output item: the job's full info (counts, timings, error message) and what the user asked to attach. */
export async function jobItem(ctx: IPollFunctions, sf: Salesforce, job: FinishedJob, attach: AttachOptions): Promise<INodeExecutionData> {
	let info: IDataObject;
	let deleted = false;
	if (job.classicDetail) {
		info = { ...job.classicDetail, jobType: 'Classic', ...(await classicErrors(sf.bulk1, job.classicDetail)) };
	} else {
		// Deleted since it was listed: the event still happened; report what the list said.
		info = await sf.bulk2.getJob(job.kind, job.id).catch((error: unknown) => {
			if (!isNotFound(error)) throw error;
			deleted = true;
			const listed = { ...job.info };
			delete listed.kindOption;
			return listed;
		});
	}
	const item: INodeExecutionData = { json: { event: job.event, kind: job.kind, ...info } };
	if (deleted || job.classicDetail) return item;
	const v2 = info as JobInfo;
	// Relationship columns stay nested, as the trigger has always output them.
	const typing = valueTyping(ctx, v2.object, { typed: attach.typed, keepText: false, nested: true }, attach.bySchema);
	if (job.kind === 'ingest' && attach.failedRecords !== 'none') {
		if (!(Number(v2.numberRecordsFailed) > 0)) {
			if (attach.failedRecords === 'items') item.json.failedRecords = [];
			return item;
		}
		const body = await sf.bulk2.getIngestResults(job.id, 'failedResults', 'stream');
		if (attach.failedRecords === 'items') item.json.failedRecords = await csvItems(onePage(body), csvFormat(v2), typing, attach.limit);
		else item.binary = { [attach.binaryPropertyName]: await csvBinary(ctx, onePage(body), body, `${job.id}-failedResults.csv`) };
	}
	if (job.kind === 'query' && attach.queryResults !== 'none' && v2.state === 'JobComplete') {
		const pages = { maxRecords: attach.pageSize };
		if (attach.queryResults === 'items') item.json.records = await queryResultItems(ctx, sf.bulk2, v2, pages, typing, attach.limit);
		else item.binary = { [attach.binaryPropertyName]: await queryResultFile(ctx, sf.bulk2, v2, pages, `${job.id}-results.csv`) };
	}
	return item;
}

/** Classic jobs have no errorMessage: the failed batches' messages stand in for it. */
async function classicErrors(bulk1: Bulk1Api, detail: IDataObject): Promise<IDataObject> {
	if (!(Number(detail.numberBatchesFailed) > 0)) return {};
	const batches = await bulk1.listBatches(String(detail.id));
	const messages = [...new Set(batches.filter((b) => b.state === 'Failed').map((b) => String(b.stateMessage ?? '').trim()).filter(Boolean))];
	return messages.length ? { errorMessage: messages.join('; ') } : {};
}
