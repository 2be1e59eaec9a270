import { createSign } from 'node:crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { carriesTokenSafely } from '../nodes/shared/transport/secureUrl';

const LOGIN_HOSTS: Record<string, string> = {
	production: 'https://login.salesforce.com',
	sandbox: 'https://test.salesforce.com',
};

const NETWORK_REASONS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'host not found',
	ETIMEDOUT: 'timed out',
	ECONNRESET: 'connection reset',
	CERT_HAS_EXPIRED: 'its certificate has expired',
};

type Grant = 'refreshToken' | 'clientCredentials' | 'jwtBearer' | 'password' | 'accessToken';

const forGrants = (...grantType: Grant[]) => ({ show: { grantType } });

/** Plain http:// is only allowed to a loopback host (the local emulator): a token never travels in clear text. */
export function assertSecureUrl(url: string, what: string): string {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw new Error(`${what} "${url}" is not a valid URL. Use the form https://yourdomain.my.salesforce.com`);
	}
	if (carriesTokenSafely(parsed)) return parsed.origin;
	throw new Error(`${what} must use https:// (got ${parsed.protocol}//${parsed.host}); plain http is only allowed for a local emulator on loopback`);
}

export function loginUrl(credentials: ICredentialDataDecryptedObject): string {
	const environment = credentials.environment as string;
	if (environment === 'custom') return assertSecureUrl(String(credentials.customLoginUrl ?? ''), 'Custom Login URL');
	return LOGIN_HOSTS[environment] ?? LOGIN_HOSTS.production;
}

/** The JWT audience Salesforce expects: login or test, or the login host itself for emulators and sites. */
function jwtAudience(credentials: ICredentialDataDecryptedObject): string {
	const url = loginUrl(credentials);
	if (/\.sandbox\.my\.salesforce\.com$/i.test(new URL(url).hostname)) return LOGIN_HOSTS.sandbox;
	if (/\.my\.salesforce\.com$/i.test(new URL(url).hostname)) return LOGIN_HOSTS.production;
	return url;
}

function signJwt(credentials: ICredentialDataDecryptedObject): string {
	const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
	const claims = {
		iss: credentials.clientId,
		sub: credentials.username,
		aud: jwtAudience(credentials),
		exp: Math.floor(Date.now() / 1000) + 180,
	};
	const unsigned = `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}`;
	// A PEM pasted into a one-line field loses its newlines: put them back.
	const pem = String(credentials.privateKey ?? '').replace(/\\n/g, '\n').trim();
	let signature: string;
	try {
		signature = createSign('RSA-SHA256').update(unsigned).sign(pem, 'base64url');
	} catch {
		throw new Error('The Private Key is not a valid PEM private key. Paste the whole key, including the BEGIN and END lines');
	}
	return `${unsigned}.${signature}`;
}

function tokenForm(credentials: ICredentialDataDecryptedObject): IDataObject {
	const grant = credentials.grantType as Grant;
	const client = { client_id: credentials.clientId, client_secret: credentials.clientSecret };
	switch (grant) {
		case 'clientCredentials':
			return { grant_type: 'client_credentials', ...client };
		case 'jwtBearer':
			return { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: signJwt(credentials) };
		case 'password':
			return { grant_type: 'password', ...client, username: credentials.username, password: credentials.password };
		default: {
			const form: IDataObject = { grant_type: 'refresh_token', client_id: credentials.clientId, refresh_token: credentials.refreshToken };
			if (credentials.clientSecret) form.client_secret = credentials.clientSecret;
			return form;
		}
	}
}

/** Turns Salesforce's OAuth error into a sentence that says which field to fix. */
function tokenError(grant: Grant, error: string, description: string, host: string): Error {
	const said = `Salesforce said: ${error}${description ? ` (${description})` : ''}`;
	const hints: Record<string, string> = {
		invalid_client_id: `The Client ID (consumer key) is not known at ${host}: check the Client ID and the Environment`,
		invalid_client: 'The Client Secret (consumer secret) is wrong for this Client ID',
		unsupported_grant_type: `${host} does not allow this Grant Type for this app: enable it in the connected or external client app`,
	};
	const grantHints: Record<Grant, string> = {
		refreshToken: 'The Refresh Token is expired, revoked or belongs to another app: get a new one',
		clientCredentials: 'The client credentials flow is not set up for this app: enable it and choose a Run As user',
		jwtBearer: 'The JWT was rejected: check that the Private Key matches the certificate of the app, the Username, and that the user is pre-authorized for the app',
		password: 'The Username, Password or security token is wrong (append the security token to the password unless your IP is trusted)',
		accessToken: 'The Access Token was rejected',
	};
	return new Error(`${hints[error] ?? grantHints[grant]}. ${said}`);
}

export class SalesforceBulkOAuth2Api implements ICredentialType {
	name = 'salesforceBulkOAuth2Api';

	displayName = 'Salesforce Bulk OAuth2 API';

	icon: Icon = { light: 'file:../nodes/SalesforceBulk2/salesforce.svg', dark: 'file:../nodes/SalesforceBulk2/salesforce.dark.svg' };

	documentationUrl = 'https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/asynch_api_intro.htm';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production', description: 'login.salesforce.com' },
				{ name: 'Sandbox', value: 'sandbox', description: 'test.salesforce.com' },
				{ name: 'Custom Login URL', value: 'custom', description: 'A My Domain login URL, or a local emulator' },
			],
			default: 'production',
		},
		{
			displayName: 'Custom Login URL',
			name: 'customLoginUrl',
			type: 'string',
			default: '',
			placeholder: 'https://yourdomain.my.salesforce.com',
			required: true,
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'options',
			options: [
				{ name: 'Refresh Token', value: 'refreshToken', description: 'A refresh token issued to your app' },
				{ name: 'Client Credentials', value: 'clientCredentials', description: 'The app runs as its Run As user (needs a My Domain login URL)' },
				{ name: 'JWT Bearer', value: 'jwtBearer', description: 'Signed with a private key whose certificate is uploaded to the app' },
				{ name: 'Username-Password (Deprecated)', value: 'password', description: 'Salesforce retires this flow on 20 February 2027; blocked in many orgs already' },
				{ name: 'Access Token Only', value: 'accessToken', description: 'A fixed session token; it is not renewed' },
			],
			default: 'refreshToken',
		},
		{
			// Shown only to users of the retiring grant: saved credentials keep working until Salesforce turns it off.
			displayName:
				'Salesforce retires the OAuth username-password flow on 20 February 2027. Switch to Client Credentials or JWT Bearer with an External Client App (new Connected Apps cannot be created since Spring ’26).',
			name: 'retiringGrantNotice',
			type: 'notice',
			default: '',
			displayOptions: forGrants('password'),
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'The consumer key of the connected app or external client app',
			displayOptions: forGrants('refreshToken', 'clientCredentials', 'jwtBearer', 'password'),
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The consumer secret. Optional for the refresh token grant when the app does not require it.',
			displayOptions: forGrants('refreshToken', 'clientCredentials', 'password'),
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: forGrants('refreshToken'),
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'integration@example.com',
			displayOptions: forGrants('jwtBearer', 'password'),
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'The password followed by the security token, unless the request comes from a trusted IP range',
			displayOptions: forGrants('password'),
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			typeOptions: { password: true, rows: 6 },
			default: '',
			required: true,
			placeholder: '-----BEGIN PRIVATE KEY-----',
			description: 'PEM private key matching the certificate uploaded to the app',
			displayOptions: forGrants('jwtBearer'),
		},
		{
			displayName: 'Access Token',
			name: 'staticAccessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: forGrants('accessToken'),
		},
		{
			displayName: 'Instance URL',
			name: 'instanceUrl',
			type: 'string',
			default: '',
			placeholder: 'https://yourdomain.my.salesforce.com',
			description: 'Leave empty to use the instance URL from the token response. Required with an access token only.',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: '63.0',
			description: 'Salesforce API version used for every call, e.g. 63.0',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Token Instance URL',
			name: 'tokenInstanceUrl',
			type: 'hidden',
			default: '',
		},
	];

	/** Gets a new access token with the chosen grant; n8n stores it and calls this again after a 401. */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const grant = (credentials.grantType as Grant) ?? 'refreshToken';
		if (grant === 'accessToken') {
			if (!credentials.instanceUrl) throw new Error('Instance URL is required with the Access Token Only grant');
			return { accessToken: credentials.staticAccessToken, tokenInstanceUrl: assertSecureUrl(String(credentials.instanceUrl), 'Instance URL') };
		}
		const host = loginUrl(credentials);
		const form = tokenForm(credentials);
		let response: { statusCode: number; body: IDataObject | string };
		try {
			response = await this.helpers.httpRequest({
				method: 'POST',
				url: `${host}/services/oauth2/token`,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
				body: form,
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			});
		} catch (error) {
			// n8n rewrites messages that contain raw network codes, so say it in words.
			const code = String((error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code ?? '');
			const reason = NETWORK_REASONS[code] ?? 'no answer';
			throw new Error(`Could not reach the Salesforce login host ${host} (${reason}). Check the Environment and Custom Login URL`);
		}
		const body = typeof response.body === 'string' ? ({ error: response.body } as IDataObject) : response.body ?? {};
		if (response.statusCode !== 200 || typeof body.access_token !== 'string') {
			const error = String(body.error ?? `HTTP ${response.statusCode}`);
			throw tokenError(grant, error, String(body.error_description ?? ''), host);
		}
		const tokenInstanceUrl = assertSecureUrl(String(credentials.instanceUrl || body.instance_url), 'Instance URL');
		return { accessToken: body.access_token, tokenInstanceUrl };
	}

	/**
	 * Bulk API 2.0 and REST read `Authorization: Bearer`, Bulk API 1.0 reads `X-SFDC-Session`. Requests with a
	 * path only are sent to the org's instance.
	 */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const token = String(credentials.accessToken ?? '');
		const instance = String(credentials.instanceUrl || credentials.tokenInstanceUrl || '');
		const options = { ...requestOptions, headers: { ...requestOptions.headers, Authorization: `Bearer ${token}`, 'X-SFDC-Session': token } };
		if (!/^https?:\/\//i.test(options.url) && !options.baseURL) options.baseURL = assertSecureUrl(instance, 'Instance URL');
		return options;
	}

	test: ICredentialTestRequest = {
		request: {
			url: '=/services/data/v{{$credentials.apiVersion}}/limits',
			method: 'GET',
		},
	};
}
