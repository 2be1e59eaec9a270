/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: node streams */
// node/binaryInput: the first bytes of an input, without reading (or leaving open) the rest of a stream.
import { Readable } from 'node:stream';

import { headOf } from '../../../nodes/shared/node/binaryInput';

it('headOf: the start of bytes, or the first chunk of a stream, which it then closes', async () => {
	expect(await headOf(async () => Buffer.alloc(100000, 0x41))).toHaveLength(65536);
	let read = 0;
	const stream = Readable.from((function* () {
		for (let k = 0; k < 5; k++) {
			read++;
			yield Buffer.from(`chunk ${k}\n`);
		}
	})());
	expect((await headOf(async () => stream)).toString()).toBe('chunk 0\n');
	expect(read).toBe(1);
	await new Promise((resolve) => setImmediate(resolve));
	expect(stream.destroyed).toBe(true);
	expect(await headOf(async () => Readable.from([]))).toEqual(Buffer.alloc(0));
});
