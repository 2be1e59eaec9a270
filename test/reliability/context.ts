/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node built-ins */
// Shared by the reliability suite: one emulator and harness, the results table (RESULTS.md), and the
// capture of everything a user or a log could see (node output, errors, log lines) for the secret grep.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { LoggerProxy, sleep } from 'n8n-workflow';

import { SalesforceBulkOAuth2Api } from '../../credentials/SalesforceBulkOAuth2Api.credentials';
import { SalesforceBulk2 } from '../../nodes/SalesforceBulk2/SalesforceBulk2.node';
import { SalesforceBulkClassic } from '../../nodes/SalesforceBulkClassic/SalesforceBulkClassic.node';
import { SalesforceBulkTrigger } from '../../nodes/SalesforceBulkTrigger/SalesforceBulkTrigger.node';
import { retryPolicy } from '../../nodes/shared/transport/retryPolicy';
import { waitDefaults } from '../../nodes/shared/transport/wait';
import { createHarness, type ExecuteOptions, type Harness } from '../harness';
import { CREDENTIAL, emulatorCredential, type Emulator as BaseEmulator } from '../nodes/setup';

export { CREDENTIAL };

/** The emulator, with the parts of it the suite reads directly (job store, issued tokens, server). */
export type EmulatorJob = IDataObject & { id: string; state: string; object?: string; errorMessage?: string; batches?: IDataObject[] };
export type Fired = { kind: string; status?: number; method: string; path: string };
export type Emulator = Omit<BaseEmulator, 'jobs' | 'oauth' | 'faults'> & {
	server: { address(): { address: string; port: number }; on(event: 'request', fn: (req: { method: string; url: string }, res: { on(e: 'finish', fn: () => void): void }) => void): void };
	jobs: { jobs: Map<string, EmulatorJob>; get(id: string): EmulatorJob | undefined; finish(id: string): boolean };
	oauth: BaseEmulator['oauth'] & { tokens: Map<string, unknown> };
	faults: Omit<BaseEmulator['faults'], 'fired'> & { fired: Fired[] };
};

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulator } = require('../emulator') as { startEmulator(options?: IDataObject): Promise<Emulator> };

export const v2 = new SalesforceBulk2();
export const classic = new SalesforceBulkClassic();
export const trigger = new SalesforceBulkTrigger();

// ---- what the suite observed: the RESULTS.md table ----

export interface ResultRow {
	area: string;
	case: string;
	did: string;
	data: string;
}
const rows: ResultRow[] = [];

/** One line of RESULTS.md: the case, what the node did and the data check, as observed in this run. */
export function record(area: string, kase: string, did: string, data: string): void {
	rows.push({ area, case: kase, did: oneLine(did), data: oneLine(data) });
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();

export function resultRows(): readonly ResultRow[] {
	return rows;
}

/** Writes RESULTS.md (only when RELIABILITY_RESULTS is set, so a normal `npm test` leaves the tree alone). */
export function writeResults(summary: string[]): void {
	// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals -- test code: opt-in switch
	if (!process.env.RELIABILITY_RESULTS) return;
	const areas = [...new Set(rows.map((r) => r.area))];
	const lines = [
		'# Reliability and security: results',
		'',
		'Written by `RELIABILITY_RESULTS=1 npx jest test/reliability` from what the tests observed in that run',
		'(error messages as the node threw them, request counts from the emulator, rows counted in its org).',
		'The fault, bad-input and security cases run the nodes (Salesforce Bulk V2, Salesforce Bulk (Classic),',
		"Salesforce Bulk Trigger) in n8n-core's real execution contexts against the Salesforce emulator over HTTP;",
		'the fuzz rows drive the CSV and XML readers directly, then mutated CSVs through Load Records.',
		'',
		...summary,
		'',
	];
	for (const area of areas) {
		lines.push(`## ${area}`, '', '| case | what the node did | data check |', '|---|---|---|');
		for (const r of rows.filter((x) => x.area === area)) lines.push(`| ${r.case} | ${r.did} | ${r.data} |`);
		lines.push('');
	}
	writeFileSync(join(dirname(require.resolve('../../package.json')), 'test/reliability/RESULTS.md'), lines.join('\n'));
}

// ---- everything a user or a log could see, for the secret grep ----

const seen: string[] = [];

/** Adds a value (items, an error with its description, context and causes, a file's text) to what is grepped. */
export function see(value: unknown): void {
	seen.push(dump(value));
}

/** The log lines (n8n's logger) captured so far at a level. */
export function logLines(level: string): string[] {
	return logged.filter((l) => l.level === level).map((l) => l.message);
}
const logged: Array<{ level: string; message: string }> = [];

export function seenTexts(): readonly string[] {
	return seen;
}

/** A deep, cycle-safe text of a value, errors' non-enumerable fields (message, stack, cause…) included. */
export function dump(value: unknown): string {
	const visited = new Set<unknown>();
	const out: string[] = [];
	const walk = (v: unknown, depth: number) => {
		if (v === null || v === undefined) return;
		if (typeof v === 'string') return void out.push(v);
		if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return void out.push(String(v));
		if (typeof v === 'function' || typeof v === 'symbol') return;
		if (Buffer.isBuffer(v)) return void out.push(v.subarray(0, 1_000_000).toString('utf8'));
		if (typeof v !== 'object' || visited.has(v) || depth > 10) return;
		visited.add(v);
		const keys = new Set<string>(Object.keys(v));
		if (v instanceof Error) for (const k of Object.getOwnPropertyNames(v)) keys.add(k);
		for (const k of ['message', 'description', 'stack', 'cause', 'context']) if (k in (v as object)) keys.add(k);
		for (const key of keys) {
			out.push(key);
			let child: unknown;
			try {
				child = (v as Record<string, unknown>)[key];
			} catch {
				continue;
			}
			walk(child, depth + 1);
		}
	};
	walk(value, 0);
	return out.join('\n');
}

/** n8n's logger (every instance, scoped ones too), n8n-workflow's LoggerProxy and the console, captured. */
function captureLogs(): void {
	const coreRequire = createRequire(require.resolve('n8n-core'));
	const { Logger } = coreRequire('@n8n/backend-common') as { Logger: { prototype: { log(level: string, message: string, metadata?: unknown): void } } };
	const log = Logger.prototype.log;
	// Captured for the grep, and not printed: n8n's own warnings (e.g. that it does not resend a stream body
	// after renewing a token, which the node then does) and the nodes' info lines are expected here.
	void log;
	Logger.prototype.log = function (level, message, metadata) {
		see({ level, message, metadata });
		logged.push({ level, message });
	};
	const proxy = (level: string) => (message: string, metadata?: unknown) => see({ level, message, metadata });
	LoggerProxy.init({ error: proxy('error'), warn: proxy('warn'), info: proxy('info'), debug: proxy('debug') } as Parameters<typeof LoggerProxy.init>[0]);
	for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
		/* eslint-disable no-console -- captured, then passed on */
		const original = console[method].bind(console);
		console[method] = (...args: unknown[]) => {
			see(args);
			original(...args);
		};
		/* eslint-enable no-console */
	}
}

// ---- one emulator and harness for the suite ----

export interface Suite {
	emulator: Emulator;
	harness: Harness;
	/** Every emulator the suite started (their issued tokens are grepped for). */
	emulators: Emulator[];
	/** Method and URL (with query) of every request the emulator received. */
	requests: string[];
}

export const suite = {} as Suite;

export async function startSuite(): Promise<void> {
	captureLogs();
	retryPolicy.baseDelayMs = 20;
	waitDefaults.initialIntervalMs = 20;
	waitDefaults.maxIntervalMs = 100;
	suite.emulators = [];
	suite.requests = [];
	suite.emulator = await newEmulator();
	suite.emulator.server.on('request', (req, res) => {
		suite.requests.push(`${req.method} ${req.url}`);
		const hook = hooks.find((h) => h.pattern.test(`${req.method} ${req.url}`));
		if (!hook) return;
		hooks.splice(hooks.indexOf(hook), 1);
		res.on('finish', hook.fn);
	});
	suite.harness = await createHarness({ credentialTypes: [new SalesforceBulkOAuth2Api()], credentials: { [CREDENTIAL]: emulatorCredential(suite.emulator) } });
}

const hooks: Array<{ pattern: RegExp; fn: () => void }> = [];

/** Runs `fn` once, right after the emulator has answered the next request matching `pattern` ("METHOD url"). */
export function afterRequest(pattern: RegExp, fn: () => void): void {
	hooks.push({ pattern, fn });
}

export async function stopSuite(): Promise<void> {
	await suite.harness?.close();
	for (const e of suite.emulators ?? []) await e.close();
}

export async function newEmulator(options: IDataObject = {}): Promise<Emulator> {
	const emulator = await startEmulator({ jobDelayMs: 30, ...options });
	suite.emulators.push(emulator);
	return emulator;
}

/** Replaces the harness's credential (another grant, another emulator); back to the default with no argument. */
export function useCredential(extra: ICredentialDataDecryptedObject = {}, emulator = suite.emulator): void {
	suite.harness.setCredential(CREDENTIAL, emulatorCredential(emulator, extra));
}

export async function config(values: IDataObject): Promise<void> {
	await fetch(`${suite.emulator.url}/__emulator/config`, { method: 'POST', body: JSON.stringify(values) });
}

// ---- running nodes ----

export type NodeError = Error & { description?: string | null; context: IDataObject & { itemIndex?: number; jobIds?: string[] } };

type AnyNode = typeof v2 | typeof classic;

/** Runs a node; its output (binary files' text included) is added to what is grepped for secrets. */
export async function run(node: AnyNode, parameters: IDataObject, items?: INodeExecutionData[], options: Partial<ExecuteOptions> = {}): Promise<INodeExecutionData[]> {
	try {
		// Node version 1.1 unless a case says otherwise: its loads send the items as they are, so bad values reach
		// Salesforce and fail there, row by row (1.2's Columns mapper stops them before any job: fieldMapping.test.ts).
		const [out] = await suite.harness.execute(node, { typeVersion: 1.1, parameters: parameters as INodeParameters, items, ...options });
		see(out);
		for (const item of out) for (const binary of Object.values(item.binary ?? {})) see(await suite.harness.readBinary(binary));
		see(suite.harness.lastHints);
		return out;
	} catch (error) {
		see(error);
		// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- test code: the node's own error, as it threw it
		throw error;
	}
}

/** Runs a node that must fail, and returns the error. */
export async function failure(node: AnyNode, parameters: IDataObject, items?: INodeExecutionData[], options: Partial<ExecuteOptions> = {}): Promise<NodeError> {
	try {
		await run(node, parameters, items, options);
	} catch (error) {
		return error as NodeError;
	}
	throw new Error(`expected the node to fail: ${JSON.stringify(parameters).slice(0, 200)}`);
}

export const items = (records: IDataObject[]): INodeExecutionData[] => records.map((json) => ({ json }));
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

/** Error text as the user sees it: message, then description. */
export const shown = (e: NodeError) => `${e.message}${e.description ? ` — ${e.description}` : ''}`;

// ---- what the emulator saw ----

export const jobStore = () => suite.emulator.jobs;
export const allJobs = () => [...jobStore().jobs.values()];

/** Polls the emulator until the job has finished (JobComplete, Failed or Aborted). */
export async function finishedJob(id: string): Promise<IDataObject> {
	for (let i = 0; i < 400; i++) {
		const job = jobStore().get(id);
		if (job && ['JobComplete', 'Failed', 'Aborted'].includes(job.state)) return job;
		await sleep(10);
	}
	throw new Error(`job ${id} did not finish`);
}
export const jobIdsNow = () => new Set(allJobs().map((j) => j.id));

/** Jobs created since `before`, with their states. */
export const jobsSince = (before: Set<string>) => allJobs().filter((j) => !before.has(j.id));

/** "nothing half-done": no job was created, or every job created since `before` is Aborted. */
export function nothingHalfDone(before: Set<string>): string {
	const created = jobsSince(before);
	const live = created.filter((j) => j.state !== 'Aborted');
	if (live.length) throw new Error(`jobs left ${live.map((j) => `${j.id} ${j.state}`).join(', ')}`);
	return created.length ? `${created.length} job(s) created, all Aborted` : 'no job created';
}

/** Requests to a route (method and path with :id), from the emulator's stats. */
export const hits = (route: string) => suite.emulator.stats.byRoute[route] ?? 0;

export function countFired(kind: string, status?: number): number {
	return suite.emulator.faults.fired.filter((f) => f.kind === kind && (status === undefined || f.status === status)).length;
}

/** Live rows of an object whose `field` starts with `prefix`, as the org holds them. */
export function orgRows(object: string, prefix: string, field = 'Name'): IDataObject[] {
	return [...suite.emulator.org.table(object).values()].filter((r) => !r.IsDeleted && String(r[field] ?? '').startsWith(prefix));
}

/**
 * The accounting every load must pass: successful + failed + unprocessed = input rows (nothing "unknown"),
 * each successful row in the org exactly once, and nothing else there. Returns the data-check text.
 */
export function accountFor(out: INodeExecutionData[], inputRows: number, object: string, prefix: string, field = 'Name'): string {
	const status = (s: string) => out.filter((o) => o.json.status === s).length;
	const successful = status('created') + status('updated') + status('deleted');
	const failed = status('failed');
	const unprocessed = status('unprocessed');
	expect({ unknown: status('unknown'), total: successful + failed + unprocessed, items: out.length }).toEqual({ unknown: 0, total: inputRows, items: inputRows });
	const inOrg = orgRows(object, prefix, field);
	const values = inOrg.map((r) => String(r[field]));
	const duplicates = values.length - new Set(values).size;
	expect(duplicates).toBe(0);
	expect(inOrg.length).toBe(successful);
	// Each successful row's ID is a record with that row's value.
	for (const o of out.filter((x) => x.json.success === true)) {
		expect(suite.emulator.org.find(String(o.json.id))?.record[field]).toBe((o.json.record as IDataObject)[field]);
	}
	return `successful ${successful} + failed ${failed} + unprocessed ${unprocessed} = ${inputRows} input rows; org has ${inOrg.length} of them, ${duplicates} duplicates`;
}

/** Waits (briefly) for the emulator to finish a job. */
export async function settled(id: string): Promise<EmulatorJob> {
	for (let i = 0; i < 400; i++) {
		const job = jobStore().get(id);
		const busy = job?.batches?.some((b) => b.state === 'Queued' || b.state === 'InProgress');
		if (job && !busy && ['JobComplete', 'Failed', 'Aborted', 'Closed'].includes(job.state)) return job;
		await sleep(10);
	}
	throw new Error(`job ${id} did not settle`);
}
