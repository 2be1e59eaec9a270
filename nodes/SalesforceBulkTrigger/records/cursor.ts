import type { IDataObject } from 'n8n-workflow';

/**
 * The changed-records cursor, kept in the workflow's static data (per node). `cursor` is the greatest
 * cursor-field value among the rows emitted so far; `emitted` holds, for every row emitted with a value
 * inside the lookback window below the cursor, its ID and that value. Each poll queries from
 * `cursor - lookback` (inclusive) and drops the rows `emitted` already holds at that value or a later one:
 * rows sharing the boundary second and rows that commit late (with an earlier stamp) arrive once each.
 */
export interface CursorState extends IDataObject {
	/** Object and cursor field the state belongs to; another pair starts afresh. */
	key: string;
	/** ISO date-time (UTC); absent = no cursor yet (Start From "Everything First" not done). */
	cursor?: string;
	/** Row ID (15 characters) → the cursor value (ms) it was emitted with. */
	emitted: Record<string, number>;
	/** Where Start From began (ISO): the lookback never reaches below it. */
	floor?: string;
}

/** Salesforce date-time text (…Z or …+0000) as milliseconds; NaN when there is none. */
export const msOf = (value: unknown): number => Date.parse(String(value ?? '').replace(/([+-]\d{2}):?(\d{2})$/, '$1:$2'));

/** A SOQL date-time literal (no quotes): whole seconds print without fractions, as Salesforce stamps them. */
export const soqlDateTime = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

/** IDs compare on their first 15 characters (the 18-character form adds a checksum). */
const id15 = (id: string) => id.slice(0, 15);

/**
 * One poll's view of the cursor. Nothing reaches the static data before `commit`, which the poll calls
 * once its rows are ready to be emitted: a poll that fails leaves the cursor where it was.
 */
export class ChangeCursor {
	private readonly emitted: Map<string, number>;
	private greatest: number;
	private floor: number;
	/** Rows accepted during this poll. */
	accepted = 0;

	constructor(
		private readonly data: Partial<CursorState>,
		private readonly key: string,
		private readonly lookbackMs: number,
	) {
		const same = data.key === key;
		this.emitted = new Map(same ? Object.entries(data.emitted ?? {}) : []);
		this.greatest = same && data.cursor ? msOf(data.cursor) : NaN;
		this.floor = same && data.floor ? msOf(data.floor) : NaN;
	}

	/** Whether this object and field have a cursor yet (else it is the first activation). */
	get started(): boolean {
		return !Number.isNaN(this.greatest);
	}

	/** The cursor value (ms) before this poll's rows; NaN when there is none. */
	get value(): number {
		return this.greatest;
	}

	/** Start the cursor (first activation): rows with this value or later will come, none before it. */
	startAt(ms: number): void {
		this.greatest = ms;
		this.floor = ms;
	}

	/** Where the poll's query starts (inclusive): the cursor minus the lookback window, not below the start; NaN = from the very first row. */
	get from(): number {
		if (!this.started) return NaN;
		const from = this.greatest - this.lookbackMs;
		return from < this.floor ? this.floor : from;
	}

	/** Whether a row (ID, cursor value) is new: not emitted before at this value or a later one. Accepts it if so. */
	accept(id: string, stamp: number): boolean {
		const key = id15(id);
		const before = this.emitted.get(key);
		if (before !== undefined && before >= stamp) return false;
		this.emitted.set(key, stamp);
		this.accepted++;
		if (!(stamp <= this.greatest)) this.greatest = stamp;
		return true;
	}

	/** Writes the cursor and the IDs still inside the lookback window back to the static data. */
	commit(): void {
		const floor = this.greatest - this.lookbackMs;
		const emitted: Record<string, number> = {};
		for (const [id, stamp] of this.emitted) if (stamp >= floor) emitted[id] = stamp;
		this.data.key = this.key;
		this.data.cursor = Number.isNaN(this.greatest) ? undefined : new Date(this.greatest).toISOString();
		this.data.emitted = emitted;
		this.data.floor = Number.isNaN(this.floor) ? undefined : new Date(this.floor).toISOString();
	}
}
