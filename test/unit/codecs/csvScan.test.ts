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

	it('counts data rows, with or without a last line end, with quoted line ends, in CRLF and LF', () => {
		expect(scan([Buffer.from('a,b\n1,2\n3,4\n')])).toEqual({ valid: true, rows: 2 });
		expect(scan([Buffer.from('a,b\n1,2\n3,4')])).toEqual({ valid: true, rows: 2 });
		expect(scan([Buffer.from('a,b\r\n"x\r\ny",2\r\n3,\r\n')], ',', true)).toEqual({ valid: true, rows: 2 });
		// CRLF rows: a lone LF (or CR) is data; LF rows: a CR before the LF is data.
		expect(scan([Buffer.from('a,b\r\nx\ny,2\r\n')], ',', true)).toEqual({ valid: true, rows: 1 });
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
