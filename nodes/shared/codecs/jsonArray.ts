/**
 * CSV results → JSON array files, streamed: rows become records as items show them with Typed Values
 * (numbers, booleans, null for empty; dotted columns nested), and records are written as one JSON array
 * per file, cut at a size or row count so that each file is a valid array on its own. Constant memory:
 * a batch of rows and a buffer of output at a time.
 */
import { readCsvBatches, type CsvReadOptions } from './csv';
import { rowConverter } from './records';

/** Output bytes gathered before they are handed on as one chunk. */
const CHUNK_BYTES = 64 * 1024;
/** `[` + `\n` before the first record, `\n]\n` after the last. */
const OPEN = '[\n';
const CLOSE = '\n]\n';
const SEPARATOR = ',\n';

export class JsonArrayError extends Error {
	constructor(
		message: string,
		readonly code: 'RECORD_TOO_LARGE' | 'PART_NOT_READ',
	) {
		super(message);
		this.name = 'JsonArrayError';
	}
}

/** CSV bytes (a header row, then rows) as batches of records, each record as JSON text. */
export async function* csvToJsonRecords(csv: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, options: CsvReadOptions = {}): AsyncGenerator<string[]> {
	let convert: ((row: readonly string[]) => object) | undefined;
	for await (const batch of readCsvBatches(csv, options)) {
		const out: string[] = [];
		for (const row of batch) {
			if (!convert) convert = rowConverter(row, { typed: true });
			else out.push(JSON.stringify(convert(row)));
		}
		if (out.length) yield out;
	}
}

export interface JsonArrayPart {
	/** 0-based file number. */
	readonly index: number;
	/** The file's bytes: `[`, its records separated by commas, `]`. Read it to the end before the next part. */
	readonly chunks: AsyncIterable<Buffer>;
	/** Records written so far. */
	readonly rows: number;
}

export interface JsonArraySplit {
	/** Bytes per file, brackets included. Default unlimited. */
	maxBytes?: number;
	/** Records per file. Default unlimited. */
	maxRows?: number;
}

/**
 * Records (JSON texts, in batches) as JSON array files of at most `split` each: always at least one file (`[]`
 * when there is no record), a record never cut. A record alone larger than maxBytes is an error.
 */
export async function* jsonArrayParts(records: AsyncIterable<string[]>, split: JsonArraySplit = {}): AsyncGenerator<JsonArrayPart> {
	const maxBytes = split.maxBytes ?? Infinity;
	const maxRows = split.maxRows ?? Infinity;
	const source = records[Symbol.asyncIterator]();
	let batch: string[] = [];
	let at = 0;
	const nextRecord = async (): Promise<string | undefined> => {
		while (at >= batch.length) {
			const next = await source.next();
			if (next.done) return undefined;
			batch = next.value;
			at = 0;
		}
		return batch[at++];
	};
	let pending = await nextRecord();
	for (let index = 0; ; index++) {
		const part = { index, rows: 0, done: false, chunks: undefined as unknown as AsyncIterable<Buffer> };
		part.chunks = (async function* () {
			let out = OPEN;
			let bytes = Buffer.byteLength(OPEN) + Buffer.byteLength(CLOSE);
			while (pending !== undefined) {
				const size = Buffer.byteLength(pending) + (part.rows ? SEPARATOR.length : 0);
				if (part.rows >= maxRows || bytes + size > maxBytes) {
					if (part.rows) break;
					throw new JsonArrayError(`a record of ${size} bytes does not fit in a file of at most ${maxBytes} bytes`, 'RECORD_TOO_LARGE');
				}
				out += (part.rows ? SEPARATOR : '') + pending;
				bytes += size;
				part.rows++;
				if (out.length >= CHUNK_BYTES) {
					yield Buffer.from(out);
					out = '';
				}
				pending = await nextRecord();
			}
			yield Buffer.from(out + CLOSE);
			part.done = true;
		})();
		yield part;
		if (!part.done) throw new JsonArrayError(`file ${index + 1} was not read to its end before the next one`, 'PART_NOT_READ');
		if (pending === undefined) return;
	}
}
