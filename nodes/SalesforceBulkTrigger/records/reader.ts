import type { IPollFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { Bulk2Api, JobInfo } from '../../shared/api/bulk2Api';
import { queryResultPages } from '../../shared/bulk2/queryPages';
import { readCsvBatches } from '../../shared/codecs/csv';
import { csvFormat } from '../../shared/node/csvOutput';
import { msOf, type ChangeCursor } from './cursor';
import { windowQuery, type JobStart, type WatchPlan } from './query';

/** Rows of one CSV batch, with the header of the results they came in. */
export interface RowBatch {
	header: string[];
	rows: string[][];
	/** A response stream of the results (for readableFrom), set on the first batch. */
	stream?: NodeJS.ReadableStream;
}

export interface ReadOptions {
	pageSize: number;
	/** How long one query job may take. */
	jobTimeoutMs: number;
	/** After this moment no further job starts (the rest waits for the next poll). */
	deadline: number;
}

/** Runs one query job to the end and returns its info; a job that fails or times out fails the poll (and is aborted). */
export async function runQueryJob(ctx: IPollFunctions, bulk2: Bulk2Api, query: string, operation: 'query' | 'queryAll', timeoutMs: number): Promise<JobInfo> {
	const created = await bulk2.createQueryJob({ query, operation });
	let job: JobInfo;
	try {
		job = await bulk2.waitForJob('query', created.id, { timeoutMs, initialIntervalMs: 500 });
	} catch (error) {
		await bulk2.abortJob('query', created.id).catch(() => undefined);
		throw new NodeApiError(ctx.getNode(), error as JsonObject);
	}
	if (job.state !== 'JobComplete') {
		throw new NodeApiError(ctx.getNode(), { jobId: job.id, state: job.state }, {
			message: `Query job ${job.id} for the changed records ended ${job.state}${job.errorMessage ? `: ${job.errorMessage}` : ''}`,
			description: 'The cursor did not move: the next poll queries the same window again. Check the fields and the extra condition, and the job in Setup → Bulk Data Load Jobs.',
		});
	}
	return job;
}

/** Every row of a completed query job, in CSV batches (the header kept apart). */
export async function* jobRows(ctx: IPollFunctions, bulk2: Bulk2Api, job: JobInfo, pageSize: number): AsyncGenerator<RowBatch> {
	for await (const page of queryResultPages(ctx, bulk2, job.id, { maxRecords: pageSize })) {
		let header: string[] | undefined;
		let stream: NodeJS.ReadableStream | undefined = page.stream;
		for await (const batch of readCsvBatches(page.body, csvFormat(job))) {
			const rows = header ? batch : batch.slice(1);
			header ??= batch[0];
			if (rows.length) yield { header, rows, stream };
			stream = undefined;
		}
	}
}

/**
 * The changed rows of the window, job after job: each job takes at most rowsPerJob rows in (cursor, Id)
 * order; a full job is followed by one that starts after its last row, until a job comes back short or
 * the deadline passes (once some row was new, so every poll moves on). Rows the cursor already emitted
 * are dropped; the others are accepted into the cursor as they pass.
 */
export class WindowReader {
	readonly jobIds: string[] = [];
	/** Whether the window was read to its end (false: the deadline stopped it; the next poll goes on). */
	complete = false;
	deleted = 0;
	/** The first result page's response stream (spent), what readableFrom needs to build the files. */
	stream?: NodeJS.ReadableStream;

	constructor(
		private readonly ctx: IPollFunctions,
		private readonly bulk2: Bulk2Api,
		private readonly plan: WatchPlan,
		private readonly cursor: ChangeCursor,
		private readonly options: ReadOptions,
	) {}

	async *batches(): AsyncGenerator<RowBatch> {
		const { plan, cursor } = this;
		let start: JobStart = { from: cursor.from };
		for (;;) {
			const job = await runQueryJob(this.ctx, this.bulk2, windowQuery(plan, start), plan.includeDeleted ? 'queryAll' : 'query', this.options.jobTimeoutMs);
			this.jobIds.push(job.id);
			let count = 0;
			let last: { stamp: number; id: string } | undefined;
			for await (const batch of jobRows(this.ctx, this.bulk2, job, this.options.pageSize)) {
				this.stream ??= batch.stream;
				const idAt = batch.header.indexOf('Id');
				const stampAt = batch.header.findIndex((h) => h.toLowerCase() === plan.cursorField.toLowerCase());
				const deletedAt = batch.header.indexOf('IsDeleted');
				const fresh: string[][] = [];
				for (const row of batch.rows) {
					last = { stamp: msOf(row[stampAt]), id: row[idAt] };
					count++;
					if (!cursor.accept(last.id, last.stamp)) continue;
					if (deletedAt >= 0 && row[deletedAt] === 'true') this.deleted++;
					fresh.push(row);
				}
				if (fresh.length) yield { ...batch, rows: fresh };
			}
			if (count < plan.rowsPerJob || !last) break;
			if (cursor.accepted > 0 && Date.now() >= this.options.deadline) return;
			start = { after: last };
		}
		this.complete = true;
	}
}
