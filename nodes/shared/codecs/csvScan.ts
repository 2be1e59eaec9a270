/**
 * A CSV check on raw bytes that builds no rows: UTF-8 validity (a fatal TextDecoder: node:buffer's isUtf8 is not allowed in a community node), quoting, the same
 * field count in every row as in the header, and field length in UTF-16 characters (what Salesforce and
 * JavaScript count). It accepts exactly what readCsvBatches with `expectColumns: 'header'` accepts, so a
 * load whose rows are not kept is checked at the speed of a byte loop. It only says whether the input is
 * valid; where it is not, the row parser, run again on the same bytes, says where and why.
 */
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

export class CsvScan {
	/** Data rows (the header not counted) complete so far. */
	rows = 0;
	/** False once the input is found invalid; nothing more is read. */
	valid = true;
	private state = State.FieldStart;
	private fields = 0; // fields of the current row so far
	private units = 0; // UTF-16 units of the current field so far
	private expect = 0; // the header's field count, 0 until the header is read
	private readonly utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

	constructor(
		private readonly delimiter: number,
		private readonly crlf: boolean,
		private readonly maxFieldChars: number,
	) {}

	/** Reads the next bytes; false when they make the input invalid. */
	push(chunk: Buffer): boolean {
		if (!this.valid) return false;
		try {
			this.utf8.decode(chunk, { stream: true }); // a character cut between chunks is held until its end
		} catch {
			return (this.valid = false);
		}
		return (this.valid = this.scan(chunk));
	}

	/** At the end of input: false when what is left is invalid. */
	end(): boolean {
		if (!this.valid) return false;
		try {
			this.utf8.decode(); // a character cut short at the end
		} catch {
			return (this.valid = false);
		}
		switch (this.state) {
			case State.Quoted:
			case State.ClosedCr:
				return (this.valid = false);
			case State.FieldStart:
				if (this.fields === 0) return true; // input ended after a row's end
		}
		const units = this.state === State.UnquotedCr ? this.units + 1 : this.units; // a last CR is data
		return (this.valid = this.endField(units) && this.endRow());
	}

	/** A field of `units` UTF-16 units ends. */
	private endField(units: number): boolean {
		this.fields++;
		return this.expect === 0 || units <= this.maxFieldChars; // the header's names are not values
	}

	private endRow(): boolean {
		if (this.expect === 0) this.expect = this.fields;
		else if (this.fields !== this.expect) return false;
		else this.rows++;
		this.fields = 0;
		return true;
	}

	private scan(buf: Buffer): boolean {
		const { delimiter, crlf } = this;
		let state = this.state;
		let units = this.units;
		for (let k = 0; k < buf.length; k++) {
			const b = buf[k];
			switch (state) {
				case State.Quoted:
					if (b === QUOTE) state = State.QuotedQuote;
					else if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
					continue;
				case State.QuotedQuote:
					if (b === QUOTE) {
						units++;
						state = State.Quoted;
						continue;
					}
					break; // closed: b must end the field
				case State.ClosedCr:
					if (b !== LF) return false;
					if (!this.endField(units) || !this.endRow()) return false;
					units = 0;
					state = State.FieldStart;
					continue;
				case State.UnquotedCr:
					if (b === LF) {
						if (!this.endField(units) || !this.endRow()) return false;
						units = 0;
						state = State.FieldStart;
						continue;
					}
					units++; // the CR was data
					state = State.Unquoted;
					if (b === CR) {
						state = State.UnquotedCr;
						continue;
					}
					break;
				case State.FieldStart:
					if (b === QUOTE) {
						state = State.Quoted;
						continue;
					}
					state = State.Unquoted;
					break;
			}
			if (state === State.QuotedQuote) {
				// After a closing quote: a delimiter or the row's end, nothing else.
				if (b === delimiter) {
					if (!this.endField(units)) return false;
					units = 0;
					state = State.FieldStart;
				} else if (!crlf && b === LF) {
					if (!this.endField(units) || !this.endRow()) return false;
					units = 0;
					state = State.FieldStart;
				} else if (crlf && b === CR) state = State.ClosedCr;
				else return false;
				continue;
			}
			// Unquoted value.
			if (b === delimiter) {
				if (!this.endField(units)) return false;
				units = 0;
				state = State.FieldStart;
			} else if (b === QUOTE) return false;
			else if (!crlf && b === LF) {
				if (!this.endField(units) || !this.endRow()) return false;
				units = 0;
				state = State.FieldStart;
			} else if (crlf && b === CR) state = State.UnquotedCr;
			else if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
		}
		this.state = state;
		this.units = units;
		return true;
	}
}
