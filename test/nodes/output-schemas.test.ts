// The output schemas the package ships (nodes/<Node>/__schema__/v<version>/<resource>/<operation>.json, which
// n8n serves to the editor so that it can show an operation's output fields before the node runs) against
// what each operation really outputs from the emulator: every field an item has is in its schema with the
// right type, and every field the schema requires is in every item.
//
// After changing an operation's output on purpose: WRITE_SCHEMAS=1 npx jest test/nodes/output-schemas
// writes the schemas from the outputs seen (review the diff), and a plain run checks them again.
/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: reads and writes the schema files */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';

import type { IDataObject, INodeExecutionData, INodeType } from 'n8n-workflow';

import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { setup, until, type Setup } from './setup';

type JsonType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';
interface Schema {
	type: 'object';
	properties: Record<string, { type: JsonType | JsonType[] }>;
	required?: string[];
	additionalProperties?: boolean;
}

const NODES_DIR = join(__dirname, '..', '..', 'nodes');
const WRITE = process.env.WRITE_SCHEMAS === '1';
/** Outputs whose values 1.2 types by the org's schema (resultTyping.ts); older versions output text. */
const TYPED_FROM_1_2 = new Set(['ingestJob/getSuccessfulResults.json', 'ingestJob/getFailedResults.json']);

let s: Setup;
beforeAll(async () => {
	s = await setup();
});
afterAll(async () => await s.close());

const v2 = new SalesforceBulk2();
const classic = new SalesforceBulkClassic();
const byId = (value: string) => ({ __rl: true, mode: 'id', value });

async function run(node: INodeType, resource: string, operation: string, parameters: IDataObject, items?: INodeExecutionData[]) {
	const [out] = await s.harness.execute(node, { parameters: { resource, operation, ...parameters }, items });
	return out.map((i) => i.json);
}

/** A finished V2 ingest job with one created and one failed row, and a finished V2 query job. */
async function v2Jobs() {
	const [job] = await run(v2, 'ingestJob', 'create', { object: 'Account', ingestOperation: 'insert' });
	const jobId = String(job.id);
	await run(v2, 'ingestJob', 'uploadData', { jobId: byId(jobId), inputDataType: 'csv', csvData: 'Name,Phone\nSchema One,555-0100\n,555-0101\n' });
	await run(v2, 'ingestJob', 'close', { jobId: byId(jobId) });
	const finished = async (resource: string, id: string) =>
		await until(`job ${id} finishing`, async () => {
			const [info] = await run(v2, resource, 'get', { jobId: byId(id) });
			return ['JobComplete', 'Failed', 'Aborted'].includes(String(info.state)) ? info : undefined;
		});
	await finished('ingestJob', jobId);
	const [queryJob] = await run(v2, 'queryJob', 'create', { query: 'SELECT Id, Name FROM Account' });
	await finished('queryJob', String(queryJob.id));
	return { jobId, queryJobId: String(queryJob.id) };
}

/** A Classic CSV job with one batch of one created and one failed row, finished. */
async function classicJob() {
	const [job] = await run(classic, 'job', 'create', { object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
	const jobId = String(job.id);
	const [batch] = await run(classic, 'batch', 'add', { jobId: byId(jobId), inputDataType: 'items', columns: { mappingMode: 'autoMapInputData', value: null } }, [{ json: { Name: 'Schema Classic' } }, { json: { Name: '' } }]);
	await run(classic, 'job', 'update', { jobId: byId(jobId), state: 'Closed' });
	await until(`the batch of job ${jobId} finishing`, async () => {
		const [info] = await run(classic, 'batch', 'get', { jobId: byId(jobId), batchId: batch.id });
		return info.state === 'Completed' ? info : undefined;
	});
	return { jobId, batchId: String(batch.id) };
}

interface Case {
	nodeDir: string;
	node: INodeType;
	resource: string;
	operation: string;
	run(): Promise<IDataObject[]>;
}

function cases(): Case[] {
	let jobs: Promise<Awaited<ReturnType<typeof v2Jobs>>> | undefined;
	let classicJobs: Promise<Awaited<ReturnType<typeof classicJob>>> | undefined;
	const v2Ids = async () => await (jobs ??= v2Jobs());
	const classicIds = async () => await (classicJobs ??= classicJob());
	const V2 = (resource: string, operation: string, parameters: (ids: Awaited<ReturnType<typeof v2Jobs>>) => IDataObject): Case => ({
		nodeDir: 'SalesforceBulk2',
		node: v2,
		resource,
		operation,
		run: async () => await run(v2, resource, operation, parameters(await v2Ids())),
	});
	const Classic = (resource: string, operation: string, parameters: (ids: Awaited<ReturnType<typeof classicJob>>) => IDataObject): Case => ({
		nodeDir: 'SalesforceBulkClassic',
		node: classic,
		resource,
		operation,
		run: async () => await run(classic, resource, operation, parameters(await classicIds())),
	});
	// Get Many: every job, and a first page of one, whose last job carries "resumeFrom" when the list goes on.
	const listed = (c: Case, node: INodeType): Case => ({
		...c,
		run: async () => {
			const all = await run(node, c.resource, 'getAll', { returnAll: true });
			const page = await run(node, c.resource, 'getAll', { returnAll: false, limit: 1 });
			expect(page[0].resumeFrom).toEqual(expect.any(String));
			return [...all, ...page];
		},
	});
	const freshIngestJob = async () => String((await run(v2, 'ingestJob', 'create', { object: 'Contact', ingestOperation: 'insert' }))[0].id);
	const freshQueryJob = async () => String((await run(v2, 'queryJob', 'create', { query: 'SELECT Id FROM Contact' }))[0].id);
	return [
		V2('ingestJob', 'create', () => ({ object: 'Account', ingestOperation: 'insert' })),
		V2('ingestJob', 'get', ({ jobId }) => ({ jobId: byId(jobId) })),
		listed(V2('ingestJob', 'getAll', () => ({})), v2),
		V2('ingestJob', 'getSuccessfulResults', ({ jobId }) => ({ jobId: byId(jobId) })),
		V2('ingestJob', 'getFailedResults', ({ jobId }) => ({ jobId: byId(jobId) })),
		{ ...V2('ingestJob', 'close', () => ({})), run: async () => await run(v2, 'ingestJob', 'close', { jobId: byId(await freshIngestJob()) }) },
		{ ...V2('ingestJob', 'abort', () => ({})), run: async () => await run(v2, 'ingestJob', 'abort', { jobId: byId(await freshIngestJob()) }) },
		V2('queryJob', 'create', () => ({ query: 'SELECT Id FROM Account' })),
		V2('queryJob', 'get', ({ queryJobId }) => ({ jobId: byId(queryJobId) })),
		listed(V2('queryJob', 'getAll', () => ({})), v2),
		V2('ingestJob', 'waitForJob', ({ jobId }) => ({ jobId: byId(jobId) })),
		V2('queryJob', 'waitForJob', ({ queryJobId }) => ({ jobId: byId(queryJobId) })),
		{ ...V2('queryJob', 'abort', () => ({})), run: async () => await run(v2, 'queryJob', 'abort', { jobId: byId(await freshQueryJob()) }) },
		Classic('job', 'create', () => ({ object: 'Contact', jobOperation: 'insert', contentType: 'CSV' })),
		Classic('job', 'get', ({ jobId }) => ({ jobId: byId(jobId) })),
		listed(Classic('job', 'getAll', () => ({})), classic),
		Classic('job', 'waitForJob', ({ jobId }) => ({ jobId: byId(jobId) })),
		Classic('batch', 'get', ({ jobId, batchId }) => ({ jobId: byId(jobId), batchId })),
		Classic('batch', 'getAll', ({ jobId }) => ({ jobId: byId(jobId), returnAll: true })),
		Classic('batch', 'getResults', ({ jobId, batchId }) => ({ jobId: byId(jobId), batchId })),
	];
}

const typeOf = (value: unknown): JsonType => (value === null ? 'null' : Array.isArray(value) ? 'array' : (typeof value as JsonType));
const types = (t: JsonType | JsonType[]) => (Array.isArray(t) ? t : [t]);

function schemaFile(c: Case): string {
	const version = c.node.description.version;
	const latest = Array.isArray(version) ? Math.max(...version) : version;
	const [major, minor = 0] = String(latest).split('.').map(Number);
	return join(NODES_DIR, c.nodeDir, '__schema__', `v${major}.${minor}.0`, c.resource, `${c.operation}.json`);
}

/** The schema the items show: each field with every type seen; required are the fields every item has. */
function schemaOf(items: IDataObject[]): Schema {
	const properties: Schema['properties'] = {};
	for (const item of items) {
		for (const [key, value] of Object.entries(item)) {
			const seen = new Set(properties[key] ? types(properties[key].type) : []);
			seen.add(typeOf(value));
			properties[key] = { type: seen.size === 1 ? [...seen][0] : [...seen].sort() };
		}
	}
	const required = Object.keys(properties).filter((key) => items.every((item) => key in item));
	return { type: 'object', properties, required };
}

describe('output schemas', () => {
	const table = cases();

	it.each(table.map((c) => [`${c.nodeDir} ${c.resource} → ${c.operation}`, c] as const))('%s', async (_, c) => {
		const items = await c.run();
		expect(items.length).toBeGreaterThan(0);
		const file = schemaFile(c);
		if (WRITE) {
			mkdirSync(dirname(file), { recursive: true });
			writeFileSync(file, `${JSON.stringify(schemaOf(items), null, '\t')}\n`);
		}
		expect(existsSync(file)).toBe(true);
		const schema = JSON.parse(readFileSync(file, 'utf8')) as Schema;
		for (const item of items) {
			for (const [key, value] of Object.entries(item)) {
				if (!schema.properties[key]) {
					if (schema.additionalProperties !== true) throw new Error(`${relative(NODES_DIR, file)}: "${key}" is output but not in the schema`);
					continue;
				}
				expect([key, types(schema.properties[key].type)]).toEqual([key, expect.arrayContaining([typeOf(value)])]);
			}
			for (const key of schema.required ?? []) expect([key, key in item]).toEqual([key, true]);
		}
	});

	it('every shipped schema belongs to an operation of the node, and is checked above', () => {
		const checked = new Set(table.map(schemaFile));
		const shipped: string[] = [];
		const walk = (dir: string) => {
			for (const entry of readdirSync(dir, { withFileTypes: true })) {
				const path = join(dir, entry.name);
				if (entry.isDirectory()) walk(path);
				else if (path.includes(`${'__schema__'}`) && path.endsWith('.json')) shipped.push(path);
			}
		};
		walk(NODES_DIR);
		// Older node versions (v1.0.0 for saved version-1 nodes) ship the same files as the latest, except where
		// 1.2 types values by the org's schema: there the fields are the same and only their types differ.
		const versionDir = (file: string) => dirname(dirname(file));
		const latestDirs = new Set(table.map((c) => versionDir(schemaFile(c))));
		const older = shipped.filter((file) => !latestDirs.has(versionDir(file)));
		for (const file of older) {
			const latest = [...latestDirs].find((dir) => dirname(dir) === dirname(versionDir(file)));
			const [before, after] = [file, join(String(latest), relative(versionDir(file), file))].map((f) => JSON.parse(readFileSync(f, 'utf8')) as Schema);
			if (TYPED_FROM_1_2.has(`${basename(dirname(file))}/${basename(file)}`)) {
				expect([file, Object.keys(before.properties), before.required]).toEqual([file, Object.keys(after.properties), after.required]);
			} else {
				expect([file, before]).toEqual([file, after]);
			}
		}
		shipped.splice(0, shipped.length, ...shipped.filter((file) => !older.includes(file)));
		expect(shipped.length).toBe(table.length);
		expect(shipped.filter((file) => !checked.has(file))).toEqual([]);
		for (const c of table) {
			const operation = c.node.description.properties.find(
				(p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(c.resource),
			);
			expect([c.resource, (operation?.options as Array<{ value: string }> | undefined)?.some((o) => o.value === c.operation)]).toEqual([c.resource, true]);
		}
	});
});
