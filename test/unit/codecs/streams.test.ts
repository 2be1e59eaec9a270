/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node built-ins */
// streams.ts: a Readable from any stream n8n hands us, and a body read whole.
import { Readable } from 'node:stream';

import { readableFrom, readAllBytes } from '../../../nodes/shared/codecs/streams';

describe('streams', () => {
	it('builds a Readable of the sample stream\'s class from an async iterable', async () => {
		async function* parts() {
			yield Buffer.from('ab');
			yield 'cd';
		}
		const stream = readableFrom(Readable.from([]), parts());
		expect(stream).toBeInstanceOf(Readable);
		expect((await readAllBytes(stream)).toString()).toBe('abcd');
	});

	it('reads bytes as they are, and a stream to its end', async () => {
		const bytes = Buffer.from('x');
		expect(await readAllBytes(bytes)).toBe(bytes);
		expect((await readAllBytes(Readable.from([Buffer.from('1'), Buffer.from('2')]))).toString()).toBe('12');
	});
});
