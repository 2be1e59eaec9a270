// csv.ts: unit tests, differential tests against csv-parse / csv-stringify, and fuzzing.
import { parse as csvParse } from 'csv-parse/sync';
import { stringify as csvStringify } from 'csv-stringify/sync';

import {
	CsvError,
	DELIMITERS,
	csvLineWriter,
	delimiterChar,
	parseCsv,
	readCsvBatches,
	readCsvRows,
	type ColumnDelimiter,
	type LineEnding,
} from '../../../nodes/shared/codecs/csv';
import { csvLine, writeCsv, writeCsvRows } from './csvWriting';
import { asAsync, collect, int, pick, randomChunks, randomRows, rng, type Rng } from './random';

const DELIMITER_NAMES = Object.keys(DELIMITERS) as ColumnDelimiter[];
const LINE_ENDINGS: LineEnding[] = ['LF', 'CRLF'];
const EOL = { LF: '\n', CRLF: '\r\n' } as const;

function refParse(text: string, delimiter: string, lineEnding: LineEnding): string[][] {
	return csvParse(text, { delimiter, record_delimiter: EOL[lineEnding], relax_column_count: true }) as string[][];
}

/** Compact equality for big generated data: on mismatch, report the first differing row only. */
function same(actual: unknown, expected: unknown, context: string): void {
	const a = JSON.stringify(actual);
	const e = JSON.stringify(expected);
	if (a === e) return;
	let i = 0;
	while (i < a.length && a[i] === e[i]) i++;
	throw new Error(`${context}: differs at char ${i}: got …${a.slice(Math.max(0, i - 60), i + 60)}… expected …${e.slice(Math.max(0, i - 60), i + 60)}…`);
}

async function streamRows(chunks: Array<Buffer | string>, options: Parameters<typeof readCsvRows>[1]): Promise<string[][]> {
	return collect(readCsvRows(asAsync(chunks), options));
}

describe('csv options', () => {
	it('maps Salesforce delimiter names and accepts the characters', () => {
		expect(DELIMITER_NAMES.map((n) => delimiterChar(n)).join('')).toBe(',\t;|^`');
		expect(delimiterChar(';')).toBe(';');
		expect(delimiterChar(undefined)).toBe(',');
		for (const bad of ['"', '\n', '\r', '', 'ab', 'COLON']) expect(() => delimiterChar(bad)).toThrow(CsvError);
	});

	it('refuses unknown line endings', () => {
		expect(() => parseCsv('a', { lineEnding: 'CR' as LineEnding })).toThrow(CsvError);
		expect(() => csvLine(['a'], { lineEnding: 'auto' as LineEnding })).toThrow(CsvError);
	});
});

describe('parseCsv', () => {
	it('reads quoted values with escapes, newlines, delimiters; never trims', () => {
		expect(parseCsv('Id,Name\n1," a, ""b""\nc "\n2, x \n')).toEqual([
			['Id', 'Name'],
			['1', ' a, "b"\nc '],
			['2', ' x '],
		]);
	});

	it('handles empty values, empty lines, a missing final line end and empty input', () => {
		expect(parseCsv('a,b\n,\n\n"",x')).toEqual([['a', 'b'], ['', ''], [''], ['', 'x']]);
		expect(parseCsv('')).toEqual([]);
		expect(parseCsv('a,')).toEqual([['a', '']]);
	});

	it('follows the given line ending: CR and LF alone are data', () => {
		expect(parseCsv('a,b\r\nc,d\r\n', { lineEnding: 'LF' })).toEqual([['a', 'b\r'], ['c', 'd\r']]);
		expect(parseCsv('a,b\r\nc\nd,e\r\n', { lineEnding: 'CRLF' })).toEqual([['a', 'b'], ['c\nd', 'e']]);
	});

	it('auto-detects the line ending from the first line end outside quotes', () => {
		expect(parseCsv('"x\ny",b\r\n1,2\r\n', { lineEnding: 'auto' })).toEqual([['x\ny', 'b'], ['1', '2']]);
		expect(parseCsv('a,b\n1,2\r\n', { lineEnding: 'auto' })).toEqual([['a', 'b'], ['1', '2\r']]);
		expect(parseCsv('a,b', { lineEnding: 'auto' })).toEqual([['a', 'b']]);
	});

	it('strips a leading BOM only', () => {
		expect(parseCsv('\uFEFFId,Name\n1,\uFEFF\n')).toEqual([['Id', 'Name'], ['1', '\uFEFF']]);
	});

	it('supports every Salesforce delimiter', () => {
		for (const name of DELIMITER_NAMES) {
			const d = DELIMITERS[name];
			expect(parseCsv(`a${d}b\n"${d}"${d}\n`, { delimiter: name })).toEqual([['a', 'b'], [d, '']]);
		}
	});

	it.each([
		['a,b\n1,"x\n2,y\n', 'UNCLOSED_QUOTE', 2],
		['a,b\n1,x"y\n', 'QUOTE_IN_UNQUOTED_FIELD', 2],
		['a,b\n1, "y"\n', 'QUOTE_IN_UNQUOTED_FIELD', 2],
		['a,b\n"1\n\n2"x,y\n', 'GARBAGE_AFTER_QUOTE', 4],
		['a,b\n"1" ,y\n', 'GARBAGE_AFTER_QUOTE', 2],
	])('reports malformed input %j as %s at line %d', (text, code, line) => {
		let error: unknown;
		try {
			parseCsv(text);
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(CsvError);
		expect(error).toMatchObject({ code, line, record: 2 });
		expect((error as Error).message).toContain(`line ${line}`);
	});

	it('counts lines across quoted newlines for later errors', () => {
		expect(() => parseCsv('h\n"a\nb\nc"\nx"\n')).toThrow(/line 5, record 3/);
	});

	it('checks the column count when asked', () => {
		expect(() => parseCsv('a,b\n1\n', { expectColumns: 'header' })).toThrow(
			expect.objectContaining({ code: 'COLUMN_COUNT', record: 2, line: 2 }),
		);
		expect(() => parseCsv('a,b\n', { expectColumns: 3 })).toThrow(/Expected 3 columns but found 2/);
		expect(parseCsv('a,b\n1,2\n', { expectColumns: 'header' })).toHaveLength(2);
	});
});

describe('streaming reader', () => {
	const text = 'Id,Name,Desc\r\n001,"Zoë 😀","line1\r\nline2 ""q"""\r\n002,,\r\n';
	const expected = parseCsv(text, { lineEnding: 'CRLF' });

	it('gives the same rows for every 2-way split of the bytes', async () => {
		const buf = Buffer.from('\uFEFF' + text);
		for (let i = 0; i <= buf.length; i++) {
			const rows = await streamRows([buf.subarray(0, i), buf.subarray(i)], { lineEnding: 'CRLF' });
			expect(rows).toEqual(expected);
		}
	});

	it('accepts one-byte chunks, strings, sync iterables and auto line endings', async () => {
		const buf = Buffer.from(text);
		const bytes = [...buf].map((b) => Buffer.from([b]));
		expect(await streamRows(bytes, { lineEnding: 'auto' })).toEqual(expected);
		expect(await streamRows([...text], { lineEnding: 'CRLF' })).toEqual(expected);
		expect(await collect(readCsvRows([buf], { lineEnding: 'CRLF' }))).toEqual(expected);
	});

	it('yields batches of at most batchSize rows', async () => {
		const many = 'h\n' + Array.from({ length: 2500 }, (_, i) => `${i}\n`).join('');
		const batches = await collect(readCsvBatches([many], { batchSize: 1000 }));
		expect(batches.map((b) => b.length)).toEqual([1000, 1000, 501]);
		expect(batches.flat()).toEqual(parseCsv(many));
	});

	it('rejects an unclosed quote at the end of the stream', async () => {
		await expect(streamRows(['a\n"x', 'y'], {})).rejects.toThrow(CsvError);
	});

	it('reads a huge quoted value arriving in small chunks', async () => {
		const big = '"' + 'x'.repeat(4_000_000) + '"\n';
		const chunks = [];
		for (let i = 0; i < big.length; i += 1000) chunks.push(big.slice(i, i + 1000));
		const rows = await streamRows(chunks, {});
		expect(rows[0][0]).toHaveLength(4_000_000);
	});

	it('can stop early (return closes the source)', async () => {
		let closed = false;
		async function* source() {
			try {
				for (let i = 0; ; i++) yield `${i}\n`;
			} finally {
				closed = true;
			}
		}
		for await (const row of readCsvRows(source())) if (row[0] === '5') break;
		expect(closed).toBe(true);
	});
});

describe('writer', () => {
	it('quotes only when needed and escapes quotes', () => {
		expect(csvLine(['a', 'b,c', 'say "hi"', '', ' x ', 'l1\nl2', 'cr\r'])).toBe(
			'a,"b,c","say ""hi""",, x ,"l1\nl2","cr\r"\n',
		);
		expect(csvLine(['a,b', 'c;d'], { delimiter: 'SEMICOLON', lineEnding: 'CRLF' })).toBe('a,b;"c;d"\r\n');
		expect(csvLine(['', 'x', 'y"'], { quoteAll: true })).toBe('"","x","y"""\n');
		expect(csvLine([])).toBe('\n');
		expect(csvLine([null, undefined, 5, true])).toBe(',,5,true\n');
	});

	it('never writes a BOM', () => {
		expect(writeCsv([['\uFEFFa']]).startsWith('\uFEFF')).toBe(true); // a value's own BOM is data
		expect(writeCsv([['a']])).toBe('a\n');
	});

	it('streams chunks that join to the whole output', async () => {
		const rows = Array.from({ length: 5000 }, (_, i) => [String(i), `name ${i}`, 'x,y']);
		const chunks = await collect(writeCsvRows(rows));
		expect(chunks.length).toBeGreaterThan(1);
		expect(chunks.join('')).toBe(writeCsv(rows));
		expect((await collect(writeCsvRows(asAsync(rows), { lineEnding: 'CRLF' }))).join('')).toBe(
			writeCsv(rows, { lineEnding: 'CRLF' }),
		);
		expect(await collect(writeCsvRows([]))).toEqual([]);
	});

	it('writes a row of one empty value as "" (a blank line would be skipped), and reads it back', () => {
		const text = writeCsv([['Name'], ['a'], [''], [null]]);
		expect(text).toBe('Name\na\n""\n""\n');
		expect(parseCsv(text)).toEqual([['Name'], ['a'], [''], ['']]);
		expect(writeCsv([['', '']])).toBe(',\n');
	});
});

describe('differential: writer vs csv-stringify', () => {
	for (const name of DELIMITER_NAMES) {
		for (const le of LINE_ENDINGS) {
			it(`${name} ${le} (seeded)`, () => {
				const r = rng(name.length * 100 + le.length);
				const d = DELIMITERS[name];
				for (let n = 0; n < 40; n++) {
					const rows = randomRows(r);
					const quoteAll = n % 4 === 3;
					const ours = writeCsv(rows, { delimiter: name, lineEnding: le, quoteAll });
					// quote_record_delimiter: csv-stringify turns it off when record_delimiter is given; we
					// always quote values with CR or LF (like its default), so readers in any mode agree.
					const stringifyOptions = {
						delimiter: d,
						record_delimiter: EOL[le],
						quote_record_delimiter: true,
						...(quoteAll ? { quoted: true, quoted_empty: true } : {}),
					};
					// Where we differ on purpose: a row of one empty value is quoted, not a blank line readers skip.
					const ref = rows.map((row) => (row.length === 1 && row[0] === '' ? `""${EOL[le]}` : csvStringify([row], stringifyOptions))).join('');
					same(ours, ref, `rows ${JSON.stringify(rows).slice(0, 200)}`);
				}
			});
		}
	}
});

describe('differential: reader vs csv-parse', () => {
	for (const name of DELIMITER_NAMES) {
		for (const le of LINE_ENDINGS) {
			it(`${name} ${le}: generated files, whole and in random chunks`, async () => {
				const r = rng(7 + name.length * 31 + le.length);
				const d = DELIMITERS[name];
				for (let n = 0; n < 40; n++) {
					const rows = randomRows(r);
					const text = writeCsv(rows, { delimiter: name, lineEnding: le, quoteAll: r() < 0.3 });
					const ref = refParse(text, d, le);
					same(ref, rows, 'csv-parse round trip');
					same(parseCsv(text, { delimiter: name, lineEnding: le }), ref, `parseCsv ${JSON.stringify(text).slice(0, 200)}`);
					const chunks = randomChunks(r, Buffer.from(text));
					const opts = { delimiter: name, lineEnding: le, batchSize: int(r, 1, 50) };
					same(await streamRows(chunks, opts), ref, `readCsvRows ${JSON.stringify(text).slice(0, 200)}`);
				}
			});
		}
	}

	// Raw token soup: well-formed or not, both parsers must agree (same rows, or both refuse).
	const TOKENS = ['a', 'bc', ' ', 'é', '😀', '"', '""', '\r', '\n', '\r\n', ',', ';', '\t', '|', '^', '`', ''];
	for (const le of LINE_ENDINGS) {
		it(`${le}: random token soup agrees with csv-parse, including errors`, async () => {
			const r: Rng = rng(le === 'LF' ? 11 : 12);
			let errors = 0;
			for (let n = 0; n < 3000; n++) {
				const name = pick(r, DELIMITER_NAMES);
				let text = '';
				const len = int(r, 0, 40);
				for (let i = 0; i < len; i++) text += pick(r, TOKENS);
				let ref: string[][] | undefined;
				try {
					ref = refParse(text, DELIMITERS[name], le);
				} catch {
					ref = undefined;
				}
				const opts = { delimiter: name, lineEnding: le };
				const what = `${name} ${JSON.stringify(text)}`;
				if (ref === undefined) {
					errors++;
					expect(() => parseCsv(text, opts)).toThrow(CsvError);
					await expect(streamRows(randomChunks(r, Buffer.from(text)), opts)).rejects.toThrow(CsvError);
				} else {
					let ours: string[][] | Error;
					try {
						ours = parseCsv(text, opts);
					} catch (e) {
						ours = e as Error;
					}
					same(ours, ref, what);
					same(await streamRows(randomChunks(r, Buffer.from(text)), opts), ref, `stream ${what}`);
				}
			}
			expect(errors).toBeGreaterThan(100); // the soup does exercise the error paths
		});
	}
});

describe('fuzz', () => {
	it('random bytes: rows or a CsvError, nothing else', async () => {
		const r = rng(99);
		for (let n = 0; n < 2000; n++) {
			const bytes = Buffer.from(Array.from({ length: int(r, 0, 300) }, () => (r() < 0.5 ? pick(r, [34, 10, 13, 44, 0xf0, 0x9f]) : int(r, 0, 255))));
			for (const lineEnding of ['LF', 'CRLF', 'auto'] as const) {
				try {
					await streamRows(randomChunks(r, bytes), { lineEnding, delimiter: pick(r, DELIMITER_NAMES) });
				} catch (e) {
					expect(e).toBeInstanceOf(CsvError);
				}
			}
		}
	});

	it('mutated valid files: rows or a CsvError, same from string and stream', async () => {
		const r = rng(1234);
		for (let n = 0; n < 1500; n++) {
			const text = writeCsv(randomRows(r, 5));
			const chars = [...text];
			for (let m = int(r, 1, 4); m > 0; m--) {
				const at = int(r, 0, chars.length);
				const op = r();
				if (op < 0.4) chars.splice(at, 1);
				else if (op < 0.8) chars.splice(at, 0, pick(r, ['"', ',', '\n', '\r', 'x']));
				else chars[at] = '"';
			}
			const mutated = chars.join('');
			let whole: string[][] | CsvError;
			try {
				whole = parseCsv(mutated);
			} catch (e) {
				expect(e).toBeInstanceOf(CsvError);
				whole = e as CsvError;
			}
			let streamed: string[][] | CsvError;
			try {
				streamed = await streamRows(randomChunks(r, Buffer.from(mutated)), {});
			} catch (e) {
				streamed = e as CsvError;
			}
			if (whole instanceof CsvError) expect(streamed).toMatchObject({ code: whole.code, line: whole.line });
			else expect(streamed).toEqual(whole);
		}
	});
});

describe('csvLineWriter', () => {
	it('writes each row as the chunk writer does (it joins cells where the chunk writer adds them up)', () => {
		let seed = 7;
		const rand = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
		const pieces = ['', 'a', ' x ', ',', ';', '"', '""', '\n', '\r', '\r\n', 'é', '📧', 'long value with words'];
		const value = (): unknown => (rand(10) === 0 ? [null, undefined, 0, 1.5, true][rand(5)] : Array.from({ length: rand(3) }, () => pieces[rand(pieces.length)]).join(''));
		for (const options of [{}, { delimiter: 'SEMICOLON' as const, lineEnding: 'CRLF' as const }, { quoteAll: true }]) {
			const line = csvLineWriter(options);
			for (let r = 0; r < 300; r++) {
				const row = Array.from({ length: rand(5) }, value);
				expect(line(row)).toBe(writeCsv([row], options));
			}
		}
		expect(csvLine([''])).toBe('""\n'); // not a blank line, which readers skip
		expect(csvLine(['', ''])).toBe(',\n');
	});

	it('handles delimiters that are special in regular expressions', () => {
		for (const d of ['^', '|', '.', '*', ']', '\\', '-']) {
			const line = csvLineWriter({ delimiter: d });
			expect(line(['a', `b${d}c`])).toBe(`a${d}"b${d}c"\n`);
			expect(parseCsv(line(['x', `y${d}z`]), { delimiter: d })).toEqual([['x', `y${d}z`]]);
		}
	});
});
