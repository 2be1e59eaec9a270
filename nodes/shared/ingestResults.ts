/**
 * Matches Bulk API 2.0 ingest results back to the rows that were sent.
 *
 * Salesforce returns results in no particular order and without a row number, but every result row
 * echoes the uploaded columns (after `sf__Id` and `sf__Created` / `sf__Error`). So each row sent is keyed
 * by its exact values as written to the CSV, and each result row takes the next row with the same key.
 * Identical rows are interchangeable: whichever of them gets which result, the outcome per row is the
 * same. One Map lookup per row: linear in the number of rows.
 */
import type { IngestOperation, IngestResultKind, JobInfo } from './bulk2';
import { readCsvBatches, type ColumnDelimiter } from './csv';

export type RowStatus = 'created' | 'updated' | 'deleted' | 'failed' | 'unprocessed' | 'unknown';

export interface RowOutcome {
	status: RowStatus;
	success: boolean;
	/** The Salesforce record ID, when Salesforce gave one. */
	id: string | null;
	error: string | null;
	/** The part of the error before the first ':', e.g. REQUIRED_FIELD_MISSING. */
	errorCode: string | null;
}

export interface MatchReport {
	/** One outcome per row sent, in the order sent. */
	outcomes: RowOutcome[];
	counts: Record<IngestResultKind, number>;
	/** What did not add up, in words; empty when every row has exactly one result. */
	problems: string[];
}

/** Rows with one key: identical rows, handed out in order. */
interface Queue {
	rows: number[];
	next: number;
}

const rowKey = (values: readonly string[]): string => JSON.stringify(values);

export class ResultMatcher {
	private readonly outcomes: Array<RowOutcome | undefined>;
	private readonly queues = new Map<string, number | Queue>();
	private readonly counts: Record<IngestResultKind, number> = { successfulResults: 0, failedResults: 0, unprocessedrecords: 0 };
	private readonly problems: string[] = [];
	private unmatchedResults = 0;

	constructor(
		private readonly columns: readonly string[],
		rows: ReadonlyArray<readonly string[]>,
		private readonly operation: IngestOperation,
	) {
		this.outcomes = new Array<RowOutcome | undefined>(rows.length);
		for (let i = 0; i < rows.length; i++) {
			const key = rowKey(rows[i]);
			const queue = this.queues.get(key);
			if (queue === undefined) this.queues.set(key, i);
			else if (typeof queue === 'number') this.queues.set(key, { rows: [queue, i], next: 0 });
			else queue.rows.push(i);
		}
	}

	private take(key: string): number | undefined {
		const queue = this.queues.get(key);
		if (typeof queue === 'number') {
			this.queues.delete(key);
			return queue;
		}
		if (queue === undefined) return undefined;
		const row = queue.rows[queue.next++];
		if (queue.next === queue.rows.length) this.queues.delete(key);
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

	/** Reads one result file (a CSV stream) and records the outcome of each row it names. */
	async read(which: IngestResultKind, body: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, delimiter?: ColumnDelimiter): Promise<void> {
		let positions: number[] | undefined;
		let idAt = -1;
		let infoAt = -1;
		let missing: string | undefined;
		for await (const batch of readCsvBatches(body, { delimiter, lineEnding: 'auto' })) {
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
				const index = positions ? this.take(rowKey(positions.map((p) => row[p] ?? ''))) : undefined;
				if (index === undefined) {
					this.unmatchedResults++;
					continue;
				}
				this.outcomes[index] = this.outcome(which, idAt >= 0 ? row[idAt] : '', infoAt >= 0 ? row[infoAt] : '');
			}
		}
		if (missing !== undefined) this.problems.push(`its ${which} lack the column "${missing}", so they could not be matched to the rows sent`);
	}

	private outcome(which: IngestResultKind, id: string, info: string): RowOutcome {
		if (which === 'unprocessedrecords') return { status: 'unprocessed', success: false, id: null, error: null, errorCode: null };
		if (which === 'failedResults') {
			const colon = info.indexOf(':');
			return { status: 'failed', success: false, id: id || null, error: info || null, errorCode: colon > 0 ? info.slice(0, colon).trim() : null };
		}
		const op = this.operation;
		const status = op === 'insert' ? 'created' : op === 'update' ? 'updated' : op === 'upsert' ? (info === 'true' ? 'created' : 'updated') : 'deleted';
		return { status, success: true, id: id || null, error: null, errorCode: null };
	}

	/**
	 * Every row's outcome. Rows no result named are `unknown` (or `unprocessed` when the job was aborted,
	 * as Salesforce never got to them); what did not add up is reported in `problems`.
	 */
	finish(job: Pick<JobInfo, 'state' | 'errorMessage' | 'numberRecordsProcessed'>): MatchReport {
		const jobError = job.errorMessage || (job.state === 'JobComplete' ? null : `The job ended ${job.state} before this row was processed`);
		let unknown = 0;
		const outcomes = Array.from(this.outcomes, (outcome): RowOutcome => {
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
}
