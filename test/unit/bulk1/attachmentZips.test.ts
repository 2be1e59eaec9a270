// attachmentZips.ts: files grouped into zips within Salesforce's limits, a zip built, a ready zip checked.
import { attachmentZip, emptyZipSize, entrySize, readyZipProblem, tooLargeForAnyZip, ZipGrouper, ZIP_LIMITS, type AttachmentEntry } from '../../../nodes/shared/bulk1/attachmentZips';
import { readZipDirectory, zipStore } from '../../../nodes/shared/codecs/zip';

const entry = (name: string, bytes: number): AttachmentEntry => ({ name, data: Buffer.alloc(bytes, 1), record: { Name: name, Body: `#${name}` } });

describe('ZipGrouper', () => {
	it('closes a group when the next file would not fit, and keeps every file once, in order', () => {
		const grouper = new ZipGrouper('request.json');
		const big = 4 * 1024 * 1024;
		const closed = [entry('a', big), entry('b', big), entry('c', big), entry('d', 10)].map((e) => grouper.add(e)).filter((g) => g !== undefined);
		const last = grouper.finish();
		expect([...closed, last].map((g) => g?.map((e) => e.name))).toEqual([['a', 'b'], ['c', 'd']]);
		expect(grouper.finish()).toBeUndefined();
		for (const group of [...closed, last]) expect(emptyZipSize('request.json') + group!.reduce((sum, e) => sum + entrySize(e), 0)).toBeLessThanOrEqual(ZIP_LIMITS.zipBytes);
	});

	it('holds fewer than 1,000 files per zip (the manifest is one)', () => {
		const grouper = new ZipGrouper('request.txt');
		const closed = Array.from({ length: 1500 }, (_, k) => grouper.add(entry(`f${k}`, 1))).filter((g) => g !== undefined);
		expect(closed.map((g) => g!.length)).toEqual([ZIP_LIMITS.files - 1]);
		expect(grouper.finish()).toHaveLength(1500 - (ZIP_LIMITS.files - 1));
	});

	it('tells a file too large for any zip', () => {
		expect(tooLargeForAnyZip(entry('x', ZIP_LIMITS.zipBytes))).toBe(true);
		expect(tooLargeForAnyZip(entry('x', 1000))).toBe(false);
	});
});

describe('attachmentZip and readyZipProblem', () => {
	it('builds a zip of the manifest and the files that a zip reader and the check both accept', () => {
		const zip = attachmentZip('CSV', 'request.txt', [entry('a.txt', 3), entry('b.txt', 4)]);
		expect(readZipDirectory(zip)?.map((e) => [e.name, e.size])).toEqual([['request.txt', 36], ['a.txt', 3], ['b.txt', 4]]);
		// Stored, not deflated: the manifest stands in the zip as written.
		expect(zip.includes('Name,Body\na.txt,#a.txt\nb.txt,#b.txt\n')).toBe(true);
		expect(readyZipProblem(zip, 'request.txt', 'Job 750')).toBeUndefined();
	});

	it('names what Salesforce would refuse', () => {
		const files = (...names: string[]) => zipStore(names.map((name) => ({ name, data: Buffer.from('x') })));
		expect(readyZipProblem(Buffer.from('not a zip'), 'request.txt', 'Job 750')?.problem).toBe('is not a zip file Salesforce can read');
		// Our writer refuses such a name: write a safe one and turn it into ../ in the headers.
		const climbing = Buffer.from(files('request.txt', 'aa/evil.txt').toString('latin1').replaceAll('aa/evil.txt', '../evil.txt'), 'latin1');
		expect(readyZipProblem(climbing, 'request.txt', 'Job 750')?.problem).toMatch(/outside the zip's root/);
		expect(readyZipProblem(files('a.txt'), 'request.txt', 'Job 750 (ZIP_CSV)')).toEqual({ problem: 'has no request.txt at its root', hint: expect.stringMatching(/^Job 750 \(ZIP_CSV\) reads its records from request.txt/) });
	});
});
