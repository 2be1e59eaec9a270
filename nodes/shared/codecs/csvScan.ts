/**
 * A CSV check on raw bytes that builds no rows: UTF-8 validity, quoting, the same field count in every row
 * as in the header, and field length in UTF-16 characters (what Salesforce and JavaScript count). It accepts
 * exactly what a fatal TextDecoder and readCsvBatches with `expectColumns: 'header'` accept, so a load whose
 * rows are not kept is checked at the speed of one byte loop. It only says whether the input is valid; where
 * it is not, the row parser, run again on the same bytes, says where and why.
 *
 * Speed: in a chunk of plain ASCII, whole rows are checked with indexOf on the chunk as text (native searches
 * for line ends, delimiters and quotes: several times as fast as a JS loop over the bytes). Every other row (a
 * doubled quote, a non-ASCII byte in its window, cut by the chunk's end) goes through the byte loop: a value
 * is crossed with one table lookup per byte, which stops only at bytes that matter (delimiter, quote, line
 * end, a byte of a non-ASCII character); UTF-8 is checked there rather than by a TextDecoder (which would
 * build strings; node:buffer's isUtf8 is not allowed in a community node); characters are counted only for a
 * field whose bytes could exceed the limit (a character is at least one byte), so ordinary rows never are.
 */
import { indexOrLen } from './csv';

const QUOTE = 34;
const LF = 10;
const CR = 13;

const enum State {
	FieldStart,
	Unquoted,
	/** Unquoted, a CR just read (CRLF rows): the row's end if LF follows, else data. */
	UnquotedCr,
	Quoted,
	/** A quote inside a quoted value: closes it, or escapes the next quote. */
	QuotedQuote,
	/** A CR after a closing quote (CRLF rows): LF must follow. */
	ClosedCr,
}

const NO_BYTES = Buffer.alloc(0);
const CR_BYTE = Buffer.from([CR]);
/**
 * Bytes scanned at once: the text of a window stays under V8's large-object size (128 KiB), in its young
 * generation (1 MiB windows put 300 MB of text in large-object space: +100 MB peak on a 300 MB file).
 */
const WINDOW_BYTES = 120 * 1024;

export class CsvScan {
	/** Data rows (the header not counted) complete so far. */
	rows = 0;
	/** False once the input is found invalid; nothing more is read. */
	valid = true;
	private state = State.FieldStart;
	private fields = 0; // fields of the current row so far
	private expect = 0; // the header's field count, 0 until the header is read
	/** The current field's bytes in earlier chunks: how many, their UTF-16 units (quotes counted) and quotes. */
	private carried = { bytes: 0, units: 0, quotes: 0 };
	/** A non-ASCII character cut at a chunk's end: its bytes still to come, and the range the next must lie in. */
	private utf8Left = 0;
	private utf8Low = 0x80;
	private utf8High = 0xbf;
	/** Bytes where the loop through a value stops: unquoted, the delimiter, a quote (refused there), the line end's byte and non-ASCII bytes; quoted, a quote and non-ASCII bytes. */
	private readonly unquotedStops = new Uint8Array(256).fill(1, 0x80);
	private readonly quotedStops = new Uint8Array(256).fill(1, 0x80);
	private readonly delimiterText: string;

	constructor(
		private readonly delimiter: number,
		private readonly crlf: boolean,
		private readonly maxFieldChars: number,
	) {
		for (const b of [delimiter, QUOTE, crlf ? CR : LF]) this.unquotedStops[b] = 1;
		this.quotedStops[QUOTE] = 1;
		this.delimiterText = String.fromCharCode(delimiter);
	}

	/**
	 * Reads the next bytes; false when they make the input invalid. A chunk is read in windows, so that the text
	 * of each stays small (see scan): n8n's database binary store hands a whole file over as one chunk.
	 */
	push(chunk: Buffer): boolean {
		for (let at = 0; at < chunk.length && this.valid; at += WINDOW_BYTES) this.valid = this.scan(chunk.subarray(at, at + WINDOW_BYTES));
		return this.valid;
	}

	/** At the end of input: false when what is left is invalid. */
	end(): boolean {
		if (!this.valid) return false;
		if (this.utf8Left > 0) return (this.valid = false); // a character cut short at the end
		switch (this.state) {
			case State.Quoted:
			case State.ClosedCr:
				return (this.valid = false);
			case State.FieldStart:
				if (this.fields === 0) return true; // input ended after a row's end
				break;
			case State.UnquotedCr:
				this.carry(CR_BYTE, 0, 1); // a last CR is data
		}
		return (this.valid = this.endField(NO_BYTES, 0, 0, this.state === State.QuotedQuote) && this.endRow());
	}

	/** A field ends: its bytes in this chunk are buf[from, to), after what was carried. */
	private endField(buf: Buffer, from: number, to: number, quoted: boolean): boolean {
		this.fields++;
		const carried = this.carried;
		let fits = true;
		// The header's names are not values; a field of at most the limit in bytes is within it in characters.
		if (this.expect > 0 && carried.bytes + to - from > this.maxFieldChars) {
			const units = carried.units + unitsIn(buf, from, to);
			// Quoted: the two enclosing quotes are not characters, and each doubled quote is one.
			const chars = quoted ? units - (carried.quotes + quotesIn(buf, from, to)) / 2 - 1 : units;
			fits = chars <= this.maxFieldChars;
		}
		carried.bytes = carried.units = carried.quotes = 0;
		return fits;
	}

	/** The current field goes on in the next chunk: what it holds of buf[from, to) is counted now. */
	private carry(buf: Buffer, from: number, to: number): void {
		this.carried.bytes += to - from;
		this.carried.units += unitsIn(buf, from, to);
		this.carried.quotes += quotesIn(buf, from, to);
	}

	private endRow(): boolean {
		if (this.expect === 0) this.expect = this.fields;
		else if (this.fields !== this.expect) return false;
		else this.rows++;
		this.fields = 0;
		return true;
	}

	private scan(buf: Buffer): boolean {
		const { delimiter, crlf, unquotedStops, quotedStops } = this;
		const len = buf.length;
		let state = this.state;
		let start = 0; // where the current field's bytes in this chunk begin
		let k = 0;
		if (this.utf8Left > 0 && (k = this.character(buf, 0)) < 0) return false; // the rest of a cut character
		if (state === State.UnquotedCr) {
			// The last chunk ended with a CR, not carried: the row's end if LF follows, else data.
			if (buf[0] === LF) {
				if (!this.endField(buf, 0, 0, false) || !this.endRow()) return false;
				state = State.FieldStart;
				k = 1;
			} else {
				this.carry(CR_BYTE, 0, 1);
				state = State.Unquoted;
			}
		}
		// The chunk as text when it is plain ASCII (null when not), made when a data row first starts in it; the next quote and delimiter in it.
		let text: string | null | undefined;
		const next = { quote: -1, delimiter: -1 };
		while (k < len) {
			switch (state) {
				case State.FieldStart:
					if (this.fields === 0 && this.expect > 0) {
						if (text === undefined) {
							const latin1 = buf.toString('latin1');
							text = Buffer.byteLength(latin1, 'utf8') === latin1.length ? latin1 : null; // a byte ≥ 0x80 takes two in UTF-8
						}
						if (text !== null && (k = this.plainRows(text, k, next)) < 0) return false;
						if (k === len) continue;
					}
					start = k;
					if (buf[k] === QUOTE) {
						k++;
						state = State.Quoted;
					} else state = State.Unquoted;
					continue;
				case State.Unquoted: {
					while (k < len && unquotedStops[buf[k]] === 0) k++;
					if (k === len) continue;
					const b = buf[k];
					if (b >= 0x80) {
						if ((k = this.character(buf, k)) < 0) return false;
						continue;
					}
					if (b === QUOTE) return false;
					if (b === delimiter) {
						if (!this.endField(buf, start, k, false)) return false;
						state = State.FieldStart;
					} else if (crlf) state = State.UnquotedCr;
					else if (!this.endField(buf, start, k, false) || !this.endRow()) return false;
					else state = State.FieldStart;
					k++;
					continue;
				}
				case State.UnquotedCr:
					if (buf[k] === LF) {
						if (!this.endField(buf, start, k - 1, false) || !this.endRow()) return false;
						state = State.FieldStart;
						k++;
					} else state = State.Unquoted; // the CR was data; this byte is read again as the value's
					continue;
				case State.Quoted:
					while (k < len && quotedStops[buf[k]] === 0) k++;
					if (k === len) continue;
					if (buf[k] >= 0x80) {
						if ((k = this.character(buf, k)) < 0) return false;
					} else {
						k++;
						state = State.QuotedQuote;
					}
					continue;
				case State.QuotedQuote: {
					const b = buf[k];
					if (b === QUOTE) state = State.Quoted; // a doubled quote
					// Closed: a delimiter or the row's end, nothing else.
					else if (b === delimiter) {
						if (!this.endField(buf, start, k, true)) return false;
						state = State.FieldStart;
					} else if (!crlf && b === LF) {
						if (!this.endField(buf, start, k, true) || !this.endRow()) return false;
						state = State.FieldStart;
					} else if (crlf && b === CR) {
						if (!this.endField(buf, start, k, true)) return false;
						state = State.ClosedCr;
					} else return false;
					k++;
					continue;
				}
				case State.ClosedCr:
					if (buf[k] !== LF || !this.endRow()) return false;
					state = State.FieldStart;
					k++;
					continue;
			}
		}
		if (state !== State.FieldStart && state !== State.ClosedCr) this.carry(buf, start, state === State.UnquotedCr ? len - 1 : len);
		this.state = state;
		return true;
	}

	/**
	 * Rows of plain ASCII text from `k` (a row's start) on, checked with native searches: a row without a quote by
	 * counting delimiters up to its line end, a row with quoted values field by field (quotedRow). Stops at the
	 * first row this cannot decide and returns where it starts, for the byte loop; -1 when a row has not the
	 * header's number of fields. `next` keeps the next quote and delimiter found (the text's length: none).
	 */
	private plainRows(text: string, k: number, next: { quote: number; delimiter: number }): number {
		const { crlf, expect, maxFieldChars, delimiterText } = this;
		// Positions are kept in locals, and as small integers: stored in `next` as 2^32 - 1 for "none", they made
		// its fields doubles and the count ~30 % slower.
		let { quote, delimiter } = next;
		for (;;) {
			const lf = text.indexOf('\n', k);
			if (lf < 0) break;
			if (quote < k) quote = indexOrLen(text, '"', k);
			let end: number;
			if (quote > lf) {
				if (lf - k > maxFieldChars || (crlf && text.charCodeAt(lf - 1) !== CR)) break;
				if (delimiter < k) delimiter = indexOrLen(text, delimiterText, k);
				let fields = 1;
				for (; delimiter < lf; delimiter = indexOrLen(text, delimiterText, delimiter + 1)) fields++;
				end = fields === expect ? lf + 1 : -1;
			} else end = this.quotedRow(text, k);
			if (end <= k) {
				if (end < 0) k = -1;
				break;
			}
			this.rows++;
			k = end;
		}
		next.quote = quote;
		next.delimiter = delimiter;
		return k;
	}

	/**
	 * One row with quoted values, from `k`, field by field: where the next row starts, -1 when it has not the
	 * header's number of fields, or `k` when the byte loop must decide (a doubled quote or anything else after a
	 * closing quote, a quote in an unquoted value, a value over the limit, a lone LF in CRLF rows, the row not
	 * whole in this text).
	 */
	private quotedRow(text: string, k: number): number {
		const { crlf, delimiter, delimiterText, maxFieldChars } = this;
		const start = k;
		for (let fields = 1; ; fields++) {
			let end: number; // just after the value
			if (text.charCodeAt(k) === QUOTE) {
				end = text.indexOf('"', k + 1) + 1;
				if (end === 0) return start;
			} else {
				const lf = text.indexOf('\n', k) >>> 0;
				end = Math.min(text.indexOf(delimiterText, k) >>> 0, crlf ? lf - 1 : lf);
				if (end < k || end >= text.length) return start;
				const quote = text.indexOf('"', k);
				if (quote >= 0 && quote < end) return start;
			}
			if (end - k > maxFieldChars) return start;
			const after = text.charCodeAt(end);
			if (after === delimiter) k = end + 1;
			else if (!crlf && after === LF) return fields === this.expect ? end + 1 : -1;
			else if (crlf && after === CR && text.charCodeAt(end + 1) === LF) return fields === this.expect ? end + 2 : -1;
			else return start;
		}
	}

	/**
	 * Checks the UTF-8 character that starts at buf[k] (or, cut at the last chunk's end, goes on there) as a fatal
	 * TextDecoder would: no stray continuation byte, no overlong form, no surrogate, nothing above U+10FFFF.
	 * Returns where the next byte is (the chunk's end when the character goes on in the next), or -1.
	 */
	private character(buf: Buffer, k: number): number {
		let left = this.utf8Left;
		let low = this.utf8Low;
		let high = this.utf8High;
		if (left === 0) {
			const lead = buf[k++];
			low = 0x80;
			high = 0xbf;
			if (lead >= 0xc2 && lead <= 0xdf) left = 1;
			else if (lead >= 0xe0 && lead <= 0xef) {
				left = 2;
				if (lead === 0xe0) low = 0xa0; // not overlong
				else if (lead === 0xed) high = 0x9f; // not a surrogate
			} else if (lead >= 0xf0 && lead <= 0xf4) {
				left = 3;
				if (lead === 0xf0) low = 0x90; // not overlong
				else if (lead === 0xf4) high = 0x8f; // not above U+10FFFF
			} else return -1;
		}
		for (; left > 0 && k < buf.length; k++, left--) {
			if (buf[k] < low || buf[k] > high) return -1;
			low = 0x80;
			high = 0xbf;
		}
		this.utf8Left = left;
		this.utf8Low = low;
		this.utf8High = high;
		return k;
	}
}

/** UTF-16 units of the UTF-8 bytes buf[from, to): one per character, two for one of four bytes. */
function unitsIn(buf: Buffer, from: number, to: number): number {
	let units = 0;
	for (let k = from; k < to; k++) {
		const b = buf[k];
		if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
	}
	return units;
}

function quotesIn(buf: Buffer, from: number, to: number): number {
	let quotes = 0;
	for (let k = buf.indexOf(QUOTE, from); k >= 0 && k < to; k = buf.indexOf(QUOTE, k + 1)) quotes++;
	return quotes;
}
