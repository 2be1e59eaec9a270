// node/csvInput: what the input checks tell from a CSV's first bytes, and the strict UTF-8 reading.
import { firstLineEnding, invalidUtf8At, notCsv, utf8Text } from '../../../nodes/shared/node/csvInput';

describe('notCsv', () => {
	it('names files that are not CSV text by their first bytes', () => {
		expect(notCsv(Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'))).toBe('a PNG image');
		expect(notCsv(Buffer.from('%PDF-1.7'))).toBe('a PDF document');
		expect(notCsv(Buffer.from('PK\x03\x04rest', 'latin1'))).toMatch(/zip archive/);
		expect(notCsv(Buffer.from([0x1f, 0x8b, 8, 0]))).toBe('gzip-compressed data');
		expect(notCsv(Buffer.from('Name\0Phone'))).toBe('binary data, not text');
		expect(notCsv(Buffer.from('<?xml version="1.0"?><sObjects/>'))).toBe('XML');
		expect(notCsv(Buffer.from('[{"Name":"a"}]'))).toBe('JSON');
	});

	it('lets CSV through', () => {
		expect(notCsv(Buffer.from('Name,Phone\nAcme,555\n'))).toBeUndefined();
		expect(notCsv(Buffer.from('"Name";"Phone"\r\n'))).toBeUndefined();
	});
});

it('invalidUtf8At finds the first byte that is not UTF-8, and accepts U+FFFD written as text', () => {
	expect(invalidUtf8At(Buffer.from('Name\nMüller\n'))).toBe(-1);
	expect(invalidUtf8At(Buffer.from('Name\n\uFFFD\n'))).toBe(-1);
	expect(invalidUtf8At(Buffer.concat([Buffer.from('Name\nM'), Buffer.from([0xfc]), Buffer.from('ller\n')]))).toBe(6);
});

it('firstLineEnding reads the first line ending outside quotes', () => {
	expect(firstLineEnding(Buffer.from('Name,Phone\r\nAcme,555\r\n'))).toBe('CRLF');
	expect(firstLineEnding(Buffer.from('"Na\r\nme",Phone\nAcme,555\n'))).toBe('LF');
	expect(firstLineEnding(Buffer.from('Name,Phone'))).toBeUndefined();
});

describe('utf8Text', () => {
	const read = async (chunks: Buffer[], stripBom = false) => {
		let text = '';
		for await (const piece of utf8Text(chunks, (seen) => new Error(`not UTF-8 within the first ${seen} bytes`), stripBom)) text += piece;
		return text;
	};

	it('decodes characters split across chunks', async () => {
		const bytes = Buffer.from('Name\nMüller €\n');
		expect(await read([bytes.subarray(0, 7), bytes.subarray(7, 14), bytes.subarray(14)])).toBe('Name\nMüller €\n');
	});

	it('keeps a BOM as text unless asked to strip it', async () => {
		const withBom = Buffer.from('\uFEFFName\n');
		expect(await read([withBom])).toBe('\uFEFFName\n');
		expect(await read([withBom], true)).toBe('Name\n');
	});

	it('refuses bytes that are not UTF-8, saying how far it read', async () => {
		await expect(read([Buffer.from('Name\n'), Buffer.from([0x4d, 0xfc, 0x6c])])).rejects.toThrow('not UTF-8 within the first 8 bytes');
		await expect(read([Buffer.from([0x4e, 0xc3])])).rejects.toThrow('not UTF-8 within the first 2 bytes');
	});
});
