/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: a stream sample for readableFrom */
// node/fileSplit: result CSV written as several files inside the real n8n-core context (binary store), the
// settings checked, and which download errors pass through unchanged: those whose context names this job.
// (Through the operations, with real downloads: test/nodes/fileSplit.node.test.ts.)
import type { IBinaryData, IDataObject, IExecuteFunctions, INode, INodeParameters } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { Readable } from 'node:stream';

import { csvFiles, fileItems, fileSplitOf, fileSplitParameters, numberedFileName } from '../../../nodes/shared/node/fileSplit';
import { toApiError } from '../../../nodes/shared/transport/errors';
import { BODY_ATTEMPTS, rereadOnDrop } from '../../../nodes/shared/transport/rereadOnDrop';
import { apiProbe } from '../apiProbe';

const p = apiProbe(fileSplitParameters(undefined));
const node = { name: 'Salesforce Bulk V2' } as INode;
const source = {
	jobId: '7505e00000SPLITAAA',
	refetch: 'Get Results (Query Job)',
};
const csv = (rows: number) => Buffer.from(['Id,Name', ...Array.from({ length: rows }, (_, i) => `001${i},Row ${i}`)].join('\n') + '\n');

async function* chunksOf(bytes: Buffer, size = 10, fail?: Error): AsyncGenerator<Buffer> {
	for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
	if (fail) throw fail;
}

/** csvFiles in a node run: the files' names and texts, or the error. */
async function write(bytes: Buffer, split: { maxBytes?: number; maxRows?: number }, fail?: Error) {
	const out = await p.run(async (_sf, ctx) => {
		const files = await csvFiles(ctx, chunksOf(bytes, 10, fail), Readable.from([]), 'accounts.csv', split, source, 0);
		return {
			files: files.map((f) => ({
				name: f.binary.fileName,
				rows: f.rows,
				binary: f.binary as unknown as IDataObject,
			})),
		};
	});
	return out.files as Array<{
		name: string;
		rows: number;
		binary: IBinaryData;
	}>;
}

describe('csvFiles', () => {
	it('writes files of at most N rows, each with the header, names numbered in order', async () => {
		const files = await write(csv(5), { maxRows: 2 });
		expect(files.map((f) => [f.name, f.rows])).toEqual([
			['accounts-001.csv', 2],
			['accounts-002.csv', 2],
			['accounts-003.csv', 1],
		]);
		const texts = await Promise.all(files.map(async (f) => (await p.s.harness.readBinary(f.binary)).toString()));
		expect(texts).toEqual(['Id,Name\n0010,Row 0\n0011,Row 1\n', 'Id,Name\n0012,Row 2\n0013,Row 3\n', 'Id,Name\n0014,Row 4\n']);
	});

	it('keeps the name asked for when everything fits in one file, and writes the header alone for no rows', async () => {
		expect((await write(csv(3), { maxRows: 10 })).map((f) => [f.name, f.rows])).toEqual([['accounts.csv', 3]]);
		const empty = await write(csv(0), { maxRows: 10 });
		expect(empty.map((f) => [f.name, f.rows])).toEqual([['accounts.csv', 0]]);
		expect((await p.s.harness.readBinary(empty[0].binary)).toString()).toBe('Id,Name\n');
	});

	it("keeps a download error that says how to read this job's results again as it is (by its context, not its message)", async () => {
		const error = await p.failure(async (_sf, ctx) => {
			// A result body that drops on every read: the re-read error names the job in its context, with what to do.
			const dropping = () =>
				Readable.from(
					(async function* () {
						yield csv(5).subarray(0, 20);
						throw Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
					})(),
				);
			const body = rereadOnDrop(
				ctx,
				dropping(),
				async () => dropping(),
				{
					what: `the results of job ${source.jobId}`,
					whatToDo: 'read them again with Get Results',
				},
				source.jobId,
			);
			return {
				f: await csvFiles(ctx, body as AsyncIterable<Buffer>, body, 'a.csv', { maxRows: 2 }, source, 0),
			};
		});
		expect(error.message).toBe(`The connection dropped ${BODY_ATTEMPTS} times while reading the results of job ${source.jobId}`);
		expect(error.context).toMatchObject({
			jobId: source.jobId,
			readAgain: 'read them again with Get Results',
		});
	});

	it('adds how to fetch the results again to an error about this job that does not say it', async () => {
		const about = toApiError(
			node,
			{
				statusCode: 400,
				body: '[{"errorCode":"INVALID_LOCATOR","message":"bad locator"}]',
			},
			{ jobId: source.jobId, method: 'GET' },
		);
		const error = await p.failure(async (_sf, ctx) => ({
			f: await csvFiles(ctx, chunksOf(csv(5), 10, about), Readable.from([]), 'a.csv', { maxRows: 2 }, source, 0),
		}));
		expect(error.message).toBe(
			`Writing the results of job ${source.jobId} to files failed after 2 file(s): Salesforce error INVALID_LOCATOR: bad locator. The results stay in Salesforce: fetch them again with Get Results (Query Job) and job ID ${source.jobId}, instead of running the job again.`,
		);
	});

	it('wraps any other failure in an error that names the job and how to fetch the results again', async () => {
		// Its message holds the job ID, but nothing says the error is about this job: it is wrapped.
		const other = new NodeApiError(node, {
			message: `read failed near ${source.jobId}`,
		});
		const error = await p.failure(async (_sf, ctx) => ({
			f: await csvFiles(ctx, chunksOf(csv(5), 10, other), Readable.from([]), 'a.csv', { maxRows: 2 }, source, 0),
		}));
		expect(error).not.toBe(other);
		expect(error.message).toMatch(new RegExp(`^Writing the results of job ${source.jobId} to files failed after \\d file\\(s\\): .*fetch them again with Get Results \\(Query Job\\) and job ID ${source.jobId}`));
		const tooLarge = await p.failure(async (_sf, ctx) => ({
			f: await csvFiles(ctx, chunksOf(csv(2)), Readable.from([]), 'a.csv', { maxBytes: 12 }, source, 0),
		}));
		expect(tooLarge.message).toMatch(/a row is larger than Max File Size/);
	});
});

describe('fileSplitOf', () => {
	const settings = async (parameters: INodeParameters) =>
		await p.run(
			async (_sf, ctx: IExecuteFunctions) => ({
				split: (fileSplitOf(ctx, 0) ?? null) as IDataObject | null,
			}),
			{ parameters },
		);

	it('reads the mode and its limit', async () => {
		expect((await settings({ splitFiles: 'one' })).split).toBeNull();
		expect((await settings({ splitFiles: 'size', maxFileSizeMb: 2 })).split).toEqual({ maxBytes: 2 * 1024 * 1024 });
		expect((await settings({ splitFiles: 'rows', maxFileRows: 500 })).split).toEqual({ maxRows: 500 });
		// The probe node is version 1: before SPLIT_FROM_VERSION (1.1) the default is one file, as it always was.
		expect((await settings({})).split).toBeNull();
		expect((await settings({ splitFiles: 'size' })).split).toEqual({
			maxBytes: 100 * 1024 * 1024,
		});
	});

	it('refuses limits outside what the store takes', async () => {
		const failed = async (parameters: INodeParameters) =>
			(
				await p.failure(
					async (_sf, ctx) => ({
						split: (fileSplitOf(ctx, 0) ?? null) as IDataObject | null,
					}),
					{ parameters },
				)
			).message;
		expect(await failed({ splitFiles: 'size', maxFileSizeMb: 2000 })).toMatch(/^Max File Size \(MB\) must be between 1 and 1024/);
		expect(await failed({ splitFiles: 'size', maxFileSizeMb: 0 })).toMatch(/it is 0$/);
		expect(await failed({ splitFiles: 'rows', maxFileRows: 1.5 })).toBe('Max Rows per File must be a whole number of at least 1; it is 1.5');
	});
});

it('numberedFileName numbers before the extension, from 1', () => {
	expect(numberedFileName('accounts.csv', 0)).toBe('accounts-001.csv');
	expect(numberedFileName('export', 11)).toBe('export-012');
	expect(numberedFileName('.hidden', 1)).toBe('.hidden-002');
});

it('fileItems: one item as without splitting, or one per file with its number, the count and its rows', () => {
	const binary = (name: string) => ({ fileName: name, data: '', mimeType: 'text/csv' }) as IBinaryData;
	expect(
		fileItems([{ binary: binary('a.csv'), rows: 3 }], 'data', {
			jobId: '750A',
		}),
	).toEqual([{ json: { jobId: '750A' }, binary: { data: binary('a.csv') } }]);
	expect(
		fileItems(
			[
				{ binary: binary('a-001.csv'), rows: 2 },
				{ binary: binary('a-002.csv'), rows: 1 },
			],
			'data',
			{ jobId: '750A' },
		).map((i) => i.json),
	).toEqual([
		{ jobId: '750A', file: 1, files: 2, rows: 2 },
		{ jobId: '750A', file: 2, files: 2, rows: 1 },
	]);
});
