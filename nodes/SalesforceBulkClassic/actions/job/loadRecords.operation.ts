import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Bulk1Api, Bulk1JobInfo } from '../../../shared/api/bulk1Api';
import { abortsJobs } from '../../../shared/api/abortAfterFailure';
import { connect } from '../../../shared/api/connect';
import { prepareRecord } from '../../../shared/bulk1/batchBodies';
import { dataFormatOf } from '../../../shared/bulk1/dataFormat';
import { errorJson, inItemOrder, pairedItemsOf, withItemIndex } from '../../../shared/node/items';
import { loadOutputs, separateLoadOutputsOption } from '../../../shared/node/outcomeOutputs';
import { resumeJobIdsOf, resumeJobsOption } from '../../../shared/node/resumeJobs';
import { convertItems, failJob, itemBatches } from '../batches';
import { jobSpecOf, showFor, type Operation } from '../common';
import { abortOnFailureOption, assignmentRuleOption, concurrencyModeOption, jobFields, timeoutOption } from '../common.descriptions';
import { outcomes, type SentBatch } from './loadRecords/batchOutcomes';
import { resumeClassicLoad } from './loadRecords/resumeLoad';

const displayOptions = showFor('job', 'loadRecords');

/** Create, add the batches, close, and (unless told not to) wait; a failure aborts the job unless told not to. */
async function send(ctx: IExecuteFunctions, bulk1: Bulk1Api, job: Bulk1JobInfo, records: Array<{ item: number; value: IDataObject }>, options: IDataObject) {
	const sent: SentBatch[] = [];
	try {
		for (const { body, first, count } of itemBatches(ctx, dataFormatOf(job.contentType), records)) {
			sent.push({ batch: await bulk1.addBatch(job.id, job.contentType, body), first, count });
		}
		await bulk1.setJobState(job.id, 'Closed');
		if (options.waitForCompletion === false) return { sent };
		const finished = await bulk1.waitForBatches(job.id, { timeoutMs: Number(options.timeout ?? 3600) * 1000 });
		return { sent, finished: new Map(finished.map((b) => [b.id, b])) };
	} catch (error) {
		throw await failJob(ctx, bulk1, job.id, error, abortsJobs(error, options.abortOnFailure !== false));
	}
}

/**
 * Load Records: the input items as one Bulk 1.0 job (in the job's format, split into batches of 10,000
 * records and 10 MB), then one item per input item with its outcome.
 */
export const loadRecords: Operation = {
	description: [
		...jobFields(displayOptions, ['insert', 'update', 'upsert', 'delete', 'hardDelete'], ['CSV', 'XML', 'JSON']),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions,
			options: [
				abortOnFailureOption,
				assignmentRuleOption,
				concurrencyModeOption,
				resumeJobsOption,
				separateLoadOutputsOption,
				timeoutOption,
				{
					displayName: 'Wait for Completion',
					name: 'waitForCompletion',
					type: 'boolean',
					default: true,
					description: 'Whether to wait for the batches and return the outcome of each item; otherwise return the batches at once',
				},
			],
		},
	],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const { bulk1 } = salesforce;
		const items = this.getInputData();
		const output: INodeExecutionData[] = [];
		const spec = jobSpecOf(this, 0);
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const format = dataFormatOf(spec.contentType ?? 'CSV');
		const records = await convertItems(this, items.map((_, i) => i), output, (i) => prepareRecord(format, items[i].json, i));
		if (!records.length) return { outputs: loadOutputs(this, output) };
		try {
			const resumeJobIds = resumeJobIdsOf(this, 0);
			if (resumeJobIds.length) {
				// Resume Jobs: the same records, matched to an earlier run's batches; nothing is loaded.
				output.push(...(await resumeClassicLoad(this, salesforce, spec, records, resumeJobIds, Number(options.timeout ?? 3600) * 1000)));
				return { outputs: loadOutputs(this, inItemOrder(output)) };
			}
			const job = await bulk1.createJob(spec);
			// In n8n's log at once, so a load whose n8n stops before the results can still be found.
			this.logger.info(`Salesforce Bulk (Classic) Load Records: job ${job.id} created for ${records.length} rows (${spec.object} ${spec.operation}); Salesforce processes it even if n8n stops`, { jobId: job.id, rows: records.length });
			const { sent, finished } = await send(this, bulk1, job, records, options);
			if (!finished) {
				for (const { batch, first, count } of sent) {
					output.push({ json: { ...batch, recordsSent: count }, pairedItem: pairedItemsOf(records.slice(first, first + count).map((r) => r.item)) });
				}
			} else {
				const rows = await outcomes(bulk1, job, records, sent, finished);
				const failed = rows.filter((r) => r.json.success !== true).length;
				if (failed) this.addExecutionHints({ message: `Job ${job.id}: ${failed} of ${rows.length} records were not loaded; see "status" and "error" in their items`, type: 'warning', location: 'outputPane' });
				output.push(...rows);
			}
		} catch (error) {
			const first = ((error as { context?: IDataObject }).context?.itemIndex as number | undefined) ?? records[0].item;
			if (!this.continueOnFail()) throw withItemIndex(this, error, first);
			for (const { item } of records) output.push({ json: errorJson(error), pairedItem: { item } });
		}
		// Input order, conversion errors included.
		return { outputs: loadOutputs(this, inItemOrder(output)) };
	},
};
