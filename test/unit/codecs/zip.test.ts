/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: reference implementations */
// zip.ts: differential against adm-zip (a real zip reader) and node:zlib's crc32.
import { crc32 as zlibCrc32 } from 'node:zlib';

import { crc32, safeEntryName, zipSize, zipStore, type ZipEntry } from '../../../nodes/shared/codecs/zip';
import { int, rng } from './random';

interface AdmEntry {
	entryName: string;
	header: { crc: number; method: number; size: number; time: Date };
	getData(): Buffer;
}
// adm-zip ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AdmZip = require('adm-zip') as new (buffer: Buffer) => { getEntries(): AdmEntry[] };

function readBack(zip: Buffer): Map<string, { data: Buffer; crc: number; method: number; size: number }> {
	const out = new Map<string, { data: Buffer; crc: number; method: number; size: number }>();
	for (const e of new AdmZip(zip).getEntries()) out.set(e.entryName, { data: e.getData(), crc: e.header.crc, method: e.header.method, size: e.header.size });
	return out;
}

describe('crc32', () => {
	it('matches known values and node:zlib on random data, also when continued', () => {
		expect(crc32(Buffer.from(''))).toBe(0);
		expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
		const r = rng(7);
		for (let n = 0; n < 50; n++) {
			const data = Buffer.from(Array.from({ length: int(r, 0, 5000) }, () => int(r, 0, 255)));
			expect(crc32(data)).toBe(zlibCrc32(data));
			const cut = int(r, 0, data.length);
			expect(crc32(data.subarray(cut), crc32(data.subarray(0, cut)))).toBe(zlibCrc32(data));
		}
	});
});

describe('zipStore', () => {
	it('writes zips adm-zip reads back byte for byte (seed 11)', () => {
		const r = rng(11);
		for (let round = 0; round < 30; round++) {
			const entries: ZipEntry[] = Array.from({ length: int(r, 0, 12) }, (_, k) => ({
				name: k % 4 === 0 ? `files/ünïcødé-${k}.bin` : `f${k}.txt`,
				data: Buffer.from(Array.from({ length: int(r, 0, 3000) }, () => int(r, 0, 255))),
			}));
			const zip = zipStore(entries);
			expect(zip.length).toBe(zipSize(entries.map((e) => ({ name: e.name, size: e.data.length }))));
			const back = readBack(zip);
			expect([...back.keys()]).toEqual(entries.map((e) => e.name));
			for (const e of entries) {
				const got = back.get(e.name)!;
				expect(got.method).toBe(0);
				expect(got.size).toBe(e.data.length);
				expect(got.crc).toBe(zlibCrc32(e.data));
				expect(got.data.equals(e.data)).toBe(true);
			}
		}
	});

	it('an empty zip is the end record only; dates before 1980 are clamped', () => {
		expect(zipStore([])).toEqual(Buffer.from('504b0506' + '00'.repeat(18), 'hex'));
		const zip = zipStore([{ name: 'a', data: Buffer.from('x') }], new Date(1970, 0, 1));
		expect(new AdmZip(zip).getEntries()[0].header.time.getFullYear()).toBe(1980);
	});

	it('keeps the modification time to the even second', () => {
		const zip = zipStore([{ name: 'a', data: Buffer.from('x') }], new Date(2024, 4, 17, 13, 45, 31));
		expect(new AdmZip(zip).getEntries()[0].header.time).toEqual(new Date(2024, 4, 17, 13, 45, 30));
	});

	it('refuses duplicate and empty names', () => {
		expect(() => zipStore([{ name: 'a', data: Buffer.alloc(1) }, { name: 'a', data: Buffer.alloc(1) }])).toThrow('Duplicate zip entry name "a"');
		expect(() => zipStore([{ name: '', data: Buffer.alloc(1) }])).toThrow('Invalid zip entry name');
	});
});

describe('safeEntryName', () => {
	it('keeps plain names, drops folders and unsafe characters, never hides a file', () => {
		const used = new Set<string>();
		expect(safeEntryName('report.pdf', used)).toBe('report.pdf');
		expect(safeEntryName('../../etc/passwd', used)).toBe('passwd');
		expect(safeEntryName('C:\\Users\\me\\Résumé final (2).docx', used)).toBe('Resume_final_2_.docx');
		expect(safeEntryName('.htaccess', used)).toBe('htaccess');
		expect(safeEntryName('#?*', used)).toBe('file');
		expect(safeEntryName('', used)).toBe('file-2');
		expect(safeEntryName('中文.txt', used)).toBe('_.txt');
	});

	it('makes names unique case-insensitively and keeps the extension when shortening', () => {
		const used = new Set<string>();
		expect(safeEntryName('A.txt', used)).toBe('A.txt');
		expect(safeEntryName('a.txt', used)).toBe('a-2.txt');
		expect(safeEntryName('a.TXT', used)).toBe('a-3.TXT');
		const long = safeEntryName(`${'x'.repeat(300)}.jpeg`, used);
		expect(long).toHaveLength(100);
		expect(long.endsWith('.jpeg')).toBe(true);
		expect(safeEntryName(`${'x'.repeat(300)}.jpeg`, used)).toMatch(/^x+-2\.jpeg$/);
	});
});
