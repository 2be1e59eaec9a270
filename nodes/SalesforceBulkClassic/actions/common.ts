import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isQueryJob, type Bulk1Api, type Bulk1ContentType, type Bulk1JobInfo, type Bulk1JobSpec, type Bulk1Operation, type PkChunking } from '../../shared/api/bulk1Api';
import type { Salesforce } from '../../shared/api/connect';
import { onJobOfKind, SAME_OPERATION } from '../../shared/node/jobKind';
import { failedJobError, jobWaitSettingsOf } from '../../shared/node/jobWait';

export type Resource = 'job' | 'batch' | 'queryResult' | 'attachment';

export type { Operation } from '../../shared/node/operations';

/** displayOptions for one operation of one resource. */
export function showFor(resource: Resource, operation: string | string[]) {
	return { show: { resource: [resource], operation: Array.isArray(operation) ? operation : [operation] } };
}

const BATCH_ID = /^751[a-zA-Z0-9]{12}([a-zA-Z0-9]{3})?$/;

export function batchIdOf(ctx: IExecuteFunctions, itemIndex: number): string {
	const id = String(ctx.getNodeParameter('batchId', itemIndex)).trim();
	if (!BATCH_ID.test(id)) {
		throw new NodeOperationError(ctx.getNode(), `Batch ID "${id}" is not a batch ID: a batch ID starts with 751 and has 15 or 18 characters`, { itemIndex });
	}
	return id;
}

/** Checks a job takes what the user is about to send; the error names the job, both formats and the item. */
export function expectJobKind(ctx: IExecuteFunctions, job: Bulk1JobInfo, i: number, wanted: 'load' | 'query' | 'attachment', hint: string): void {
	const kind = isQueryJob(job) ? 'query' : job.contentType.startsWith('ZIP_') ? 'attachment' : 'load';
	if (kind === wanted) return;
	const what = { load: 'a load job (CSV, XML or JSON)', query: 'a query job', attachment: 'a binary-attachment job (ZIP_CSV, ZIP_XML or ZIP_JSON)' };
	throw new NodeOperationError(ctx.getNode(), `Job ${job.id} is ${what[kind]} (${job.operation}, ${job.contentType}), not ${what[wanted]}`, { itemIndex: i, description: hint });
}

/**
 * The job spec from jobFields (common.descriptions), the options collection and a fixed content type if the
 * operation has one; `externalIdFieldName` when the upsert field comes from elsewhere (the Columns mapper).
 */
export function jobSpecOf(ctx: IExecuteFunctions, i: number, contentType?: Bulk1ContentType, externalIdFieldName?: string): Bulk1JobSpec {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const operation = ctx.getNodeParameter('jobOperation', i) as Bulk1Operation;
	const spec: Bulk1JobSpec = {
		operation,
		object: String(ctx.getNodeParameter('object', i)).trim(),
		contentType: contentType ?? (ctx.getNodeParameter('contentType', i) as Bulk1ContentType),
	};
	if (operation === 'upsert') spec.externalIdFieldName = (externalIdFieldName ?? String(ctx.getNodeParameter('externalIdFieldName', i))).trim();
	if (options.concurrencyMode) spec.concurrencyMode = options.concurrencyMode as Bulk1JobSpec['concurrencyMode'];
	if (options.assignmentRuleId) spec.assignmentRuleId = String(options.assignmentRuleId).trim();
	return spec;
}

/** PK chunking as pkChunkingFields ask, or undefined. */
export function pkChunkingOf(ctx: IExecuteFunctions, i: number): PkChunking | undefined {
	if (!ctx.getNodeParameter('pkChunking', i, false)) return undefined;
	const startRow = String(ctx.getNodeParameter('startRow', i, '')).trim();
	return { chunkSize: ctx.getNodeParameter('chunkSize', i, 100000) as number, startRow: startRow || undefined };
}

/** A finished Classic job succeeded when it was neither aborted nor failed and no batch failed. */
export const classicJobCompleted = (job: IDataObject): boolean => job.state !== 'Aborted' && job.state !== 'Failed' && Number(job.numberBatchesFailed ?? 0) === 0;

/** Waits for a job as the wait options say (Wait for Job; Update → Closed → Wait for Completion): its final info, with timedOut. */
export async function waitForFinishedJob(ctx: IExecuteFunctions, bulk1: Bulk1Api, jobId: string, i: number): Promise<Bulk1JobInfo> {
	const settings = jobWaitSettingsOf(ctx, i);
	const onTimeout = settings.outputOnTimeout ? async () => ({ ...(await bulk1.getJob(jobId)), timedOut: true }) : undefined;
	const job = await bulk1.waitForJob(jobId, { timeoutMs: settings.timeoutMs, onTimeout });
	if (settings.failOnFailedJob && !job.timedOut && !classicJobCompleted(job)) {
		throw failedJobError(ctx, job, `${job.state} with ${Number(job.numberBatchesFailed ?? 0)} failed batch(es)`, i);
	}
	return { ...job, timedOut: job.timedOut === true };
}

/** A Classic job's info; a Bulk API 2.0 job ID gets an error naming its kind and the V2 operation to use (jobKind.ts). */
export async function classicJob(ctx: IExecuteFunctions, salesforce: Salesforce, jobId: string, itemIndex: number, operation: keyof typeof SAME_OPERATION): Promise<Bulk1JobInfo> {
	return await onJobOfKind(ctx, salesforce, jobId, 'classic', SAME_OPERATION[operation], itemIndex, async () => await salesforce.bulk1.getJob(jobId));
}
