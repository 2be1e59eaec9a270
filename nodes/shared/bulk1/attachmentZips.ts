/**
 * Binary-attachment batches: zips of a manifest (the records, whose body field names a file as `#name`) and
 * the files. Grouping files into zips within Salesforce's limits, building a zip, and checking a ready one.
 * Pure: no HTTP, no n8n context.
 */
import type { IDataObject } from 'n8n-workflow';

import type { Bulk1ContentType } from '../api/bulk1Api';
import { escapesRoot, readZipDirectory, zipSize, zipStore } from '../codecs/zip';
import { batchBodies } from './batchBodies';
import type { DataFormat } from './dataFormat';

/** Salesforce's limits for one attachment batch (10 MB zipped, 20 MB unzipped, 1,000 files), with room to spare. */
export const ZIP_LIMITS = { zipBytes: 10_000_000, unzippedBytes: 20_000_000, files: 1000 };

/** The manifest's name in the zip, by the job's content type. */
export const MANIFEST_FILES: Partial<Record<Bulk1ContentType, string>> = { ZIP_CSV: 'request.txt', ZIP_XML: 'request.xml', ZIP_JSON: 'request.json' };

/** One file with its manifest record. */
export interface AttachmentEntry {
	name: string;
	data: Buffer;
	record: IDataObject;
}

/** What an entry adds to a zip: its headers and data, and a generous share of the manifest. */
export function entrySize(entry: AttachmentEntry): number {
	// Twice the record's JSON covers its CSV row or XML element.
	return zipSize([{ name: entry.name, size: entry.data.length }]) + 2 * Buffer.byteLength(JSON.stringify(entry.record)) + 100;
}

/** A zip holding only a manifest of 1 KB: what every zip costs before its files. */
export function emptyZipSize(manifestName: string): number {
	return zipSize([{ name: manifestName, size: 1024 }]);
}

/** Whether an entry fits in no zip at all. */
export function tooLargeForAnyZip(entry: AttachmentEntry): boolean {
	return entrySize(entry) + emptyZipSize('request.json') > ZIP_LIMITS.zipBytes;
}

/**
 * Entries as groups that each fit in one zip (bytes and file count, the manifest counted), in order. Entries
 * come one by one (each read when needed), so only one group is in memory at a time.
 */
export class ZipGrouper<Entry extends AttachmentEntry> {
	private group: Entry[] = [];
	private bytes: number;

	constructor(private readonly manifestName: string) {
		this.bytes = emptyZipSize(manifestName);
	}

	/** Adds an entry; returns the group it closes when it does not fit in the current one. */
	add(entry: Entry): Entry[] | undefined {
		const size = entrySize(entry);
		let full: Entry[] | undefined;
		if (this.group.length && (this.bytes + size > ZIP_LIMITS.zipBytes || this.group.length + 1 >= ZIP_LIMITS.files)) full = this.finish();
		this.group.push(entry);
		this.bytes += size;
		return full;
	}

	/** The group being filled (then empty), or undefined when it has nothing. */
	finish(): Entry[] | undefined {
		if (!this.group.length) return undefined;
		const group = this.group;
		[this.group, this.bytes] = [[], emptyZipSize(this.manifestName)];
		return group;
	}
}

/** The zip of a group: the manifest in the job's format, then the files. */
export function attachmentZip(format: DataFormat, manifestName: string, group: readonly AttachmentEntry[]): Buffer {
	const [manifest] = batchBodies(format, group.map((e) => e.record), { maxRecords: Infinity, maxBytes: Infinity });
	return zipStore([{ name: manifestName, data: manifest.body }, ...group.map((e) => ({ name: e.name, data: e.data }))]);
}

/** Why Salesforce would fail a batch of a ready zip (what is wrong, and what to do), or undefined when it would take it. */
export function readyZipProblem(zip: Buffer, manifestName: string, jobAndType: string): { problem: string; hint: string } | undefined {
	const split = 'Spread the files over several zips, or use Source: Build From Items, which does';
	const entries = readZipDirectory(zip);
	if (!entries) return { problem: 'is not a zip file Salesforce can read', hint: 'Write it with a common zip tool (no ZIP64, no spanning)' };
	const climbing = entries.find((e) => escapesRoot(e.name));
	if (climbing) {
		return {
			problem: `holds "${climbing.name}", a path outside the zip's root`,
			hint: "Salesforce refuses it, and other tools could write such a file outside their folder: keep every file under the zip's root",
		};
	}
	const files = entries.filter((e) => !e.directory);
	if (files.length > ZIP_LIMITS.files) return { problem: `holds ${files.length} files; one attachment batch holds at most ${ZIP_LIMITS.files}`, hint: split };
	const unzipped = files.reduce((sum, e) => sum + e.size, 0);
	if (unzipped > ZIP_LIMITS.unzippedBytes) return { problem: `holds ${unzipped} bytes unzipped; one attachment batch holds at most ${ZIP_LIMITS.unzippedBytes} unzipped`, hint: split };
	if (!files.some((e) => e.name === manifestName)) {
		return { problem: `has no ${manifestName} at its root`, hint: `${jobAndType} reads its records from ${manifestName}, whose body field refers to the files as #name` };
	}
	return undefined;
}
