/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: real streams that break off */
// transport/rereadOnDrop: a body whose connection drops is read on from a fresh request where it dropped, with no
// byte lost or repeated; a body that keeps dropping fails with an error that names it and its job. (Over HTTP,
// with the emulator dropping connections, in test/reliability.)
import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { Readable } from 'node:stream';

import { jobIdOfError } from '../../../nodes/shared/transport/errors';
import type { SalesforceFunctions } from '../../../nodes/shared/transport/request';
import { BODY_ATTEMPTS, rereadOnDrop } from '../../../nodes/shared/transport/rereadOnDrop';

const ctx = { getNode: () => ({ name: 'Salesforce Bulk V2' }) as INode } as unknown as SalesforceFunctions;
const body = Buffer.from(Array.from({ length: 40 }, (_, i) => `row ${i}\n`).join(''));
const what = { what: 'the failedResults of job 750X', whatToDo: 'get them with Get Failed Results and job ID 750X' };

/** The body in chunks of `chunk` bytes, breaking off (ECONNRESET) after `dropAfter` bytes when given. */
function served(chunk: number, dropAfter?: number): NodeJS.ReadableStream {
	return Readable.from(
		(async function* () {
			for (let at = 0; at < body.length; at += chunk) {
				if (dropAfter !== undefined && at >= dropAfter) throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
				yield body.subarray(at, at + chunk);
			}
		})(),
	);
}

async function read(stream: NodeJS.ReadableStream): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
	return Buffer.concat(chunks);
}

it('passes a body that does not drop through unchanged, without a second request', async () => {
	const reopen = jest.fn(async () => served(7));
	expect((await read(rereadOnDrop(ctx, served(7), reopen, what, '750X'))).equals(body)).toBe(true);
	expect(reopen).not.toHaveBeenCalled();
});

it('reads on where it dropped, also when the new reads come in other chunk sizes', async () => {
	const again = [served(11, 150), served(5)];
	const reopen = jest.fn(async () => again.shift()!);
	const got = await read(rereadOnDrop(ctx, served(7, 63), reopen, what, '750X'));
	expect(got.toString()).toBe(body.toString());
	expect(reopen).toHaveBeenCalledTimes(2);
});

it(`fails after ${BODY_ATTEMPTS} drops, saying what and what to do, with the job ID in the context`, async () => {
	const reopen = jest.fn(async () => served(7, 21));
	const error = await read(rereadOnDrop(ctx, served(7, 21), reopen, what, '750X')).catch((e: unknown) => e);
	expect(error).toBeInstanceOf(NodeApiError);
	expect((error as NodeApiError).message).toBe(`The connection dropped ${BODY_ATTEMPTS} times while reading the failedResults of job 750X`);
	expect((error as NodeApiError).description).toBe('Salesforce keeps it, so nothing is lost: get them with Get Failed Results and job ID 750X');
	expect((error as NodeApiError).context).toMatchObject({ jobId: '750X', readAgain: what.whatToDo });
	expect(jobIdOfError(error)).toBe('750X');
	expect(reopen).toHaveBeenCalledTimes(BODY_ATTEMPTS - 1);
	const unnamed = await read(rereadOnDrop(ctx, served(7, 21), async () => served(7, 21), what)).catch((e: unknown) => e);
	expect(jobIdOfError(unnamed)).toBeUndefined();
});
