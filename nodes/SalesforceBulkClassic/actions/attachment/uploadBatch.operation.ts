import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { BatchInfo, Bulk1Api, Bulk1ContentType } from '../../../shared/api/bulk1Api';
import { batchBodies, dataFormatOf, detectFormat, prepareRecord, type DataFormat } from '../../../shared/bulk1/batchData';
import { connect } from '../../../shared/api/connect';
import { jobIdParameter } from '../../../shared/node/descriptions';
import { errorJson, perItem } from '../../../shared/node/items';
import { escapesRoot, readZipDirectory, safeEntryName, zipSize, zipStore } from '../../../shared/codecs/zip';
import { binaryHead, expectJobKind, jobIdOf, noteAdded, pairedOf, perJob, recordError, showFor, showWith, type Operation } from '../common';

const displayOptions = showFor('attachment', 'uploadBatch');
const fromItems = showWith(displayOptions, { attachmentSource: ['items'] });
const NOT_ATTACHMENTS = 'Create the job with Binary Attachment → Create Attachment Job; plain records go through Batch → Add.';

/** Salesforce's limits for one attachment batch (10 MB zipped, 20 MB unzipped, 1,000 files), with room to spare. */
export const ZIP_LIMITS = { zipBytes: 10_000_000, unzippedBytes: 20_000_000, files: 1000 };
const REQUEST_FILES: Partial<Record<Bulk1ContentType, string>> = { ZIP_CSV: 'request.txt', ZIP_XML: 'request.xml', ZIP_JSON: 'request.json' };

interface Entry {
	item: number;
	name: string;
	data: Buffer;
	record: IDataObject;
	/** What the entry adds to the zip: its headers and data, and a generous share of the manifest. */
	size: number;
}

/** One item → one manifest record whose body field refers to the item's file, stored under a safe name. */
async function entryOf(ctx: IExecuteFunctions, i: number, format: DataFormat, used: Set<string>): Promise<Entry> {
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
	// The manifest share: twice the record's JSON covers its CSV row or XML element.
	const size = zipSize([{ name, size: data.length }]) + 2 * Buffer.byteLength(JSON.stringify(record)) + 100;
	if (size + zipSize([{ name: 'request.json', size: 1024 }]) > ZIP_LIMITS.zipBytes) {
		throw new NodeOperationError(ctx.getNode(), `The file "${binary.fileName ?? name}" of item ${i} is ${data.length} bytes; one attachment batch holds at most ${ZIP_LIMITS.zipBytes} bytes`, {
			itemIndex: i,
			description: 'Salesforce takes zips of at most 10 MB. Load larger files one by one through the REST API.',
		});
	}
	return { item: i, name, data, record, size };
}

/**
 * The input items as attachment batches: each item's file in a zip with the manifest (request.txt, .xml or
 * .json) whose body field is `#file name` and whose other fields come from the item. Items go into as
 * many zips as the limits need; one zip is in memory at a time.
 */
async function buildFromItems(ctx: IExecuteFunctions, bulk1: Bulk1Api) {
	return await perJob(ctx, async (jobId, itemIndexes, output) => {
		const job = await bulk1.getJob(jobId);
		expectJobKind(ctx, job, itemIndexes[0], 'attachment', NOT_ATTACHMENTS);
		const format = dataFormatOf(job.contentType);
		const requestName = REQUEST_FILES[job.contentType] as string;
		const used = new Set([requestName]);
		const empty = zipSize([{ name: requestName, size: 1024 }]);
		const added: BatchInfo[] = [];
		let group: Entry[] = [];
		let bytes = empty;
		const flush = async () => {
			const [manifest] = batchBodies(format, group.map((e) => e.record), { maxRecords: Infinity, maxBytes: Infinity });
			const zip = zipStore([{ name: requestName, data: manifest.body }, ...group.map((e) => ({ name: e.name, data: e.data }))]);
			const batch = await bulk1.addBatch(job.id, job.contentType, zip).catch((error) => Promise.reject(noteAdded(error, added)));
			added.push(batch);
			output.push({ json: { ...batch, files: group.length, zipBytes: zip.length }, pairedItem: pairedOf(group.map((e) => e.item)) });
			[group, bytes] = [[], empty];
		};
		for (const i of itemIndexes) {
			let entry: Entry;
			try {
				entry = await entryOf(ctx, i, format, used);
			} catch (error) {
				const failure = recordError(ctx, error, i);
				if (!ctx.continueOnFail()) throw noteAdded(failure, added);
				output.push({ json: errorJson(failure), pairedItem: { item: i } });
				continue;
			}
			if (group.length && (bytes + entry.size > ZIP_LIMITS.zipBytes || group.length + 1 >= ZIP_LIMITS.files)) await flush();
			group.push(entry);
			bytes += entry.size;
		}
		if (group.length) await flush();
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
	const split = 'Spread the files over several zips, or use Source: Build From Items, which does';
	let size = 0;
	const chunks: Buffer[] = [];
	const source = binary.id ? ((await ctx.helpers.getBinaryStream(binary.id)) as AsyncIterable<Buffer>) : [Buffer.from(binary.data, 'base64')];
	for await (const chunk of source) {
		size += chunk.length;
		if (size <= ZIP_LIMITS.zipBytes) chunks.push(chunk);
	}
	if (size > ZIP_LIMITS.zipBytes) throw refuse(`${what} is ${size} bytes; one attachment batch holds at most ${ZIP_LIMITS.zipBytes} bytes`, split);
	const zip = Buffer.concat(chunks);
	const entries = readZipDirectory(zip);
	if (!entries) throw refuse(`${what} is not a zip file Salesforce can read`, 'Write it with a common zip tool (no ZIP64, no spanning)');
	const climbing = entries.find((e) => escapesRoot(e.name));
	if (climbing) {
		throw refuse(`${what} holds "${climbing.name}", a path outside the zip's root`, "Salesforce refuses it, and other tools could write such a file outside their folder: keep every file under the zip's root");
	}
	const files = entries.filter((e) => !e.directory);
	if (files.length > ZIP_LIMITS.files) throw refuse(`${what} holds ${files.length} files; one attachment batch holds at most ${ZIP_LIMITS.files}`, split);
	const unzipped = files.reduce((sum, e) => sum + e.size, 0);
	if (unzipped > ZIP_LIMITS.unzippedBytes) throw refuse(`${what} holds ${unzipped} bytes unzipped; one attachment batch holds at most ${ZIP_LIMITS.unzippedBytes} unzipped`, split);
	const manifest = REQUEST_FILES[contentType] as string;
	if (!files.some((e) => e.name === manifest)) {
		throw refuse(`${what} has no ${manifest} at its root`, `Job ${jobId} (${contentType}) reads its records from ${manifest}, whose body field refers to the files as #name`);
	}
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
		const { bulk1 } = await connect(this);
		if (this.getNodeParameter('attachmentSource', 0) === 'items') return await buildFromItems(this, bulk1);
		return await perItem(this, async (i) => {
			const job = await bulk1.getJob(jobIdOf(this, i));
			expectJobKind(this, job, i, 'attachment', NOT_ATTACHMENTS);
			const property = this.getNodeParameter('binaryPropertyName', i) as string;
			const binary = this.helpers.assertBinaryData(i, property);
			if (detectFormat(await binaryHead(this, binary)) !== 'ZIP') {
				throw new NodeOperationError(this.getNode(), `The file "${binary.fileName ?? property}" of item ${i} is not a zip file`, {
					itemIndex: i,
					description: `Job ${job.id} takes zips holding ${REQUEST_FILES[job.contentType]} and the files it refers to. Or use Source: Build From Items.`,
				});
			}
			return await bulk1.addBatch(job.id, job.contentType, await checkedZip(this, i, job.id, job.contentType, property));
		});
	},
};
