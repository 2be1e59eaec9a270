/**
 * Splits a CSV stream into parts small enough for one job (Bulk 2.0: 100 MB raw per upload) or one
 * batch (Bulk 1.0: 10 MB / 10,000 rows), cutting only at row boundaries. Works on raw bytes: row ends
 * are found by tracking `"` and the line ending (both ASCII, so never inside a UTF-8 sequence), and
 * parts are slices of the input, so the bytes sent are exactly the bytes read.
 *
 * Contract:
 * - Every part starts with the header row (its bytes as read, terminator included).
 * - A part holds at most `maxBytes` bytes (header included) and `maxRows` data rows, and at least one
 *   data row; a single row that cannot fit with the header is an error (ROW_TOO_LARGE).
 * - Concatenating all parts, dropping the header from every part but the first, gives the input
 *   back byte for byte (minus a leading BOM, which Salesforce rejects and is always dropped).
 * - Streaming: `part.chunks` reads the source lazily. Consume it completely (e.g. as an upload body)
 *   BEFORE asking for the next part; asking early throws PART_NOT_CONSUMED. Memory stays bounded
 *   by one source chunk plus the longest row.
 * - Input without data rows (empty, or a header only) yields no parts.
 * - `part.rows` and `part.bytes` count what has been streamed so far; final once `chunks` is done.
 * - With `countRows: false` (and no `maxRows`) rows are not counted (`part.rows` stays 0): a chunk without a
 *   quote is searched only for its last row end, and for every row end only where a part must end. The
 *   caller that reads every row anyway (the file load's check) spares the input a second search.
 */
import { CsvError, type LineEnding } from './csv';
import { readableFrom } from './streams';

/** 100 MiB: raw CSV per Bulk 2.0 upload, safely under the 150 MB base64 limit. */
export const BULK2_MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

export interface SplitCsvOptions {
	/** Bytes per part, header included. Default BULK2_MAX_UPLOAD_BYTES. */
	maxBytes?: number;
	/** Data rows per part. Default unlimited. */
	maxRows?: number;
	/** Row terminator; `auto` takes it from the header row. Default LF. */
	lineEnding?: LineEnding | 'auto';
	/** False: `part.rows` is not counted, which spares a search for every row end (see the contract). Default true. */
	countRows?: boolean;
}

export interface CsvPart {
	/** 0-based part number. */
	readonly index: number;
	/** Header row bytes, terminator included. */
	readonly header: Buffer;
	/** The part's bytes: the header, then its rows. */
	readonly chunks: AsyncIterable<Buffer>;
	/** Data rows streamed so far (0 with `countRows: false`). */
	readonly rows: number;
	/** Bytes streamed so far, header included. */
	readonly bytes: number;
	/**
	 * Where the part's rows lie in the source as given (a BOM counted): from `start`, up to `end` streamed
	 * so far. What partFromSource takes to read the part again.
	 */
	readonly start: number;
	readonly end: number;
	/** True once `chunks` has been read to the end. */
	readonly done: boolean;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Holds the source and the position of the next unread row across parts. */
class RowSource {
	private readonly it: AsyncIterator<Buffer | Uint8Array | string>;
	private first = true;
	/** 3 when the source started with a BOM, which is dropped. */
	bomBytes = 0;
	private eof = false;
	/**
	 * Current chunk, the offsets just after each complete row end in it (or only the last, when `lumped`),
	 * and the next row's start.
	 */
	buf: Buffer = Buffer.alloc(0);
	ends: number[] = [];
	lumped = false;
	next = 0;
	pos = 0;
	/** Start of a row that began in earlier chunks. */
	pending: Buffer[] = [];
	pendingLen = 0;
	private inQuote = false;
	/** The last byte of the chunk before the current one (-1: none): whether a LF at offset 0 ends a CRLF row. */
	private lastByte = -1;
	crlf: boolean | undefined;

	constructor(
		source: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>,
		lineEnding: LineEnding | 'auto',
		private readonly maxRowBytes: number,
		readonly countRows: boolean,
	) {
		this.it =
			Symbol.asyncIterator in source
				? source[Symbol.asyncIterator]()
				: (async function* () {
						yield* source;
					})();
		this.crlf = lineEnding === 'auto' ? undefined : lineEnding === 'CRLF';
	}

	/** Closes the source (a stream is destroyed, its file closed), also when it was not read to the end. */
	async close(): Promise<void> {
		await this.it.return?.();
	}

	/** Moves the rest of the current chunk into `pending` and reads the next one; false at end of input. */
	async load(): Promise<boolean> {
		if (this.pos < this.buf.length) {
			this.keep(this.buf.subarray(this.pos));
			this.pos = this.buf.length;
		}
		for (;;) {
			if (this.eof) return false;
			const r = await this.it.next();
			if (r.done) {
				this.eof = true;
				if (this.inQuote) throw new CsvError('Unclosed quote at end of input', 'UNCLOSED_QUOTE');
				return false;
			}
			let buf = toBuffer(r.value);
			if (this.first) {
				// The BOM may arrive split over tiny first chunks.
				while (buf.length < 3) {
					const more = await this.it.next();
					if (more.done) break;
					buf = Buffer.concat([buf, toBuffer(more.value)]);
				}
				this.first = false;
				if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
					buf = buf.subarray(3);
					this.bomBytes = 3;
				}
			}
			if (buf.length === 0) continue;
			if (this.buf.length > 0) this.lastByte = this.buf[this.buf.length - 1];
			this.buf = buf;
			this.pos = 0;
			this.next = 0;
			this.lumped = !this.countRows && !this.inQuote && this.crlf !== undefined && buf.indexOf(QUOTE) < 0;
			this.ends = this.lumped ? this.lastRowEnd(buf) : this.scan(buf, 0);
			return true;
		}
	}

	private keep(piece: Buffer): void {
		this.pending.push(piece);
		this.pendingLen += piece.length;
		if (this.pendingLen > this.maxRowBytes) {
			throw new CsvError(`A row is longer than the ${this.maxRowBytes} bytes a part allows`, 'ROW_TOO_LARGE');
		}
	}

	/**
	 * The rows ahead in a lumped chunk do not fit in the part: their row ends are searched, from the next row on,
	 * to cut between two of them.
	 */
	findRows(): void {
		this.lumped = false;
		this.ends = this.scan(this.buf, this.pos);
		this.next = 0;
	}

	/** The offset just after a chunk's last row end, for a chunk without quotes (the line ending known). */
	private lastRowEnd(buf: Buffer): number[] {
		let nl = buf.lastIndexOf(LF);
		// CRLF rows: a lone LF is data.
		while (this.crlf && nl >= 0 && (nl > 0 ? buf[nl - 1] : this.lastByte) !== CR) nl = nl > 0 ? buf.lastIndexOf(LF, nl - 1) : -1;
		return nl < 0 ? [] : [nl + 1];
	}

	/** Offsets just after each row terminator outside quotes, from `pos` on. */
	private scan(buf: Buffer, pos: number): number[] {
		const ends: number[] = [];
		const len = buf.length;
		let quote = buf.indexOf(QUOTE, pos);
		if (quote < 0) quote = len;
		for (;;) {
			if (this.inQuote) {
				const close = buf.indexOf(QUOTE, pos);
				if (close < 0) break;
				this.inQuote = false;
				pos = close + 1;
				if (quote < pos) quote = indexOrLen(buf, QUOTE, pos);
				continue;
			}
			const nl = buf.indexOf(LF, pos);
			if (quote < (nl < 0 ? len : nl)) {
				this.inQuote = true;
				pos = quote + 1;
				continue;
			}
			if (nl < 0) break;
			pos = nl + 1;
			const before = nl > 0 ? buf[nl - 1] : this.lastByte;
			if (this.crlf === undefined) this.crlf = before === CR; // auto: decided by the header row
			if (!this.crlf || before === CR) ends.push(pos);
		}
		return ends;
	}

	/** Length of the next complete row (pending bytes included), or -1 when none is in the current chunk. */
	peekRow(): number {
		return this.next < this.ends.length ? this.pendingLen + this.ends[this.next] - this.pos : -1;
	}

	/** At end of input: the unterminated last row waiting in `pending`. */
	get tailLen(): number {
		return this.eof ? this.pendingLen : 0;
	}

	/** Reads until a row is available; false when the input has no more data. */
	async hasData(): Promise<boolean> {
		while (this.peekRow() < 0 && this.tailLen === 0) {
			if (!(await this.load())) return this.pendingLen > 0;
		}
		return true;
	}

	takePending(): Buffer[] {
		const pieces = this.pending;
		this.pending = [];
		this.pendingLen = 0;
		return pieces;
	}
}

function toBuffer(chunk: Buffer | Uint8Array | string): Buffer {
	if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
	return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

function indexOrLen(buf: Buffer, byte: number, from: number): number {
	const i = buf.indexOf(byte, from);
	return i < 0 ? buf.length : i;
}

/** See the contract at the top of this file. */
export async function* splitCsv(
	source: AsyncIterable<Buffer | Uint8Array | string> | Iterable<Buffer | Uint8Array | string>,
	options: SplitCsvOptions = {},
): AsyncGenerator<CsvPart> {
	const maxBytes = options.maxBytes ?? BULK2_MAX_UPLOAD_BYTES;
	const maxRows = options.maxRows ?? Infinity;
	const countRows = options.countRows ?? true;
	if (!(maxBytes > 0) || !(maxRows > 0)) throw new CsvError('maxBytes and maxRows must be positive', 'INVALID_OPTION');
	if (!countRows && maxRows !== Infinity) throw new CsvError('maxRows needs the rows counted', 'INVALID_OPTION');
	const src = new RowSource(source, options.lineEnding ?? 'LF', maxBytes, countRows);
	// However the splitting ends (read to the end, refused, or its consumer stopped taking parts), the source is closed.
	try {
		yield* parts(src, maxBytes, maxRows);
	} finally {
		await src.close();
	}
}

async function* parts(src: RowSource, maxBytes: number, maxRows: number): AsyncGenerator<CsvPart> {
	// Header row.
	if (!(await src.hasData())) return;
	if (src.lumped) src.findRows(); // its own end, not the chunk's last
	let header: Buffer;
	const headerLen = src.peekRow();
	if (headerLen < 0) {
		header = Buffer.concat(src.takePending()); // a header without terminator and nothing else
	} else {
		header = Buffer.concat([...src.takePending(), src.buf.subarray(src.pos, src.ends[src.next])]);
		src.pos = src.ends[src.next++];
	}
	if (header.length >= maxBytes) throw new CsvError('The header row alone exceeds maxBytes', 'ROW_TOO_LARGE');

	let start = src.bomBytes + header.length;
	for (let index = 0; await src.hasData(); index++) {
		const part = {
			index,
			header,
			rows: 0,
			bytes: header.length,
			start,
			end: start,
			done: false,
			chunks: undefined as unknown as AsyncIterable<Buffer>,
		};
		part.chunks = (async function* (): AsyncGenerator<Buffer> {
			yield header;
			let runStart = src.pos; // contiguous accepted rows of the current chunk, yielded as one slice
			for (;;) {
				// The usual case: all the complete rows left in this chunk fit in the part, taken at once (not row by row).
				const ends = src.ends.length;
				if (src.pendingLen === 0 && ends - src.next > 1) {
					const rows = ends - src.next;
					const bytes = src.ends[ends - 1] - src.pos;
					if (part.bytes + bytes <= maxBytes && part.rows + rows <= maxRows) {
						if (src.countRows) part.rows += rows;
						part.bytes += bytes;
						part.end += bytes;
						src.pos = src.ends[ends - 1];
						src.next = ends;
						continue;
					}
				}
				let len = src.peekRow();
				const tail = len < 0 ? src.tailLen : 0;
				if (len < 0 && tail === 0) {
					if (src.pos > runStart) yield src.buf.subarray(runStart, src.pos);
					// At end of input an unterminated last row may wait in `pending`: it belongs to this part too.
					if (!(await src.load()) && src.tailLen === 0) break;
					runStart = src.pos;
					continue;
				}
				if (len < 0) len = tail;
				if (src.lumped && part.bytes + len > maxBytes) {
					src.findRows(); // the chunk's rows ahead, taken as one, do not fit: one by one, to cut between two
					continue;
				}
				if (len + header.length > maxBytes) {
					throw new CsvError(`A row of ${len} bytes does not fit in a part of ${maxBytes} bytes`, 'ROW_TOO_LARGE');
				}
				if (part.bytes > header.length && (part.bytes + len > maxBytes || part.rows >= maxRows)) {
					if (src.pos > runStart) yield src.buf.subarray(runStart, src.pos);
					break;
				}
				if (src.pendingLen > 0) yield* src.takePending();
				if (src.countRows) part.rows++;
				part.bytes += len;
				part.end += len;
				if (tail > 0) break; // the unterminated last row was all of it
				src.pos = src.ends[src.next++];
			}
			part.done = true;
		})();
		yield part as CsvPart;
		if (!part.done) {
			throw new CsvError(`Part ${index} was not read to the end before the next part was requested`, 'PART_NOT_CONSUMED');
		}
		start = part.end;
	}
}

/**
 * A part read again from its source: the header, then the source's bytes [start, end) (offsets in the
 * source as opened, a BOM included). For uploads, which may have to be sent twice: a part streamed from
 * n8n's binary store is read again rather than held in memory.
 */
export function partFromSource(open: () => Promise<Buffer | NodeJS.ReadableStream>, header: Buffer, start: number, end: number): () => Promise<Buffer | NodeJS.ReadableStream> {
	return async () => {
		const input = await open();
		if (Buffer.isBuffer(input)) return Buffer.concat([header, input.subarray(start, end)]);
		async function* range(): AsyncGenerator<Buffer> {
			yield header;
			let pos = 0;
			for await (const chunk of input as AsyncIterable<Buffer>) {
				const from = Math.max(0, start - pos);
				const to = Math.min(chunk.length, end - pos);
				if (to > from) yield chunk.subarray(from, to);
				pos += chunk.length;
				if (pos >= end) break; // closes the source stream
			}
		}
		return readableFrom(input, range());
	};
}
