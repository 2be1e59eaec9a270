// resultSets.ts (Bulk 1.0 batch data).
import { parseRecords } from '../../../nodes/shared/bulk1/batchRecords';
import { NO_RECORDS } from '../../../nodes/shared/bulk1/dataFormat';
import { joinResultSets } from '../../../nodes/shared/bulk1/resultSets';
import { int, rng } from '../codecs/random';

const NS = 'xmlns="http://www.force.com/2009/06/asyncapi/dataload"';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

async function collect(chunks: AsyncIterable<Buffer>): Promise<string> {
	const out: Buffer[] = [];
	for await (const c of chunks) out.push(c);
	return Buffer.concat(out).toString('utf8');
}

/** A document as a stream cut at random places (also inside multi-byte characters). */
async function* cut(text: string, seed: number): AsyncGenerator<Buffer> {
	const bytes = Buffer.from(text);
	const r = rng(seed);
	for (let at = 0; at < bytes.length; ) {
		const n = int(r, 1, 40);
		yield bytes.subarray(at, at + n);
		at += n;
	}
}

async function* sets(texts: string[], seed: number): AsyncGenerator<AsyncIterable<Buffer>> {
	for (const [k, text] of texts.entries()) yield cut(text, seed + k);
}

describe('joinResultSets', () => {
	it('CSV: one header, the no-records text skipped, a missing final line end added', async () => {
		for (let seed = 1; seed < 20; seed++) {
			const joined = await collect(joinResultSets('CSV', sets([NO_RECORDS, '"Id","Name"\n"1","é, a"\n', `${NO_RECORDS}\n`, '"Id","Name"\r\n"2","b\nc"\r\n', '"Id","Name"\n"3","d"'], seed)));
			expect(joined).toBe('"Id","Name"\n"1","é, a"\n"2","b\nc"\r\n"3","d"\n');
		}
		expect(await collect(joinResultSets('CSV', sets([NO_RECORDS], 1)))).toBe('');
	});

	it('XML: one queryResult root holding every set’s records; empty sets add nothing', async () => {
		const set = (names: string[]) =>
			names.length
				? `<?xml version="1.0" encoding="UTF-8"?><queryResult\n   ${NS}\n   ${XSI}>\n${names.map((n) => ` <records xsi:type="sObject"><type>Account</type><Name>${n}</Name></records>\n`).join('')}</queryResult>\n`
				: `<?xml version="1.0" encoding="UTF-8"?><queryResult\n   ${NS} />`;
		for (let seed = 1; seed < 20; seed++) {
			const joined = await collect(joinResultSets('XML', sets([set([]), set(['a', 'ü']), set(['c']), set([])], seed)));
			expect(parseRecords('XML', joined)).toEqual([{ Name: 'a' }, { Name: 'ü' }, { Name: 'c' }]);
		}
		expect(parseRecords('XML', await collect(joinResultSets('XML', sets([], 1))))).toEqual([]);
	});

	it('JSON: one array, commas only between records', async () => {
		const texts = ['[ ]', '[ {\n  "Name" : "a"\n}, {\n  "Name" : "ü"\n} ]\n', '[ ]', '[{"Name":"c"}]', '  []  '];
		for (let seed = 1; seed < 20; seed++) {
			const joined = await collect(joinResultSets('JSON', sets(texts, seed)));
			expect(JSON.parse(joined)).toEqual([{ Name: 'a' }, { Name: 'ü' }, { Name: 'c' }]);
		}
		expect(await collect(joinResultSets('JSON', sets(['[ ]'], 1)))).toBe('[]');
	});

	it('a set that is not a JSON array is an error', async () => {
		await expect(collect(joinResultSets('JSON', sets(['{"a":1}'], 1)))).rejects.toThrow('A JSON query result set is not an array');
	});
});
