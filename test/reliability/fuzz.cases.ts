// Fuzzing the CSV and XML readers with random bytes and mutated valid documents: rows (or a document)
// or a clear error (the reader's own error type, with where it went wrong), never a crash or a hang.
// Then mutated CSVs through Load Records: an accounted load or a clear refusal, nothing half-done.
import { CsvError, parseCsv, readCsvRows, type LineEnding } from '../../nodes/shared/codecs/csv';
import { splitCsv } from '../../nodes/shared/codecs/csvSplit';
import { parseXml, toXml, XmlError } from '../../nodes/shared/codecs/xml';
import { writeCsv } from '../unit/codecs/csvWriting';
import { int, pick, randomChunks, randomRows, rng, type Rng } from '../unit/codecs/random';
import { accountFor, items, jobIdsNow, jobsSince, record, run, shown, v2, type NodeError } from './context';

const AREA = 'Fuzz';

interface Tally {
	ok: number;
	errors: number;
	codes: Set<string>;
}

/** What a reader did with a document: anything but its own error type (with a message and a place) fails. */
async function csvOutcome(bytes: Buffer, r: Rng, tally: Tally, compare: boolean): Promise<void> {
	const lineEnding = pick(r, ['LF', 'CRLF', 'auto'] as const);
	const whole = (() => {
		try {
			return parseCsv(bytes.toString('utf8'), { lineEnding, expectColumns: 'header' });
		} catch (error) {
			return error as Error;
		}
	})();
	let streamed: string[][] | Error = [];
	try {
		for await (const row of readCsvRows(randomChunks(r, bytes), { lineEnding, batchSize: int(r, 1, 50), expectColumns: 'header' })) (streamed as string[][]).push(row);
	} catch (error) {
		streamed = error as Error;
	}
	let split: number | Error = 0;
	try {
		for await (const part of splitCsv(randomChunks(r, bytes), { maxBytes: int(r, 64, 4096), maxRows: int(r, 1, 20), lineEnding })) {
			for await (const chunk of part.chunks) split = (split as number) + chunk.length;
		}
	} catch (error) {
		split = error as Error;
	}
	for (const outcome of [whole, streamed, split]) {
		if (!(outcome instanceof Error)) continue;
		expect(outcome).toBeInstanceOf(CsvError);
		expect(outcome.message.length).toBeGreaterThan(10);
		tally.codes.add((outcome as CsvError).code);
	}
	if (whole instanceof Error) tally.errors++;
	else tally.ok++;
	// The streaming reader agrees with the whole-text reader (on valid UTF-8: both replace bad bytes, not alike).
	if (!compare) return;
	if (whole instanceof CsvError) expect(streamed).toMatchObject({ code: whole.code });
	else expect(streamed).toEqual(whole);
}

function mutate(r: Rng, text: string, pieces: readonly string[]): string {
	const chars = [...text];
	for (let m = int(r, 1, 4); m > 0; m--) {
		const at = int(r, 0, chars.length);
		const op = r();
		if (op < 0.35) chars.splice(at, int(r, 1, 3));
		else if (op < 0.8) chars.splice(at, 0, pick(r, pieces));
		else chars[at] = pick(r, pieces);
	}
	return chars.join('');
}

function xmlOutcome(text: string, tally: Tally): void {
	try {
		parseXml(text);
		tally.ok++;
	} catch (error) {
		expect(error).toBeInstanceOf(XmlError);
		expect((error as Error).message.length).toBeGreaterThan(5);
		tally.codes.add((error as Error).message.replace(/ at .*|".*"/g, '').slice(0, 40));
		tally.errors++;
	}
}

const newTally = (): Tally => ({ ok: 0, errors: 0, codes: new Set() });

export function fuzzCases(): void {
	it('CSV reader: random bytes (whole text, streamed in random chunks, split into parts)', async () => {
		const r = rng(20240611);
		const tally = newTally();
		for (let n = 0; n < 1500; n++) {
			const bytes = Buffer.from(Array.from({ length: int(r, 0, 200) }, () => (r() < 0.6 ? pick(r, [0x22, 0x0a, 0x0d, 0x2c, 0x41, 0xef, 0xbb, 0xbf, 0xf0, 0x9f]) : int(r, 0, 255))));
			await csvOutcome(bytes, r, tally, false);
		}
		expect(tally.errors).toBeGreaterThan(50);
		expect(tally.ok).toBeGreaterThan(50);
		record(AREA, 'CSV reader, 1,500 random byte strings (seed 20240611; whole, streamed in random chunks, split)', `${tally.ok} read as rows, ${tally.errors} refused with a CsvError (codes: ${[...tally.codes].sort().join(', ')}); no other exception, no hang`, '—');
	});

	it('CSV reader: mutated valid files', async () => {
		const r = rng(777);
		const tally = newTally();
		for (let n = 0; n < 1500; n++) {
			const le = pick(r, ['LF', 'CRLF'] as LineEnding[]);
			const text = mutate(r, writeCsv(randomRows(r, 6), { lineEnding: le }), ['"', ',', '\n', '\r', '\r\n', 'x', '""', '\ufeff', '\u0000']);
			await csvOutcome(Buffer.from(text), r, tally, true);
		}
		expect(tally.errors).toBeGreaterThan(50);
		record(AREA, 'CSV reader, 1,500 mutated valid files (seed 777)', `${tally.ok} read as rows, ${tally.errors} refused with a CsvError (codes: ${[...tally.codes].sort().join(', ')}); no other exception, no hang; streamed in random chunks = whole text every time`, '—');
	});

	it('XML reader: random bytes and mutated valid documents', () => {
		const r = rng(4242);
		const random = newTally();
		const alphabet = ['<', '>', '/', '?', '!', '&', ';', '#', 'x', '"', "'", '=', ' ', '[', ']', 'CDATA', 'DOCTYPE', 'ENTITY', ':', '\n', '😀', '&lt;', '&#x41;'];
		for (let n = 0; n < 3000; n++) {
			let text = '';
			for (let i = int(r, 0, 80); i > 0; i--) text += r() < 0.7 ? pick(r, alphabet) : String.fromCharCode(int(r, 0, 0xffff));
			xmlOutcome(text, random);
		}
		const mutated = newTally();
		const valid = [
			toXml('sObjects', { sObject: [{ Name: 'a & <b>', Account: { Legacy_Id__c: 'x' } }, { Name: 'c', Phone: null }] }, { namespace: 'http://www.force.com/2009/06/asyncapi/dataload' }),
			'<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><id>750x</id><state>Open</state></jobInfo>',
			'<queryResult xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><records><Name><![CDATA[x]]></Name><Phone xsi:nil="true"/></records></queryResult>',
		];
		for (let n = 0; n < 3000; n++) xmlOutcome(mutate(r, pick(r, valid), ['<', '>', '/', '&', '"', '<!', '<?', '<![CDATA[', ']]>', '&#x', '<!DOCTYPE x [', '<!ENTITY a "b">', '&a;']), mutated);
		expect(random.errors).toBeGreaterThan(100);
		expect(mutated.errors).toBeGreaterThan(100);
		expect(mutated.ok).toBeGreaterThan(100);
		record(AREA, 'XML reader, 3,000 random strings and 3,000 mutated valid documents (seed 4242)', `random: ${random.ok} parsed, ${random.errors} refused with an XmlError; mutated: ${mutated.ok} parsed, ${mutated.errors} refused with an XmlError; no other exception, no hang`, '—');
	});

	it('mutated CSVs through Load Records: an accounted load or a clear refusal, nothing half-done', async () => {
		const r = rng(31337);
		let loads = 0;
		let refusals = 0;
		const reasons = new Set<string>();
		for (let n = 0; n < 25; n++) {
			const prefix = `R-fuzz-${n}-`;
			const rows = Array.from({ length: int(r, 1, 6) }, (_, k) => [`${prefix}${k}`, pick(r, ['', '5', 'x, y', 'say "hi"', 'a\nb', '😀'])]);
			const text = mutate(r, writeCsv([['Name', 'Description'], ...rows]), ['"', ',', '\n', '\r\n', ';']);
			const before = jobIdsNow();
			let out;
			try {
				out = await run(v2, { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert', inputDataType: 'csv', csvData: '={{ $json.csv }}' }, items([{ csv: text }]));
			} catch (error) {
				const e = error as NodeError;
				expect(e.context.itemIndex).toBe(0);
				expect(shown(e)).toMatch(/CSV/);
				expect(jobsSince(before).filter((j) => j.state !== 'Aborted')).toEqual([]);
				reasons.add(e.message.replace(/[:(].*/, '').trim());
				refusals++;
				continue;
			}
			// The rows the node read are the rows it reports; the org has exactly its successful ones.
			const parsed = parseCsv(text, { lineEnding: 'auto' }).slice(1).filter((row) => row.some((v) => v !== ''));
			accountFor(out, out.length, 'Account', prefix);
			expect(out.length).toBe(parsed.length);
			loads++;
		}
		expect(loads).toBeGreaterThan(3);
		expect(refusals).toBeGreaterThan(3);
		record(AREA, '25 mutated CSVs through V2 Load Records (seed 31337)', `${loads} loaded, ${refusals} refused (${[...reasons].sort().join('; ')})`, 'each load: successful + failed + unprocessed = rows read, org matches; each refusal: no job left');
	});
}

