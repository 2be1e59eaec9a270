'use strict';
// Every bulk job of the org (Bulk 2.0 ingest and query, Bulk 1.0 "Classic"), their asynchronous
// processing, and the job lists of GET /jobs/ingest and /jobs/query.

const { normalizeId } = require('./ids');

class JobStore {
	/**
	 * @param {object} o
	 * @param {object} o.org
	 * @param {() => number} o.jobDelayMs  how long a job takes from close to finish
	 * @param {() => boolean} o.holdJobs   when true, jobs wait in InProgress until finish(id) is called
	 */
	constructor({ org, jobDelayMs, holdJobs }) {
		this.org = org;
		this.jobDelayMs = jobDelayMs;
		this.holdJobs = holdJobs;
		this.jobs = new Map();
		this.timers = new Set();
		this.held = new Map(); // job id → work to run when released
	}

	create(fields) {
		const now = new Date(this.org.clock()).toISOString();
		const job = {
			id: this.org.nextId('750'),
			createdById: this.org.user.Id,
			createdDate: now,
			systemModstamp: now,
			concurrencyMode: 'Parallel',
			contentType: 'CSV',
			numberRecordsProcessed: 0,
			numberRecordsFailed: 0,
			retries: 0,
			totalProcessingTime: 0,
			apiActiveProcessingTime: 0,
			apexProcessingTime: 0,
			...fields,
		};
		this.jobs.set(job.id, job);
		return job;
	}

	get(id) {
		const id18 = normalizeId(id);
		return id18 ? this.jobs.get(id18) : undefined;
	}

	delete(job) {
		this.jobs.delete(job.id);
		this.held.delete(job.id);
	}

	touch(job, state) {
		if (state) job.state = state;
		job.systemModstamp = new Date(this.org.clock()).toISOString();
	}

	/**
	 * Processes a job asynchronously: InProgress after a short while, then `work()` runs and sets the final
	 * state. Aborted or deleted jobs are left alone. `delayMs` (default: the jobDelayMs option) is the time to
	 * the finish, `queuedMs` (default: a third of it) the time before InProgress.
	 * @param {object} job
	 * @param {() => void} work
	 * @param {{ inProgressState?: string | null, delayMs?: number, queuedMs?: number }} [o]
	 */
	schedule(job, work, { inProgressState = 'InProgress', delayMs, queuedMs } = {}) {
		const delay = Math.max(0, delayMs ?? this.jobDelayMs());
		const queued = queuedMs ?? Math.floor(delay / 3);
		this.later(queued, () => {
			if (this.jobs.get(job.id) !== job || job.state === 'Aborted') return;
			if (inProgressState) this.touch(job, inProgressState);
			const run = () => {
				if (this.jobs.get(job.id) !== job || job.state === 'Aborted') return;
				const started = this.org.clock();
				work();
				const elapsed = Math.max(1, this.org.clock() - started);
				job.totalProcessingTime += elapsed;
				job.apiActiveProcessingTime += Math.max(1, Math.floor(elapsed * 0.8));
				this.touch(job);
			};
			if (this.holdJobs()) this.held.set(job.id, run);
			else this.later(delay - queued, run);
		});
	}

	/** Releases a held job (or runs it now): the emulator's "finish this job" switch. */
	finish(id) {
		const job = this.get(id);
		const run = job && this.held.get(job.id);
		if (!run) return false;
		this.held.delete(job.id);
		run();
		return true;
	}

	later(ms, fn) {
		const timer = setTimeout(() => {
			this.timers.delete(timer);
			fn();
		}, ms);
		this.timers.add(timer);
	}

	close() {
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
	}

	/**
	 * One page of a job list, newest last as Salesforce returns them, with `nextRecordsUrl` when more remain.
	 * @param {(job) => boolean} filter
	 */
	page(filter, { offset = 0, pageSize = 1000, basePath, query, toJson }) {
		const all = [...this.jobs.values()].filter(filter);
		const records = all.slice(offset, offset + pageSize).map(toJson);
		const done = offset + pageSize >= all.length;
		let nextRecordsUrl = null;
		if (!done) {
			const params = new URLSearchParams(query);
			params.set('queryLocator', `01g${this.org.orgId.slice(3, 15)}-${offset + pageSize}`);
			nextRecordsUrl = `${basePath}?${params}`;
		}
		return { done, nextRecordsUrl, records };
	}
}

/** Offset encoded in a job-list queryLocator ("01gXXXXXXXXXXXX-1000"), or undefined if malformed. */
function listOffset(locator) {
	if (locator === null || locator === undefined || locator === '') return 0;
	const m = /^01g[0-9A-Za-z]{12}-(\d+)$/.exec(locator);
	return m ? Number(m[1]) : undefined;
}

module.exports = { JobStore, listOffset };
