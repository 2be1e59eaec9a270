/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node built-ins */
// Self-test of the node test harness against the Salesforce emulator, over real HTTP. The credential
// and node types are tiny ones defined here (not the package's own).

import { NodeApiError, NodeConnectionTypes, NodeOperationError, VersionedNodeType, sleep } from 'n8n-workflow';
import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	INode,
	ILoadOptionsFunctions,
	INodeExecutionData,
	INodeListSearchResult,
	INodeProperties,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { Readable } from 'node:stream';

import { createHarness } from './index';
import type { Harness } from './index';

interface Emulator {
	url: string;
	close(): Promise<void>;
	credentials: { clientId: string; clientSecret: string; refreshToken: string };
	oauth: { expireAll(): void; issued: number };
	faults: { add(...rules: IDataObject[]): void; clear(): void };
	stats: { requests: number; byRoute: Record<string, number> };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulator } = require('../emulator') as { startEmulator(options?: IDataObject): Promise<Emulator> };

const CREDENTIAL = 'harnessSalesforceApi';
const TOKEN_ROUTE = 'POST /services/oauth2/token';
const LIMITS_ROUTE = 'GET /services/data/v63.0/limits';

class HarnessSalesforceApi implements ICredentialType {
	name = CREDENTIAL;

	displayName = 'Harness Salesforce API';

	properties: INodeProperties[] = [
		{ displayName: 'Instance URL', name: 'instanceUrl', type: 'string', default: '' },
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '' },
		{ displayName: 'Client Secret', name: 'clientSecret', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Refresh Token', name: 'refreshToken', type: 'string', typeOptions: { password: true }, default: '' },
		{ displayName: 'Access Token', name: 'accessToken', type: 'hidden', typeOptions: { expirable: true, password: true }, default: '' },
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${credentials.instanceUrl as string}/services/oauth2/token`,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: {
				grant_type: 'refresh_token',
				client_id: credentials.clientId,
				client_secret: credentials.clientSecret,
				refresh_token: credentials.refreshToken,
			},
			json: true,
		})) as { access_token: string };
		return { accessToken: response.access_token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	test: ICredentialTestRequest = {
		request: { baseURL: '={{$credentials.instanceUrl}}', url: '/services/oauth2/userinfo' },
	};
}

const baseDescription = {
	group: ['transform'],
	version: 1,
	description: 'Harness self-test node',
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: CREDENTIAL, required: true }],
} satisfies Partial<INodeTypeDescription>;

async function instanceUrl(context: { getCredentials(type: string): Promise<ICredentialDataDecryptedObject> }) {
	return (await context.getCredentials(CREDENTIAL)).instanceUrl as string;
}

/** Rethrows as the typed error it already is (both constructors hand back an error of their own class). */
function rethrow(node: INode, error: unknown): never {
	if (error instanceof NodeOperationError) throw new NodeOperationError(node, error);
	throw new NodeApiError(node, error as JsonObject);
}

/** GET /limits per item; or posts a stream body; or fails on purpose. */
class HarnessLimits implements INodeType {
	description: INodeTypeDescription = {
		...baseDescription,
		displayName: 'Harness Limits',
		name: 'harnessLimits',
		defaults: { name: 'Harness Limits' },
		usableAsTool: true,
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Get Limits', value: 'limits', action: 'Get limits' },
					{ name: 'Post Stream', value: 'postStream', action: 'Post a stream body' },
					{ name: 'Create Classic Job', value: 'classicJob', action: 'Create a bulk 1 0 job' },
				],
				default: 'limits',
			},
			{ displayName: 'Label', name: 'label', type: 'string', default: 'none' },
			{ displayName: 'Fail On Label', name: 'failOn', type: 'string', default: '' },
			{ displayName: 'Renew Token On 400', name: 'renewOn400', type: 'boolean', default: false },
			{
				displayName: 'Object',
				name: 'object',
				type: 'resourceLocator',
				default: { mode: 'list', value: 'Account' },
				modes: [
					{ displayName: 'From List', name: 'list', type: 'list', typeOptions: { searchListMethod: 'searchObjects' } },
					{ displayName: 'Name', name: 'name', type: 'string' },
				],
			},
			{
				displayName: 'Field Name or ID',
				name: 'field',
				type: 'options',
				description: 'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				typeOptions: { loadOptionsMethod: 'getObjects' },
				default: '',
			},
		],
	};

	methods = {
		loadOptions: {
			async getObjects(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL, {
					method: 'GET',
					url: `${await instanceUrl(this)}/services/data/v63.0/sobjects`,
					json: true,
				})) as { sobjects: Array<{ name: string; label: string }> };
				return response.sobjects.map((o) => ({ name: o.label, value: o.name }));
			},
		},
		listSearch: {
			async searchObjects(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
				const response = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL, {
					method: 'GET',
					url: `${await instanceUrl(this)}/services/data/v63.0/sobjects`,
					json: true,
				})) as { sobjects: Array<{ name: string; label: string }> };
				const all = response.sobjects
					.filter((o) => !filter || o.name.toLowerCase().includes(filter.toLowerCase()))
					.map((o) => ({ name: o.label, value: o.name }));
				const start = Number(paginationToken ?? 0);
				const page = all.slice(start, start + 2);
				return { results: page, paginationToken: start + 2 < all.length ? String(start + 2) : undefined };
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		const url = await instanceUrl(this);
		for (let i = 0; i < items.length; i++) {
			try {
				const operation = this.getNodeParameter('operation', i) as string;
				const label = this.getNodeParameter('label', i) as string;
				if (label === this.getNodeParameter('failOn', i)) {
					throw new NodeOperationError(this.getNode(), `Item ${i} failed on purpose`, { itemIndex: i });
				}
				const object = this.getNodeParameter('object', i, undefined, { extractValue: true }) as string;
				if (operation === 'classicJob') {
					// Bulk 1.0 reports an expired session as 400 InvalidSessionId, not 401.
					const renewOn400 = this.getNodeParameter('renewOn400', i) as boolean;
					const job = (await this.helpers.httpRequestWithAuthentication.call(
						this,
						CREDENTIAL,
						{
							method: 'POST',
							url: `${url}/services/async/63.0/job`,
							headers: { 'Content-Type': 'application/json' },
							body: { operation: 'insert', object, contentType: 'CSV' },
							json: true,
						},
						renewOn400 ? { preAuthenticationRetryStatusCode: [400, 401] } : undefined,
					)) as IDataObject;
					out.push({ json: { jobId: job.id, state: job.state }, pairedItem: { item: i } });
					continue;
				}
				if (operation === 'postStream') {
					await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL, {
						method: 'POST',
						url: `${url}/services/data/v63.0/limits`,
						headers: { 'Content-Type': 'text/csv' },
						body: Readable.from([Buffer.from('Name\nAcme\n')]),
					});
				}
				const limits = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL, {
					method: 'GET',
					url: `${url}/services/data/v63.0/limits`,
					json: true,
				})) as IDataObject;
				out.push({ json: { label, object, limitKeys: Object.keys(limits).length }, pairedItem: { item: i } });
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				rethrow(this.getNode(), error);
			}
		}
		return [out];
	}
}

/** Writes text as binary (prepareBinaryData) or reads input binary back (getBinaryStream / buffer). */
class HarnessFiles implements INodeType {
	description: INodeTypeDescription = {
		...baseDescription,
		credentials: [],
		displayName: 'Harness Files',
		name: 'harnessFiles',
		defaults: { name: 'Harness Files' },
		usableAsTool: true,
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Write', value: 'write', action: 'Write a file' },
					{ name: 'Read', value: 'read', action: 'Read a file' },
				],
				default: 'write',
			},
			{ displayName: 'Text', name: 'text', type: 'string', default: '' },
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				if (this.getNodeParameter('operation', i) === 'write') {
					const text = this.getNodeParameter('text', i) as string;
					const data = await this.helpers.prepareBinaryData(Readable.from([Buffer.from(text)]), `item${i}.csv`, 'text/csv');
					out.push({ json: {}, binary: { data }, pairedItem: { item: i } });
				} else {
					const binary = this.helpers.assertBinaryData(i, 'data');
					let content: Buffer;
					if (binary.id) {
						const chunks: Buffer[] = [];
						for await (const chunk of await this.helpers.getBinaryStream(binary.id)) chunks.push(chunk as Buffer);
						content = Buffer.concat(chunks);
					} else {
						content = await this.helpers.getBinaryDataBuffer(i, 'data');
					}
					out.push({ json: { content: content.toString('utf8'), streamed: Boolean(binary.id) }, pairedItem: { item: i } });
				}
			} catch (error) {
				if (this.continueOnFail()) {
					out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				rethrow(this.getNode(), error);
			}
		}
		return [out];
	}
}

/** A polling trigger: one item per poll until it has seen `limit` polls, keeping a cursor in static data. */
class HarnessPoll implements INodeType {
	description: INodeTypeDescription = {
		...baseDescription,
		displayName: 'Harness Poll Trigger',
		name: 'harnessPollTrigger',
		group: ['trigger'],
		polling: true,
		inputs: [],
		defaults: { name: 'Harness Poll Trigger' },
		properties: [{ displayName: 'Limit', name: 'limit', type: 'number', typeOptions: { minValue: 1 }, default: 2 }],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const staticData = this.getWorkflowStaticData('node');
		if (this.getMode() === 'manual') return [[{ json: { sample: true } }]];
		const limits = (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL, {
			method: 'GET',
			url: `${await instanceUrl(this)}/services/data/v63.0/limits`,
			json: true,
		})) as IDataObject;
		const cursor = ((staticData.cursor as number | undefined) ?? 0) + 1;
		if (cursor > (this.getNodeParameter('limit') as number)) return null;
		staticData.cursor = cursor;
		return [[{ json: { cursor, limitKeys: Object.keys(limits).length } }]];
	}
}

describe('node test harness (n8n-core contexts, real HTTP against the emulator)', () => {
	let emulator: Emulator;
	let harness: Harness;
	const limitsNode = new HarnessLimits();

	const credentials = () => ({
		instanceUrl: emulator.url,
		clientId: emulator.credentials.clientId,
		clientSecret: emulator.credentials.clientSecret,
		refreshToken: emulator.credentials.refreshToken,
	});

	beforeAll(async () => {
		emulator = await startEmulator({ jobDelayMs: 30 });
		harness = await createHarness({
			credentialTypes: [new HarnessSalesforceApi()],
			credentials: { [CREDENTIAL]: credentials() },
			binaryMode: 'filesystem',
		});
	});

	afterAll(async () => {
		await harness?.close();
		await emulator?.close();
	});

	beforeEach(() => {
		emulator.faults.clear();
	});

	it('fetches the token once with preAuthentication, stores it and reuses it', async () => {
		expect(harness.credentialData(CREDENTIAL)?.accessToken).toBeUndefined();
		const issuedBefore = emulator.oauth.issued;
		const limitsBefore = emulator.stats.byRoute[LIMITS_ROUTE] ?? 0;
		const tokenCallsBefore = emulator.stats.byRoute[TOKEN_ROUTE] ?? 0;

		const [out] = await harness.execute(limitsNode, { items: [{ json: {} }, { json: {} }, { json: {} }] });

		expect(out).toHaveLength(3);
		expect(out[0].json).toEqual({ label: 'none', object: 'Account', limitKeys: expect.any(Number) });
		expect(out[0].json.limitKeys).toBeGreaterThan(0);
		expect(emulator.oauth.issued - issuedBefore).toBe(1);
		expect(emulator.stats.byRoute[LIMITS_ROUTE] - limitsBefore).toBe(3);
		expect(emulator.stats.byRoute[TOKEN_ROUTE] - tokenCallsBefore).toBe(1);
		const stored = harness.credentialData(CREDENTIAL);
		expect(typeof stored?.accessToken).toBe('string');
		expect(stored?.accessToken).not.toBe('');
		expect(stored?.refreshToken).toBe(emulator.credentials.refreshToken);

		await harness.execute(limitsNode, {});
		expect(emulator.oauth.issued - issuedBefore).toBe(1);
		expect(harness.credentialData(CREDENTIAL)?.accessToken).toBe(stored?.accessToken);
	});

	it('renews the token when the API answers 401 and resends the request once', async () => {
		await harness.execute(limitsNode, {});
		const before = harness.credentialData(CREDENTIAL)?.accessToken;
		const issuedBefore = emulator.oauth.issued;
		const limitsBefore = emulator.stats.byRoute[LIMITS_ROUTE] ?? 0;
		const eventsBefore = harness.credentialEvents.length;
		emulator.oauth.expireAll();

		const [out] = await harness.execute(limitsNode, {});

		expect(out).toHaveLength(1);
		expect(emulator.oauth.issued - issuedBefore).toBe(1);
		expect(emulator.stats.byRoute[LIMITS_ROUTE] - limitsBefore).toBe(2); // the 401, then the resend
		const after = harness.credentialData(CREDENTIAL)?.accessToken;
		expect(after).toEqual(expect.any(String));
		expect(after).not.toBe(before);
		const preAuths = harness.credentialEvents.slice(eventsBefore).filter((e) => e.kind === 'preAuthentication');
		expect(preAuths.map((e) => [e.expired, e.ran])).toEqual([
			[false, false],
			[true, true],
		]);
	});

	it('does not resend a stream body after renewing the token (the 401 surfaces)', async () => {
		await harness.execute(limitsNode, {});
		const before = harness.credentialData(CREDENTIAL)?.accessToken;
		emulator.oauth.expireAll();

		const failure = harness.execute(limitsNode, { parameters: { operation: 'postStream' } });
		await expect(failure).rejects.toThrow(NodeApiError);
		await expect(failure).rejects.toMatchObject({ httpCode: '401' });

		const after = harness.credentialData(CREDENTIAL)?.accessToken;
		expect(after).not.toBe(before); // preAuthentication did run and stored the new token
		const [out] = await harness.execute(limitsNode, {});
		expect(out).toHaveLength(1);
	});

	it('renews on a Bulk 1.0 400 InvalidSessionId only when preAuthenticationRetryStatusCode says so', async () => {
		await harness.execute(limitsNode, {});
		const before = harness.credentialData(CREDENTIAL)?.accessToken;
		emulator.oauth.expireAll();

		const plain = harness.execute(limitsNode, { parameters: { operation: 'classicJob' } });
		await expect(plain).rejects.toMatchObject({ httpCode: '400' });
		expect(harness.credentialData(CREDENTIAL)?.accessToken).toBe(before);

		const [out] = await harness.execute(limitsNode, { parameters: { operation: 'classicJob', renewOn400: true } });
		expect(out[0].json).toEqual({ jobId: expect.stringMatching(/^750/), state: 'Open' });
		expect(harness.credentialData(CREDENTIAL)?.accessToken).not.toBe(before);
	});

	it('resolves expressions per item and resource locators through getNodeParameter', async () => {
		const [out] = await harness.execute(limitsNode, {
			parameters: {
				label: '={{ $json.x }}',
				object: { __rl: true, mode: 'name', value: '={{ $json.object }}' },
			},
			items: [{ json: { x: 'first', object: 'Contact' } }, { json: { x: 'second', object: 'Lead' } }],
		});
		expect(out.map((item) => [item.json.label, item.json.object])).toEqual([
			['first', 'Contact'],
			['second', 'Lead'],
		]);
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('honours continueOnFail', async () => {
		const items = [{ json: { x: 'ok' } }, { json: { x: 'bad' } }, { json: { x: 'ok' } }];
		const parameters = { label: '={{ $json.x }}', failOn: 'bad' };

		const [out] = await harness.execute(limitsNode, { parameters, items, continueOnFail: true });
		expect(out.map((item) => item.json.error ?? item.json.label)).toEqual(['ok', 'Item 1 failed on purpose', 'ok']);

		await expect(harness.execute(limitsNode, { parameters, items })).rejects.toThrow('Item 1 failed on purpose');
	});

	it('passes the abort signal to the request helpers', async () => {
		// Short delay: the emulator's delay timer outlives the aborted request.
		emulator.faults.add({ kind: 'delay', ms: 800, path: '/limits', count: 1 });
		const controller = new AbortController();
		const started = Date.now();
		void sleep(50).then(() => controller.abort());
		await expect(harness.execute(limitsNode, { abortSignal: controller.signal })).rejects.toThrow();
		expect(Date.now() - started).toBeLessThan(600);
		await sleep(800);
	});

	it('writes binary data in filesystem mode and reads it back with getBinaryStream', async () => {
		const files = new HarnessFiles();
		const [written] = await harness.execute(files, {
			parameters: { operation: 'write', text: '={{ $json.text }}' },
			items: [{ json: { text: 'Name\nAcme\n' } }, { json: { text: 'Name\nGlobex\n' } }],
		});
		const data = written[0].binary?.data;
		expect(data?.id).toMatch(/^filesystem-v2:/);
		expect(data).toMatchObject({ fileName: 'item0.csv', mimeType: 'text/csv', bytes: 10 });
		expect((await harness.readBinary(data!)).toString()).toBe('Name\nAcme\n');

		const [read] = await harness.execute(files, { parameters: { operation: 'read' }, items: written });
		expect(read.map((item) => item.json)).toEqual([
			{ content: 'Name\nAcme\n', streamed: true },
			{ content: 'Name\nGlobex\n', streamed: true },
		]);

		const input = await harness.prepareBinary(Buffer.from('from the test'), 'in.txt', 'text/plain');
		const [fromTest] = await harness.execute(files, { parameters: { operation: 'read' }, items: [{ json: {}, binary: { data: input } }] });
		expect(fromTest[0].json).toEqual({ content: 'from the test', streamed: true });

		const [missing] = await harness.execute(files, { parameters: { operation: 'read' }, continueOnFail: true });
		expect(String(missing[0].json.error)).toMatch(/binary/i);
	});

	it('runs versioned node types (default version or the one asked for)', async () => {
		const files = new HarnessFiles();
		const versioned = new VersionedNodeType(
			{ 1: files, 2: files },
			{ displayName: 'Harness Files', name: 'harnessFiles', group: ['transform'], description: 'Versioned', defaultVersion: 2 },
		);
		const [out] = await harness.execute(versioned, { parameters: { operation: 'write', text: 'v2' } });
		expect((await harness.readBinary(out[0].binary!.data)).toString()).toBe('v2');
		const [v1] = await harness.execute(versioned, { typeVersion: 1, parameters: { operation: 'write', text: 'v1' } });
		expect((await harness.readBinary(v1[0].binary!.data)).toString()).toBe('v1');
	});

	it('keeps binary data in memory in default mode', async () => {
		const memory = await createHarness({ credentialTypes: [new HarnessSalesforceApi()], binaryMode: 'default' });
		try {
			const files = new HarnessFiles();
			const [written] = await memory.execute(files, { parameters: { operation: 'write', text: 'in memory' } });
			const data = written[0].binary?.data;
			expect(data?.id).toBeUndefined();
			expect(Buffer.from(data!.data, 'base64').toString()).toBe('in memory');
			expect((await memory.readBinary(data!)).toString()).toBe('in memory');
			const [read] = await memory.execute(files, { parameters: { operation: 'read' }, items: written });
			expect(read[0].json).toEqual({ content: 'in memory', streamed: false });
		} finally {
			await memory.close();
		}
	});

	it('polls with static data that persists between polls', async () => {
		const trigger = new HarnessPoll();
		const first = await harness.poll(trigger, { mode: 'trigger', parameters: { limit: 2 } });
		expect(first.result?.[0].map((item) => item.json.cursor)).toEqual([1]);
		expect(first.staticData).toEqual({ cursor: 1 });

		const second = await harness.poll(trigger, { mode: 'trigger', parameters: { limit: 2 }, staticData: first.staticData });
		expect(second.result?.[0][0].json.cursor).toBe(2);
		expect(second.staticData).toBe(first.staticData);

		const third = await harness.poll(trigger, { mode: 'trigger', parameters: { limit: 2 }, staticData: second.staticData });
		expect(third.result).toBeNull();
		expect(third.staticData).toEqual({ cursor: 2 });

		const manual = await harness.poll(trigger, { mode: 'manual' });
		expect(manual.result).toEqual([[{ json: { sample: true } }]]);
	});

	it('runs loadOptions and listSearch methods with authenticated requests', async () => {
		const options = await harness.loadOptions(limitsNode, 'getObjects');
		expect(options).toEqual(expect.arrayContaining([{ name: 'Account', value: 'Account' }]));

		const page1 = await harness.listSearch(limitsNode, 'searchObjects', { filter: 'a' });
		expect(page1.results).toHaveLength(2);
		expect(page1.paginationToken).toBe('2');
		const page2 = await harness.listSearch(limitsNode, 'searchObjects', { filter: 'a', paginationToken: page1.paginationToken as string });
		expect(page2.results[0]).not.toEqual(page1.results[0]);
	});

	it('tests credentials like the credential Test button', async () => {
		expect(await harness.testCredential(CREDENTIAL, credentials())).toEqual({ status: 'OK', message: 'Connection successful!' });
		const bad = await harness.testCredential(CREDENTIAL, { ...credentials(), refreshToken: 'nope' });
		expect(bad).toEqual({ status: 'Error', message: expect.stringMatching(/invalid_grant|400|Bad request/i) });
		// The test neither touched nor replaced the stored credential.
		expect(harness.credentialData(CREDENTIAL)?.refreshToken).toBe(emulator.credentials.refreshToken);
	});

	it('fails like n8n when the node has no credential set', async () => {
		const bare = await createHarness({ credentialTypes: [new HarnessSalesforceApi()] });
		try {
			await expect(bare.execute(limitsNode, {})).rejects.toThrow(/credentials/i);
		} finally {
			await bare.close();
		}
	});
});
