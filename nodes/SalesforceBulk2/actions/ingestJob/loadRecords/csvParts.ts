import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { nodeError, type LoadPart } from '../../../../shared/bulk2/load';
import { CsvError, type LineEnding } from '../../../../shared/codecs/csv';
import { partFromSource, splitCsv } from '../../../../shared/codecs/csvSplit';
import { readAllBytes } from '../../../../shared/codecs/streams';
import { csvInputOf, csvSourceOf, invalidUtf8At, notCsv, readCheckedCsv, utf8Text } from '../../../../shared/node/csvInput';
import type { LoadSettings } from './settings';

/**
 * The CSV of one item (text or binary file), split at row boundaries into parts. Each part is checked as it
 * streams by (UTF-8, CSV, field lengths) and its rows are kept only when the results are to be matched to
 * them (waiting); its upload reads the part again from the source (the text, or n8n's binary store), so no
 * part is held in memory: a 300 MB file loads in constant memory.
 */
export async function* csvParts(ctx: IExecuteFunctions, i: number, settings: LoadSettings): AsyncGenerator<LoadPart> {
	const node = ctx.getNode();
	const where = csvSourceOf(ctx, i);
	const refuse = (message: string, hint = '') => new NodeOperationError(node, message, { itemIndex: i, description: `In ${where}.${hint ? ` ${hint}` : ''}` });
	const open = csvInputOf(ctx, i);
	const input = await open();
	// The first chunk tells whether this is CSV at all; the rest of the stream goes on from there.
	const chunks = Buffer.isBuffer(input) ? [input][Symbol.iterator]() : (input as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
	const first = await chunks.next();
	const head = first.done ? Buffer.alloc(0) : Buffer.from(first.value);
	const kind = notCsv(head);
	if (kind) {
		await chunks.return?.();
		throw refuse(`${where[0].toUpperCase()}${where.slice(1)} is not a CSV file: it is ${kind}`, 'Give a CSV file (UTF-8 text, a header row of field names, one row per record)');
	}
	// The input stays open while parts are read from it: closed however this ends (done, refused, or the load
	// stopped taking parts after a failed upload), not left for the garbage collector.
	try {
		async function* source(): AsyncGenerator<Buffer> {
			if (head.length) yield head;
			for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value as Buffer;
		}
		const splitRefusal = (error: CsvError) =>
			refuse(`${error.code === 'ROW_TOO_LARGE' ? 'A CSV row does not fit in one job: raise Split Size' : 'The CSV is not valid'}: ${error.message}`);
		let firstRow = 1; // 1-based number of the next data row, for messages
		try {
			for await (const part of splitCsv(source(), { maxBytes: settings.maxBytes, maxRows: settings.maxRows, lineEnding: settings.lineEnding ?? 'auto' })) {
				const crlf = part.header.length > 1 && part.header[part.header.length - 2] === 13 && part.header[part.header.length - 1] === 10;
				const lineEnding: LineEnding = crlf ? 'CRLF' : 'LF';
				if (settings.lineEnding && settings.lineEnding !== lineEnding) {
					throw refuse(`The CSV's lines end with ${lineEnding}, but the Line Ending option says ${settings.lineEnding}`);
				}
				const from = part.index > 0 ? ` (counting from data row ${firstRow}, where this job's part starts)` : '';
				const notUtf8 = async (seen: number) => {
					// Only on this error: the part's bytes read so far, to say where the bad byte is.
					const body = await readAllBytes(await partFromSource(open, part.header, part.start, part.start + seen - part.header.length)());
					const bad = invalidUtf8At(body);
					const line = body.subarray(0, bad).toString('latin1').split('\n').length;
					return refuse(`The CSV is not UTF-8 text: byte 0x${body[bad].toString(16).toUpperCase()} on line ${line}${from} is not valid UTF-8`, 'Save the file as UTF-8 (Salesforce reads CSV as UTF-8)');
				};
				const rows: string[][] = [];
				let read: { header: string[] | undefined; count: number };
				try {
					read = await readCheckedCsv(utf8Text(part.chunks, notUtf8), { delimiter: settings.delimiter, lineEnding }, refuse, {
						firstRow,
						onRow: settings.wait ? (row) => rows.push(row) : undefined,
					});
				} catch (error) {
					// The parser's errors say where (a line); the splitter's own errors (line 0) are reported as such.
					if (error instanceof CsvError) throw error.line > 0 ? refuse(`The CSV is not valid: ${error.message}${from}`) : splitRefusal(error);
					throw nodeError(node, error);
				}
				const { header, count } = read;
				firstRow += count;
				yield { body: partFromSource(open, part.header, part.start, part.end), header: header ?? [], rows: settings.wait ? rows : undefined, rowCount: count, lineEnding };
			}
		} catch (error) {
			if (!(error instanceof CsvError)) throw nodeError(node, error);
			throw splitRefusal(error);
		}
		if (firstRow === 1) {
			const check = settings.lineEnding ? ` (or its lines do not end with ${settings.lineEnding}, as the Line Ending option says)` : '';
			throw refuse(`The CSV has no data rows: give a header row and at least one row${check}`);
		}
	} finally {
		await chunks.return?.();
	}
}
