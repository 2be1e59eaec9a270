// batchBodies.ts (Bulk 1.0 batch data): items → batch bodies, read back with csv-parse and fast-xml-parser.
import { parse as parseCsvReference } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';

import { batchBodies, prepareRecord } from '../../../nodes/shared/bulk1/batchBodies';
import { parseRecords } from '../../../nodes/shared/bulk1/batchRecords';
import type { DataFormat } from '../../../nodes/shared/bulk1/dataFormat';
import { RecordError } from '../../../nodes/shared/codecs/records';
import { int, rng } from '../codecs/random';

const NS = 'xmlns="http://www.force.com/2009/06/asyncapi/dataload"';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

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
