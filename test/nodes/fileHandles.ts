/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: watches the files n8n's binary store opens */
// Every file opened as a FileHandle while `fn` runs (n8n's binary store streams binaries from one), and those
// not closed afterwards: a handle left to the garbage collector is Node's DEP0137 warning.
import fsPromises from 'node:fs/promises';

import { sleep } from 'n8n-workflow';

export async function fileHandlesLeftOpen(fn: () => Promise<void>): Promise<{ opened: number; open: number }> {
	const open = fsPromises.open;
	const handles: Array<{ closed: boolean }> = [];
	fsPromises.open = async (...args: Parameters<typeof open>) => {
		const handle = await open(...args);
		const entry = { closed: false };
		handles.push(entry);
		const close = handle.close.bind(handle);
		handle.close = async () => {
			entry.closed = true;
			return await close();
		};
		return handle;
	};
	try {
		await fn();
	} finally {
		fsPromises.open = open;
	}
	// Closing a stream's handle is asynchronous: a moment for those being closed.
	for (let k = 0; k < 100 && handles.some((h) => !h.closed); k++) await sleep(10);
	return { opened: handles.length, open: handles.filter((h) => !h.closed).length };
}
