import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { Bulk2Api, IngestJobSpec, JobInfo, JobKind, QueryJobSpec } from '../../shared/api/bulk2Api';
import type { Salesforce } from '../../shared/api/connect';
import { jobIdOf } from '../../shared/node/descriptions';
import { onJobOfKind, SAME_OPERATION } from '../../shared/node/jobKind';
import { failedJobError, jobWaitSettingsOf } from '../../shared/node/jobWait';
import { matchingColumnOf } from '../../shared/node/mappedItems';

export type Resource = 'ingestJob' | 'queryJob';

export type { Operation } from '../../shared/node/operations';

export const KIND_OF: Record<Resource, JobKind> = { ingestJob: 'ingest', queryJob: 'query' };

/** displayOptions for one operation of one resource (or of both). */
export function showFor(resource: Resource | Resource[], operation: string | string[]) {
	return { show: { resource: Array.isArray(resource) ? resource : [resource], operation: Array.isArray(operation) ? operation : [operation] } };
}

/** The ingest job an item asks for: Create's and Load Records' parameters (see ingestJobFields). */
export function ingestJobSpec(ctx: IExecuteFunctions, i: number): IngestJobSpec {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const operation = ctx.getNodeParameter('ingestOperation', i) as IngestJobSpec['operation'];
	// Version 1.2 loads items through the Columns mapper, whose matching column is the upsert field.
	const mapped = ctx.getNode().typeVersion >= 1.2 && ctx.getNodeParameter('inputDataType', i, '') === 'items';
	const externalIdField = () => (mapped ? (matchingColumnOf(ctx) ?? '') : String(ctx.getNodeParameter('externalIdFieldName', i)));
	return {
		object: String(ctx.getNodeParameter('object', i)).trim(),
		operation,
		externalIdFieldName: operation === 'upsert' ? externalIdField().trim() : undefined,
		columnDelimiter: options.columnDelimiter as IngestJobSpec['columnDelimiter'],
		lineEnding: options.lineEnding as IngestJobSpec['lineEnding'],
		assignmentRuleId: options.assignmentRuleId as string | undefined,
	};
}

/** The query job an item asks for: Create's and Run Query's parameters (see queryFields, queryFormatOptions). */
export function queryJobSpec(ctx: IExecuteFunctions, i: number): QueryJobSpec {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	return {
		query: String(ctx.getNodeParameter('query', i)).trim(),
		operation: ctx.getNodeParameter('queryAll', i, false) ? 'queryAll' : 'query',
		columnDelimiter: options.columnDelimiter as QueryJobSpec['columnDelimiter'],
		lineEnding: options.lineEnding as QueryJobSpec['lineEnding'],
	};
}

/** Waits for a job as the wait options say (Wait for Job; Close → Wait for Completion): its final info, with timedOut. */
export async function waitForFinishedJob(ctx: IExecuteFunctions, bulk2: Bulk2Api, kind: JobKind, jobId: string, i: number): Promise<JobInfo> {
	const settings = jobWaitSettingsOf(ctx, i);
	const onTimeout = settings.outputOnTimeout ? async () => ({ ...(await bulk2.getJob(kind, jobId)), timedOut: true }) : undefined;
	const job = await bulk2.waitForJob(kind, jobId, { timeoutMs: settings.timeoutMs, onTimeout });
	if (settings.failOnFailedJob && !job.timedOut && job.state !== 'JobComplete') {
		throw failedJobError(ctx, job, `${job.state}${job.errorMessage ? `: ${job.errorMessage}` : ''}`, i);
	}
	return { ...job, timedOut: job.timedOut === true };
}

/**
 * Runs `run` with item i's job ID; a job Salesforce does not find under this resource gets an error that says what
 * the job is and which operation takes it (jobKind.ts).
 */
export async function onJob<T>(ctx: IExecuteFunctions, salesforce: Salesforce, kind: JobKind, operation: keyof typeof SAME_OPERATION, i: number, run: (jobId: string) => Promise<T>): Promise<T> {
	const jobId = jobIdOf(ctx, i);
	return await onJobOfKind(ctx, salesforce, jobId, kind, SAME_OPERATION[operation], i, async () => await run(jobId));
}
