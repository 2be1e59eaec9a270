/**
 * Job listings that can stop at any job and resume after it: Get Many's Resume From and the job dropdowns'
 * pagination token. Salesforce lists jobs in pages of up to 1,000, each page after the first reached through
 * a query locator; a position is that locator plus how many of its page's jobs were already read, written as
 * `<endpoint>:<locator>#<read>` (`ingest:#100` is the 101st job of the ingest list's first page).
 */
import type { IDataObject, IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isQueryJob } from '../api/bulk1Api';
import type { Bulk2Api, JobInfo, JobKind, JobListFilter } from '../api/bulk2Api';

interface ListPosition {
	kind: JobKind;
	locator?: string;
	read: number;
}

const POSITION = /^(ingest|query):([^#]*)#(\d+)$/;

const positionText = (p: ListPosition): string => `${p.kind}:${p.locator ?? ''}#${p.read}`;

/** A position as Get Many or a dropdown wrote it, refused (naming where it came from) when it is not one. */
function parsePosition(ctx: IExecuteFunctions | ILoadOptionsFunctions, text: string, kinds: JobKind[], itemIndex?: number): ListPosition {
	const m = POSITION.exec(text.trim());
	if (!m || !kinds.includes(m[1] as JobKind)) {
		throw new NodeOperationError(ctx.getNode(), `Resume From "${text}" is not a position in this job list`, {
			itemIndex,
			description: `Give the "resumeFrom" value of the last job an earlier Get Many output${kinds.length === 1 ? ` for ${kinds[0]} jobs` : ''}, e.g. {{ $json.resumeFrom }}, or leave it empty to list from the start.`,
		});
	}
	return { kind: m[1] as JobKind, locator: m[2] || undefined, read: Number(m[3]) };
}

export interface ListedJob {
	job: JobInfo;
	/** Where the listing goes on after this job; undefined when no job follows. */
	after?: string;
}

/**
 * The jobs of the endpoints `kinds` (in that order), from `from` (a position text) or the start, each with the
 * position after it. Requests a page only when the one before is used up, so a caller that stops early stops
 * the requests too. `classic`: Bulk 1.0 jobs (jobType=Classic), which both endpoints list; the query endpoint
 * adds only query jobs, and a job already listed in this run is not listed twice.
 */
export async function* jobsFrom(
	ctx: IExecuteFunctions | ILoadOptionsFunctions,
	bulk2: Bulk2Api,
	kinds: JobKind[],
	filter: JobListFilter,
	options: { from?: string; classic?: boolean; itemIndex?: number } = {},
): AsyncGenerator<ListedJob> {
	const start = options.from?.trim() ? parsePosition(ctx, options.from, kinds, options.itemIndex) : { kind: kinds[0], read: 0 };
	const seen = new Set<string>();
	for (let k = kinds.indexOf(start.kind); k < kinds.length; k++) {
		const kind = kinds[k];
		let locator = kind === start.kind ? start.locator : undefined;
		let skip = kind === start.kind ? start.read : 0;
		for (;;) {
			const page = await bulk2.listJobPage(kind, options.classic ? { ...filter, jobType: 'Classic' } : filter, locator);
			for (let j = skip; j < page.records.length; j++) {
				const job = page.records[j];
				const nextKind = kinds[k + 1];
				const after: ListPosition | undefined =
					j + 1 < page.records.length ? { kind, locator, read: j + 1 } : page.nextLocator ? { kind, locator: page.nextLocator, read: 0 } : nextKind ? { kind: nextKind, read: 0 } : undefined;
				if (options.classic && (seen.has(job.id) || (kind === 'query' && !isQueryJob(job)))) continue;
				seen.add(job.id);
				yield { job, after: after && positionText(after) };
			}
			if (!page.nextLocator) break;
			locator = page.nextLocator;
			skip = 0;
		}
	}
}

/** The first `limit` jobs `accepts` takes, the last one carrying `resumeFrom` when the list goes on. */
export async function acceptedJobs(listing: AsyncIterable<ListedJob>, accepts: (job: JobInfo) => boolean, limit: number): Promise<IDataObject[]> {
	const jobs: IDataObject[] = [];
	if (limit <= 0) return jobs;
	for await (const { job, after } of listing) {
		if (!accepts(job)) continue;
		jobs.push(job);
		if (jobs.length >= limit) {
			if (after) jobs[jobs.length - 1] = { ...job, resumeFrom: after };
			break;
		}
	}
	return jobs;
}
