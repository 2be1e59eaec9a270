import type { IDataObject } from 'n8n-workflow';

import { timeOf, type FinishedJob, type JobKindOption } from './jobs';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Salesforce deletes jobs 7 days after they finish: older jobs never fire. */
export const RETENTION_MS = 7 * DAY_MS;
/**
 * Seen entries are kept a day longer than that horizon, so a job whose entry is pruned is always older
 * than the horizon by Salesforce's own systemModstamp, whatever the skew between its clock and ours.
 */
const SAFETY_MS = DAY_MS;

/** What the trigger keeps in the workflow's static data (per node). */
export interface TriggerState extends IDataObject {
	/** Finished jobs of the tracked kinds already accounted for (fired or not), by ID: final state and when. */
	seen: Record<string, { state: string; at: string }>;
	/** Job kinds whose finished jobs `seen` covers; a kind added later starts from what is finished then. */
	kinds: JobKindOption[];
}

/**
 * The finished jobs already accounted for, across polls. Every finished job is recorded whether or not it
 * fires, so changing events or filters later never replays old jobs. Changes reach the static data only
 * in `save`, once the poll has succeeded: a failed poll leaves the state as it was, and the next poll
 * tries the same jobs again.
 */
export class SeenJobs {
	private readonly seen: TriggerState['seen'];
	private readonly tracked: Set<JobKindOption>;

	constructor(
		private readonly data: Partial<TriggerState>,
		private readonly kinds: JobKindOption[],
		private readonly now: number,
	) {
		this.seen = { ...data.seen };
		// No state yet (first activation): every kind starts from what has finished by now.
		this.tracked = new Set(data.seen ? (data.kinds ?? []) : []);
	}

	/** Whether a listed job needs no look: already recorded, or too old to fire. */
	skips(job: { id: string; systemModstamp?: unknown }): boolean {
		return this.seen[job.id] !== undefined || timeOf(job.systemModstamp) < this.now - RETENTION_MS;
	}

	/** Whether finished jobs of this kind fire (its kind was tracked before this poll). */
	tracks(kind: JobKindOption): boolean {
		return this.tracked.has(kind);
	}

	record(job: FinishedJob): void {
		const at = Number.isNaN(timeOf(job.finishedAt)) ? new Date(this.now).toISOString() : job.finishedAt;
		this.seen[job.id] = { state: String((job.classicDetail ?? job.info).state), at };
	}

	/** Prunes entries past the horizon and writes the state back, only when something changed (sparing n8n a database write per poll). */
	save(): void {
		const before = this.data.seen;
		let changed = !before || String(this.data.kinds) !== String(this.kinds) || Object.keys(this.seen).length !== Object.keys(before).length;
		for (const [id, entry] of Object.entries(this.seen)) {
			if (timeOf(entry.at) < this.now - RETENTION_MS - SAFETY_MS) {
				delete this.seen[id];
				changed = true;
			}
		}
		if (changed) {
			this.data.seen = this.seen;
			this.data.kinds = this.kinds;
		}
	}
}
