// For the unit tests of shared modules that talk HTTP: the shared client run inside the real n8n-core context
// (test/nodes/probe.ts) against an emulator, with a log of the requests it made (method, path, query, headers).
import type { IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { retryPolicy } from '../../nodes/shared/transport/retryPolicy';
import type { ExecuteOptions } from '../harness';
import { ClientProbe, setProbe, type Probe } from '../nodes/probe';
import { setup, type Setup } from '../nodes/setup';

export interface SentRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
}

export interface NodeError {
	message: string;
	description?: string;
	context: IDataObject;
}

export interface ApiProbe {
	readonly s: Setup;
	/** Runs fn as a node would; returns what it returned. */
	run(fn: Probe, options?: ExecuteOptions): Promise<IDataObject>;
	/** Runs fn and returns the error it throws. */
	failure(fn: Probe, options?: ExecuteOptions): Promise<NodeError>;
	/** The requests to Salesforce's API (not the token requests) made while fn ran. */
	requestsOf(fn: () => Promise<unknown>): Promise<SentRequest[]>;
}

/**
 * Starts an emulator for the test file; `properties` are the probe node's parameters (for modules that read
 * them). Retries wait 5 ms instead of 500.
 */
export function apiProbe(properties: INodeProperties[] = []): ApiProbe {
	const probe = new ClientProbe();
	probe.description.properties = properties;
	const sent: SentRequest[] = [];
	let s: Setup | undefined;
	beforeAll(async () => {
		s = await setup();
		retryPolicy.baseDelayMs = 5;
		s.emulator.server.on('request', (req: { method?: string; url?: string; headers: SentRequest['headers'] }) => {
			const url = new URL(req.url ?? '', 'http://127.0.0.1');
			if (url.pathname.startsWith('/__emulator/') || url.pathname === '/services/oauth2/token') return;
			sent.push({ method: String(req.method), path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers });
		});
	});
	afterEach(() => s?.emulator.faults.clear());
	afterAll(async () => await s?.close());

	const run = async (fn: Probe, options: ExecuteOptions = {}) => {
		setProbe(fn);
		const [[item]] = (await s!.harness.execute(probe, options)) as INodeExecutionData[][];
		return item.json;
	};
	return {
		get s() {
			return s!;
		},
		run,
		async failure(fn, options) {
			try {
				await run(fn, options);
			} catch (error) {
				return error as NodeError;
			}
			throw new Error('expected the probe to fail');
		},
		async requestsOf(fn) {
			const from = sent.length;
			await fn();
			return sent.slice(from);
		},
	};
}
