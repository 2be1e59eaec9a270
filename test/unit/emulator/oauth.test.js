'use strict';
const crypto = require('node:crypto');
const { startTestEmulator } = require('../../helpers/emulator');

let emulator;
let creds;
beforeAll(async () => {
	emulator = await startTestEmulator();
	creds = emulator.credentials;
});
afterAll(() => emulator.close());

function jwt(claims, key = creds.privateKeyPem, alg = 'RS256') {
	const encode = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
	const body = `${encode({ alg, typ: 'JWT' })}.${encode(claims)}`;
	return `${body}.${crypto.sign('RSA-SHA256', Buffer.from(body), key).toString('base64url')}`;
}
const claims = (extra = {}) => ({ iss: creds.clientId, sub: creds.username, aud: 'https://login.salesforce.com', exp: Math.floor(Date.now() / 1000) + 180, ...extra });
const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

describe('token endpoint', () => {
	test('refresh_token grant returns a Salesforce-shaped token response that works on the API', async () => {
		const { status, body } = await emulator.tokenRequest({ grant_type: 'refresh_token', client_id: creds.clientId, client_secret: creds.clientSecret, refresh_token: creds.refreshToken });
		expect(status).toBe(200);
		expect(Object.keys(body).sort()).toEqual(['access_token', 'id', 'instance_url', 'issued_at', 'scope', 'signature', 'token_type']);
		expect(body.instance_url).toBe(emulator.url);
		expect(body.token_type).toBe('Bearer');
		expect(body.access_token).toMatch(/^00D[A-Za-z0-9]{12}!/);
		expect(body.id).toBe(`${emulator.url}/id/${emulator.org.orgId}/${emulator.org.user.Id}`);
		const res = await emulator.call('/services/data/v63.0/limits', { accessToken: body.access_token });
		expect(res.status).toBe(200);
	});

	test.each([
		['wrong client secret', { client_secret: 'nope' }, 'invalid_client', 'invalid client credentials'],
		['unknown client id', { client_id: 'nope' }, 'invalid_client_id', 'client identifier invalid'],
		['unknown refresh token', { refresh_token: 'nope' }, 'invalid_grant', 'expired access/refresh token'],
	])('refresh_token grant with %s', async (_, override, error, description) => {
		const { status, body } = await emulator.tokenRequest({ grant_type: 'refresh_token', client_id: creds.clientId, client_secret: creds.clientSecret, refresh_token: creds.refreshToken, ...override });
		expect(status).toBe(400);
		expect(body).toEqual({ error, error_description: description });
	});

	test('client_credentials grant needs the right secret', async () => {
		const ok = await emulator.tokenRequest({ grant_type: 'client_credentials', client_id: creds.clientId, client_secret: creds.clientSecret });
		expect(ok.status).toBe(200);
		expect(ok.body.access_token).toBeTruthy();
		const bad = await emulator.tokenRequest({ grant_type: 'client_credentials', client_id: creds.clientId });
		expect(bad.body.error).toBe('invalid_client');
	});

	test('password grant accepts the password with or without the security token', async () => {
		const base = { grant_type: 'password', client_id: creds.clientId, client_secret: creds.clientSecret, username: creds.username };
		expect((await emulator.tokenRequest({ ...base, password: creds.password })).status).toBe(200);
		expect((await emulator.tokenRequest({ ...base, password: creds.password + creds.securityToken })).status).toBe(200);
		const bad = await emulator.tokenRequest({ ...base, password: 'wrong' });
		expect(bad).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'authentication failure' } });
	});

	test('JWT bearer grant verifies the RS256 signature, iss, aud and exp', async () => {
		const ok = await emulator.tokenRequest({ grant_type: JWT_GRANT, assertion: jwt(claims()) });
		expect(ok.status).toBe(200);
		expect(ok.body.refresh_token).toBeUndefined();
		const otherKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
		const cases = [
			[jwt(claims(), otherKey), 'invalid_grant', 'invalid assertion'],
			[jwt(claims({ iss: 'someone-else' })), 'invalid_client_id', 'client identifier invalid'],
			[jwt(claims({ aud: 'https://evil.example.com' })), 'invalid_grant', 'audience is invalid'],
			[jwt(claims({ exp: Math.floor(Date.now() / 1000) - 10 })), 'invalid_grant', 'expired authorization code'],
			[jwt(claims({ sub: 'nobody@example.com' })), 'invalid_grant', "user hasn't approved this consumer"],
			['not-a-jwt', 'invalid_grant', 'invalid assertion'],
		];
		for (const [assertion, error, description] of cases) {
			expect(await emulator.tokenRequest({ grant_type: JWT_GRANT, assertion })).toEqual({ status: 400, body: { error, error_description: description } });
		}
		const audEmulator = await emulator.tokenRequest({ grant_type: JWT_GRANT, assertion: jwt(claims({ aud: emulator.url })) });
		expect(audEmulator.status).toBe(200);
	});

	test('an unsupported grant type is refused', async () => {
		expect(await emulator.tokenRequest({ grant_type: 'authorization_code' })).toEqual({ status: 400, body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' } });
	});

	test('userinfo describes the user behind the token', async () => {
		const res = await emulator.call('/services/oauth2/userinfo');
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ user_id: emulator.org.user.Id, organization_id: emulator.org.orgId, preferred_username: creds.username });
	});
});

describe('token expiry', () => {
	test('expired tokens get 401 INVALID_SESSION_ID on Bulk 2.0 and 400 InvalidSessionId on Bulk 1.0', async () => {
		const short = await startTestEmulator({ tokenTtlMs: 150 });
		try {
			const accessToken = await short.token();
			expect((await short.call('/services/data/v63.0/jobs/ingest', { accessToken })).status).toBe(200);
			await new Promise((resolve) => setTimeout(resolve, 200));
			const v2 = await short.call('/services/data/v63.0/jobs/ingest', { accessToken });
			expect(v2.status).toBe(401);
			expect(v2.json).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
			const v1 = await short.call('/services/async/63.0/job', { method: 'POST', accessToken, headers: { 'Content-Type': 'application/xml' }, body: '<jobInfo xmlns="http://www.force.com/2009/06/asyncapi/dataload"><operation>insert</operation><object>Account</object></jobInfo>' });
			expect(v1.status).toBe(400);
			expect(v1.text).toContain('<exceptionCode>InvalidSessionId</exceptionCode>');
			const fresh = await short.token();
			expect((await short.call('/services/data/v63.0/jobs/ingest', { accessToken: fresh })).status).toBe(200);
		} finally {
			await short.close();
		}
	});

	test('the expire-tokens switch expires every issued token at once', async () => {
		const accessToken = await emulator.token();
		expect((await emulator.call('/services/data/v63.0/sobjects', { accessToken })).status).toBe(200);
		await fetch(`${emulator.url}/__emulator/expire-tokens`, { method: 'POST' });
		expect((await emulator.call('/services/data/v63.0/sobjects', { accessToken })).status).toBe(401);
	});

	test('a missing Authorization header is INVALID_AUTH_HEADER', async () => {
		const res = await fetch(`${emulator.url}/services/data/v63.0/jobs/ingest`);
		expect(res.status).toBe(401);
		expect(await res.json()).toEqual([{ message: 'INVALID_HEADER_TYPE', errorCode: 'INVALID_AUTH_HEADER' }]);
	});
});
