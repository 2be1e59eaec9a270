// bulk1Data.ts: items → batch bodies (read back with csv-parse and fast-xml-parser), bodies → records,
// load results in the three formats, and query result sets joined into one document.
import { parse as parseCsvReference } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';

import {
	batchBodies,
	detectFormat,
	joinResultSets,
	NO_RECORDS,
	parseLoadResults,
	parseRecords,
	prepareRecord,
	rowOutcome,
	type DataFormat,
} from '../../../nodes/shared/bulk1/batchData';
import { RecordError } from '../../../nodes/shared/codecs/records';
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

describe('detectFormat', () => {
	it('tells zip, XML, JSON and CSV apart from the first bytes', () => {
		expect(detectFormat(Buffer.from('PK\u0003\u0004rest'))).toBe('ZIP');
		expect(detectFormat('\uFEFF  <?xml version="1.0"?><sObjects/>')).toBe('XML');
		expect(detectFormat('\n[{"Name":"x"}]')).toBe('JSON');
		expect(detectFormat('Name,Phone\nA,1\n')).toBe('CSV');
		expect(detectFormat('   ')).toBeUndefined();
	});
});

describe('prepareRecord and batchBodies', () => {
	const items = [
		{ Name: 'Acme, "Inc"', NumberOfEmployees: 12, Active__c: true, Owner: { Legacy_Id__c: 'U-1' }, attributes: { type: 'Account' }, sf__Id: 'x' },
		{ Name: 'Globex', Description: null, When__c: new Date('2024-05-17T10:00:00.000Z') },
	];

	it('CSV: flat columns (union of fields), #N/A for null, relationship columns dotted', () => {
		const records = items.map((item, i) => prepareRecord('CSV', item, i));
		const [batch] = [...batchBodies('CSV', records)];
		expect(parseCsvReference(batch.body.toString())).toEqual([
			['Name', 'NumberOfEmployees', 'Active__c', 'Owner.Legacy_Id__c', 'Description', 'When__c'],
			['Acme, "Inc"', '12', 'true', 'U-1', '', ''],
			['Globex', '', '', '', '#N/A', '2024-05-17T10:00:00.000Z'],
		]);
		expect(batch).toMatchObject({ first: 0, count: 2 });
	});

	it('XML: sObjects in the async API namespace, nested relationships, xsi:nil for null', () => {
		const records = items.map((item, i) => prepareRecord('XML', item, i));
		const [batch] = [...batchBodies('XML', records)];
		const text = batch.body.toString();
		expect(text.startsWith(`<?xml version="1.0" encoding="UTF-8"?><sObjects ${NS} ${XSI}>`)).toBe(true);
		const parsed = new XMLParser({ ignoreAttributes: false, parseTagValue: false }).parse(text);
		expect(parsed.sObjects.sObject[0]).toEqual({ Name: 'Acme, "Inc"', NumberOfEmployees: '12', Active__c: 'true', Owner: { Legacy_Id__c: 'U-1' } });
		expect(parsed.sObjects.sObject[1]).toMatchObject({ Name: 'Globex', Description: { '@_xsi:nil': 'true' }, When__c: '2024-05-17T10:00:00.000Z' });
	});

	it('JSON: JSON values kept, dates as ISO text, metadata dropped', () => {
		const records = items.map((item, i) => prepareRecord('JSON', item, i));
		const [batch] = [...batchBodies('JSON', records)];
		expect(JSON.parse(batch.body.toString())).toEqual([
			{ Name: 'Acme, "Inc"', NumberOfEmployees: 12, Active__c: true, Owner: { Legacy_Id__c: 'U-1' } },
			{ Name: 'Globex', Description: null, When__c: '2024-05-17T10:00:00.000Z' },
		]);
	});

	it('refuses lists, bad XML names and records larger than a batch, naming the item', () => {
		expect(() => prepareRecord('JSON', { Tags: ['a'] }, 3)).toThrow(new RecordError('Item 3: field "Tags" is a list; Salesforce fields take one value (join it into a string first)'));
		expect(() => prepareRecord('XML', { 'bad name': 1 }, 4)).toThrow(/^Item 4: "bad name" is not a valid XML element name/);
		expect(() => [...batchBodies('CSV', [{ Name: 'x'.repeat(200) }], { maxRecords: 10, maxBytes: 100 })]).toThrow(/more than the 100 bytes a batch holds/);
	});

	it.each<DataFormat>(['CSV', 'XML', 'JSON'])('%s: splits by record count and by bytes, every record exactly once, in order', (format) => {
		const r = rng(5);
		const records = Array.from({ length: 95 }, (_, k) => prepareRecord(format, { Name: `N${k}-${'é'.repeat(int(r, 0, 30))}`, Seq__c: k }, k));
		for (const limits of [{ maxRecords: 10, maxBytes: 1e9 }, { maxRecords: 1e9, maxBytes: 700 }]) {
			const batches = [...batchBodies(format, records, limits)];
			expect(batches.length).toBeGreaterThan(1);
			let next = 0;
			for (const batch of batches) {
				expect(batch.first).toBe(next);
				expect(batch.count).toBeLessThanOrEqual(limits.maxRecords);
				expect(batch.body.length).toBeLessThanOrEqual(limits.maxBytes);
				const back = parseRecords(format, batch.body.toString());
				expect(back.map((b) => String(b.Seq__c))).toEqual(Array.from({ length: batch.count }, (_, k) => String(next + k)));
				next += batch.count;
			}
			expect(next).toBe(95);
		}
	});

	it('a single empty CSV value is written quoted, not as a blank line', () => {
		const [batch] = [...batchBodies('CSV', [{ Name: '' }, { Name: 'x' }])];
		expect(batch.body.toString()).toBe('Name\n""\nx\n');
	});
});

describe('parseRecords', () => {
	it('reads query result sets of the three formats without type metadata', () => {
		expect(parseRecords('CSV', '"Id","Name","Owner.Name"\n"001A","Acme","Ann"\n')).toEqual([{ Id: '001A', Name: 'Acme', Owner: { Name: 'Ann' } }]);
		expect(parseRecords('CSV', NO_RECORDS)).toEqual([]);
		const xml = `<?xml version="1.0" encoding="UTF-8"?><queryResult ${NS} ${XSI}>
 <records xsi:type="sObject"><type>Account</type><Id xsi:nil="true"/><Name>Acme</Name><NumberOfEmployees>5</NumberOfEmployees>
  <Owner xsi:type="sObject"><type>User</type><Id xsi:nil="true"/><Name>Ann</Name></Owner><Parent xsi:nil="true"/></records>
</queryResult>`;
		expect(parseRecords('XML', xml)).toEqual([{ Name: 'Acme', NumberOfEmployees: '5', Owner: { Name: 'Ann' }, Parent: null }]);
		expect(parseRecords('XML', xml, { typed: true })[0].NumberOfEmployees).toBe(5);
		const json = '[ {\n  "attributes" : { "type" : "Account" },\n  "Name" : "Acme",\n  "Owner" : { "attributes" : { "type" : "User" }, "Name" : "Ann" }\n} ]';
		expect(parseRecords('JSON', json)).toEqual([{ Name: 'Acme', Owner: { Name: 'Ann' } }]);
	});
});

describe('parseLoadResults and rowOutcome', () => {
	const expected = [
		{ id: '001A', success: true, created: true, error: null },
		{ id: null, success: false, created: false, error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --' },
	];

	it('reads CSV, XML and JSON results to the same shape', () => {
		expect(parseLoadResults('CSV', '"Id","Success","Created","Error"\n"001A","true","true",""\n"","false","false","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"\n')).toEqual(expected);
		const xml = `<?xml version="1.0" encoding="UTF-8"?><results ${NS}>
 <result><id>001A</id><success>true</success><created>true</created></result>
 <result><errors><fields>Name</fields><message>Required fields are missing: [Name]</message><statusCode>REQUIRED_FIELD_MISSING</statusCode></errors><success>false</success><created>false</created></result>
</results>`;
		expect(parseLoadResults('XML', xml)).toEqual(expected);
		const json = JSON.stringify([
			{ success: true, created: true, id: '001A', errors: [] },
			{ success: false, created: false, id: null, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }] },
		]);
		expect(parseLoadResults('JSON', json)).toEqual(expected);
	});

	it('names the outcome of each row', () => {
		expect(rowOutcome({ id: '001A', success: true, created: true, error: null }, 'upsert').status).toBe('created');
		expect(rowOutcome({ id: '001A', success: true, created: false, error: null }, 'upsert').status).toBe('updated');
		expect(rowOutcome({ id: '001A', success: true, created: false, error: null }, 'hardDelete').status).toBe('deleted');
		expect(rowOutcome({ id: null, success: false, created: false, error: 'DUPLICATE_VALUE:dup:--' }, 'insert')).toMatchObject({ status: 'failed', errorCode: 'DUPLICATE_VALUE' });
		expect(rowOutcome(undefined, 'insert', 'InvalidBatch : Simulated')).toEqual({ status: 'unprocessed', success: false, created: false, id: null, error: 'InvalidBatch : Simulated', errorCode: null });
	});
});

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
