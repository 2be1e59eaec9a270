// The changed-records trigger's cursor and SOQL, without HTTP (the poll itself: test/nodes/changedRecords.trigger.test.ts).
import { ChangeCursor, msOf, soqlDateTime, type CursorState } from '../../../nodes/SalesforceBulkTrigger/records/cursor';
import { sampleQuery, selectedFields, windowQuery, type WatchPlan } from '../../../nodes/SalesforceBulkTrigger/records/query';

const T = Date.parse('2026-12-06T07:00:00Z');
const MIN = 60_000;
const plan: WatchPlan = { object: 'Account', fields: ['Id', 'SystemModstamp', 'Name'], cursorField: 'SystemModstamp', where: '', includeDeleted: false, rowsPerJob: 1000 };

describe('changed-records SOQL', () => {
	it('selects Id and the cursor field first (and IsDeleted with deletes), each field once whatever its case', () => {
		expect(selectedFields(['name', 'id', 'Industry', 'SYSTEMMODSTAMP'], 'SystemModstamp', true)).toEqual(['Id', 'SystemModstamp', 'IsDeleted', 'name', 'Industry']);
		expect(selectedFields([], 'CreatedDate', false)).toEqual(['Id', 'CreatedDate']);
	});

	it('a window starts at a cursor value (inclusive) or after the last row of the job before (keyset), in (cursor, Id) order', () => {
		expect(windowQuery(plan, { from: T - 5 * MIN })).toBe('SELECT Id, SystemModstamp, Name FROM Account WHERE SystemModstamp >= 2026-12-06T06:55:00Z ORDER BY SystemModstamp ASC, Id ASC LIMIT 1000');
		expect(windowQuery({ ...plan, where: "Industry = 'Energy' OR Name LIKE 'A%'" }, { after: { stamp: T, id: "001'x" } })).toBe(
			"SELECT Id, SystemModstamp, Name FROM Account WHERE (SystemModstamp > 2026-12-06T07:00:00Z OR (SystemModstamp = 2026-12-06T07:00:00Z AND Id > '001\\'x')) AND (Industry = 'Energy' OR Name LIKE 'A%') ORDER BY SystemModstamp ASC, Id ASC LIMIT 1000",
		);
		expect(windowQuery(plan, { from: NaN })).toBe('SELECT Id, SystemModstamp, Name FROM Account ORDER BY SystemModstamp ASC, Id ASC LIMIT 1000');
		expect(sampleQuery({ ...plan, where: 'IsDeleted = false' }, 10)).toBe('SELECT Id, SystemModstamp, Name FROM Account WHERE (IsDeleted = false) ORDER BY SystemModstamp DESC, Id DESC LIMIT 10');
	});

	it('date-times: Salesforce text (Z or +0000) to ms; literals without fractions for whole seconds', () => {
		expect(msOf('2026-12-06T07:00:00.000+0000')).toBe(T);
		expect(msOf('2026-12-06T07:00:00.000Z')).toBe(T);
		expect(soqlDateTime(T + 250)).toBe('2026-12-06T07:00:00.250Z');
	});
});

describe('the cursor', () => {
	it('accepts a row once per cursor value, moves to the greatest value accepted, keeps IDs inside the lookback only', () => {
		const data: Partial<CursorState> = {};
		const cursor = new ChangeCursor(data, 'Account.SystemModstamp', 5 * MIN);
		expect(cursor.started).toBe(false);
		expect(cursor.from).toBeNaN();
		expect(cursor.accept('001000000000001AAA', T - 10 * MIN)).toBe(true);
		expect(cursor.accept('001000000000002', T)).toBe(true);
		expect(cursor.accept('001000000000002AAA', T)).toBe(false); // the 18-character form of an ID accepted
		expect(cursor.accept('001000000000003', T - MIN)).toBe(true); // a late commit
		expect(data).toEqual({}); // nothing written before commit
		cursor.commit();
		expect(data).toEqual({ key: 'Account.SystemModstamp', cursor: '2026-12-06T07:00:00.000Z', emitted: { '001000000000002': T, '001000000000003': T - MIN }, floor: undefined });

		const next = new ChangeCursor(data, 'Account.SystemModstamp', 5 * MIN);
		expect(next.from).toBe(T - 5 * MIN);
		expect(next.accept('001000000000002', T)).toBe(false);
		expect(next.accept('001000000000002', T + 1000)).toBe(true); // changed again later
		// Another object or cursor field: a new cursor.
		expect(new ChangeCursor(data, 'Account.CreatedDate', 5 * MIN).started).toBe(false);
	});

	it('Start From: the lookback never reaches below the start', () => {
		const data: Partial<CursorState> = {};
		const cursor = new ChangeCursor(data, 'Account.SystemModstamp', 5 * MIN);
		cursor.startAt(T);
		expect(cursor.from).toBe(T);
		cursor.accept('001000000000001', T + 2 * MIN);
		cursor.commit();
		expect(new ChangeCursor(data, 'Account.SystemModstamp', 5 * MIN).from).toBe(T);
		expect(data.floor).toBe('2026-12-06T07:00:00.000Z');
	});
});
