import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Bulk1Api, Bulk1JobInfo, Bulk1JobSpec } from '../../../shared/api/bulk1Api';
import { abortsJobs } from '../../../shared/api/abortAfterFailure';
import { connect } from '../../../shared/api/connect';
import { prepareRecord } from '../../../shared/bulk1/batchBodies';
import { dataFormatOf } from '../../../shared/bulk1/dataFormat';
import { BEFORE_MAPPER_VERSION, columnsParameters, mappingOptions, type RecordOperation } from '../../../shared/node/fieldMapper';
import { errorJson, inItemOrder, pairedItemsOf, withItemIndex } from '../../../shared/node/items';
import { mapItems, matchingColumnOf, nestedRecord } from '../../../shared/node/mappedItems';
import { loadOutputs, separateLoadOutputsOption } from '../../../shared/node/outcomeOutputs';
import { resumeJobIdsOf, resumeJobsOption } from '../../../shared/node/resumeJobs';
import { apiUsageNotice } from '../../../shared/transport/limits';
import { CREDENTIAL_TYPE } from '../../../shared/transport/request';
import { convertItems, failJob, itemBatches } from '../batches';
import { jobSpecOf, showFor, type Operation } from '../common';
import { abortOnFailureOption, assignmentRuleOption, concurrencyModeOption, jobFields, timeoutOption } from '../common.descriptions';
import { outcomes, type SentBatch } from './loadRecords/batchOutcomes';
import { resumeClassicLoad } from './loadRecords/resumeLoad';

const displayOptions = showFor('job', 'loadRecords');

/** Version 1.2: the items through the Columns mapper, checked and converted against the object's describe; rows left out become error items. */
async function mappedRecords(ctx: IExecuteFunctions, spec: Bulk1JobSpec, output: INodeExecutionData[]): Promise<Array<{ item: number; value: IDataObject }>> {
	const items = ctx.getInputData();
	const format = dataFormatOf(spec.contentType ?? 'CSV');
	try {
		const mapped = await mapItems(ctx, items.map((_, i) => i), { object: spec.object, operation: spec.operation as RecordOperation, externalIdFieldName: spec.externalIdFieldName });
		output.push(...mapped.failures);
		const valuesOf = new Map(mapped.records.map((r) => [r.item, r.values]));
		return await convertItems(ctx, [...valuesOf.keys()], output, (i) => prepareRecord(format, nestedRecord(valuesOf.get(i) ?? {}), i));
	} catch (error) {
		if (!ctx.continueOnFail()) throw withItemIndex(ctx, error, 0);
		for (let i = 0; i < items.length; i++) output.push({ json: errorJson(error), pairedItem: { item: i } });
		return [];
	}
}

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
		// From 1.2 on the upsert field is the Columns' matching column.
		...jobFields(displayOptions, ['insert', 'update', 'upsert', 'delete', 'hardDelete'], ['CSV', 'XML', 'JSON']).map((field) =>
			field.name === 'externalIdFieldName' ? { ...field, displayOptions: { show: { ...field.displayOptions?.show, '@version': BEFORE_MAPPER_VERSION } } } : field,
		),
		...columnsParameters(displayOptions, 'getMappingColumns', ['object', 'jobOperation'], [
			{ mode: 'add', when: { jobOperation: ['insert', 'delete', 'hardDelete'] } },
			{ mode: 'update', when: { jobOperation: ['update'] } },
			{ mode: 'upsert', when: { jobOperation: ['upsert'] } },
		]),
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
				...mappingOptions,
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
		const mapped = this.getNode().typeVersion >= 1.2;
		const spec = jobSpecOf(this, 0, undefined, mapped ? (matchingColumnOf(this) ?? '') : undefined);
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const format = dataFormatOf(spec.contentType ?? 'CSV');
		const records = mapped ? await mappedRecords(this, spec, output) : await convertItems(this, items.map((_, i) => i), output, (i) => prepareRecord(format, items[i].json, i));
		if (!records.length) return { outputs: loadOutputs(this, output) };
		try {
			const resumeJobIds = resumeJobIdsOf(this, 0);
			if (resumeJobIds.length) {
				// Resume Jobs: the same records, matched to an earlier run's batches; nothing is loaded.
				output.push(...(await resumeClassicLoad(this, salesforce, spec, records, resumeJobIds, Number(options.timeout ?? 3600) * 1000)));
				return { outputs: loadOutputs(this, inItemOrder(output)) };
			}
			// Bulk 1.0 answers do not report API usage: what the latest REST or Bulk 2.0 answer said is used. Requests:
			// the job's create and close, a batch and its results per 10,000 records, a poll or two.
			const batches = Math.ceil(records.length / 10_000);
			const notice = apiUsageNotice(this, CREDENTIAL_TYPE, 4 + batches * (options.waitForCompletion === false ? 1 : 2), `This load of ${records.length} records`);
			if (notice) this.addExecutionHints({ message: notice, type: 'warning', location: 'outputPane' });
			const job = await bulk1.createJob(spec);
			// In n8n's log at once, so a load whose n8n stops before the results can still be found.
			this.logger.info(`Salesforce Bulk (Classic) Load Records: job ${job.id} created for ${records.length} rows (${spec.object} ${spec.operation}); Salesforce processes it even if n8n stops`, { jobId: job.id, rows: records.length });
			const { sent, finished } = await send(this, bulk1, job, records, options);
			if (!finished) {
				for (const { batch, first, count } of sent) {
					output.push({ json: { ...batch, recordsSent: count }, pairedItem: pairedItemsOf(count, (k) => records[first + k].item) });
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
