// csvScan.ts: a byte scan that accepts exactly what the row parser (with the field-length check) accepts.
import { CsvScan } from '../../../nodes/shared/codecs/csvScan';
import { readCsvBatches, type LineEnding } from '../../../nodes/shared/codecs/csv';
import { writeCsv } from './csvWriting';
import { int, pick, randomChunks, randomRows, rng, type Rng } from './random';

const MAX = 40; // a small field limit, so that random values cross it

function scan(chunks: Buffer[], delimiter = ',', crlf = false, max = MAX): { valid: boolean; rows: number } {
	const s = new CsvScan(delimiter.charCodeAt(0), crlf, max);
	for (const chunk of chunks) if (!s.push(chunk)) return { valid: false, rows: s.rows };
	return { valid: s.end(), rows: s.rows };
}

/** What the node's row check decides: UTF-8, quoting and field count (readCsvBatches), data fields ≤ max. */
async function reference(bytes: Buffer, delimiter = ',', lineEnding: LineEnding = 'LF', max = MAX): Promise<{ valid: boolean; rows: number }> {
	try {
		new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
	} catch {
		return { valid: false, rows: -1 };
	}
	let rows = -1; // the header is not a data row
	try {
		for await (const batch of readCsvBatches([bytes], { delimiter, lineEnding, expectColumns: 'header' })) {
			for (const row of batch) {
				if (rows >= 0 && row.some((value) => value.length > max)) return { valid: false, rows: -1 };
				rows++;
			}
		}
	} catch {
		return { valid: false, rows: -1 };
	}
	return { valid: true, rows: Math.max(rows, 0) };
}

/** Small random damage: a quote, a delimiter, a line end or a stray byte inserted, a byte dropped, the end cut. */
function damage(r: Rng, bytes: Buffer, delimiter: string): Buffer {
	const at = int(r, 0, bytes.length);
	const insert = (piece: Buffer) => Buffer.concat([bytes.subarray(0, at), piece, bytes.subarray(at)]);
	switch (int(r, 0, 5)) {
		case 0:
			return insert(Buffer.from('"'));
		case 1:
			return insert(Buffer.from(delimiter));
		case 2:
			return insert(Buffer.from(pick(r, ['\n', '\r', '\r\n'])));
		case 3:
			return insert(Buffer.from([pick(r, [0x80, 0xc3, 0xe2, 0xf0, 0xff])]));
		case 4:
			return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
		default:
			return bytes.subarray(0, at);
	}
}

describe('CsvScan', () => {
	for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
		it(`accepts and refuses what the row parser does, in any chunking (seed ${seed})`, async () => {
			const r = rng(seed);
			let refused = 0;
			for (let n = 0; n < 150; n++) {
				const delimiter = pick(r, [',', ';', '\t', '|', '^', '`']);
				const lineEnding = pick(r, ['LF', 'CRLF'] as const);
				const text = writeCsv(randomRows(r, 12), { delimiter, lineEnding });
				let bytes: Buffer = Buffer.from(text);
				if (r() < 0.6) bytes = damage(r, bytes, delimiter);
				const want = await reference(bytes, delimiter, lineEnding);
				const got = scan(randomChunks(r, bytes), delimiter, lineEnding === 'CRLF');
				expect({ n, valid: got.valid }).toEqual({ n, valid: want.valid });
				if (want.valid) expect(got.rows).toBe(want.rows);
				else refused++;
			}
			expect(refused).toBeGreaterThan(20);
		});
	}

	it('measures fields exactly where bytes and characters differ around the limit, in any chunking', async () => {
		// A limit of 6 characters: most random values lie near it, with multi-byte characters, doubled quotes
		// and values cut over chunks, where the scan counts characters instead of trusting the byte count.
		const r = rng(99);
		let refusedForLength = 0;
		for (let n = 0; n < 600; n++) {
			const delimiter = pick(r, [',', ';']);
			const lineEnding = pick(r, ['LF', 'CRLF'] as const);
			const bytes = Buffer.from(writeCsv(randomRows(r, 6), { delimiter, lineEnding }));
			const want = await reference(bytes, delimiter, lineEnding, 6);
			const got = scan(randomChunks(r, bytes), delimiter, lineEnding === 'CRLF', 6);
			expect({ n, valid: got.valid }).toEqual({ n, valid: want.valid });
			if (want.valid) expect(got.rows).toBe(want.rows);
			else if ((await reference(bytes, delimiter, lineEnding, 1e9)).valid) refusedForLength++;
		}
		expect(refusedForLength).toBeGreaterThan(100);
	});

	it('accepts exactly the UTF-8 a fatal TextDecoder accepts, characters cut anywhere', () => {
		// Bytes around every edge of UTF-8: ASCII, continuation bytes, the overlong leads C0/C1, E0 and F0 with
		// low second bytes, ED with high ones (surrogates), F4 above U+10FFFF, F5-FF, cut characters.
		const edges = [0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf1, 0xf4, 0xf5, 0xff];
		const valid = ['é', '€', '中', '\ud7ff', '\ue000', '\uffff', '😀', '\u{10ffff}', '\u{10000}'].map((c) => [...Buffer.from(c)]);
		const r = rng(7);
		let refused = 0;
		for (let n = 0; n < 3000; n++) {
			const value: number[] = [];
			for (let i = int(r, 1, 6); i > 0; i--) {
				const roll = r();
				if (roll < 0.3) value.push(...pick(r, valid));
				else if (roll < 0.5) value.push(pick(r, edges));
				else {
					// A lead byte and the continuation bytes its length asks for (sometimes one short), at their edges.
					const lead = pick(r, [0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf1, 0xf4, 0xf5]);
					const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
					value.push(lead);
					for (let c = length - (r() < 0.1 ? 2 : 1); c > 0; c--) value.push(pick(r, [0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf]));
				}
			}
			const bytes = Buffer.from([...Buffer.from('a\n'), ...value, 0x0a]);
			let want = true;
			try {
				new TextDecoder('utf-8', { fatal: true }).decode(bytes);
			} catch {
				want = false;
			}
			expect({ n, bytes: bytes.toString('hex'), valid: scan(randomChunks(r, bytes), ',', false, 1e6).valid }).toEqual({ n, bytes: bytes.toString('hex'), valid: want });
			if (!want) refused++;
		}
		expect(refused).toBeGreaterThan(1000);
		expect(refused).toBeLessThan(2900);
	});

	it('decides plain ASCII rows in big chunks (checked by indexOf) as the row parser does', async () => {
		// Short ASCII rows, some values quoted, whole in a chunk, take the indexOf paths; damage adds or drops a
		// delimiter, a lone LF or CR, a quote or a non-ASCII byte, or makes a row longer than the limit.
		const r = rng(11);
		let refused = 0;
		for (let n = 0; n < 1000; n++) {
			const delimiter = pick(r, [',', ';', '\t']);
			const lineEnding = pick(r, ['LF', 'CRLF'] as const);
			const eol = lineEnding === 'CRLF' ? '\r\n' : '\n';
			const columns = int(r, 1, 4);
			const value = () => {
				const plain = 'abc xyz-0123456789'.slice(0, int(r, 0, 9));
				if (r() < 0.6) return plain;
				// Quoted: a delimiter, a line end or a doubled quote inside, or a length around the limit.
				return `"${plain}${pick(r, ['', delimiter, '\n', '\r\n', '""', 'x'.repeat(int(r, MAX - 12, MAX))])}"`;
			};
			let text = '';
			for (let row = int(r, 2, 60); row > 0; row--) text += Array.from({ length: columns }, value).join(delimiter) + eol;
			let bytes = Buffer.from(text);
			if (r() < 0.7) {
				const at = int(r, 0, bytes.length);
				const piece = Buffer.from(pick(r, [delimiter, delimiter, '', '\n', '\r', '"', '\u00e9', 'x'.repeat(MAX)]));
				bytes = Buffer.concat([bytes.subarray(0, at), piece, bytes.subarray(piece.length ? at : at + 1)]);
			}
			const want = await reference(bytes, delimiter, lineEnding);
			const chunks: Buffer[] = [];
			for (let pos = 0; pos < bytes.length; ) chunks.push(bytes.subarray(pos, (pos += int(r, 50, 3000))));
			const got = scan(chunks, delimiter, lineEnding === 'CRLF');
			expect({ n, valid: got.valid }).toEqual({ n, valid: want.valid });
			if (want.valid) expect(got.rows).toBe(want.rows);
			else refused++;
		}
		expect(refused).toBeGreaterThan(100);
	});

	it('reads a chunk of megabytes (a whole file from the database binary store) in windows, to the same result', () => {
		const rows = Array.from({ length: 40000 }, (_, k) => `${k},name ${k},"q${k}"\n`).join('');
		const bytes = Buffer.from(`Id,Name,Note\n${rows}`);
		expect(bytes.length).toBeGreaterThan(1_000_000);
		expect(scan([bytes])).toEqual({ valid: true, rows: 40000 });
		const bad = Buffer.from(bytes);
		bad[bad.length - 200_000] = 0xff;
		expect(scan([bad]).valid).toBe(false);
	});

	it('counts data rows, with or without a last line end, with quoted line ends, in CRLF and LF', () => {
		expect(scan([Buffer.from('a,b\n1,2\n3,4\n')])).toEqual({ valid: true, rows: 2 });
		expect(scan([Buffer.from('a,b\n1,2\n3,4')])).toEqual({ valid: true, rows: 2 });
		expect(scan([Buffer.from('a,b\r\n"x\r\ny",2\r\n3,\r\n')], ',', true)).toEqual({ valid: true, rows: 2 });
		// CRLF rows: a lone LF (or CR) is data; LF rows: a CR before the LF is data.
		expect(scan([Buffer.from('a,b\r\nx\ny,2\r\n')], ',', true)).toEqual({ valid: true, rows: 1 });
		expect(scan([Buffer.from('a,b,c\r\n"x",\ny,1\r\n"x",\n,1\r\n')], ',', true)).toEqual({ valid: true, rows: 2 }); // a value that starts with a lone LF
		expect(scan([Buffer.from('a,b\r\n1,2\r\n')], ',', false)).toEqual({ valid: true, rows: 1 });
		expect(scan([Buffer.from('a;b\n"1;x";2\n')], ';')).toEqual({ valid: true, rows: 1 });
		expect(scan([Buffer.from('a,b\n"1;x";2\n')], ',')).toEqual({ valid: false, rows: 0 });
	});

	it('refuses malformed quotes and a wrong field count', () => {
		expect(scan([Buffer.from('a,b\n1,"2\n')]).valid).toBe(false); // unclosed
		expect(scan([Buffer.from('a,b\n1,"2"x\n')]).valid).toBe(false); // after a closing quote
		expect(scan([Buffer.from('a,b\n1,2"x\n')]).valid).toBe(false); // inside an unquoted value
		expect(scan([Buffer.from('a,b\r\n1,"2"\rx\r\n')], ',', true).valid).toBe(false);
		expect(scan([Buffer.from('a,b\n1,2,3\n')]).valid).toBe(false);
		expect(scan([Buffer.from('a,b\n1,2\n3\n')])).toEqual({ valid: false, rows: 1 });
	});

	it('measures a field in UTF-16 characters, not bytes; the header is not measured', () => {
		const euro = '€'.repeat(MAX); // 3 bytes, 1 character each
		const emoji = '😀'.repeat(MAX / 2); // 4 bytes, 2 characters each
		expect(scan([Buffer.from(`a,b\n${euro},"${emoji}"\n`)]).valid).toBe(true);
		expect(scan([Buffer.from(`a,b\n${euro}€,1\n`)]).valid).toBe(false);
		expect(scan([Buffer.from(`a,b\n1,"${emoji}😀"\n`)]).valid).toBe(false);
		expect(scan([Buffer.from(`a,b\n1,"${'"'.repeat(2 * MAX)}"\n`)]).valid).toBe(true); // "" is one character
		expect(scan([Buffer.from(`${'h'.repeat(2 * MAX)},b\n1,2\n`)]).valid).toBe(true);
		// CRLF rows: a CR that ends a chunk and is data counts as a character of its field.
		const half = 'x'.repeat(MAX / 2);
		expect(scan([Buffer.from(`a,b\r\n${half}\r`), Buffer.from(`${half},1\r\n`)], ',', true).valid).toBe(false);
		expect(scan([Buffer.from(`a,b\r\n${half}\r`), Buffer.from(`${half.slice(1)},1\r\n`)], ',', true).valid).toBe(true);
	});

	it('validates UTF-8 with a character split across chunks', () => {
		const bytes = Buffer.from('a,b\n😀,€\n');
		for (let cut = 0; cut <= bytes.length; cut++) {
			expect(scan([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual({ valid: true, rows: 1 });
		}
		const bad = Buffer.from([...Buffer.from('a,b\n1,'), 0xf0, 0x9f, 0x98, 0x0a]); // a 4-byte lead cut short
		for (let cut = 0; cut <= bad.length; cut++) expect(scan([bad.subarray(0, cut), bad.subarray(cut)]).valid).toBe(false);
		expect(scan([Buffer.from([...Buffer.from('a,b\n1,'), 0xf0, 0x9f])]).valid).toBe(false); // cut at the end
		expect(scan([Buffer.from('a,b\n1,'), Buffer.from([0xff, 0x0a])]).valid).toBe(false);
	});
});
