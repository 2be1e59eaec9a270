// Whole-text and streamed CSV writing for the tests, on the codec's own line and chunk writers (the
// package writes CSV only through those).
import { CsvChunkWriter, csvLineWriter, type CsvWriteOptions } from '../../../nodes/shared/codecs/csv';

/** Renders one row, terminator included. For many rows create one csvLineWriter and reuse it. */
export function csvLine(values: readonly unknown[], options: CsvWriteOptions = {}): string {
	return csvLineWriter(options)(values);
}

/** Renders rows to one string (never writes a BOM). */
export function writeCsv(rows: Iterable<readonly unknown[]>, options: CsvWriteOptions = {}): string {
	const writer = new CsvChunkWriter(options);
	const chunks: string[] = [];
	for (const row of rows) {
		const chunk = writer.add(row);
		if (chunk !== undefined) chunks.push(chunk);
	}
	const last = writer.flush();
	if (last !== undefined) chunks.push(last);
	return chunks.join('');
}

/** Streams rows as text chunks of about 16 K characters. */
export async function* writeCsvRows(
	rows: AsyncIterable<readonly unknown[]> | Iterable<readonly unknown[]>,
	options: CsvWriteOptions = {},
): AsyncGenerator<string> {
	const writer = new CsvChunkWriter(options);
	if (Symbol.iterator in rows) {
		for (const row of rows) {
			const chunk = writer.add(row);
			if (chunk !== undefined) yield chunk;
		}
	} else {
		for await (const row of rows) {
			const chunk = writer.add(row);
			if (chunk !== undefined) yield chunk;
		}
	}
	const last = writer.flush();
	if (last !== undefined) yield last;
}
