import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Bulk2Api, JobInfo } from '../../../shared/api/bulk2Api';
import { connect, type Salesforce } from '../../../shared/api/connect';
import { formatValue, recordsToCsv, type RecordError } from '../../../shared/codecs/records';
import { headOf } from '../../../shared/node/binaryInput';
import { csvInputOf, csvInputParameters, csvSourceOf, firstLineEnding, notCsv, withoutBom } from '../../../shared/node/csvInput';
import { jobIdOf, jobIdParameter } from '../../../shared/node/descriptions';
import { jobColumnsParameters, type RecordOperation } from '../../../shared/node/fieldMapper';
import { errorJson, pairedItemsOf, perItem, withItemIndex } from '../../../shared/node/items';
import { mapItems } from '../../../shared/node/mappedItems';
import { onJob, showFor, type Operation } from '../common';

const displayOptions = showFor('ingestJob', 'uploadData');

/**
 * Version 1.2: the items through the Columns mapper against the job's object and operation, then one upload.
 * Rows left out (Skip Bad Rows, Continue On Fail) come first as error items.
 */
async function uploadMappedItems(ctx: IExecuteFunctions, bulk2: Bulk2Api, jobId: string, job: JobInfo): Promise<INodeExecutionData[]> {
	const items = ctx.getInputData();
	const target = { object: job.object, operation: job.operation as RecordOperation, externalIdFieldName: job.externalIdFieldName as string | undefined };
	const { columns, records, failures } = await mapItems(ctx, items.map((_, i) => i), target);
	if (!records.length) return failures;
	const rows = records.map((r) => Object.fromEntries(columns.map((column) => [column, column in r.values ? formatValue(r.values[column], { nullValue: '#N/A' }) : ''])));
	const chunks: string[] = [];
	for await (const chunk of recordsToCsv(rows, { columns, delimiter: job.columnDelimiter, lineEnding: job.lineEnding })) chunks.push(chunk);
	const csv = chunks.join('');
	await bulk2.uploadJobData(jobId, async () => csv);
	return [...failures, { json: { id: jobId, uploaded: true, records: records.length }, pairedItem: pairedItemsOf(records.length, (k) => records[k].item) }];
}

/** Every input item as one row of the job's single upload, written in the job's delimiter and line ending. */
async function uploadItems(ctx: IExecuteFunctions, salesforce: Salesforce): Promise<INodeExecutionData[]> {
	const { bulk2 } = salesforce;
	const items = ctx.getInputData();
	const pairedItem = items.map((_, item) => ({ item }));
	try {
		const jobId = jobIdOf(ctx, 0);
		const job = await onJob(ctx, salesforce, 'ingest', 'upload', 0, async () => await bulk2.getJob('ingest', jobId));
		if (ctx.getNode().typeVersion >= 1.2) return await uploadMappedItems(ctx, bulk2, jobId, job);
		const chunks: string[] = [];
		try {
			for await (const chunk of recordsToCsv(items.map((item) => item.json), { delimiter: job.columnDelimiter, lineEnding: job.lineEnding })) chunks.push(chunk);
		} catch (error) {
			const itemIndex = (error as RecordError).itemIndex;
			throw new NodeOperationError(ctx.getNode(), (error as Error).message, itemIndex >= 0 ? { itemIndex } : {});
		}
		const csv = chunks.join('');
		await bulk2.uploadJobData(jobId, async () => csv);
		return [{ json: { id: jobId, uploaded: true, records: items.length }, pairedItem }];
	} catch (error) {
		if (!ctx.continueOnFail()) throw withItemIndex(ctx, error, 0);
		return [{ json: errorJson(error), pairedItem }];
	}
}

/** Upload Data: the job's one CSV upload (Salesforce accepts a single upload per job). */
export const uploadData: Operation = {
	description: [
		jobIdParameter('searchOpenIngestJobs', displayOptions),
		{
			displayName: 'Input Data',
			name: 'inputDataType',
			type: 'options',
			options: [
				{ name: 'Binary File', value: 'binary', description: 'A CSV file from a binary field of each input item' },
				{ name: 'Input Items', value: 'items', description: 'All input items become the rows of one upload, to the job of the first item' },
				{ name: 'Text', value: 'csv', description: 'CSV text with a header row of field API names' },
			],
			default: 'csv',
			displayOptions,
		},
		...jobColumnsParameters(displayOptions),
		...csvInputParameters(displayOptions),
	],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const { bulk2 } = salesforce;
		if (this.getNodeParameter('inputDataType', 0) === 'items') return await uploadItems(this, salesforce);
		return await perItem(this, async (i) => {
			const jobId = jobIdOf(this, i);
			const open = csvInputOf(this, i);
			const job = await onJob(this, salesforce, 'ingest', 'upload', i, async () => await bulk2.getJob('ingest', jobId));
			// Checked before sending: Salesforce would take the data and fail the job later.
			const refuse = (message: string, hint: string) => new NodeOperationError(this.getNode(), message, { itemIndex: i, description: `In ${csvSourceOf(this, i)}. ${hint}` });
			if (job.state !== 'Open') throw refuse(`Job ${jobId} is ${job.state}: data can be uploaded only while a job is Open`, 'Create a new job, or use Load Records, which creates its own');
			const head = await headOf(open);
			const kind = notCsv(head);
			if (kind) throw refuse(`The data for job ${jobId} is not a CSV file: it is ${kind}`, 'Give a CSV file (UTF-8 text, a header row of field names, one row per record)');
			const lineEnding = firstLineEnding(head);
			const expected = job.lineEnding ?? 'LF';
			if (lineEnding && lineEnding !== expected) {
				throw refuse(`The CSV's lines end with ${lineEnding}, but job ${jobId} expects ${expected}`, `Convert the line endings, or create the job with Line Ending ${lineEnding}`);
			}
			await bulk2.uploadJobData(jobId, withoutBom(open));
			return { id: jobId, uploaded: true };
		});
	},
};
