import { generateKeyPairSync } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { SalesforceBulkOAuth2Api } from '../../credentials/SalesforceBulkOAuth2Api.credentials';
import { accessToken, emulatorCredential, setup, type Setup } from './setup';

let s: Setup;
beforeAll(async () => {
	s = await setup();
});
afterAll(async () => await s.close());

const credential = new SalesforceBulkOAuth2Api();
const test = async (extra: ICredentialDataDecryptedObject) => await s.harness.testCredential(credential, emulatorCredential(s.emulator, extra));

describe('Salesforce Bulk OAuth2 API credential: the Test button', () => {
	it.each([
		['refresh token', {}],
		['client credentials', { grantType: 'clientCredentials' }],
		['username-password (password + security token)', { grantType: 'password', username: 'bulk.user@example.com', passwordSuffix: true }],
	])('works with the %s grant', async (_, extra) => {
		const { passwordSuffix, ...rest } = extra as ICredentialDataDecryptedObject;
		const password = passwordSuffix ? s.emulator.credentials.password + s.emulator.credentials.securityToken : undefined;
		expect(await test({ ...rest, ...(password ? { password } : {}) })).toMatchObject({ status: 'OK' });
	});

	it('works with the JWT bearer grant, signing RS256 with the private key', async () => {
		const result = await test({ grantType: 'jwtBearer', username: s.emulator.credentials.username, privateKey: s.emulator.credentials.privateKeyPem });
		expect(result).toMatchObject({ status: 'OK' });
	});

	it('works with a fixed access token and instance URL', async () => {
		const token = await accessToken(s.emulator, 'client_credentials');
		expect(await test({ grantType: 'accessToken', staticAccessToken: token, instanceUrl: s.emulator.url })).toMatchObject({ status: 'OK' });
		const missing = await test({ grantType: 'accessToken', staticAccessToken: token });
		expect(missing).toEqual({ status: 'Error', message: expect.stringContaining('Instance URL is required') });
	});

	it.each([
		['a wrong client secret', { clientSecret: 'wrong' }, 'Client Secret (consumer secret) is wrong'],
		['an unknown client ID', { clientId: 'unknown' }, 'Client ID (consumer key) is not known'],
		['a revoked refresh token', { refreshToken: 'revoked-or-expired' }, 'Refresh Token is expired, revoked'],
		['a wrong password', { grantType: 'password', username: 'bulk.user@example.com', password: 'nope' }, 'Username, Password or security token is wrong'],
		['an unreachable login host', { customLoginUrl: 'http://127.0.0.1:9' }, 'Could not reach the Salesforce login host http://127.0.0.1:9 (connection refused)'],
		['plain http to a remote host', { customLoginUrl: 'http://login.example.com' }, 'must use https://'],
	])('says precisely what is wrong with %s', async (_, extra, message) => {
		const result = await test(extra);
		expect(result.status).toBe('Error');
		expect(result.message).toContain(message);
	});

	it('reports a JWT signed with the wrong key', async () => {
		const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
		const result = await test({ grantType: 'jwtBearer', username: s.emulator.credentials.username, privateKey: otherKey });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('The JWT was rejected') });
		const garbage = await test({ grantType: 'jwtBearer', username: s.emulator.credentials.username, privateKey: 'not a key' });
		expect(garbage.message).toContain('The Private Key is not a valid PEM private key');
	});

	it('never puts a secret in its messages', async () => {
		const { clientSecret, refreshToken, password, privateKeyPem } = s.emulator.credentials;
		const messages = [
			(await test({ clientSecret: `${clientSecret}x` })).message,
			(await test({ refreshToken: `${refreshToken}x` })).message,
			(await test({ grantType: 'password', username: 'bulk.user@example.com', password: `${password}x` })).message,
			(await test({ grantType: 'jwtBearer', username: 'nobody@example.com', privateKey: privateKeyPem })).message,
		].join('\n');
		for (const secret of [clientSecret, refreshToken, password, privateKeyPem.slice(40, 80)]) expect(messages).not.toContain(secret);
	});
});
