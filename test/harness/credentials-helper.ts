// Test-only code (never shipped). A credentials helper that behaves like the n8n CLI's
// CredentialsHelper (packages/cli/src/credentials-helper.ts, n8n 2.41) minus the database:
// credentials live in memory, everything else (defaults, expression resolution, IAuthenticateGeneric,
// preAuthentication on an empty expirable property or when n8n-core forces it after a 401, storing
// what preAuthentication returns) follows the CLI's logic.

import { getAdditionalKeys } from 'n8n-core';
import {
	ICredentials,
	ICredentialsHelper,
	NodeHelpers,
	UnexpectedError,
	UserError,
	Workflow,
	getCredentialOwnRequestAllowedDomains,
	isExpression,
} from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';

/** One stored credential, as the database row would hold it (but unencrypted). */
export interface StoredCredential {
	id: string;
	name: string;
	type: string;
	data: ICredentialDataDecryptedObject;
}

/** Every call the helper receives, for assertions such as "the token was fetched once". */
export interface CredentialsHelperEvent {
	kind: 'getDecrypted' | 'authenticate' | 'preAuthentication' | 'updateCredentials';
	type: string;
	/** preAuthentication only: whether the credential type's preAuthentication actually ran. */
	ran?: boolean;
	/** preAuthentication only: the `credentialsExpired` flag n8n-core passed (true after a 401). */
	expired?: boolean;
}

const clone = <T>(value: T): T => structuredClone(value);

/** The stored data as an ICredentials (what `getCredentials` returns in n8n). */
class StoredCredentials extends ICredentials {
	constructor(private readonly entry: StoredCredential) {
		super({ id: entry.id, name: entry.name }, entry.type, JSON.stringify(entry.data));
	}

	async getData(): Promise<ICredentialDataDecryptedObject> {
		return clone(this.entry.data);
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.entry.id, name: this.entry.name, type: this.entry.type, data: this.data };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.entry.data = clone(data);
		this.data = JSON.stringify(data);
	}

	async updateData(
		toUpdate: Partial<ICredentialDataDecryptedObject>,
		toDelete: string[] = [],
	): Promise<void> {
		const updated = { ...this.entry.data, ...toUpdate } as ICredentialDataDecryptedObject;
		for (const key of toDelete) delete updated[key];
		await this.setData(updated);
	}
}

const MOCK_NODE: INode = {
	id: 'credentials-mock',
	name: '',
	typeVersion: 1,
	type: 'mock',
	position: [0, 0],
	parameters: {},
};

/** The node types the CLI uses for resolving credential expressions outside an execution. */
const MOCK_NODE_TYPES: INodeTypes = {
	getByName: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getByNameAndVersion: () => ({ description: { properties: [] } }) as unknown as INodeType,
	getKnownTypes: () => ({}),
};

/**
 * Restricts the requests a credential's preAuthentication makes to the credential's own allowed
 * domains, and exposes only `helpers.httpRequest` (as the CLI does).
 */
function restrictToCredentialDomains(
	helpers: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (requestOptions: IHttpRequestOptions) => {
				const allowedDomains = getCredentialOwnRequestAllowedDomains(credentials);
				if (allowedDomains === undefined) return await helpers.helpers.httpRequest(requestOptions);
				if (requestOptions.allowedDomains !== undefined) {
					throw new UserError(
						'This credential restricts requests to specific domains, which cannot be combined with the domains its authentication step asks for.',
					);
				}
				return await helpers.helpers.httpRequest({ ...requestOptions, allowedDomains });
			},
		},
	};
}

export class HarnessCredentialsHelper extends ICredentialsHelper {
	/** Stored credentials by id. */
	readonly store = new Map<string, StoredCredential>();

	readonly events: CredentialsHelperEvent[] = [];

	constructor(private readonly credentialTypes: Map<string, ICredentialType>) {
		super();
	}

	// ---- the credential "database" -------------------------------------------------------------

	/** Stores (or replaces) the credential for a type; returns its node reference. */
	put(type: string, data: ICredentialDataDecryptedObject, id = `cred-${type}`): INodeCredentialsDetails {
		this.getType(type);
		this.store.set(id, { id, name: `${type} (test)`, type, data: clone(data) });
		return { id, name: `${type} (test)` };
	}

	reference(type: string): INodeCredentialsDetails | undefined {
		const entry = this.find({ id: `cred-${type}`, name: '' }, type);
		return entry ? { id: entry.id, name: entry.name } : undefined;
	}

	private find(nodeCredentials: INodeCredentialsDetails, type: string): StoredCredential | undefined {
		if (nodeCredentials.id) {
			const byId = this.store.get(nodeCredentials.id);
			if (byId && byId.type === type) return byId;
		}
		return [...this.store.values()].find((entry) => entry.type === type);
	}

	private entry(nodeCredentials: INodeCredentialsDetails, type: string): StoredCredential {
		const found = this.find(nodeCredentials, type);
		if (!found) {
			throw new UserError(`Credential with ID "${nodeCredentials.id}" does not exist for type "${type}".`);
		}
		return found;
	}

	getType(typeName: string): ICredentialType {
		const type = this.credentialTypes.get(typeName);
		if (!type) throw new UnexpectedError(`Unknown credential type "${typeName}" (not given to the harness)`);
		return type;
	}

	// ---- ICredentialsHelper ------------------------------------------------------------------------

	getParentTypes(name: string): string[] {
		const type = this.credentialTypes.get(name);
		if (!type?.extends) return [];
		const parents: string[] = [];
		for (const parent of type.extends) {
			parents.push(parent, ...this.getParentTypes(parent));
		}
		return parents;
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const type = this.credentialTypes.get(credentialType);
		if (!type?.restrictToSupportedNodes) return true;
		const shortName = nodeType.slice(nodeType.lastIndexOf('.') + 1);
		return (type.supportedNodes ?? []).some((name) => name === nodeType || name === shortName);
	}

	/** IAuthenticateGeneric (with `={{$credentials.x}}` expressions) or a function, as the CLI does. */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		incomingRequestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		this.events.push({ kind: 'authenticate', type: typeName });
		const requestOptions = incomingRequestOptions as IHttpRequestOptions;
		const credentialType = this.getType(typeName);
		const { authenticate } = credentialType;
		if (!authenticate) return requestOptions;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions);
		}
		if (!workflow || !node) {
			throw new UnexpectedError('Workflow and node are required for declarative credential authentication');
		}
		if (requestOptions.headers === undefined) requestOptions.headers = {};
		if (authenticate.type === 'generic') {
			const target = requestOptions as unknown as Record<string, Record<string, unknown> | undefined>;
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue as Record<string, unknown>)) {
					const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
					const valueResolved = this.resolveValue(value as string, { $credentials: credentials }, workflow, node);
					target[outerKey] ??= {};
					target[outerKey][keyResolved] = valueResolved;
				}
			}
		}
		return requestOptions;
	}

	/**
	 * Runs the credential type's preAuthentication when its expirable hidden property is empty, when
	 * n8n-core says the credentials expired (after a 401), or during a credential test; stores the
	 * result and merges it into `credentials`.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const event: CredentialsHelperEvent = { kind: 'preAuthentication', type: typeName, ran: false, expired: credentialsExpired };
		this.events.push(event);
		const credentialType = this.getType(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property?.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) return undefined;

		// The CLI's credential test runs on a mock noOp node whose only parameter is `temp`.
		const isTestingCredentials = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';

		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		if (credentials[expirableProperty.name] !== '' && !credentialsExpired && !isTestingCredentials) {
			return undefined;
		}
		event.ran = true;
		const output = (await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		)) as ICredentialDataDecryptedObject;
		if (output[expirableProperty.name] === undefined) return undefined;

		if (node.credentials) {
			const nodeCredentials = node.credentials[credentialType.name];
			const storedData = await (await this.getCredentials(nodeCredentials, credentialType.name)).getData();
			const dataToPersist: ICredentialDataDecryptedObject = { ...storedData };
			for (const [key, value] of Object.entries(output)) {
				if (key === expirableProperty.name || !isExpression(storedData[key])) dataToPersist[key] = value;
			}
			await this.updateCredentials(nodeCredentials, credentialType.name, dataToPersist);
			return Object.assign(credentials, output);
		}
		return undefined;
	}

	/** The in-memory variant the OAuth2 path uses (no expirable guard, no persistence). */
	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getType(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(
			restrictToCredentialDomains(helpers, credentials),
			credentials,
		);
		return (output as ICredentialDataDecryptedObject | undefined) ?? undefined;
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		return new StoredCredentials(this.entry(nodeCredentials, type));
	}

	/** A copy of the stored data with defaults applied and expressions resolved (raw: the stored copy). */
	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		this.events.push({ kind: 'getDecrypted', type });
		const data = clone(this.entry(nodeCredentials, type).data);
		if (raw === true) return data;
		return await this.applyDefaultsAndOverwrites(additionalData, data, type, mode, executeData, expressionResolveValues);
	}

	async applyDefaultsAndOverwrites(
		additionalData: IWorkflowExecuteAdditionalData,
		decryptedDataOriginal: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		executeData?: IExecuteData,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		const credentialsProperties = this.getCredentialsProperties(type);
		let decryptedData = NodeHelpers.getNodeParameters(
			credentialsProperties,
			{ ...decryptedDataOriginal } as INodeParameters,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}
		for (const field of ['allowedHttpRequestDomains', 'allowedDomains']) {
			if (decryptedData[field] === undefined && decryptedDataOriginal[field] !== undefined) {
				decryptedData[field] = decryptedDataOriginal[field];
			}
		}

		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			try {
				decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData as INodeParameters,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData,
				) as ICredentialDataDecryptedObject;
			} catch (e) {
				(e as Error).message += ' [Error resolving credentials]';
				// eslint-disable-next-line @n8n/community-nodes/require-node-api-error -- as n8n's CLI does
				throw e;
			}
		} else {
			const workflow = new Workflow({ nodes: [MOCK_NODE], connections: {}, active: false, nodeTypes: MOCK_NODE_TYPES });
			decryptedData = workflow.expression.getComplexParameterValue(
				MOCK_NODE,
				decryptedData as INodeParameters,
				mode,
				additionalKeys,
				undefined,
				undefined,
				decryptedData,
			) as ICredentialDataDecryptedObject;
		}
		return decryptedData;
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.events.push({ kind: 'updateCredentials', type });
		await (await this.getCredentials(nodeCredentials, type)).setData(data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.events.push({ kind: 'updateCredentials', type });
		await (await this.getCredentials(nodeCredentials, type)).updateData({ oauthTokenData: data.oauthTokenData });
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialTypeData = this.getType(type);
		if (credentialTypeData.extends === undefined) {
			if (['oAuth1Api', 'oAuth2Api'].includes(type)) {
				return [
					...credentialTypeData.properties,
					{ displayName: 'oauthTokenData', name: 'oauthTokenData', type: 'json', required: false, default: {} },
				];
			}
			return credentialTypeData.properties;
		}
		const combineProperties: INodeProperties[] = [];
		for (const parent of credentialTypeData.extends) {
			NodeHelpers.mergeNodeProperties(combineProperties, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combineProperties, credentialTypeData.properties);
		return combineProperties;
	}

	private resolveValue(
		parameterValue: string,
		additionalKeys: IWorkflowDataProxyAdditionalKeys,
		workflow: Workflow,
		node: INode,
	): string {
		if (!isExpression(parameterValue)) return parameterValue;
		const returnValue = workflow.expression.getSimpleParameterValue(node, parameterValue, 'internal', additionalKeys, undefined, '');
		if (!returnValue) return '';
		return returnValue.toString();
	}
}
