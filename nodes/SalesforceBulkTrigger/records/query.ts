import { soqlDateTime } from './cursor';

export type CursorField = 'SystemModstamp' | 'LastModifiedDate' | 'CreatedDate';

/** What the user asked to watch, as the queries need it. */
export interface WatchPlan {
	object: string;
	/** Selected columns: the user's fields plus Id, the cursor field and (with deletes) IsDeleted. */
	fields: string[];
	cursorField: CursorField;
	/** The user's extra WHERE condition, without the keyword; '' for none. */
	where: string;
	/** queryAll: deleted rows too, told apart by IsDeleted. */
	includeDeleted: boolean;
	/** Rows per query job (LIMIT): a bigger window takes several jobs. */
	rowsPerJob: number;
}

/** Where a query job starts: from a cursor value (inclusive), or after the last row of the previous job. */
export type JobStart = { from?: number } | { after: { stamp: number; id: string } };

/** The columns to select: Id and the cursor field first, the user's fields after them, each once. */
export function selectedFields(fields: string[], cursorField: CursorField, includeDeleted: boolean): string[] {
	const all = ['Id', cursorField, ...(includeDeleted ? ['IsDeleted'] : []), ...fields];
	const seen = new Set<string>();
	return all.filter((f) => {
		const key = f.toLowerCase();
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

const quoted = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/**
 * One window job's SOQL. Rows come in (cursor, Id) order and at most rowsPerJob of them: a job that
 * returns that many is followed by one that starts after its last row (keyset paging; the Bulk API
 * supports ORDER BY and LIMIT but neither OFFSET nor COUNT()).
 */
export function windowQuery(plan: WatchPlan, start: JobStart): string {
	const c = plan.cursorField;
	const conditions: string[] = [];
	if ('after' in start) {
		const at = soqlDateTime(start.after.stamp);
		conditions.push(`(${c} > ${at} OR (${c} = ${at} AND Id > ${quoted(start.after.id)}))`);
	} else if (start.from !== undefined && !Number.isNaN(start.from)) {
		conditions.push(`${c} >= ${soqlDateTime(start.from)}`);
	}
	if (plan.where.trim()) conditions.push(`(${plan.where.trim()})`);
	const where = conditions.length ? ` WHERE ${conditions.join(' AND ')}` : '';
	return `SELECT ${plan.fields.join(', ')} FROM ${plan.object}${where} ORDER BY ${c} ASC, Id ASC LIMIT ${plan.rowsPerJob}`;
}

/** "Fetch Test Event": the most recently changed rows, newest first. */
export function sampleQuery(plan: WatchPlan, rows: number): string {
	const where = plan.where.trim() ? ` WHERE (${plan.where.trim()})` : '';
	return `SELECT ${plan.fields.join(', ')} FROM ${plan.object}${where} ORDER BY ${plan.cursorField} DESC, Id DESC LIMIT ${rows}`;
}
