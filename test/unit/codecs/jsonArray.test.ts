// jsonArray.ts: CSV results → records as JSON text → JSON array files, each valid on its own.
import { csvToJsonRecords, jsonArrayParts, JsonArrayError } from '../../../nodes/shared/codecs/jsonArray';

async function collect<T>(source: AsyncIterable<T>): Promise<T[]> {
	const out: T[] = [];
	for await (const value of source) out.push(value);
	return out;
}

/** Every part's text, read in order (as the node does: a part to its end before the next). */
async function files(csv: string, split = {}, chunkSize = 7): Promise<Array<{ text: string; rows: number }>> {
	const chunks = (async function* () {
		for (let k = 0; k < csv.length; k += chunkSize) yield Buffer.from(csv.slice(k, k + chunkSize));
	})();
	const out: Array<{ text: string; rows: number }> = [];
	for await (const part of jsonArrayParts(csvToJsonRecords(chunks, { lineEnding: 'auto' }), split)) {
		const text = Buffer.concat(await collect(part.chunks)).toString();
		out.push({ text, rows: part.rows });
	}
	return out;
}

describe('csvToJsonRecords + jsonArrayParts', () => {
	it('types values as Typed Values does, nests dotted columns, keeps quoted newlines and long digit strings', async () => {
		const csv = '"Id","Name","Amount","Paid","Note","Account.Name","Number"\r\n"001A","Acme","12.5","true","","Parent","0012345678901234567"\r\n"001B","Line\r\ntwo","-3","false","x,y","P2","7"\r\n';
		const [file] = await files(csv);
		expect(JSON.parse(file.text)).toEqual([
			{ Id: '001A', Name: 'Acme', Amount: 12.5, Paid: true, Note: null, Account: { Name: 'Parent' }, Number: '0012345678901234567' },
			{ Id: '001B', Name: 'Line\r\ntwo', Amount: -3, Paid: false, Note: 'x,y', Account: { Name: 'P2' }, Number: 7 },
		]);
		expect(file.rows).toBe(2);
	});

	it('no rows (a header only, or nothing) is one file holding an empty array', async () => {
		for (const csv of ['"Id","Name"\n', '']) {
			const out = await files(csv);
			expect(out).toHaveLength(1);
			expect(JSON.parse(out[0].text)).toEqual([]);
		}
	});

	it('splits by rows and by bytes, every file a valid array, records never cut, nothing lost', async () => {
		const rows = Array.from({ length: 1000 }, (_, i) => `${i},"Name ${i}"`);
		const csv = `Seq,Name\n${rows.join('\n')}\n`;
		const byRows = await files(csv, { maxRows: 300 }, 4096);
		expect(byRows.map((f) => f.rows)).toEqual([300, 300, 300, 100]);
		const bySize = await files(csv, { maxBytes: 2000 }, 4096);
		expect(bySize.length).toBeGreaterThan(10);
		for (const { text } of bySize) expect(Buffer.byteLength(text)).toBeLessThanOrEqual(2000);
		for (const split of [byRows, bySize]) {
			const all = split.flatMap((f) => JSON.parse(f.text) as Array<{ Seq: number }>);
			expect(all.map((r) => r.Seq)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
		}
	});

	it('a record larger than a whole file is an error, naming the sizes', async () => {
		await expect(files(`Name\n${'x'.repeat(100)}\n`, { maxBytes: 50 })).rejects.toThrow(JsonArrayError);
		await expect(files(`Name\n${'x'.repeat(100)}\n`, { maxBytes: 50 })).rejects.toThrow(/^a record of 111 bytes does not fit in a file of at most 50 bytes$/);
	});

	it('a part must be read to its end before the next is asked for', async () => {
		const parts = jsonArrayParts(csvToJsonRecords([Buffer.from('A\n1\n2\n')]), { maxRows: 1 });
		await parts.next();
		await expect(parts.next()).rejects.toThrow(/was not read to its end/);
	});
});
