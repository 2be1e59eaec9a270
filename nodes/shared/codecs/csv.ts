/**
 * The project's one CSV codec, for the dialect Salesforce Bulk API reads and writes:
 * UTF-8 without BOM, a header row, `"` quoting with `""` escapes, newlines allowed inside quoted
 * values, values never trimmed, the job's `columnDelimiter` and `lineEnding`.
 *
 * Speed matters (100 MB files are normal), so the reader works on decoded strings and finds field
 * and row ends with `indexOf`, caching the next delimiter/terminator/quote position so each
 * character is scanned a constant number of times. Streams are plain `AsyncIterable`s, which keeps
 * this file free of Node stream imports (n8n Cloud lint).
 */

export type ColumnDelimiter = 'COMMA' | 'TAB' | 'SEMICOLON' | 'PIPE' | 'CARET' | 'BACKQUOTE';
export type LineEnding = 'LF' | 'CRLF';

/** Salesforce `columnDelimiter` names → characters. */
export const DELIMITERS: Readonly<Record<ColumnDelimiter, string>> = {
	COMMA: ',',
	TAB: '\t',
	SEMICOLON: ';',
	PIPE: '|',
	CARET: '^',
	BACKQUOTE: '`',
};

export interface CsvOptions {
	/** A Salesforce name (`COMMA`…) or the character itself. Default COMMA. */
	delimiter?: ColumnDelimiter | string;
	/** Default LF. */
	lineEnding?: LineEnding;
}

export interface CsvReadOptions {
	delimiter?: ColumnDelimiter | string;
	/** `auto` detects the ending from the first line end outside quotes. Default LF. */
	lineEnding?: LineEnding | 'auto';
	/** Fail on a row whose column count differs: a number, or `header` = the first row's count. */
	expectColumns?: number | 'header';
	/** Rows per batch yielded by readCsvBatches (default 1000). */
	batchSize?: number;
}

export interface CsvWriteOptions extends CsvOptions {
	/** Quote every value (empty ones too); otherwise only values that need it. */
	quoteAll?: boolean;
}

export type CsvErrorCode =
	| 'UNCLOSED_QUOTE'
	| 'QUOTE_IN_UNQUOTED_FIELD'
	| 'GARBAGE_AFTER_QUOTE'
	| 'COLUMN_COUNT'
	| 'INVALID_OPTION'
	| 'ROW_TOO_LARGE'
	| 'PART_NOT_CONSUMED';

export class CsvError extends Error {
	constructor(
		message: string,
		readonly code: CsvErrorCode,
		/** 1-based physical line (newlines inside quoted values count), 0 when not applicable. */
		readonly line = 0,
		/** 1-based record (row) number, the header being record 1; 0 when not applicable. */
		readonly record = 0,
	) {
		super(line ? `${message} (line ${line}, record ${record})` : message);
		this.name = 'CsvError';
	}
}

export function delimiterChar(delimiter: ColumnDelimiter | string | undefined): string {
	if (delimiter === undefined) return ',';
	const char = (DELIMITERS as Record<string, string>)[delimiter] ?? delimiter;
	if (char.length !== 1 || char === '"' || char === '\r' || char === '\n') {
		throw new CsvError(`Unsupported column delimiter "${delimiter}"`, 'INVALID_OPTION');
	}
	return char;
}

function lineEndingOf(lineEnding: string | undefined, allowAuto: boolean): string {
	if (lineEnding === undefined || lineEnding === 'LF') return '\n';
	if (lineEnding === 'CRLF') return '\r\n';
	if (allowAuto && lineEnding === 'auto') return '';
	throw new CsvError(`Unsupported line ending "${lineEnding}"`, 'INVALID_OPTION');
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/** Finds the first LF outside quotes; '' when none yet. */
function detectLineEnding(text: string): string {
	let pos = 0;
	for (;;) {
		const nl = text.indexOf('\n', pos);
		if (nl < 0) return '';
		const q = text.indexOf('"', pos);
		if (q < 0 || q > nl) return nl > 0 && text.charCodeAt(nl - 1) === CR ? '\r\n' : '\n';
		const close = text.indexOf('"', q + 1);
		if (close < 0) return '';
		pos = close + 1;
	}
}

/**
 * Incremental parser: `parse` takes the unconsumed text and returns how much of it formed complete
 * rows. A row that may continue in the next chunk is left unconsumed (and re-parsed later).
 */
class CsvParser {
	private readonly delim: string;
	private readonly delimCode: number;
	private term: string; // '' until detected in auto mode
	private readonly expectHeader: boolean;
	private expect: number;
	/** Line and record number of the next row to parse. */
	private line = 1;
	private record = 1;
	// Cached "next occurrence at or after pos" in the current text (its length when none), so each
	// is searched again only once passed: every character is scanned a constant number of times.
	private nextDelim = -1;
	private nextTerm = -1;
	private nextQuote = -1;
	private nextNl = -1;
	/** Fields of the current row; copied into a fresh array when the row is complete. */
	private readonly fields: string[] = [];
	/**
	 * parseCsv keeps every row, streams drop them at once, and V8 learns per allocation site whether
	 * objects live long ("pretenuring": allocate straight in old space). A shared site would let one
	 * big parseCsv make every later stream 2-4x slower, so the two copy rows differently.
	 */
	private readonly keepRows: boolean;

	constructor(options: CsvReadOptions, keepRows = false) {
		this.keepRows = keepRows;
		this.delim = delimiterChar(options.delimiter);
		this.delimCode = this.delim.charCodeAt(0);
		this.term = lineEndingOf(options.lineEnding, true);
		this.expectHeader = options.expectColumns === 'header';
		this.expect = typeof options.expectColumns === 'number' ? options.expectColumns : 0;
	}

	private fail(msg: string, code: CsvErrorCode, text: string, rowStart: number, at: number): never {
		let line = this.line;
		for (let i = text.indexOf('\n', rowStart); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
		throw new CsvError(msg, code, line, this.record);
	}

	private quoteInValue(text: string, rowStart: number, at: number): never {
		this.fail('A quote appears inside an unquoted value', 'QUOTE_IN_UNQUOTED_FIELD', text, rowStart, at);
	}

	/** Call before parsing a different text. */
	reset(): void {
		this.nextDelim = this.nextTerm = this.nextQuote = this.nextNl = -1;
	}

	/**
	 * Parses rows of `text` from `start` into `out` (stopping after `limit` rows); returns the index
	 * after the last complete row. Unless `final`, a row that may continue in the next chunk is left.
	 */
	parse(text: string, start: number, final: boolean, out: string[][], limit: number): number {
		if (this.term === '') {
			this.term = detectLineEnding(text.slice(start)) || (final ? '\n' : '');
			if (this.term === '') return start;
		}
		const len = text.length;
		const delim = this.delim;
		const delimCode = this.delimCode;
		const term = this.term;
		const crlf = term.length === 2;
		const tlen = term.length;
		let nextDelim = this.nextDelim;
		let nextTerm = this.nextTerm;
		let nextQuote = this.nextQuote;
		let nextNl = this.nextNl;
		const fields = this.fields;
		let pos = start;
		let rowStart = start;
		rows: while (pos < len && out.length < limit) {
			rowStart = pos;
			let n = 0; // fields of this row so far, in the reused `fields` array
			let rowLines = 1;
			for (;;) {
				// (Reads never go past the end: out-of-bounds charCodeAt makes V8 deoptimize this loop.)
				if (pos < len && text.charCodeAt(pos) === QUOTE) {
					// Quoted value: jump from quote to quote; `""` is an escaped quote.
					let from = pos + 1;
					let value = '';
					let q = text.indexOf('"', from);
					for (;;) {
						if (q < 0) {
							if (!final) break rows;
							this.fail('Unclosed quote at end of input', 'UNCLOSED_QUOTE', text, rowStart, pos);
						}
						if (q + 1 === len) {
							if (!final) break rows; // the next chunk may start with `"`
							break;
						}
						if (text.charCodeAt(q + 1) !== QUOTE) break;
						value += text.slice(from, q + 1);
						from = q + 2;
						q = text.indexOf('"', from);
					}
					value = value === '' ? text.slice(from, q) : value + text.slice(from, q);
					if (nextNl < pos) nextNl = indexOrLen(text, '\n', pos);
					while (nextNl < q) {
						rowLines++;
						nextNl = indexOrLen(text, '\n', nextNl + 1);
					}
					pos = q + 1;
					if (pos === len) {
						fields[n++] = value;
						break;
					}
					const c = text.charCodeAt(pos);
					if (c === delimCode) {
						fields[n++] = value;
						pos++;
						continue;
					}
					if (!crlf && c === LF) {
						fields[n++] = value;
						pos++;
						break;
					}
					if (crlf && c === CR) {
						if (pos + 1 === len) {
							if (!final) break rows;
						} else if (text.charCodeAt(pos + 1) === LF) {
							fields[n++] = value;
							pos += 2;
							break;
						}
					}
					this.fail(
						`Unexpected character ${JSON.stringify(text[pos])} after a closing quote`,
						'GARBAGE_AFTER_QUOTE',
						text,
						rowStart,
						pos,
					);
				}
				// Unquoted value: ends at the next delimiter or row terminator.
				if (nextTerm < pos) nextTerm = indexOrLen(text, term, pos);
				if (nextDelim < pos) nextDelim = indexOrLen(text, delim, pos);
				if (nextQuote < pos) nextQuote = indexOrLen(text, '"', pos);
				if (nextDelim < nextTerm) {
					if (nextQuote < nextDelim) this.quoteInValue(text, rowStart, nextQuote);
					fields[n++] = text.slice(pos, nextDelim);
					pos = nextDelim + 1;
					continue;
				}
				if (nextTerm === len && !final) break rows;
				if (nextQuote < nextTerm) this.quoteInValue(text, rowStart, nextQuote);
				fields[n++] = text.slice(pos, nextTerm);
				pos = nextTerm + tlen;
				break;
			}
			if (this.expect === 0 && this.expectHeader) this.expect = n;
			if (this.expect !== 0 && n !== this.expect) {
				throw new CsvError(
					`Expected ${this.expect} columns but found ${n}`,
					'COLUMN_COUNT',
					this.line,
					this.record,
				);
			}
			out.push(this.keepRows ? keptRow(fields, n) : fields.slice(0, n));
			this.line += rowLines;
			this.record++;
			rowStart = pos > len ? len : pos;
		}
		this.nextDelim = nextDelim;
		this.nextTerm = nextTerm;
		this.nextQuote = nextQuote;
		this.nextNl = nextNl;
		return rowStart;
	}
}

/** Row copy used only by parseCsv: its own array-literal allocation site (see keepRows). */
function keptRow(fields: string[], n: number): string[] {
	const row: string[] = [];
	for (let i = 0; i < n; i++) row.push(fields[i]);
	return row;
}

/** Where `search` is in `text` from `from` on; the text's length when it is not (a small integer either way). */
export function indexOrLen(text: string, search: string, from: number): number {
	const i = text.indexOf(search, from);
	return i < 0 ? text.length : i;
}

function stripBom(text: string): string {
	return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Parses a whole CSV text (for small inputs). A leading BOM is ignored. */
export function parseCsv(text: string, options: CsvReadOptions = {}): string[][] {
	const out: string[][] = [];
	new CsvParser(options, true).parse(stripBom(text), 0, true, out, Infinity);
	return out;
}

/**
 * Streams rows in batches (arrays of rows) from byte or string chunks. Chunks may split anywhere:
 * inside a UTF-8 character, inside quotes, between CR and LF. Batches are the fast path; use
 * readCsvRows when one row at a time is handier.
 */
export async function* readCsvBatches(
	source: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>,
	options: CsvReadOptions = {},
): AsyncGenerator<string[][]> {
	const parser = new CsvParser(options);
	const batchSize = Math.max(1, options.batchSize ?? 1000);
	const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
	let pending = ''; // unconsumed text: an incomplete row
	let waitFor = 0; // don't re-parse an incomplete row until the text has grown this long
	let first = true;
	const pieces: string[] = [];
	let piecesLen = 0;

	function* drain(final: boolean): Generator<string[][]> {
		let text = pieces.length === 1 ? pieces[0] : pieces.join('');
		pieces.length = 0;
		piecesLen = 0;
		if (first && text.length > 0) {
			text = stripBom(text);
			first = false;
		}
		parser.reset();
		let pos = 0;
		for (;;) {
			const out: string[][] = [];
			pos = parser.parse(text, pos, final, out, batchSize);
			if (out.length > 0) yield out;
			if (out.length < batchSize || pos >= text.length) break;
		}
		pending = pos >= text.length ? '' : text.slice(pos);
		// Doubling keeps a huge multi-chunk row linear instead of quadratic.
		waitFor = pending.length * 2;
		if (pending) {
			pieces.push(pending);
			piecesLen = pending.length;
		}
	}

	for await (const chunk of source) {
		const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
		if (text.length === 0) continue;
		pieces.push(text);
		piecesLen += text.length;
		if (piecesLen >= waitFor) yield* drain(false);
	}
	const tail = decoder.decode();
	if (tail) pieces.push(tail);
	yield* drain(true);
}

/**
 * Streams one row at a time (built on readCsvBatches). A hand-written iterator rather than an
 * async generator: a generator costs ~4x more per row, which shows at millions of rows.
 */
export function readCsvRows(
	source: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>,
	options: CsvReadOptions = {},
): AsyncIterableIterator<string[]> {
	const batches = readCsvBatches(source, options);
	let batch: string[][] = [];
	let i = 0;
	const step = (r: IteratorResult<string[][]>): IteratorResult<string[]> => {
		if (r.done) return { value: undefined, done: true };
		batch = r.value;
		i = 1;
		return { value: batch[0], done: false };
	};
	return {
		[Symbol.asyncIterator]() {
			return this;
		},
		async next() {
			if (i < batch.length) return { value: batch[i++], done: false };
			return step(await batches.next());
		},
		async return() {
			await batches.return(undefined);
			return { value: undefined, done: true };
		},
	};
}

/** Builds a function that renders one value, quoted when it holds the delimiter, a quote or a line break (or always). */
function cellWriter(options: CsvWriteOptions): (v: unknown) => string {
	const delim = delimiterChar(options.delimiter);
	// \uXXXX keeps any delimiter literal inside the character class.
	const special = new RegExp(`[\\u${delim.charCodeAt(0).toString(16).padStart(4, '0')}"\\r\\n]`);
	const text = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
	const quote = (v: string): string => `"${v.includes('"') ? v.replace(/"/g, '""') : v}"`;
	const quoteAll = options.quoteAll === true;
	// Most values need no quoting: one regex test each (faster than a char loop, notably on the
	// sliced strings a parser produces).
	return (v) => {
		const s = text(v);
		return quoteAll || special.test(s) ? quote(s) : s;
	};
}

/** Builds a function that renders one row WITHOUT its terminator. */
function rowFormatter(options: CsvWriteOptions): (values: readonly unknown[]) => string {
	const delim = delimiterChar(options.delimiter);
	const cell = cellWriter(options);
	// Lines are built with `+` (cheap rope nodes) and flattened once per chunk by CsvChunkWriter's join, which
	// beats a join per line there (its lines live only until the chunk is made).
	return (values) => {
		const n = values.length;
		if (n === 0) return '';
		let line = cell(values[0]);
		for (let i = 1; i < n; i++) line += delim + cell(values[i]);
		// A row of one empty value would be a blank line, which readers (Salesforce too) skip: quote it.
		return line === '' ? '""' : line;
	};
}

/**
 * Builds a function that renders one row, terminator included. Its lines are often kept (a part's rows until
 * its body is written, the lines of a whole file) so each is made by one join: a flat string, not a rope of a
 * node per value and delimiter (100 MB of lines: ~35 % less time, and half the objects to keep).
 */
export function csvLineWriter(options: CsvWriteOptions = {}): (values: readonly unknown[]) => string {
	const term = lineEndingOf(options.lineEnding, false);
	const delim = delimiterChar(options.delimiter);
	const cell = cellWriter(options);
	return (values) => {
		const n = values.length;
		if (n === 0) return term;
		const cells = new Array<string>(n);
		for (let i = 0; i < n; i++) cells[i] = cell(values[i]);
		if (n === 1 && cells[0] === '') cells[0] = '""'; // see rowFormatter
		cells[n - 1] += term;
		return cells.join(delim);
	};
}

// 16 K characters: big enough to make per-chunk costs vanish, small enough that a chunk (up to
// 32 KB as UTF-16) stays out of V8's large-object space, which measurably slows writing.
const CHUNK_CHARS = 1 << 14;

/**
 * Renders rows into ~16 K-character text chunks. Lines are collected and joined once per chunk
 * (terminators included by the join): one flat string per chunk is far cheaper for the GC than a
 * `+=` rope or one string per line.
 */
export class CsvChunkWriter {
	private readonly format: (values: readonly unknown[]) => string;
	private readonly term: string;
	private lines: string[] = [];
	private size = 0;

	constructor(options: CsvWriteOptions = {}) {
		this.format = rowFormatter(options);
		this.term = lineEndingOf(options.lineEnding, false);
	}

	/** Adds a row; returns a finished chunk when one is full. */
	add(values: readonly unknown[]): string | undefined {
		const line = this.format(values);
		this.lines.push(line);
		this.size += line.length + 2;
		return this.size >= CHUNK_CHARS ? this.flush() : undefined;
	}

	/** The pending rows as a chunk (undefined when none). */
	flush(): string | undefined {
		if (this.lines.length === 0) return undefined;
		this.lines.push(''); // gives the last line its terminator
		const chunk = this.lines.join(this.term);
		this.lines = [];
		this.size = 0;
		return chunk;
	}
}
