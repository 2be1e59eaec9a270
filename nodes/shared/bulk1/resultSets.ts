/** The result sets of a Bulk API 1.0 query joined into one document of their format, streamed. */
import { ASYNC_API_NS, XSI_NS } from '../codecs/xml';
import { NO_RECORDS, type DataFormat } from './dataFormat';

type Chunks = AsyncIterable<Buffer | string>;
const HOLD = 256;
const MAX_HEAD = 65536;
const XML_ROOT = /<(?:[\w.-]+:)?queryResult\b[^>]*?(\/?)>/;

const toBuffer = (chunk: Buffer | string) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk);

/**
 * The bytes of a document between its opening part and its closing part, streamed: `start` finds where
 * the content begins in the head read so far (undefined: read more; 'empty': nothing inside), `end` where
 * the closing part begins in the last bytes. Offsets are in bytes (latin1 maps bytes to characters).
 */
async function* contentBetween(chunks: Chunks, start: (head: string) => number | 'empty' | undefined, end: (tail: string) => number): AsyncGenerator<Buffer> {
	let head: Buffer | undefined = Buffer.alloc(0);
	let tail: Buffer = Buffer.alloc(0);
	for await (const chunk of chunks) {
		let data = toBuffer(chunk);
		if (head) {
			head = Buffer.concat([head, data]);
			const at = start(head.toString('latin1'));
			if (at === 'empty') return;
			if (at === undefined) {
				if (head.length > MAX_HEAD) throw new Error('A query result set does not start as its format requires');
				continue;
			}
			data = head.subarray(at);
			head = undefined;
		}
		tail = tail.length ? Buffer.concat([tail, data]) : data;
		if (tail.length > HOLD) {
			yield tail.subarray(0, tail.length - HOLD);
			tail = Buffer.from(tail.subarray(tail.length - HOLD));
		}
	}
	if (head) {
		if (head.toString('utf8').trim()) throw new Error('A query result set does not start as its format requires');
		return;
	}
	const at = end(tail.toString('latin1'));
	if (at < 0) throw new Error('A query result set ends before its closing part');
	if (at > 0) yield tail.subarray(0, at);
}

async function* joinCsv(sets: AsyncIterable<Chunks>): AsyncGenerator<Buffer> {
	let headerWritten = false;
	for await (const set of sets) {
		let head: Buffer | undefined = Buffer.alloc(0);
		let last = 10;
		for await (const chunk of set) {
			let data = toBuffer(chunk);
			if (head) {
				head = Buffer.concat([head, data]);
				const newline = head.indexOf(10);
				if (newline < 0) continue;
				if (head.toString('utf8').trim() === NO_RECORDS) break;
				data = headerWritten ? head.subarray(newline + 1) : head;
				headerWritten = true;
				head = undefined;
			}
			if (data.length) {
				last = data[data.length - 1];
				yield data;
			}
		}
		// No line end at all: the "no records" text, or a header alone.
		const rest = head?.toString('utf8').trim();
		if (rest && rest !== NO_RECORDS && !headerWritten) {
			headerWritten = true;
			yield Buffer.concat([head as Buffer, Buffer.from('\n')]);
		} else if (last !== 10) yield Buffer.from('\n');
	}
}

async function* joinXml(sets: AsyncIterable<Chunks>): AsyncGenerator<Buffer> {
	yield Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><queryResult xmlns="${ASYNC_API_NS}" xmlns:xsi="${XSI_NS}">`);
	for await (const set of sets) {
		yield* contentBetween(
			set,
			(head) => {
				const m = XML_ROOT.exec(head);
				return m ? (m[1] ? 'empty' : m.index + m[0].length) : undefined;
			},
			(tail) => tail.lastIndexOf('</'),
		);
	}
	yield Buffer.from('</queryResult>');
}

async function* joinJson(sets: AsyncIterable<Chunks>): AsyncGenerator<Buffer> {
	yield Buffer.from('[');
	let wrote = false;
	for await (const set of sets) {
		let started = false;
		const content = contentBetween(
			set,
			(head) => {
				const k = head.search(/\S/);
				if (k < 0) return undefined;
				if (head[k] !== '[') throw new Error('A JSON query result set is not an array');
				return k + 1;
			},
			(tail) => tail.lastIndexOf(']'),
		);
		for await (let piece of content) {
			if (!started) {
				const k = piece.toString('latin1').search(/\S/);
				if (k < 0) continue;
				piece = piece.subarray(k);
				started = true;
				if (wrote) yield Buffer.from(',');
				wrote = true;
			}
			yield piece;
		}
	}
	yield Buffer.from(']');
}

/**
 * Query result sets (each a stream of one CSV, XML or JSON document) as one document of the same format:
 * CSV with one header, XML with one `queryResult` root, JSON as one array. Streams; holds a few bytes.
 */
export function joinResultSets(format: DataFormat, sets: AsyncIterable<Chunks>): AsyncGenerator<Buffer> {
	return format === 'CSV' ? joinCsv(sets) : format === 'XML' ? joinXml(sets) : joinJson(sets);
}
