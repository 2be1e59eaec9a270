'use strict';
// Binary-attachment batches of Bulk API 1.0: a zip with request.txt (or .xml/.json) at its root and the
// files that `#path` values refer to. Limits are checked from the zip's directory before inflating.

const AdmZip = require('adm-zip');

const MB = 1024 * 1024;
const LIMITS = { zipBytes: 10 * MB, unzippedBytes: 20 * MB, files: 1000 };

class ZipError extends Error {}

/** A zip entry name made relative and clean; undefined when it points outside the zip's root. */
function safePath(name) {
	const path = String(name).replace(/\\/g, '/');
	if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return undefined;
	const parts = path.split('/').filter((p) => p !== '' && p !== '.');
	if (parts.length === 0 || parts.includes('..')) return undefined;
	return parts.join('/');
}

/**
 * Opens a batch zip. Returns { request: Buffer, files: Map<path, Buffer> }.
 * @throws {ZipError} with Salesforce's InvalidBatch reasons (too large, too many files, no request file)
 */
function readZipBatch(buffer, requestName, limits = LIMITS) {
	if (buffer.length > limits.zipBytes) throw new ZipError(`InvalidBatch : The zip file is larger than the maximum of ${limits.zipBytes} bytes`);
	let entries;
	try {
		entries = new AdmZip(buffer).getEntries();
	} catch (error) {
		throw new ZipError(`InvalidBatch : Failed to read the zip file: ${error.message}`);
	}
	const files = entries.filter((e) => !e.isDirectory);
	if (files.length > limits.files) throw new ZipError(`InvalidBatch : The zip file contains ${files.length} files; the maximum is ${limits.files}`);
	const unzipped = files.reduce((sum, e) => sum + e.header.size, 0);
	if (unzipped > limits.unzippedBytes) {
		throw new ZipError(`InvalidBatch : The unzipped content is larger than the maximum of ${limits.unzippedBytes} bytes`);
	}
	const contents = new Map();
	for (const entry of files) {
		const path = safePath(entry.entryName);
		if (!path) throw new ZipError(`InvalidBatch : Invalid file path in the zip file: ${entry.entryName}`);
		let data;
		try {
			data = entry.getData();
		} catch (error) {
			throw new ZipError(`InvalidBatch : Failed to read ${entry.entryName} from the zip file: ${error.message}`);
		}
		// A size field that lies about the content must not get past the unzipped limit.
		if (data.length !== entry.header.size) throw new ZipError(`InvalidBatch : Corrupt zip entry: ${entry.entryName}`);
		contents.set(path, data);
	}
	const request = contents.get(requestName);
	if (!request) throw new ZipError(`InvalidBatch : The ${requestName} file can't be found in the zip file`);
	contents.delete(requestName);
	return { request, files: contents };
}

module.exports = { readZipBatch, safePath, ZipError, LIMITS };
