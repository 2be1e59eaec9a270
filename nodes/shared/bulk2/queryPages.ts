import type { Bulk2Api, ResultPage } from '../api/bulk2Api';
import type { SalesforceFunctions } from '../transport/request';

export interface QueryResultPage extends ResultPage<Buffer[]> {
	/** The response stream the page was read from (spent): what readableFrom needs. */
	stream: NodeJS.ReadableStream;
}

export interface PageOptions {
	/** Rows per page; bounds the memory one page takes. */
	maxRecords: number;
	/** Start here instead of at the first page. */
	locator?: string;
	/** Pages downloaded at once through /resultPages (API 58.0+); 1 = follow the locators one by one. */
	parallel?: number;
	/** Only the first page is wanted: do not request the next one ahead. */
	onePage?: boolean;
	/** Rows wanted (a Limit): no page is requested ahead once the pages so far hold that many. */
	rowsWanted?: number;
}

/** Locator pages requested ahead of the one in use (see queryResultPages). */
const MAX_AHEAD = 2;

/**
 * Reads one result page whole (as the chunks read). A connection dropped in the middle of the body is read
 * again by apiRequest (same locator or URL): no row is lost or repeated.
 */
async function readPage(
	page: ResultPage<NodeJS.ReadableStream>,
	onHeaders?: (page: ResultPage<NodeJS.ReadableStream>) => void,
): Promise<QueryResultPage> {
	onHeaders?.(page);
	const chunks: Buffer[] = [];
	for await (const chunk of page.body as AsyncIterable<Buffer>) chunks.push(chunk);
	// Kept as the chunks read (no concatenated copy: a copy per page is garbage the size of a page).
	return { ...page, body: chunks, stream: page.body };
}

/** The pages of a completed query job in order, following Sforce-Locator or, in parallel, /resultPages. */
export async function* queryResultPages(ctx: SalesforceFunctions, bulk2: Bulk2Api, jobId: string, options: PageOptions): AsyncGenerator<QueryResultPage> {
	const parallel = Math.max(1, options.parallel ?? 1);
	if (parallel === 1 || options.locator) {
		// The next page is requested as soon as this one's headers (which hold its locator) arrive, so
		// Salesforce prepares it while this one is read and used; at most MAX_AHEAD pages are requested
		// beyond the one in use, so memory stays bounded.
		const downloads: Array<Promise<QueryResultPage>> = [];
		let started = 0;
		let used = 0;
		let rows = 0;
		let waiting: { locator: string } | undefined;
		const start = (locator: string | undefined) => {
			started++;
			const download = bulk2.getQueryResults(jobId, { locator, maxRecords: options.maxRecords }, 'stream').then(async (page) =>
				readPage(page, ({ nextLocator, numberOfRecords }) => {
					rows += numberOfRecords;
					if (!nextLocator || options.onePage || rows >= (options.rowsWanted ?? Infinity)) return;
					if (started - used < MAX_AHEAD) start(nextLocator);
					else waiting = { locator: nextLocator };
				}),
			);
			download.catch(() => undefined); // awaited in order below; avoid an unhandled rejection meanwhile
			downloads.push(download);
		};
		start(options.locator);
		while (downloads.length) {
			const page = await (downloads.shift() as Promise<QueryResultPage>);
			used++;
			if (waiting) {
				const { locator } = waiting;
				waiting = undefined;
				start(locator);
			}
			yield page;
		}
		return;
	}
	// Keep up to `parallel` downloads in flight, hand pages out in order.
	const inFlight: Array<Promise<QueryResultPage>> = [];
	const urls = bulk2.resultPageUrls(jobId, options.maxRecords);
	let urlsDone = false;
	const fill = async () => {
		while (!urlsDone && inFlight.length < parallel) {
			const next = await urls.next();
			if (next.done) {
				urlsDone = true;
				break;
			}
			const url = next.value;
			const download = bulk2.getResultPage(url, 'stream', jobId).then(async (page) => readPage(page as ResultPage<NodeJS.ReadableStream>));
			download.catch(() => undefined); // awaited in order below; avoid an unhandled rejection meanwhile
			inFlight.push(download);
		}
	};
	await fill();
	while (inFlight.length) {
		const page = await (inFlight.shift() as Promise<QueryResultPage>);
		await fill();
		yield page;
	}
}
