'use strict';
// Generated tables (records made on demand, for benchmark-sized orgs) behave exactly like the same records
// seeded into a Map: same IDs and values, same query results, same DML outcomes, over HTTP too.

const { Org } = require('../../../test/emulator/org');
const { seedRecords, generateRecords } = require('../../../test/emulator/seed');
const { compileQuery, runQuery, rowValues } = require('../../../test/emulator/soql');
const { processRows } = require('../../../test/emulator/ingest');
const { findObject } = require('../../../test/emulator/schema');
const { startTestEmulator } = require('../../helpers/emulator');

const NOW = Date.parse('2024-03-15T12:00:00.000Z');

/** Two orgs with the same history: one seeded, one generated (with a few real records before and after). */
function twins(object, count) {
	return [seedRecords, generateRecords].map((fill) => {
		const org = new Org({ clock: () => NOW });
		org.insertSystem(object, { Name: 'Before', LastName: 'Before', Legacy_Id__c: 'PRE-1' });
		fill(org, object, count);
		org.insertSystem(object, { Name: 'After', LastName: 'After', Legacy_Id__c: 'POST-1' });
		return org;
	});
}

const query = (org, soql, options) => {
	const compiled = compileQuery(soql);
	const records = runQuery(org, compiled, options);
	const out = [];
	for (let i = 0; i < records.length; i++) out.push(rowValues(org, compiled, records.at(i)));
	return out;
};

const load = (org, job, csvRows) => processRows(org, { object: job.object, operation: job.operation, externalIdFieldName: job.ext }, csvRows[0], csvRows.slice(1)).results;

describe('generated tables', () => {
	test('same records, IDs and table order as seeding; the next ID carries on alike', () => {
		for (const object of ['Account', 'Contact', 'Case', 'Invoice__c', 'Lead']) {
			const [seeded, generated] = twins(object, 50);
			expect([...generated.table(object).values()]).toEqual([...seeded.table(object).values()]);
			expect([...generated.table(object).keys()]).toEqual([...seeded.table(object).keys()]);
			expect(generated.table(object).size).toBe(seeded.table(object).size);
			expect(generated.insertSystem(object, { Name: 'X', LastName: 'X' })).toEqual(seeded.insertSystem(object, { Name: 'X', LastName: 'X' }));
			const someId = [...seeded.table(object).keys()][17];
			expect(generated.find(someId)).toEqual(seeded.find(someId));
			expect(generated.find(someId.slice(0, 15))).toEqual(seeded.find(someId.slice(0, 15)));
		}
	});

	test('queries: all rows, WHERE, ORDER BY, LIMIT, parent fields, and the result list reads like an array', () => {
		const [seeded, generated] = twins('Account', 300);
		for (const soql of [
			'SELECT Id, Name, AccountNumber, Industry, AnnualRevenue, NumberOfEmployees, BillingCity, CreatedDate FROM Account',
			"SELECT Id, Name FROM Account WHERE Industry = 'Energy' AND NumberOfEmployees > 100",
			'SELECT Name, Owner.Username FROM Account ORDER BY NumberOfEmployees DESC, Name LIMIT 20',
			'SELECT Name FROM Account LIMIT 7',
			"SELECT Name FROM Account WHERE Legacy_Id__c IN ('LEG-5', 'leg-250', 'POST-1')",
		]) {
			expect(query(generated, soql)).toEqual(query(seeded, soql));
		}
		const list = runQuery(generated, compileQuery('SELECT Id FROM Account'));
		expect(list.length).toBe(302);
		expect(list.slice(299, 302).map((r) => r.Name)).toEqual(['Account 300', 'Account 301', 'After']) // numbered after the record before;
		expect([...list].map((r) => r.Id)).toEqual([...seeded.table('Account').keys()]);
	});

	test('upsert, update, soft and hard delete change generated records as they change seeded ones', () => {
		const [seeded, generated] = twins('Account', 200);
		const ids = [...seeded.table('Account').keys()];
		for (const org of [seeded, generated]) {
			// LEG-3 appears twice in one chunk (both fail), leg-10 differs in case only, LEG-500 is new.
			const upsert = load(org, { object: 'Account', operation: 'upsert', ext: 'Legacy_Id__c' }, [
				['Legacy_Id__c', 'Name', 'NumberOfEmployees'],
				['LEG-2', 'Renamed 2', '7'],
				['leg-10', 'Renamed 10', ''],
				['LEG-500', 'New 500', '1'],
				['LEG-3', 'Dup', '1'],
				['LEG-3', 'Dup', '1'],
				['PRE-1', 'Renamed Before', '3'],
			]);
			const update = load(org, { object: 'Account', operation: 'update' }, [
				['Id', 'Legacy_Id__c', 'Phone'],
				[ids[5], 'MOVED-5', '555'],
				[ids[6], 'LEG-8', ''],
			]);
			const soft = load(org, { object: 'Account', operation: 'delete' }, [['Id'], [ids[20]], [ids[20]]]);
			const hard = load(org, { object: 'Account', operation: 'hardDelete' }, [['Id'], [ids[21]], [ids[21]]]);
			org.results = { upsert, update, soft, hard };
		}
		expect(generated.results).toEqual(seeded.results);
		expect(generated.results.upsert.map((r) => r.created)).toEqual([false, false, true, false, false, false]);
		expect(generated.results.update.map((r) => r.success)).toEqual([true, false]); // LEG-8 is taken
		expect(generated.results.hard.map((r) => r.success)).toEqual([true, false]);
		expect([...generated.table('Account').values()]).toEqual([...seeded.table('Account').values()]);
		expect(generated.table('Account').size).toBe(seeded.table('Account').size);
		for (const soql of ['SELECT Id, Name, Legacy_Id__c, Phone, IsDeleted FROM Account', "SELECT Name FROM Account WHERE Legacy_Id__c = 'LEG-5'", "SELECT Name FROM Account WHERE Legacy_Id__c = 'MOVED-5'"]) {
			expect(query(generated, soql)).toEqual(query(seeded, soql));
			expect(query(generated, soql, { includeDeleted: true })).toEqual(query(seeded, soql, { includeDeleted: true }));
		}
		const account = findObject('Account');
		const byExt = (org, value) => org.findByExternalId(account, account.fields.Legacy_Id__c, value).map((r) => r.Id);
		for (const value of ['LEG-5', 'MOVED-5', 'leg-8', 'LEG-7', 'LEG-21', 'LEG-22', 'LEG-0', 'LEG-201']) {
			expect(byExt(generated, value)).toEqual(byExt(seeded, value));
		}
	});

	test('over HTTP: --generate serves the same Bulk 2.0 query pages as --seed, a million rows without building them', async () => {
		const seeded = await startTestEmulator({ seed: { Account: 2500 } });
		const generated = await startTestEmulator({ generate: { Account: 2500 } });
		const big = await startTestEmulator({ generate: { Account: 1000000 } });
		try {
			const soql = 'SELECT Id, Name, AccountNumber, Industry, AnnualRevenue, BillingCity FROM Account';
			const pages = async (emulator, maxRecords) => {
				const created = await emulator.call('/services/data/v63.0/jobs/query', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: { operation: 'query', query: soql } });
				const job = await emulator.waitForJob('query', created.json.id);
				const out = [];
				let locator = '';
				do {
					const page = await emulator.call(`/services/data/v63.0/jobs/query/${job.id}/results?maxRecords=${maxRecords}${locator ? `&locator=${locator}` : ''}`);
					out.push([page.headers.get('sforce-numberofrecords'), page.text]);
					locator = page.headers.get('sforce-locator');
				} while (locator !== 'null' && out.length < 3);
				return { job, out };
			};
			const a = await pages(seeded, 1000);
			const b = await pages(generated, 1000);
			expect(b.out).toEqual(a.out);
			expect(b.job.numberRecordsProcessed).toBe(2500);
			const c = await pages(big, 2);
			expect(c.job.numberRecordsProcessed).toBe(1000000);
			expect(c.out[2][1].split('\n')[1]).toMatch(/^"001\w{15}","Account 5","AC-00000005"/);
		} finally {
			await Promise.all([seeded.close(), generated.close(), big.close()]);
		}
	});
});
