'use strict';
// Conformance: jsforce 3.10 (an independent Salesforce client) run against the emulator. Each test drives a
// real jsforce flow over HTTP and then checks both what jsforce returned and what the emulator's org holds.

const jsforce = require('jsforce');
const { startTestEmulator } = require('../helpers/emulator');

const VERSION = '63.0';
const ID18 = /^[a-zA-Z0-9]{18}$/;

/** Collects every record of a jsforce RecordStream (bulk2.query / bulk.query). */
function collect(recordStream) {
	return new Promise((resolve, reject) => {
		const records = [];
		recordStream.on('record', (record) => records.push(record));
		recordStream.on('error', reject);
		recordStream.on('end', () => resolve(records));
	});
}

/** Live (IsDeleted false) Account records of the emulator's org whose Legacy_Id__c starts with prefix. */
function orgAccounts(emulator, prefix, { includeDeleted = false } = {}) {
	return [...emulator.org.table('Account').values()].filter(
		(r) => typeof r.Legacy_Id__c === 'string' && r.Legacy_Id__c.startsWith(prefix) && (includeDeleted || !r.IsDeleted),
	);
}

describe('jsforce 3.10 against the emulator', () => {
	let emulator;
	let conn;

	beforeAll(async () => {
		emulator = await startTestEmulator();
		conn = new jsforce.Connection({ instanceUrl: emulator.url, accessToken: await emulator.token(), version: VERSION });
		conn.bulk2.pollInterval = 50;
		conn.bulk2.pollTimeout = 20000;
		conn.bulk.pollInterval = 50;
		conn.bulk.pollTimeout = 20000;
	});

	afterAll(async () => {
		await emulator?.close();
	});

	describe('Bulk API 2.0', () => {
		test('loadAndWaitForResults insert: one row fails on the missing required Name, the others are created', async () => {
			const input = [
				{ Name: 'Jsf Insert Alpha', NumberOfEmployees: 12, Legacy_Id__c: 'JSF-INS-1' },
				{ Name: '', NumberOfEmployees: 7, Legacy_Id__c: 'JSF-INS-2' },
				{ Name: 'Jsf Insert Gamma', NumberOfEmployees: 30, Legacy_Id__c: 'JSF-INS-3' },
			];
			const { successfulResults, failedResults, unprocessedRecords } = await conn.bulk2.loadAndWaitForResults({
				object: 'Account',
				operation: 'insert',
				input,
			});

			expect(successfulResults).toHaveLength(2);
			expect(failedResults).toHaveLength(1);
			expect(unprocessedRecords).toEqual([]);

			const byLegacy = Object.fromEntries(successfulResults.map((r) => [r.Legacy_Id__c, r]));
			expect(Object.keys(byLegacy).sort()).toEqual(['JSF-INS-1', 'JSF-INS-3']);
			for (const result of successfulResults) {
				expect(result.sf__Id).toMatch(ID18);
				expect(result.sf__Id.startsWith('001')).toBe(true);
				expect(result.sf__Created).toBe('true');
			}
			// The input columns are echoed back, as the user sent them.
			expect(byLegacy['JSF-INS-1']).toMatchObject({ Name: 'Jsf Insert Alpha', NumberOfEmployees: '12' });
			expect(byLegacy['JSF-INS-3']).toMatchObject({ Name: 'Jsf Insert Gamma', NumberOfEmployees: '30' });

			const [failed] = failedResults;
			expect(failed.sf__Id).toBe('');
			expect(failed.sf__Error).toBe('REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --');
			expect(failed).toMatchObject({ Name: '', NumberOfEmployees: '7', Legacy_Id__c: 'JSF-INS-2' });

			// The org holds exactly the two created rows, typed, under the IDs jsforce was given.
			const table = emulator.org.table('Account');
			const alpha = table.get(byLegacy['JSF-INS-1'].sf__Id);
			const gamma = table.get(byLegacy['JSF-INS-3'].sf__Id);
			expect(alpha).toMatchObject({ Name: 'Jsf Insert Alpha', NumberOfEmployees: 12, Legacy_Id__c: 'JSF-INS-1', IsDeleted: false });
			expect(gamma).toMatchObject({ Name: 'Jsf Insert Gamma', NumberOfEmployees: 30, Legacy_Id__c: 'JSF-INS-3', IsDeleted: false });
			expect(orgAccounts(emulator, 'JSF-INS-').map((r) => r.Legacy_Id__c).sort()).toEqual(['JSF-INS-1', 'JSF-INS-3']);
		});

		test('loadAndWaitForResults upsert on Legacy_Id__c: existing keys update (sf__Created false), new keys create', async () => {
			const existingA = emulator.org.insertSystem('Account', { Name: 'Upsert Old A', NumberOfEmployees: 1, Legacy_Id__c: 'JSF-UPS-A' });
			const existingB = emulator.org.insertSystem('Account', { Name: 'Upsert Old B', NumberOfEmployees: 2, Legacy_Id__c: 'JSF-UPS-B' });

			const { successfulResults, failedResults } = await conn.bulk2.loadAndWaitForResults({
				object: 'Account',
				operation: 'upsert',
				externalIdFieldName: 'Legacy_Id__c',
				input: [
					{ Legacy_Id__c: 'JSF-UPS-A', Name: 'Upsert New A', NumberOfEmployees: 100 },
					{ Legacy_Id__c: 'JSF-UPS-C', Name: 'Upsert New C', NumberOfEmployees: 300 },
					{ Legacy_Id__c: 'jsf-ups-b', Name: 'Upsert New B', NumberOfEmployees: 200 },
				],
			});

			expect(failedResults).toEqual([]);
			expect(successfulResults).toHaveLength(3);
			const byLegacy = Object.fromEntries(successfulResults.map((r) => [r.Legacy_Id__c, r]));
			// External IDs match case-insensitively: 'jsf-ups-b' updates JSF-UPS-B.
			expect(byLegacy['JSF-UPS-A']).toMatchObject({ sf__Id: existingA.Id, sf__Created: 'false', Name: 'Upsert New A' });
			expect(byLegacy['jsf-ups-b']).toMatchObject({ sf__Id: existingB.Id, sf__Created: 'false', Name: 'Upsert New B' });
			expect(byLegacy['JSF-UPS-C'].sf__Created).toBe('true');
			expect(byLegacy['JSF-UPS-C'].sf__Id).toMatch(ID18);
			expect([existingA.Id, existingB.Id]).not.toContain(byLegacy['JSF-UPS-C'].sf__Id);

			const table = emulator.org.table('Account');
			expect(table.get(existingA.Id)).toMatchObject({ Name: 'Upsert New A', NumberOfEmployees: 100, Legacy_Id__c: 'JSF-UPS-A' });
			// The key of an updated record is not rewritten by the upsert's key column.
			expect(table.get(existingB.Id)).toMatchObject({ Name: 'Upsert New B', NumberOfEmployees: 200, Legacy_Id__c: 'JSF-UPS-B' });
			expect(table.get(byLegacy['JSF-UPS-C'].sf__Id)).toMatchObject({ Name: 'Upsert New C', NumberOfEmployees: 300, Legacy_Id__c: 'JSF-UPS-C' });
			expect(orgAccounts(emulator, 'JSF-UPS-')).toHaveLength(3);
		});

		test('loadAndWaitForResults delete: records are marked IsDeleted in the org', async () => {
			const doomed = [1, 2].map((i) => emulator.org.insertSystem('Account', { Name: `Delete Me ${i}`, Legacy_Id__c: `JSF-DEL-${i}` }));
			const keeper = emulator.org.insertSystem('Account', { Name: 'Keep Me', Legacy_Id__c: 'JSF-DEL-KEEP' });

			const { successfulResults, failedResults } = await conn.bulk2.loadAndWaitForResults({
				object: 'Account',
				operation: 'delete',
				// jsforce sends only the Id column for delete.
				input: doomed.map((r) => ({ Id: r.Id, Name: r.Name })),
			});

			expect(failedResults).toEqual([]);
			expect(successfulResults.map((r) => r.sf__Id).sort()).toEqual(doomed.map((r) => r.Id).sort());
			for (const result of successfulResults) {
				expect(result.sf__Created).toBe('false');
				expect(Object.keys(result)).toEqual(['sf__Id', 'sf__Created', 'Id']);
				expect(result.Id).toBe(result.sf__Id);
			}
			const table = emulator.org.table('Account');
			for (const record of doomed) expect(table.get(record.Id).IsDeleted).toBe(true);
			expect(table.get(keeper.Id).IsDeleted).toBe(false);
		});

		test('query (single page): the records jsforce reads are the org\'s', async () => {
			const made = [
				{ Name: 'Query Row One', Legacy_Id__c: 'JSF-Q-1' },
				{ Name: 'Query Row, Two "quoted"', Legacy_Id__c: 'JSF-Q-2' },
				{ Name: 'Query Row Three', Legacy_Id__c: 'JSF-Q-3' },
			].map((values) => emulator.org.insertSystem('Account', values));
			const deleted = emulator.org.insertSystem('Account', { Name: 'Query Row Deleted', Legacy_Id__c: 'JSF-Q-4' });
			deleted.IsDeleted = true;

			const records = await collect(await conn.bulk2.query("SELECT Id, Name FROM Account WHERE Legacy_Id__c LIKE 'JSF-Q-%'", { pollInterval: 50, pollTimeout: 20000 }));

			const expected = orgAccounts(emulator, 'JSF-Q-').map((r) => ({ Id: r.Id, Name: r.Name }));
			expect(expected).toHaveLength(3);
			const sortById = (a, b) => a.Id.localeCompare(b.Id);
			expect([...records].sort(sortById)).toEqual(expected.sort(sortById));
			expect(records.map((r) => r.Id).sort()).toEqual(made.map((r) => r.Id).sort());
			for (const record of records) expect(Object.keys(record)).toEqual(['Id', 'Name']);
		});

		test('audit stamps through jsforce: writes stamp SystemModstamp to the second; WHERE >= / <, ORDER BY, LIMIT and queryAll (scanAll) read them', async () => {
			const clock = emulator.org.clock;
			let now = Date.parse('2026-12-06T07:00:00.400Z');
			emulator.org.clock = () => now;
			try {
				const options = { pollInterval: 50, pollTimeout: 20000 };
				const created = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: ['A', 'B', 'C'].map((k) => ({ Name: `Jsf Stamp ${k}`, Legacy_Id__c: `JSF-ST-${k}` })) });
				const id = Object.fromEntries(created.successfulResults.map((r) => [r.Legacy_Id__c.slice(-1), r.sf__Id]));
				now = Date.parse('2026-12-06T07:00:05.900Z');
				await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'update', input: [{ Id: id.B, Name: 'Jsf Stamp B2' }] });
				now = Date.parse('2026-12-06T07:00:09.000Z');
				await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'delete', input: [{ Id: id.C }] });

				const query = async (soql, scanAll = false) => await collect(await conn.bulk2.query(soql, { ...options, scanAll }));
				const base = "SELECT Id, Name, CreatedDate, SystemModstamp, IsDeleted FROM Account WHERE Legacy_Id__c LIKE 'JSF-ST-%'";
				// Milliseconds are dropped, as Salesforce keeps dateTimes to the second; CSV prints them …000Z (jsforce leaves CSV values as text).
				const live = await query(`${base} ORDER BY SystemModstamp ASC, Id ASC`);
				expect(live.map((r) => [r.Name, r.CreatedDate, r.SystemModstamp, r.IsDeleted])).toEqual([
					['Jsf Stamp A', '2026-12-06T07:00:00.000Z', '2026-12-06T07:00:00.000Z', 'false'],
					['Jsf Stamp B2', '2026-12-06T07:00:00.000Z', '2026-12-06T07:00:05.000Z', 'false'],
				]);
				const changed = await query(`${base} AND SystemModstamp >= 2026-12-06T07:00:05Z AND SystemModstamp < 2026-12-06T08:00:00Z`);
				expect(changed.map((r) => r.Name)).toEqual(['Jsf Stamp B2']);
				// queryAll also returns the deleted row, with IsDeleted true and the delete's stamp.
				const all = await query(`${base} AND SystemModstamp >= 2026-12-06T07:00:05Z ORDER BY SystemModstamp DESC LIMIT 5`, true);
				expect(all.map((r) => [r.Name, r.SystemModstamp, r.IsDeleted])).toEqual([
					['Jsf Stamp C', '2026-12-06T07:00:09.000Z', 'true'],
					['Jsf Stamp B2', '2026-12-06T07:00:05.000Z', 'false'],
				]);
				expect(await query(`${base} AND IsDeleted = true`, true)).toEqual([expect.objectContaining({ Id: id.C, IsDeleted: 'true' })]);
				expect(await query(`${base} AND IsDeleted = true`)).toEqual([]);
			} finally {
				emulator.org.clock = clock;
			}
		});
	});

	describe('Bulk API 1.0', () => {
		test('bulk.load insert: results per row in input order, records in the org', async () => {
			const rows = [
				{ Name: 'V1 Insert One', NumberOfEmployees: 5, Legacy_Id__c: 'JSF-V1-1' },
				{ Name: '', NumberOfEmployees: 6, Legacy_Id__c: 'JSF-V1-2' },
				{ Name: 'V1 Insert Three', NumberOfEmployees: 7, Legacy_Id__c: 'JSF-V1-3' },
			];
			const results = await conn.bulk.load('Account', 'insert', rows);

			expect(results).toHaveLength(3);
			const [one, two, three] = results;
			expect(one).toMatchObject({ success: true, created: true, errors: [] });
			expect(one.id).toMatch(ID18);
			expect(one.id.startsWith('001')).toBe(true);
			// An empty Id cell becomes null in jsforce.
			expect(two).toEqual({ id: null, success: false, created: false, errors: ['REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --'] });
			expect(three).toMatchObject({ success: true, created: true, errors: [] });
			expect(three.id).toMatch(ID18);
			expect(three.id).not.toBe(one.id);

			const table = emulator.org.table('Account');
			expect(table.get(one.id)).toMatchObject({ Name: 'V1 Insert One', NumberOfEmployees: 5, Legacy_Id__c: 'JSF-V1-1', IsDeleted: false });
			expect(table.get(three.id)).toMatchObject({ Name: 'V1 Insert Three', NumberOfEmployees: 7, Legacy_Id__c: 'JSF-V1-3', IsDeleted: false });
			expect(orgAccounts(emulator, 'JSF-V1-').map((r) => r.Legacy_Id__c).sort()).toEqual(['JSF-V1-1', 'JSF-V1-3']);
		});

		test('bulk.query: the records jsforce reads are the org\'s', async () => {
			const made = [
				{ Name: 'V1 Query Alpha', NumberOfEmployees: 11, Legacy_Id__c: 'JSF-V1Q-1' },
				{ Name: 'V1 Query, Beta', NumberOfEmployees: 22, Legacy_Id__c: 'JSF-V1Q-2' },
			].map((values) => emulator.org.insertSystem('Account', values));

			const records = await collect(await conn.bulk.query("SELECT Id, Name, NumberOfEmployees FROM Account WHERE Legacy_Id__c LIKE 'JSF-V1Q-%'"));

			const sortById = (a, b) => a.Id.localeCompare(b.Id);
			const expected = made.map((r) => ({ Id: r.Id, Name: r.Name, NumberOfEmployees: String(r.NumberOfEmployees) })).sort(sortById);
			expect([...records].sort(sortById)).toEqual(expected);
		});
	});

	describe('OAuth 2.0 token refresh through jsforce', () => {
		function refreshingConnection(accessToken) {
			const { clientId, clientSecret, refreshToken } = emulator.credentials;
			const refreshConn = new jsforce.Connection({
				oauth2: { clientId, clientSecret, loginUrl: emulator.url },
				instanceUrl: emulator.url,
				accessToken,
				refreshToken,
				version: VERSION,
			});
			refreshConn.bulk2.pollInterval = 50;
			const refreshes = [];
			refreshConn.on('refresh', (token, res) => refreshes.push({ token, res }));
			return { refreshConn, refreshes };
		}

		test('an expired token on a REST call is refreshed at /services/oauth2/token and the call succeeds', async () => {
			const stale = await emulator.token();
			emulator.oauth.expireAll();
			expect(emulator.oauth.valid(stale)).toBe(false);
			// The emulator really does reject the stale token before jsforce gets involved.
			const direct = await emulator.call(`/services/data/v${VERSION}/limits`, { accessToken: stale });
			expect(direct.status).toBe(401);
			expect(direct.json).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);

			const { refreshConn, refreshes } = refreshingConnection(stale);
			const tokenCallsBefore = emulator.oauth.issued;
			const limits = await refreshConn.request(`/services/data/v${VERSION}/limits`);

			expect(limits.DailyBulkApiBatches).toEqual({ Max: 15000, Remaining: 15000 });
			expect(refreshes).toHaveLength(1);
			const [{ token, res }] = refreshes;
			expect(token).not.toBe(stale);
			expect(emulator.oauth.valid(token)).toBe(true);
			expect(refreshConn.accessToken).toBe(token);
			expect(res).toMatchObject({ access_token: token, instance_url: emulator.url, token_type: 'Bearer' });
			expect(emulator.oauth.issued).toBe(tokenCallsBefore + 1);
		});

		test('an invalid token on a Bulk 2.0 load is refreshed and the job runs', async () => {
			const { refreshConn, refreshes } = refreshingConnection('00Dxx0000000000!not-a-real-token');
			const { successfulResults, failedResults } = await refreshConn.bulk2.loadAndWaitForResults({
				object: 'Account',
				operation: 'insert',
				input: [{ Name: 'Refreshed Insert', Legacy_Id__c: 'JSF-REF-1' }],
			});

			expect(refreshes).toHaveLength(1);
			expect(emulator.oauth.valid(refreshConn.accessToken)).toBe(true);
			expect(failedResults).toEqual([]);
			expect(successfulResults).toHaveLength(1);
			expect(successfulResults[0].sf__Created).toBe('true');
			expect(emulator.org.table('Account').get(successfulResults[0].sf__Id)).toMatchObject({ Name: 'Refreshed Insert', Legacy_Id__c: 'JSF-REF-1' });
		});
	});
});
