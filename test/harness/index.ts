/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node built-ins */
// Test-only code (never shipped). The node test harness: runs a node's execute / poll /
// loadOptions / listSearch / resourceMapping in n8n-core's real contexts, on a real n8n-workflow
// Workflow, with n8n-core's real request helpers (HTTP goes out over the network), real binary data
// service and a credentials helper that behaves like n8n's (see credentials-helper.ts).
//
//   const harness = await createHarness({ credentialTypes: [new MyApi()], credentials: { myApi: {...} } });
//   const [out] = await harness.execute(new MyNode(), { parameters: {...}, items: [{ json: {} }] });
//   await harness.close();

import {
	ExecuteContext,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	LoadOptionsContext,
	PollContext,
	RoutingNode,
	TriggersAndPollers,
	WorkflowExecute,
	isEngineRequest,
	prepareBinaryData,
} from 'n8n-core';
import { NodeHelpers, UnexpectedError, Workflow, createRunExecutionData } from 'n8n-workflow';
import type {
	IBinaryData,
	ICredentialDataDecryptedObject,
	ICredentialsDecrypted,
	ICredentialType,
	IDataObject,
	IExecuteData,
	ILoadOptionsFunctions,
	INode,
	INodeCredentials,
	INodeCredentialTestResult,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	IRun,
	ITaskDataConnections,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	NodeExecutionHint,
	ResourceMapperFields,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import type { Readable } from 'node:stream';

import { HarnessCredentialsHelper } from './credentials-helper';
import type { CredentialsHelperEvent } from './credentials-helper';
import { NodeTypes, defaultVersion } from './node-types';
import type { AnyNodeType } from './node-types';
import { Container, startRuntime } from './runtime';
import type { BinaryMode } from './runtime';

export type { AnyNodeType, BinaryMode, CredentialsHelperEvent };
export { HarnessCredentialsHelper };

export interface HarnessOptions {
	/** Instances of the credential types the nodes under test use (and their `extends` parents). */
	credentialTypes: ICredentialType[];
	/** Stored credential data by credential type name (what the user typed into the credential). */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** 'filesystem' (binary data in a temp dir, `binaryData.id` set) or 'default' (in memory, base64). */
	binaryMode?: BinaryMode;
	/** Prefix of node type names, as n8n names community nodes (`<package>.<name>`). */
	packageName?: string;
}

/** What every node run takes: the node's parameters as the editor would save them, and more. */
export interface NodeRunOptions {
	/** Node parameters; defaults are filled in by the Workflow, as in n8n. */
	parameters?: INodeParameters;
	/** Defaults to the node type's default (newest) version. */
	typeVersion?: number;
	/**
	 * The credential type to attach to the node. Without it every credential type the node
	 * declares and the harness holds data for is attached.
	 */
	credentialName?: string;
	/** Defaults to 'Node Under Test' ('Temp-Node' for loadOptions/listSearch, as in n8n). */
	nodeName?: string;
	workflowSettings?: IWorkflowSettings;
}

export interface ExecuteOptions extends NodeRunOptions {
	/** Input items of the node's first input; defaults to one empty item. */
	items?: INodeExecutionData[];
	/** Sets the node's "On Error" to "Continue" (this.continueOnFail() === true). */
	continueOnFail?: boolean;
	/** The execution's cancel signal (this.getExecutionCancelSignal()). */
	abortSignal?: AbortSignal;
	/** Defaults to 'manual' (run from the editor); 'trigger' / 'webhook' for production runs. */
	mode?: WorkflowExecuteMode;
}

export interface PollOptions extends NodeRunOptions {
	/**
	 * The node's static data (what `this.getWorkflowStaticData('node')` returns). Pass the object
	 * returned by a previous poll to continue from its state.
	 */
	staticData?: IDataObject;
	/** 'manual' = "Fetch Test Event" in the editor; 'trigger' = an active workflow's poll. */
	mode: 'manual' | 'trigger';
	/** For mode 'trigger'; defaults to 'activate'. */
	activation?: WorkflowActivateMode;
}

export interface PollResult {
	result: INodeExecutionData[][] | null;
	staticData: IDataObject;
}

export interface LoadOptionsOptions extends NodeRunOptions {
	/** The parameter path the dropdown belongs to; defaults to `parameters.<method>`. */
	path?: string;
}

export interface ListSearchOptions extends LoadOptionsOptions {
	filter?: string;
	paginationToken?: string;
}

export interface Harness {
	execute(node: AnyNodeType, options?: ExecuteOptions): Promise<INodeExecutionData[][]>;
	poll(node: AnyNodeType, options: PollOptions): Promise<PollResult>;
	loadOptions(node: AnyNodeType, method: string, options?: LoadOptionsOptions): Promise<INodePropertyOptions[]>;
	listSearch(node: AnyNodeType, method: string, options?: ListSearchOptions): Promise<INodeListSearchResult>;
	resourceMapping(node: AnyNodeType, method: string, options?: LoadOptionsOptions): Promise<ResourceMapperFields>;
	/** A copy of the stored credential data (e.g. the token preAuthentication stored). */
	credentialData(credentialTypeName: string): ICredentialDataDecryptedObject | undefined;
	/** Stores (replaces) a credential, as saving it in the editor would. */
	setCredential(credentialTypeName: string, data: ICredentialDataDecryptedObject): void;
	/** Runs the credential type's `test` request the way n8n's "Test" button does. */
	testCredential(
		credentialType: ICredentialType | string,
		data: ICredentialDataDecryptedObject,
	): Promise<INodeCredentialTestResult>;
	/** The bytes of a binary property, whichever binary mode it was stored in. */
	readBinary(binaryData: IBinaryData): Promise<Buffer>;
	/** Stores bytes in the harness's binary data store, for input items: `{ json: {}, binary: { data } }`. */
	prepareBinary(data: Buffer | Readable, fileName?: string, mimeType?: string): Promise<IBinaryData>;
	/** Calls the credentials helper received (getDecrypted, authenticate, preAuthentication, updateCredentials). */
	readonly credentialEvents: CredentialsHelperEvent[];
	/** Hints the last execute() added with this.addExecutionHints(). */
	readonly lastHints: NodeExecutionHint[];
	readonly binaryMode: BinaryMode;
	readonly credentialsHelper: HarnessCredentialsHelper;
	close(): Promise<void>;
}

const WORKFLOW_ID = 'harnessWorkflow1';
const BASE_URL = 'http://localhost:5678';

const notAvailable = (what: string) => async (): Promise<never> => {
	throw new UnexpectedError(`${what} is not available in the node test harness`);
};

export async function createHarness(options: HarnessOptions): Promise<Harness> {
	const binaryMode = options.binaryMode ?? 'filesystem';
	const packageName = options.packageName ?? 'n8n-nodes-salesforce-bulk';
	const runtime = await startRuntime(binaryMode);
	const credentialTypes = new Map(options.credentialTypes.map((type) => [type.name, type]));
	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes);
	for (const [type, data] of Object.entries(options.credentials ?? {})) credentialsHelper.put(type, data);
	const nodeTypes = new NodeTypes();
	const typeNames = new Map<AnyNodeType, string>();
	let executions = 0;
	let lastHints: NodeExecutionHint[] = [];

	function typeNameOf(nodeType: AnyNodeType): string {
		let name = typeNames.get(nodeType);
		if (!name) {
			name = `${packageName}.${nodeType.description.name}`;
			typeNames.set(nodeType, name);
		}
		nodeTypes.register(name, nodeType);
		return name;
	}

	function additionalData(executionId: string, extra: Partial<IWorkflowExecuteAdditionalData> = {}) {
		const data: IWorkflowExecuteAdditionalData = {
			credentialsHelper,
			executeWorkflow: notAvailable('executeWorkflow'),
			getRunExecutionData: async () => undefined,
			getRuntimeCredential: async () => undefined,
			startRunnerTask: notAvailable('startRunnerTask'),
			logAiEvent: () => {},
			executionId,
			currentNodeExecutionIndex: 0,
			restApiUrl: `${BASE_URL}/rest`,
			instanceBaseUrl: `${BASE_URL}/`,
			formBaseUrl: `${BASE_URL}/form`,
			formWaitingBaseUrl: `${BASE_URL}/form-waiting`,
			formTestBaseUrl: `${BASE_URL}/form-test`,
			webhookBaseUrl: `${BASE_URL}/webhook`,
			webhookWaitingBaseUrl: `${BASE_URL}/webhook-waiting`,
			webhookTestBaseUrl: `${BASE_URL}/webhook-test`,
			mcpBaseUrl: `${BASE_URL}/mcp`,
			mcpTestBaseUrl: `${BASE_URL}/mcp-test`,
			variables: {},
			externalSecretsProxy: new ExternalSecretsProxy(),
			userId: 'harness-user',
			workflowId: WORKFLOW_ID,
			...extra,
		};
		return data;
	}

	/** A Workflow with the one node, the way n8n builds it (defaults filled into node.parameters). */
	function buildWorkflow(nodeType: AnyNodeType, run: NodeRunOptions, defaults: Partial<INode> & { name: string }) {
		const type = typeNameOf(nodeType);
		const typeVersion = run.typeVersion ?? defaultVersion(nodeType);
		const versionedType = NodeHelpers.getVersionedNodeType(nodeType, typeVersion);
		const { description } = versionedType;
		const credentials: INodeCredentials = {};
		const wanted = run.credentialName
			? [run.credentialName]
			: (description.credentials ?? []).map((credential) => credential.name);
		for (const name of wanted) {
			const reference = credentialsHelper.reference(name);
			if (reference) credentials[name] = reference;
		}
		const node: INode = {
			id: 'c0ffee00-0000-4000-8000-000000000001',
			position: [0, 0],
			type,
			typeVersion,
			parameters: structuredClone(run.parameters ?? {}),
			...(Object.keys(credentials).length ? { credentials } : {}),
			...defaults,
			name: run.nodeName ?? defaults.name,
		};
		return { node, versionedType, typeVersion };
	}

	function newWorkflow(node: INode, settings: IWorkflowSettings | undefined, staticData?: IDataObject) {
		const workflow = new Workflow({
			id: WORKFLOW_ID,
			name: 'Node test harness',
			nodes: [node],
			connections: {},
			active: false,
			nodeTypes,
			settings: settings ?? {},
			staticData,
		});
		return { workflow, node: workflow.nodes[node.name] };
	}

	function workflowBase(workflow: Workflow, node: INode): IWorkflowBase {
		return {
			id: WORKFLOW_ID,
			name: workflow.name ?? 'Node test harness',
			active: false,
			isArchived: false,
			activeVersionId: null,
			createdAt: new Date(0),
			updatedAt: new Date(0),
			nodes: [node],
			connections: {},
			settings: workflow.settings,
		};
	}

	const harness: Harness = {
		get credentialEvents() {
			return credentialsHelper.events;
		},
		get lastHints() {
			return lastHints;
		},
		binaryMode,
		credentialsHelper,

		async execute(nodeType, run = {}) {
			runtime.activate();
			const mode = run.mode ?? 'manual';
			const built = buildWorkflow(nodeType, run, {
				name: 'Node Under Test',
				...(run.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
			});
			const { workflow, node } = newWorkflow(built.node, run.workflowSettings);
			const executionId = String(++executions);
			const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowBase(workflow, node));
			const data = additionalData(executionId, { hooks });
			const inputData: ITaskDataConnections = { main: [run.items ?? [{ json: {} }]] };
			const executeData: IExecuteData = { node, data: inputData, source: null };
			const runExecutionData = createRunExecutionData({
				executionData: { nodeExecutionStack: [executeData] },
			});
			// The engine's own per-node step (executeOnce, disabled nodes, input selection, the
			// ExecuteContext, close functions) rather than calling node.execute by hand.
			const workflowExecute = new WorkflowExecute(data, mode, runExecutionData);
			const startedAt = new Date();
			let status: IRun['status'] = 'error';
			try {
				const response = await workflowExecute.runNode(
					workflow,
					executeData,
					runExecutionData,
					0,
					data,
					mode,
					run.abortSignal,
				);
				if (isEngineRequest(response)) {
					throw new UnexpectedError('The node asked the engine to run sub-nodes; the harness does not support that');
				}
				lastHints = response.hints ?? [];
				status = 'success';
				return response.data ?? [];
			} finally {
				const fullRunData = {
					data: runExecutionData,
					mode,
					status,
					startedAt,
					stoppedAt: new Date(),
					storedAt: 'db',
				} as IRun;
				await hooks.runHook('workflowExecuteAfter', [fullRunData, {}]);
			}
		},

		async poll(nodeType, run) {
			runtime.activate();
			const staticData = run.staticData ?? {};
			const built = buildWorkflow(nodeType, run, { name: 'Trigger Under Test' });
			const { workflow, node } = newWorkflow(built.node, run.workflowSettings, {
				[`node:${run.nodeName ?? 'Trigger Under Test'}`]: staticData,
			});
			const mode: WorkflowExecuteMode = run.mode === 'manual' ? 'manual' : 'trigger';
			const activation: WorkflowActivateMode = run.mode === 'manual' ? 'manual' : (run.activation ?? 'activate');
			const context = new PollContext(workflow, node, additionalData(String(++executions)), mode, activation);
			const result = await Container.get(TriggersAndPollers).runPollFunction(workflow, node, context);
			return { result, staticData };
		},

		async loadOptions(nodeType, method, run = {}) {
			const { context, fn } = methodContext(nodeType, 'loadOptions', method, run);
			return (await fn.call(context)) as INodePropertyOptions[];
		},

		async listSearch(nodeType, method, run = {}) {
			const { context, fn } = methodContext(nodeType, 'listSearch', method, run);
			return (await fn.call(context, run.filter, run.paginationToken)) as INodeListSearchResult;
		},

		async resourceMapping(nodeType, method, run = {}) {
			const { context, fn } = methodContext(nodeType, 'resourceMapping', method, run);
			return (await fn.call(context)) as ResourceMapperFields;
		},

		credentialData(name) {
			const reference = credentialsHelper.reference(name);
			return reference ? structuredClone(credentialsHelper.store.get(reference.id as string)?.data) : undefined;
		},

		setCredential(name, data) {
			credentialsHelper.put(name, data);
		},

		async testCredential(credentialType, data) {
			runtime.activate();
			const type = typeof credentialType === 'string' ? credentialsHelper.getType(credentialType) : credentialType;
			if (!credentialTypes.has(type.name)) credentialTypes.set(type.name, type);
			return await testCredential(type, data);
		},

		async readBinary(binaryData) {
			return await runtime.binaryDataService.getAsBuffer(binaryData);
		},

		async prepareBinary(bytes, fileName, mimeType) {
			runtime.activate();
			return await prepareBinaryData(bytes, 'harness-input', WORKFLOW_ID, fileName, mimeType);
		},

		async close() {
			runtime.close();
		},
	};

	type MethodKind = 'loadOptions' | 'listSearch' | 'resourceMapping';

	/** As n8n's DynamicNodeParametersService: a 'Temp-Node' workflow and a LoadOptionsContext. */
	function methodContext(nodeType: AnyNodeType, kind: MethodKind, method: string, run: LoadOptionsOptions) {
		runtime.activate();
		const built = buildWorkflow(nodeType, run, { name: 'Temp-Node' });
		const fn = built.versionedType.methods?.[kind]?.[method] as
			| ((this: ILoadOptionsFunctions, ...args: unknown[]) => Promise<unknown>)
			| undefined;
		if (typeof fn !== 'function') {
			throw new UnexpectedError(`Node type "${built.versionedType.description.name}" has no ${kind} method "${method}"`);
		}
		const { workflow, node } = newWorkflow(built.node, run.workflowSettings);
		// The editor sends the node's parameters with their defaults filled in.
		const data = additionalData(String(++executions), { currentNodeParameters: node.parameters });
		const context = new LoadOptionsContext(workflow, node, data, run.path ?? `parameters.${method}`);
		return { context, fn };
	}

	/** As n8n's CredentialsTester for a credential type with a `test` request. */
	async function testCredential(
		type: ICredentialType,
		input: ICredentialDataDecryptedObject,
	): Promise<INodeCredentialTestResult> {
		if (!type.test) return { status: 'Error', message: 'No testing function found for this credential.' };
		const testRequest = type.test;
		const executionId = String(++executions);
		const data = additionalData(executionId);
		const scratchId = `credential-test-${executionId}`;
		let credentials: ICredentialsDecrypted;
		try {
			credentialsHelper.put(type.name, input, scratchId);
			credentials = {
				id: scratchId,
				name: `${type.name} (test)`,
				type: type.name,
				data: await credentialsHelper.applyDefaultsAndOverwrites(data, structuredClone(input), type.name, 'internal'),
			};
		} catch (error) {
			credentialsHelper.store.delete(scratchId);
			return { status: 'Error', message: String((error as Error).message) };
		}

		const noOp: INodeType = {
			description: {
				displayName: 'No Operation, do nothing',
				name: 'n8n-nodes-base.noOp',
				group: ['organization'],
				version: 1,
				description: 'No Operation',
				defaults: { name: 'No Operation, do nothing' },
				inputs: ['main'],
				outputs: ['main'],
				credentials: [{ name: type.name, required: true }],
				properties: [
					{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: testRequest.request }, default: '' },
				],
			},
		};
		const testNodeTypes = new NodeTypes();
		testNodeTypes.register(noOp.description.name, noOp);
		const node: INode = {
			id: 'temp',
			parameters: {},
			name: 'Temp-Node',
			type: noOp.description.name,
			typeVersion: 1,
			position: [0, 0],
			credentials: { [type.name]: { id: scratchId, name: credentials.name } },
		};
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: testNodeTypes });
		const tempNode = workflow.nodes[node.name];
		const context = new ExecuteContext(
			workflow,
			tempNode,
			data,
			'internal',
			createRunExecutionData({ executionData: null }),
			0,
			[],
			{ main: [[{ json: {} }]] },
			{ node: tempNode, data: {}, source: null },
			[],
		);
		let response: INodeExecutionData[][] | null | undefined;
		try {
			response = (await new RoutingNode(context, noOp, credentials).runNode()) as typeof response;
		} catch (error) {
			const cause = (error as { cause?: { response?: { status: number; statusText?: string }; code?: string } }).cause;
			if (cause?.response) {
				const { status, statusText } = cause.response;
				for (const rule of testRequest.rules ?? []) {
					if (rule.type === 'responseCode' && status === rule.properties.value) {
						return { status: 'Error', message: rule.properties.message };
					}
				}
				if (status < 199 || status > 299) {
					return { status: 'Error', message: statusText || `Received HTTP status code: ${status}` };
				}
			} else if (cause?.code) {
				return { status: 'Error', message: cause.code };
			}
			return { status: 'Error', message: String((error as Error).message) };
		} finally {
			credentialsHelper.store.delete(scratchId);
		}
		for (const rule of testRequest.rules ?? []) {
			if (rule.type === 'responseSuccessBody') {
				const json = response?.[0]?.[0]?.json ?? {};
				const value = rule.properties.key.split('.').reduce<unknown>((acc, key) => (acc as IDataObject | undefined)?.[key], json);
				if (value === rule.properties.value) return { status: 'Error', message: rule.properties.message };
			}
		}
		return { status: 'OK', message: 'Connection successful!' };
	}

	return harness;
}
