// split.ts: parts at row boundaries, each with the header, within limits, streaming.
import { CsvError, parseCsv, type LineEnding } from '../../../nodes/shared/codecs/csv';
import { splitCsv, type CsvPart, type SplitCsvOptions } from '../../../nodes/shared/codecs/csvSplit';
import { writeCsv } from './csvWriting';
import { asAsync, int, randomChunks, randomRows, rng } from './random';

interface ReadPart {
	part: CsvPart;
	body: Buffer;
}

async function readParts(source: Iterable<Buffer | string>, options: SplitCsvOptions): Promise<ReadPart[]> {
	const out: ReadPart[] = [];
	for await (const part of splitCsv(asAsync(source), options)) {
		const pieces: Buffer[] = [];
		for await (const chunk of part.chunks) pieces.push(chunk);
		out.push({ part, body: Buffer.concat(pieces) });
	}
	return out;
}

/** Joins parts back, dropping the repeated headers. */
function rejoin(parts: ReadPart[]): Buffer {
	return Buffer.concat(parts.map(({ part, body }, i) => (i === 0 ? body : body.subarray(part.header.length))));
}

function csvOf(rows: number, lineEnding: LineEnding = 'LF'): string {
	return writeCsv(
		[['Id', 'Name', 'Note'], ...Array.from({ length: rows }, (_, i) => [`001${i}`, `Name ${i} é😀`, i % 5 ? '' : 'multi\nline, "quoted"'])],
		{ lineEnding },
	);
}

describe('splitCsv', () => {
	it('keeps a small file in one part, identical to the input', async () => {
		const text = csvOf(10);
		const parts = await readParts([text], {});
		expect(parts).toHaveLength(1);
		expect(parts[0].body.toString()).toBe(text);
		expect(parts[0].part).toMatchObject({ index: 0, rows: 10, bytes: Buffer.byteLength(text), done: true });
	});

	it('cuts by bytes: every part ≤ maxBytes, starts with the header, ends on a row boundary', async () => {
		const text = csvOf(500);
		const header = 'Id,Name,Note\n';
		const parts = await readParts(randomChunks(rng(1), Buffer.from(text)), { maxBytes: 1000 });
		expect(parts.length).toBeGreaterThan(10);
		let rows = 0;
		parts.forEach(({ part, body }, i) => {
			expect(part.index).toBe(i);
			expect(body.length).toBeLessThanOrEqual(1000);
			expect(body.length).toBe(part.bytes);
			expect(body.toString().startsWith(header)).toBe(true);
			const parsed = parseCsv(body.toString());
			expect(parsed.length - 1).toBe(part.rows);
			rows += part.rows;
		});
		expect(rows).toBe(500);
		expect(rejoin(parts).toString()).toBe(text);
	});

	it('keeps an unterminated last row in the part it belongs to (no extra part)', async () => {
		for (const chunking of [['a,b\n1,2\n3,4'], ['a,b\n1,2\n', '3,4'], ['a,b\n1,', '2\n3', ',4']]) {
			const parts = await readParts(chunking, {});
			expect(parts.map((p) => [p.part.rows, p.body.toString()])).toEqual([[2, 'a,b\n1,2\n3,4']]);
		}
		const cut = await readParts(['a,b\n1,2\n3,4\n5,6'], { maxRows: 2 });
		expect(cut.map((p) => p.body.toString())).toEqual(['a,b\n1,2\n3,4\n', 'a,b\n5,6']);
	});

	it('cuts by rows', async () => {
		const text = csvOf(25, 'CRLF');
		const parts = await readParts([text], { maxRows: 10, lineEnding: 'CRLF' });
		expect(parts.map((p) => p.part.rows)).toEqual([10, 10, 5]);
		expect(rejoin(parts).toString()).toBe(text);
		for (const { body } of parts) expect(parseCsv(body.toString(), { lineEnding: 'CRLF' })[0]).toEqual(['Id', 'Name', 'Note']);
	});

	it('matches random inputs, chunkings, limits and line endings', async () => {
		const r = rng(42);
		for (let n = 0; n < 300; n++) {
			const lineEnding: LineEnding = r() < 0.5 ? 'LF' : 'CRLF';
			const rows = randomRows(r, 40).map((row) => row.map((v) => v.slice(0, 200)));
			const text = writeCsv(rows, { lineEnding, quoteAll: r() < 0.2 }) + (r() < 0.2 ? 'tail,without,end' : '');
			const buf = Buffer.from(text);
			const expected = parseCsv(text, { lineEnding });
			const headerBytes = Buffer.byteLength(writeCsv([expected[0]], { lineEnding }));
			const maxBytes = headerBytes + int(r, 1400, 3000);
			const maxRows = r() < 0.5 ? int(r, 1, 8) : undefined;
			const options = { maxBytes, maxRows, lineEnding: r() < 0.3 ? ('auto' as const) : lineEnding };
			const parts = await readParts(randomChunks(r, buf), options);
			if (expected.length > 1) expect(rejoin(parts).equals(buf)).toBe(true);
			else expect(parts).toEqual([]);
			let total = 0;
			for (const { part, body } of parts) {
				expect(body.length).toBeLessThanOrEqual(maxBytes);
				if (maxRows) expect(part.rows).toBeLessThanOrEqual(maxRows);
				expect(part.rows).toBeGreaterThan(0);
				const parsed = parseCsv(body.toString(), { lineEnding });
				expect(parsed[0]).toEqual(expected[0]);
				expect(part.rows).toBe(parsed.length - 1);
				total += parsed.length - 1;
			}
			expect(total).toBe(expected.length - 1);
		}
	});

	it('cuts the same parts without counting rows (countRows: false), chunks with and without quotes, lone LFs in CRLF rows', async () => {
		const r = rng(7);
		for (let n = 0; n < 400; n++) {
			const lineEnding: LineEnding = r() < 0.5 ? 'LF' : 'CRLF';
			// Mostly plain values (no quote needed: whole chunks without one), some with anything.
			const plain = r() < 0.7;
			const rows = randomRows(r, 60).map((row) => row.map((v) => (plain ? v.replace(/[",\r\n]/g, '') : v).slice(0, 300)));
			let text = writeCsv(rows, { lineEnding }) + (r() < 0.2 ? 'tail,without,end' : '');
			// A lone LF (data in CRLF rows) right after a row's CRLF, or a CR ending a chunk before it.
			if (lineEnding === 'CRLF' && plain) text = text.replace(/\r\n([^\r\n,]+)/g, (all, value: string) => (r() < 0.3 ? `\r\n\n${value}` : all));
			const buf = Buffer.concat([r() < 0.1 ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text)]);
			const cut = int(r, 1, buf.length); // or two big chunks
			const chunks = r() < 0.5 ? randomChunks(r, buf) : [buf.subarray(0, cut), buf.subarray(cut)];
			const maxBytes = r() < 0.3 ? 1e9 : Buffer.byteLength(text.slice(0, text.indexOf('\n') + 1)) + int(r, 400, 3000);
			const options = { maxBytes, lineEnding: r() < 0.3 ? ('auto' as const) : lineEnding };
			let counted: ReadPart[] | Error;
			try {
				counted = await readParts(chunks, options);
			} catch (error) {
				counted = error as Error;
			}
			if (counted instanceof Error) {
				await expect(readParts(chunks, { ...options, countRows: false })).rejects.toMatchObject({ code: (counted as CsvError).code });
				continue;
			}
			const uncounted = await readParts(chunks, { ...options, countRows: false });
			expect(uncounted.map(({ part, body }) => [part.start, part.end, part.rows, body.toString('latin1')])).toEqual(
				counted.map(({ part, body }) => [part.start, part.end, 0, body.toString('latin1')]),
			);
		}
		await expect(readParts(['a\n1\n'], { countRows: false, maxRows: 5 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
	});

	it('cuts the same parts without counting rows at every chunk boundary and part size (lone LFs in CRLF rows)', async () => {
		for (const [text, lineEnding] of [
			['a,b\r\n1,x\ny\r\n2,\nz\r\n3,w\n\r\n4,v\r\n', 'CRLF'],
			['a,b\n1,x\n2,y\n3,zz\n4,w', 'LF'],
		] as const) {
			const buf = Buffer.from(text);
			const header = text.indexOf('\n') + 1;
			// Three chunks: the first holds the header (searched row by row), the second is taken whole where it fits.
			for (let cut = header; cut < buf.length; cut++) {
				for (let cut2 = cut + 1; cut2 < buf.length; cut2++) {
					for (let maxBytes = header + 1; maxBytes <= buf.length; maxBytes++) {
						const chunks = [buf.subarray(0, cut), buf.subarray(cut, cut2), buf.subarray(cut2)];
						const read = async (countRows: boolean) =>
							(await readParts(chunks, { maxBytes, lineEnding, countRows }).catch((error: CsvError) => [error.code])).map((p) => (typeof p === 'string' ? p : p.body.toString()));
						expect([cut, cut2, maxBytes, await read(false)]).toEqual([cut, cut2, maxBytes, await read(true)]);
					}
				}
			}
		}
	});

	it('strips a BOM even when split over chunks, and yields nothing without data rows', async () => {
		const parts = await readParts([Buffer.from([0xef]), Buffer.from([0xbb, 0xbf]), 'a,b\n1,2\n'], {});
		expect(parts[0].body.toString()).toBe('a,b\n1,2\n');
		expect(await readParts([], {})).toEqual([]);
		expect(await readParts(['a,b\n'], {})).toEqual([]);
		expect(await readParts(['a,b'], {})).toEqual([]);
	});

	it('auto-detects CRLF from the header, treating lone LF as data', async () => {
		const text = 'a,b\r\n1,x\ny\r\n2,z\r\n';
		const parts = await readParts([text], { lineEnding: 'auto', maxRows: 1 });
		expect(parts.map((p) => p.body.toString())).toEqual(['a,b\r\n1,x\ny\r\n', 'a,b\r\n2,z\r\n']);
	});

	it('refuses a row that cannot fit, and an unclosed quote', async () => {
		await expect(readParts([`h\n${'x'.repeat(100)}\n`], { maxBytes: 50 })).rejects.toMatchObject({ code: 'ROW_TOO_LARGE' });
		await expect(readParts([`h\n"${'x'.repeat(100)}`], { maxBytes: 50 })).rejects.toThrow(CsvError);
		await expect(readParts(['h\n"open\n'], {})).rejects.toMatchObject({ code: 'UNCLOSED_QUOTE' });
		await expect(readParts(['h\n1\n'], { maxBytes: 0 })).rejects.toMatchObject({ code: 'INVALID_OPTION' });
	});

	it('requires each part to be consumed before the next', async () => {
		const parts = splitCsv([csvOf(10)], { maxRows: 2 });
		const first = await parts.next();
		expect(first.done).toBe(false);
		await expect(parts.next()).rejects.toMatchObject({ code: 'PART_NOT_CONSUMED' });
	});

	it('reads the source lazily: one part at a time', async () => {
		let pulled = 0;
		async function* source() {
			yield 'Id\n';
			for (let i = 0; i < 100; i++) {
				pulled++;
				yield `${i}\n`;
			}
		}
		const it = splitCsv(source(), { maxRows: 10 });
		const part = (await it.next()).value as CsvPart;
		for await (const chunk of part.chunks) expect(chunk.length).toBeGreaterThan(0);
		expect(part.rows).toBe(10);
		expect(pulled).toBeLessThanOrEqual(12);
		await it.return(undefined);
	});

	it('passes big inputs through in large slices (no per-row copies)', async () => {
		const text = csvOf(50000);
		const chunks: Buffer[] = [];
		const buf = Buffer.from(text);
		for (let i = 0; i < buf.length; i += 65536) chunks.push(buf.subarray(i, i + 65536));
		const parts = await readParts(chunks, { maxBytes: 1_000_000 });
		expect(parts.length).toBeGreaterThan(1);
		expect(rejoin(parts).equals(buf)).toBe(true);
		let pieces = 0;
		for await (const part of splitCsv(chunks, { maxBytes: 1_000_000 })) {
			for await (const chunk of part.chunks) pieces += chunk.length > 0 ? 1 : 0;
		}
		expect(pieces).toBeLessThan(chunks.length * 3 + parts.length * 2);
	});
});
