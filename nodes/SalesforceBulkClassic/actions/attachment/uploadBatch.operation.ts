import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BatchInfo, Bulk1ContentType } from '../../../shared/api/bulk1Api';
import { connect, type Salesforce } from '../../../shared/api/connect';
import { attachmentZip, MANIFEST_FILES, readyZipProblem, tooLargeForAnyZip, ZipGrouper, ZIP_LIMITS, type AttachmentEntry } from '../../../shared/bulk1/attachmentZips';
import { prepareRecord } from '../../../shared/bulk1/batchBodies';
import { dataFormatOf, detectFormat, type DataFormat } from '../../../shared/bulk1/dataFormat';
import { safeEntryName } from '../../../shared/codecs/zip';
import { headOf, openBinary } from '../../../shared/node/binaryInput';
import { jobIdOf, jobIdParameter, showWith } from '../../../shared/node/descriptions';
import { errorJson, pairedItemsOf, perItem } from '../../../shared/node/items';
import { noteAdded, perJob, recordError } from '../batches';
import { classicJob, expectJobKind, showFor, type Operation } from '../common';

const displayOptions = showFor('attachment', 'uploadBatch');
const fromItems = showWith(displayOptions, { attachmentSource: ['items'] });
const NOT_ATTACHMENTS = 'Create the job with Binary Attachment → Create Attachment Job; plain records go through Batch → Add.';

/** An item's file and manifest record. */
type ItemEntry = AttachmentEntry & { item: number };

/** One item → one manifest record whose body field refers to the item's file, stored under a safe name. */
async function entryOf(ctx: IExecuteFunctions, i: number, format: DataFormat, used: Set<string>): Promise<ItemEntry> {
	const property = ctx.getNodeParameter('binaryPropertyName', i) as string;
	const bodyField = String(ctx.getNodeParameter('bodyField', i, 'Body')).trim() || 'Body';
	const fileNameField = String((ctx.getNodeParameter('options', i, {}) as IDataObject).fileNameField ?? 'Name').trim();
	const binary = ctx.helpers.assertBinaryData(i, property);
	const data = await ctx.helpers.getBinaryDataBuffer(i, property);
	const json = ctx.getInputData()[i].json;
	const name = safeEntryName(binary.fileName ?? `${property}-${i}`, used);
	const record = prepareRecord(format, {
		...json,
		...(fileNameField && json[fileNameField] === undefined ? { [fileNameField]: binary.fileName ?? name } : {}),
		[bodyField]: `#${name}`,
	}, i);
	const entry = { item: i, name, data, record };
	if (tooLargeForAnyZip(entry)) {
		throw new NodeOperationError(ctx.getNode(), `The file "${binary.fileName ?? name}" of item ${i} is ${data.length} bytes; one attachment batch holds at most ${ZIP_LIMITS.zipBytes} bytes`, {
			itemIndex: i,
			description: 'Salesforce takes zips of at most 10 MB. Load larger files one by one through the REST API.',
		});
	}
	return entry;
}

/**
 * The input items as attachment batches: each item's file in a zip with the manifest (request.txt, .xml or
 * .json) whose body field is `#file name` and whose other fields come from the item. Items go into as
 * many zips as the limits need; one zip is in memory at a time.
 */
async function buildFromItems(ctx: IExecuteFunctions, salesforce: Salesforce) {
	const { bulk1 } = salesforce;
	return await perJob(ctx, async (jobId, itemIndexes, output) => {
		const job = await classicJob(ctx, salesforce, jobId, itemIndexes[0], 'upload');
		expectJobKind(ctx, job, itemIndexes[0], 'attachment', NOT_ATTACHMENTS);
		const format = dataFormatOf(job.contentType);
		const manifestName = MANIFEST_FILES[job.contentType] as string;
		const used = new Set([manifestName]);
		const grouper = new ZipGrouper<ItemEntry>(manifestName);
		const added: BatchInfo[] = [];
		const send = async (group: Array<ItemEntry>) => {
			const zip = attachmentZip(format, manifestName, group);
			const batch = await bulk1.addBatch(job.id, job.contentType, zip).catch((error) => Promise.reject(noteAdded(error, added)));
			added.push(batch);
			output.push({ json: { ...batch, files: group.length, zipBytes: zip.length }, pairedItem: pairedItemsOf(group.length, (k) => group[k].item) });
		};
		for (const i of itemIndexes) {
			let entry: ItemEntry;
			try {
				entry = await entryOf(ctx, i, format, used);
			} catch (error) {
				const failure = recordError(ctx, error, i);
				if (!ctx.continueOnFail()) throw noteAdded(failure, added);
				output.push({ json: errorJson(failure), pairedItem: { item: i } });
				continue;
			}
			const full = grouper.add(entry);
			if (full) await send(full);
		}
		const last = grouper.finish();
		if (last) await send(last);
	});
}

/**
 * A ready zip, read into memory (at most 10 MB) and checked against Salesforce's limits before it is sent:
 * Salesforce would take it and fail the batch later. Its entries must stay inside the zip's root.
 */
async function checkedZip(ctx: IExecuteFunctions, i: number, jobId: string, contentType: Bulk1ContentType, property: string): Promise<Buffer> {
	const binary = ctx.helpers.assertBinaryData(i, property);
	const what = `The zip "${binary.fileName ?? property}" in binary field "${property}" (Input Binary Field) of item ${i}`;
	const refuse = (message: string, hint: string) => new NodeOperationError(ctx.getNode(), message, { itemIndex: i, description: hint });
	let size = 0;
	const chunks: Buffer[] = [];
	const source = await openBinary(ctx, binary)();
	for await (const chunk of Buffer.isBuffer(source) ? [source] : (source as AsyncIterable<Buffer>)) {
		size += chunk.length;
		if (size <= ZIP_LIMITS.zipBytes) chunks.push(chunk);
	}
	if (size > ZIP_LIMITS.zipBytes) throw refuse(`${what} is ${size} bytes; one attachment batch holds at most ${ZIP_LIMITS.zipBytes} bytes`, 'Spread the files over several zips, or use Source: Build From Items, which does');
	const zip = Buffer.concat(chunks);
	const wrong = readyZipProblem(zip, MANIFEST_FILES[contentType] as string, `Job ${jobId} (${contentType})`);
	if (wrong) throw refuse(`${what} ${wrong.problem}`, wrong.hint);
	return zip;
}

/** Upload Attachment Batch: a ready zip from a binary field, or a zip built from the items and their files. */
export const uploadBatch: Operation = {
	description: [
		jobIdParameter('searchAttachmentJobs', displayOptions),
		{
			displayName: 'Source',
			name: 'attachmentSource',
			type: 'options',
			options: [
				{ name: 'Build From Items', value: 'items', description: "One record per item, its file in the zip; the manifest is made in the job's format" },
				{ name: 'Zip File', value: 'zip', description: 'A ready zip (manifest and files) from a binary field of each item' },
			],
			default: 'items',
			displayOptions,
		},
		{
			displayName: 'Input Binary Field',
			name: 'binaryPropertyName',
			type: 'string',
			default: 'data',
			required: true,
			hint: 'The name of the input binary field holding the file (or the zip)',
			displayOptions,
		},
		{
			displayName: 'Body Field',
			name: 'bodyField',
			type: 'string',
			default: 'Body',
			description: 'The field that refers to the file: Body for Attachment and Document, VersionData for ContentVersion',
			displayOptions: fromItems,
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: fromItems,
			options: [
				{
					displayName: 'File Name Field',
					name: 'fileNameField',
					type: 'string',
					default: 'Name',
					description: "The field that gets the file's name when the item does not set it; empty = none (Name for Attachment, PathOnClient for ContentVersion)",
				},
			],
		},
	],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const { bulk1 } = salesforce;
		if (this.getNodeParameter('attachmentSource', 0) === 'items') return await buildFromItems(this, salesforce);
		return await perItem(this, async (i) => {
			const job = await classicJob(this, salesforce, jobIdOf(this, i), i, 'upload');
			expectJobKind(this, job, i, 'attachment', NOT_ATTACHMENTS);
			const property = this.getNodeParameter('binaryPropertyName', i) as string;
			const binary = this.helpers.assertBinaryData(i, property);
			if (detectFormat(await headOf(openBinary(this, binary))) !== 'ZIP') {
				throw new NodeOperationError(this.getNode(), `The file "${binary.fileName ?? property}" of item ${i} is not a zip file`, {
					itemIndex: i,
					description: `Job ${job.id} takes zips holding ${MANIFEST_FILES[job.contentType]} and the files it refers to. Or use Source: Build From Items.`,
				});
			}
			return await bulk1.addBatch(job.id, job.contentType, await checkedZip(this, i, job.id, job.contentType, property));
		});
	},
};
