/**
 * Matches Bulk API 2.0 ingest results back to the rows that were sent.
 *
 * Salesforce returns results in no particular order and without a row number, but every result row
 * echoes the uploaded columns (after `sf__Id` and `sf__Created` / `sf__Error`). So each row sent is found
 * by its exact values as written to the CSV, and each result row takes the next row with the same values.
 * Identical rows are interchangeable: whichever of them gets which result, the outcome per row is the
 * same. Rows are indexed by a hash of their values (a number, so 200,000 rows cost a few MB, not a key
 * string each) and a hit is confirmed by comparing the values: linear in the number of rows.
 */
import type { IngestOperation, IngestResultKind, JobInfo } from '../api/bulk2Api';
import { readCsvBatches, type ColumnDelimiter } from '../codecs/csv';
import { loopTurns, ROWS_PER_LOOK } from '../transport/loopTurns';

export type RowStatus = 'created' | 'updated' | 'deleted' | 'failed' | 'unprocessed' | 'unknown';

export interface MatchedRowOutcome {
	status: RowStatus;
	success: boolean;
	/** The Salesforce record ID, when Salesforce gave one. */
	id: string | null;
	error: string | null;
	/** The part of the error before the first ':', e.g. REQUIRED_FIELD_MISSING. */
	errorCode: string | null;
	/** The job whose results named the row, when the rows of several jobs are matched at once (resume). */
	jobId?: string | null;
}

export interface MatchReport {
	/** One outcome per row sent, in the order sent. */
	outcomes: MatchedRowOutcome[];
	counts: Record<IngestResultKind, number>;
	/** What did not add up, in words; empty when every row has exactly one result. */
	problems: string[];
}

/** Identical rows (same values), handed out in order. */
interface Queue {
	rows: number[];
	next: number;
}

/** What a hash leads to: one row, a queue of identical rows, or (hash collisions) several of those. */
type Bucket = number | Queue | Array<number | Queue>;

/** FNV-1a over the values and their lengths. */
function rowHash(values: readonly string[]): number {
	let h = 0x811c9dc5;
	for (let v = 0; v < values.length; v++) {
		const text = values[v];
		for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
		h = Math.imul(h ^ (text.length + 0x10000), 0x01000193);
	}
	return h | 0;
}

/**
 * A copy of a value cut from a result file. The parser's values are slices of the file's text, and one
 * kept slice keeps its whole piece of text alive: for 200,000 kept IDs, that is the whole file (~30 MB).
 */
function own(value: string): string {
	return value.length < 13 ? value : Buffer.from(value, 'utf8').toString('utf8'); // V8 copies under 13 characters anyway
}

function sameValues(a: readonly string[], b: readonly string[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

export class ResultMatcher {
	private readonly outcomes: Array<MatchedRowOutcome | undefined>;
	private readonly buckets = new Map<number, Bucket>();
	private readonly counts: Record<IngestResultKind, number> = { successfulResults: 0, failedResults: 0, unprocessedrecords: 0 };
	private readonly problems: string[] = [];
	private unmatchedResults = 0;

	constructor(
		private readonly columns: readonly string[],
		/** Each row's values in column order, or its record (column → value). */
		private readonly rows: ReadonlyArray<readonly string[] | Readonly<Record<string, string>>>,
		private readonly operation: IngestOperation,
	) {
		this.outcomes = new Array<MatchedRowOutcome | undefined>(rows.length);
	}

	private indexed = 0;
	private readonly turn = loopTurns();

	/** Indexes the rows sent by their values (before the first result is read), giving n8n turns meanwhile. */
	private async index(): Promise<void> {
		for (; this.indexed < this.rows.length; this.indexed++) {
			if (this.indexed % ROWS_PER_LOOK === 0) await this.turn();
			this.add(rowHash(this.valuesOf(this.indexed)), this.indexed);
		}
	}

	private valuesOf(i: number): readonly string[] {
		const row = this.rows[i];
		return Array.isArray(row) ? row : this.columns.map((column) => (row as Readonly<Record<string, string>>)[column] ?? '');
	}

	private first(entry: number | Queue): number {
		return typeof entry === 'number' ? entry : entry.rows[0];
	}

	private add(hash: number, i: number): void {
		const bucket = this.buckets.get(hash);
		if (bucket === undefined) {
			this.buckets.set(hash, i);
			return;
		}
		const entries = Array.isArray(bucket) ? bucket : [bucket];
		const values = this.valuesOf(i);
		const k = entries.findIndex((entry) => sameValues(this.valuesOf(this.first(entry)), values));
		if (k < 0) entries.push(i);
		else if (typeof entries[k] === 'number') entries[k] = { rows: [entries[k] as number, i], next: 0 };
		else (entries[k] as Queue).rows.push(i);
		this.buckets.set(hash, entries.length === 1 ? entries[0] : entries);
	}

	/** The next unmatched row with exactly these values, if any. */
	private take(values: readonly string[]): number | undefined {
		const hash = rowHash(values);
		const bucket = this.buckets.get(hash);
		if (bucket === undefined) return undefined;
		const entries = Array.isArray(bucket) ? bucket : [bucket];
		const k = entries.findIndex((entry) => sameValues(this.valuesOf(this.first(entry)), values));
		if (k < 0) return undefined;
		const entry = entries[k];
		let row: number;
		if (typeof entry === 'number') {
			row = entry;
		} else {
			row = entry.rows[entry.next++];
			if (entry.next < entry.rows.length) return row;
		}
		entries.splice(k, 1);
		if (entries.length === 0) this.buckets.delete(hash);
		else this.buckets.set(hash, entries.length === 1 ? entries[0] : entries);
		return row;
	}

	/** Where each column sent sits in a result header (the k-th column of a name takes its k-th echo). */
	private positionsIn(header: readonly string[]): number[] | string {
		const byName = new Map<string, number[]>();
		header.forEach((name, i) => {
			if (name.startsWith('sf__')) return;
			for (const key of [name, `\0${name.toLowerCase()}`]) byName.set(key, [...(byName.get(key) ?? []), i]);
		});
		const positions: number[] = [];
		for (const column of this.columns) {
			// Exact name first; Salesforce may echo a header in its own capitalisation.
			const found = byName.get(column)?.shift() ?? byName.get(`\0${column.toLowerCase()}`)?.shift();
			if (found === undefined) return column;
			positions.push(found);
		}
		return positions;
	}

	/** Reads one result file (a CSV stream) and records the outcome of each row it names (with `jobId`, when given). */
	async read(which: IngestResultKind, body: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, delimiter?: ColumnDelimiter, jobId?: string): Promise<void> {
		let positions: number[] | undefined;
		let idAt = -1;
		let infoAt = -1;
		let missing: string | undefined;
		await this.index();
		for await (const batch of readCsvBatches(body, { delimiter, lineEnding: 'auto' })) {
			await this.turn();
			for (const row of batch) {
				if (!positions && missing === undefined) {
					const found = this.positionsIn(row);
					if (typeof found === 'string') missing = found;
					else positions = found;
					idAt = row.indexOf('sf__Id');
					infoAt = row.indexOf(which === 'successfulResults' ? 'sf__Created' : 'sf__Error');
					continue;
				}
				this.counts[which]++;
				const index = positions ? this.take(positions.map((p) => row[p] ?? '')) : undefined;
				if (index === undefined) {
					this.unmatchedResults++;
					continue;
				}
				const outcome = this.outcome(which, idAt >= 0 ? row[idAt] : '', infoAt >= 0 ? row[infoAt] : '');
				if (jobId !== undefined) outcome.jobId = jobId;
				this.outcomes[index] = outcome;
			}
		}
		if (missing !== undefined) this.problems.push(`its ${which} lack the column "${missing}", so they could not be matched to the rows sent`);
	}

	private outcome(which: IngestResultKind, id: string, info: string): MatchedRowOutcome {
		if (which === 'unprocessedrecords') return { status: 'unprocessed', success: false, id: null, error: null, errorCode: null };
		if (which === 'failedResults') {
			const colon = info.indexOf(':');
			return { status: 'failed', success: false, id: id ? own(id) : null, error: info ? own(info) : null, errorCode: colon > 0 ? info.slice(0, colon).trim() : null };
		}
		const op = this.operation;
		const status = op === 'insert' ? 'created' : op === 'update' ? 'updated' : op === 'upsert' ? (info === 'true' ? 'created' : 'updated') : 'deleted';
		return { status, success: true, id: id ? own(id) : null, error: null, errorCode: null };
	}

	/**
	 * Every row's outcome. Rows no result named are `unknown` (or `unprocessed` when the job was aborted,
	 * as Salesforce never got to them); what did not add up is reported in `problems`.
	 */
	finish(job: Pick<JobInfo, 'state' | 'errorMessage' | 'numberRecordsProcessed'>): MatchReport {
		const jobError = job.errorMessage || (job.state === 'JobComplete' ? null : `The job ended ${job.state} before this row was processed`);
		let unknown = 0;
		const outcomes = Array.from(this.outcomes, (outcome): MatchedRowOutcome => {
			if (outcome?.status === 'unprocessed') return { ...outcome, error: jobError };
			if (outcome) return outcome;
			if (job.state === 'Aborted') return { status: 'unprocessed', success: false, id: null, error: jobError, errorCode: null };
			unknown++;
			return { status: 'unknown', success: false, id: null, error: 'Salesforce returned no result that matches this row', errorCode: null };
		});
		const { successfulResults, failedResults, unprocessedrecords } = this.counts;
		const total = successfulResults + failedResults + unprocessedrecords;
		const problems = [...this.problems];
		if (total !== outcomes.length) {
			problems.push(`Salesforce returned ${total} results (${successfulResults} successful, ${failedResults} failed, ${unprocessedrecords} unprocessed) for ${outcomes.length} rows sent`);
		}
		if (this.unmatchedResults > 0) problems.push(`${this.unmatchedResults} result rows match no row sent`);
		if (unknown > 0) problems.push(`${unknown} rows have no matching result (status "unknown")`);
		const processed = job.numberRecordsProcessed;
		if (typeof processed === 'number' && job.state === 'JobComplete' && processed !== successfulResults + failedResults) {
			problems.push(`the job reports ${processed} records processed, its results ${successfulResults + failedResults}`);
		}
		return { outcomes, counts: { ...this.counts }, problems };
	}

	/**
	 * Every row's outcome when the rows of several jobs were matched at once (a resumed load, whose rows cannot be
	 * told apart by job): an unprocessed row takes its job's reason; a row no job's results named was never part
	 * of those jobs (the earlier run stopped before uploading it), so it is unprocessed with `missingReason`.
	 */
	finishAcross(jobs: ReadonlyArray<Pick<JobInfo, 'id' | 'state' | 'errorMessage'>>, missingReason: string): MatchReport {
		const reasonOf = new Map(jobs.map((job) => [job.id, job.errorMessage || (job.state === 'JobComplete' ? null : `The job ended ${job.state} before this row was processed`)]));
		let missing = 0;
		const outcomes = Array.from(this.outcomes, (outcome): MatchedRowOutcome => {
			if (outcome?.status === 'unprocessed') return { ...outcome, error: reasonOf.get(outcome.jobId ?? '') ?? null };
			if (outcome) return outcome;
			missing++;
			return { status: 'unprocessed', success: false, id: null, error: missingReason, errorCode: null, jobId: null };
		});
		const problems = [...this.problems];
		if (this.unmatchedResults > 0) problems.push(`${this.unmatchedResults} result rows match no input row: give the same input as the run that created the jobs`);
		if (missing > 0) problems.push(`${missing} rows are in no job's results: ${missingReason}`);
		return { outcomes, counts: { ...this.counts }, problems };
	}
}
