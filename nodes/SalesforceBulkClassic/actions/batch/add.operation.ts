import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isQueryJob, type BatchInfo, type Bulk1Api, type Bulk1JobInfo } from '../../../shared/api/bulk1Api';
import { connect, type Salesforce } from '../../../shared/api/connect';
import { BATCH_MAX_BYTES, BATCH_MAX_RECORDS, prepareRecord, recordsInBatch } from '../../../shared/bulk1/batchBodies';
import { dataFormatOf, detectFormat } from '../../../shared/bulk1/dataFormat';
import { CsvError } from '../../../shared/codecs/csv';
import { splitCsv } from '../../../shared/codecs/csvSplit';
import { headOf, openBinary } from '../../../shared/node/binaryInput';
import { csvSourceOf, readCheckedCsv, utf8Text } from '../../../shared/node/csvInput';
import { jobIdOf, jobIdParameter, showWith } from '../../../shared/node/descriptions';
import { jobColumnsParameters, type RecordOperation } from '../../../shared/node/fieldMapper';
import { pairedItemsOf, perItem } from '../../../shared/node/items';
import { mapItems, nestedRecord } from '../../../shared/node/mappedItems';
import { convertItems, itemBatches, noteAdded, perJob } from '../batches';
import { classicJob, expectJobKind, showFor, type Operation } from '../common';

const displayOptions = showFor('batch', 'add');
const NOT_A_QUERY = 'A query job takes a SOQL query as its batch: use Input Data: SOQL Query.';

/** Items → records in the job's format → as many batches as the 10,000-record and 10 MB limits need. */
async function fromItems(ctx: IExecuteFunctions, salesforce: Salesforce) {
	const { bulk1 } = salesforce;
	const items = ctx.getInputData();
	return await perJob(ctx, async (jobId, itemIndexes, output) => {
		const job = await classicJob(ctx, salesforce, jobId, itemIndexes[0], 'upload');
		expectJobKind(ctx, job, itemIndexes[0], 'load', `${NOT_A_QUERY} Attachments go through Binary Attachment → Upload Attachment Batch.`);
		const format = dataFormatOf(job.contentType);
		let records: Array<{ item: number; value: IDataObject }>;
		if (ctx.getNode().typeVersion >= 1.2) {
			// The Columns mapper against the job's object and operation; rows left out become error items.
			const mapped = await mapItems(ctx, itemIndexes, { object: job.object, operation: job.operation as RecordOperation, externalIdFieldName: job.externalIdFieldName as string | undefined });
			output.push(...mapped.failures);
			const valuesOf = new Map(mapped.records.map((r) => [r.item, r.values]));
			records = await convertItems(ctx, [...valuesOf.keys()], output, (i) => prepareRecord(format, nestedRecord(valuesOf.get(i) ?? {}), i));
		} else records = await convertItems(ctx, itemIndexes, output, (i) => prepareRecord(format, items[i].json, i));
		const added: BatchInfo[] = [];
		try {
			for (const { body, first, count } of itemBatches(ctx, format, records)) {
				const batch = await bulk1.addBatch(job.id, job.contentType, body);
				added.push(batch);
				output.push({ json: { ...batch, recordsSent: count }, pairedItem: pairedItemsOf(count, (k) => records[first + k].item) });
			}
		} catch (error) {
			throw noteAdded(error, added);
		}
	});
}

/**
 * Reads the whole CSV before the first batch goes (batches run as soon as they are added, so a bad row
 * further down must not leave the first batches loaded): UTF-8, the same column count on every row, no
 * field over Salesforce's limit, at least one data row.
 */
async function checkCsv(ctx: IExecuteFunctions, i: number, where: string, source: AsyncIterable<Buffer> | Buffer[]): Promise<void> {
	const refuse = (message: string, hint = '') => new NodeOperationError(ctx.getNode(), message, { itemIndex: i, description: `In ${where}.${hint ? ` ${hint}` : ''}` });
	const notUtf8 = () => refuse('The CSV is not UTF-8 text', 'Save the file as UTF-8 (Salesforce reads CSV as UTF-8)');
	let rows: number;
	try {
		({ count: rows } = await readCheckedCsv(utf8Text(source, notUtf8, true), { lineEnding: 'auto' }, refuse));
	} catch (error) {
		if (error instanceof CsvError) throw refuse(`The CSV is not valid: ${error.message}`);
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: i });
	}
	if (!rows) throw refuse('The CSV has no data rows: give a header row and at least one row');
}

/** CSV split at row boundaries into batches of at most 10,000 rows and 10 MB. */
async function addCsv(ctx: IExecuteFunctions, bulk1: Bulk1Api, job: Bulk1JobInfo, i: number, source: AsyncIterable<Buffer> | Buffer[], where: string): Promise<IDataObject[]> {
	const added: BatchInfo[] = [];
	const out: IDataObject[] = [];
	try {
		for await (const part of splitCsv(source, { maxBytes: BATCH_MAX_BYTES, maxRows: BATCH_MAX_RECORDS, lineEnding: 'auto' })) {
			const chunks: Buffer[] = [];
			for await (const chunk of part.chunks) chunks.push(chunk);
			// In memory (≤ 10 MB), so the body can be sent again after a session renewal.
			const batch = await bulk1.addBatch(job.id, job.contentType, Buffer.concat(chunks));
			added.push(batch);
			out.push({ ...batch, recordsSent: part.rows });
		}
	} catch (error) {
		if (!(error instanceof CsvError)) throw noteAdded(error, added);
		const what = error.code === 'ROW_TOO_LARGE' ? 'A CSV row does not fit in one batch (10 MB)' : 'The CSV is not valid';
		throw noteAdded(new NodeOperationError(ctx.getNode(), `${what}: ${error.message}`, { itemIndex: i, description: `In ${where}.` }), added);
	}
	if (!out.length) throw new NodeOperationError(ctx.getNode(), 'The CSV has no data rows: give a header row and at least one row', { itemIndex: i, description: `In ${where}.` });
	return out;
}

/**
 * An XML or JSON batch sent as it is, read whole and refused before anything is sent when it passes a batch's
 * limits (10 MB, 10,000 records): Salesforce would accept it and then fail the batch.
 */
async function wholeBatch(ctx: IExecuteFunctions, i: number, format: 'XML' | 'JSON', what: string, body: () => Promise<NodeJS.ReadableStream | Buffer>): Promise<Buffer> {
	const refuse = (message: string) =>
		new NodeOperationError(ctx.getNode(), `The ${format} ${what} of item ${i} ${message}`, {
			itemIndex: i,
			description: 'Split it into several batches, or send the records with Input Data: Items (split into batches for you) or as CSV (split too)',
		});
	const data = await body();
	const chunks: Buffer[] = [];
	let size = 0;
	// A file larger than a batch is refused as soon as that is known, without reading the rest.
	for await (const chunk of Buffer.isBuffer(data) ? [data] : (data as AsyncIterable<Buffer>)) {
		size += chunk.length;
		if (size > BATCH_MAX_BYTES) throw refuse(`is more than ${BATCH_MAX_BYTES} bytes, the most a batch takes`);
		chunks.push(chunk);
	}
	const bytes = Buffer.concat(chunks);
	const records = recordsInBatch(format, bytes);
	if (records !== undefined && records > BATCH_MAX_RECORDS) throw refuse(`holds ${records} records; a batch takes at most ${BATCH_MAX_RECORDS}`);
	return bytes;
}

/** Text, a binary file or SOQL of one item → one batch (CSV: as many as the limits need). */
async function fromItem(ctx: IExecuteFunctions, salesforce: Salesforce, i: number): Promise<IDataObject | IDataObject[]> {
	const { bulk1 } = salesforce;
	const node = ctx.getNode();
	const job = await classicJob(ctx, salesforce, jobIdOf(ctx, i), i, 'upload');
	const inputDataType = ctx.getNodeParameter('inputDataType', i) as string;
	if (inputDataType === 'soql') {
		expectJobKind(ctx, job, i, 'query', 'Send records to a load job with Input Data: Items, Text or Binary File.');
		const soql = String(ctx.getNodeParameter('query', i)).trim();
		if (!soql) throw new NodeOperationError(node, 'SOQL Query is empty', { itemIndex: i });
		return await bulk1.addBatch(job.id, job.contentType, soql);
	}
	if (isQueryJob(job)) expectJobKind(ctx, job, i, 'load', NOT_A_QUERY);
	const expected = job.contentType.startsWith('ZIP_') ? 'ZIP' : dataFormatOf(job.contentType);
	let head: Buffer | string;
	let body: () => Promise<NodeJS.ReadableStream | Buffer>;
	let what: string;
	if (inputDataType === 'text') {
		const bytes = Buffer.from(ctx.getNodeParameter('data', i) as string);
		[head, body, what] = [bytes, async () => bytes, 'text'];
	} else {
		const property = ctx.getNodeParameter('binaryPropertyName', i) as string;
		const binary = ctx.helpers.assertBinaryData(i, property);
		[head, body, what] = [await headOf(openBinary(ctx, binary)), openBinary(ctx, binary), `file "${binary.fileName ?? property}"`];
	}
	const found = detectFormat(head);
	if (found !== expected) {
		throw new NodeOperationError(node, `Job ${job.id} takes ${job.contentType} batches, but the ${what} of item ${i} is ${found ?? 'empty'}`, {
			itemIndex: i,
			description: `Send ${expected === 'ZIP' ? 'a zip file' : `${expected} data`}, or create a job whose content type matches the data`,
		});
	}
	if (expected === 'XML' || expected === 'JSON') return await bulk1.addBatch(job.id, job.contentType, await wholeBatch(ctx, i, expected, what, body));
	if (expected !== 'CSV') return await bulk1.addBatch(job.id, job.contentType, body);
	const where = csvSourceOf(ctx, i);
	const open = async () => {
		const data = await body();
		return Buffer.isBuffer(data) ? [data] : (data as AsyncIterable<Buffer>);
	};
	await checkCsv(ctx, i, where, await open());
	return await addCsv(ctx, bulk1, job, i, await open(), where);
}

/** Add: a batch to an open job, from items, text, a binary file or SOQL, checked against the job's content type. */
export const add: Operation = {
	description: [
		jobIdParameter('searchOpenClassicJobs', displayOptions),
		{
			displayName: 'Input Data',
			name: 'inputDataType',
			type: 'options',
			options: [
				{ name: 'Binary File', value: 'binary', description: "A CSV, XML, JSON or zip file in the job's format; CSV is split into batches as needed" },
				{ name: 'Input Items', value: 'items', description: "The input items as records, in the job's format, split into batches of 10,000 records and 10 MB" },
				{ name: 'SOQL Query', value: 'soql', description: 'The query of a query job' },
				{ name: 'Text', value: 'text', description: "CSV, XML or JSON text in the job's format; CSV is split into batches as needed" },
			],
			default: 'items',
			displayOptions,
		},
		{
			displayName: 'Text',
			name: 'data',
			type: 'string',
			typeOptions: { rows: 6 },
			default: '',
			required: true,
			placeholder: 'Name,Phone\nAcme,555-0100',
			description: "The batch in the job's format: CSV with a header row, an XML sObjects document, or a JSON array of records",
			displayOptions: showWith(displayOptions, { inputDataType: ['text'] }),
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input binary field holding the file',
			displayOptions: showWith(displayOptions, { inputDataType: ['binary'] }),
		},
		{
			displayName: 'SOQL Query',
			name: 'query',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			required: true,
			placeholder: 'SELECT Id, Name FROM Account',
			description: "A query on the job's object. Bulk queries do not support GROUP BY, OFFSET, TYPEOF, aggregate functions or parent-to-child subqueries.",
			displayOptions: showWith(displayOptions, { inputDataType: ['soql'] }),
		},
		...jobColumnsParameters(displayOptions),
	],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		if (this.getNodeParameter('inputDataType', 0) === 'items') return await fromItems(this, salesforce);
		return await perItem(this, async (i) => await fromItem(this, salesforce, i));
	},
};
