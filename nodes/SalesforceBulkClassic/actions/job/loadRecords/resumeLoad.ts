import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BatchInfo, Bulk1JobInfo, Bulk1JobSpec } from '../../../../shared/api/bulk1Api';
import type { Salesforce } from '../../../../shared/api/connect';
import type { BatchBody } from '../../../../shared/bulk1/batchBodies';
import { dataFormatOf } from '../../../../shared/bulk1/dataFormat';
import { withJobs } from '../../../../shared/bulk2/load';
import { onJobOfKind } from '../../../../shared/node/jobKind';
import { itemBatches } from '../../batches';
import { outcomes, type SentBatch } from './batchOutcomes';

type LoadRecord = { item: number; value: IDataObject };

/** Why a record is in no batch of the resumed jobs. */
const NOT_IN_RESUMED_JOBS =
	'This record is in no batch of the resumed jobs: the earlier run stopped before adding its batch, so it was not loaded. Load it again (without Resume Jobs).';

/** A job the resume may read: a load job of this node's object, operation and format. */
function checkResumable(ctx: IExecuteFunctions, spec: Bulk1JobSpec, job: Bulk1JobInfo, i: number): void {
	const same = (a: unknown, b: unknown) => String(a ?? '').toLowerCase() === String(b ?? '').toLowerCase();
	const externalId = spec.operation === 'upsert' && !same(job.externalIdFieldName, spec.externalIdFieldName) ? ` on ${String(job.externalIdFieldName)}` : '';
	if (same(job.object, spec.object) && job.operation === spec.operation && job.contentType === spec.contentType && !externalId) return;
	throw new NodeOperationError(ctx.getNode(), `Job ${job.id} is a ${job.operation} of ${job.object}${externalId} in ${job.contentType}, not a ${spec.operation} of ${spec.object} in ${spec.contentType} as this node loads`, {
		itemIndex: i,
		description: 'Resume Jobs takes the job IDs an earlier run of this same Load Records created (n8n logs them as it creates them: "job … created for … rows"). Check the IDs, or set Object, Operation and Content Type as they were.',
	});
}

/**
 * Load Records with Resume Jobs (Classic): the batches the same input makes, each found among the batches of the
 * earlier run's jobs by its request (Salesforce keeps each batch as it was sent), then the results read as a load
 * reads them: by position in the batch. Nothing is created or added.
 */
export async function resumeClassicLoad(ctx: IExecuteFunctions, salesforce: Salesforce, spec: Bulk1JobSpec, records: LoadRecord[], jobIds: string[], timeoutMs: number): Promise<INodeExecutionData[]> {
	const { bulk1 } = salesforce;
	const first = records[0].item;
	const jobs: Bulk1JobInfo[] = [];
	for (const jobId of jobIds) {
		const job = await onJobOfKind(ctx, salesforce, jobId, 'classic', 'Load Records', first, async () => await bulk1.getJob(jobId));
		checkResumable(ctx, spec, job, first);
		jobs.push(job);
	}
	const expected: Array<BatchBody | undefined> = [...itemBatches(ctx, dataFormatOf(spec.contentType ?? 'CSV'), records)];
	const out: INodeExecutionData[] = [];
	const strays: string[] = [];
	const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
	try {
		for (const job of jobs) {
			if (Number(job.numberBatchesTotal ?? 0) === 0) continue; // the earlier run stopped before its first batch
			const batches = await bulk1.waitForBatches(job.id, { timeoutMs: deadline === Infinity ? 0 : Math.max(1, deadline - Date.now()) });
			const sent: SentBatch[] = [];
			for (const batch of batches) {
				const request = Buffer.from(String((await bulk1.getBatchData(job.id, batch.id, 'request', 'text')).body ?? ''));
				const k = expected.findIndex((body) => body?.body.equals(request));
				const body = expected[k];
				if (!body) {
					strays.push(`${batch.id} of job ${job.id}`);
					continue;
				}
				sent.push({ batch, first: body.first, count: body.count });
				expected[k] = undefined; // a batch is matched once (identical batches in turn)
			}
			out.push(...(await outcomes(bulk1, job, records, sent, new Map(batches.map((b: BatchInfo) => [b.id, b])))));
		}
	} catch (error) {
		throw withJobs(ctx.getNode(), error, jobIds, 'nothing was loaded again and the jobs are left as they are: resume again later');
	}
	for (const body of expected) {
		for (let k = 0; body && k < body.count; k++) {
			const { item, value } = records[body.first + k];
			out.push({ json: { status: 'unprocessed', success: false, created: false, id: null, error: NOT_IN_RESUMED_JOBS, errorCode: null, jobId: null, batchId: null, record: value }, pairedItem: { item } });
		}
	}
	ctx.logger.info(`Salesforce Bulk (Classic) Load Records: resumed job ${jobIds.join(', ')} for ${records.length} rows; nothing was loaded again`, { jobIds, rows: records.length });
	const hints: string[] = [];
	if (strays.length) hints.push(`Batch ${strays.join(', ')} holds records this input does not make (another input, or other options): its results are left out`);
	const failed = out.filter((r) => r.json.success !== true).length;
	if (failed) hints.push(`Resumed job ${jobIds.join(', ')}: ${failed} of ${out.length} records were not loaded; see "status" and "error" in their items`);
	if (hints.length) ctx.addExecutionHints(...hints.map((message) => ({ message, type: 'warning' as const, location: 'outputPane' as const })));
	return out;
}
