// Reliability and security of the nodes (issue 9): faults of the service and the network, bad input,
// security, fuzzing; then a grep of everything the suite saw for the emulator's secrets. One file, so the
// results table and the grep cover every case. `RELIABILITY_RESULTS=1 npx jest test/reliability` also
// writes test/reliability/RESULTS.md from what this run observed.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { badInputCases } from './badInput.cases';
import { CREDENTIAL, dump, record, resultRows, run, seenTexts, startSuite, stopSuite, suite, useCredential, v2, writeResults } from './context';
import { faultCases } from './faults.cases';
import { fuzzCases } from './fuzz.cases';
import { limitCases } from './limits.cases';
import { matrixCases } from './matrix.cases';
import { securityCases } from './security.cases';

jest.setTimeout(60_000);

let started = 0;
const secrets = new Map<string, string>();
/** Wrong secrets typed into a credential: they must not show either. */
const typed: string[] = [];

/** The secrets of every emulator (and what the user typed), by what they are. */
function collectSecrets(): void {
	for (const [k, e] of suite.emulators.entries()) {
		const c = e.credentials;
		secrets.set(`${k}: client secret`, c.clientSecret);
		secrets.set(`${k}: refresh token …${c.refreshToken.slice(-6)}`, c.refreshToken);
		secrets.set(`${k}: password`, c.password);
		secrets.set(`${k}: security token`, c.securityToken);
		secrets.set(`${k}: password + security token`, c.password + c.securityToken);
		secrets.set(`${k}: private key PEM`, c.privateKeyPem);
		c.privateKeyPem
			.split('\n')
			.filter((line) => line.length >= 40 && !line.startsWith('-----'))
			.forEach((line, n) => secrets.set(`${k}: private key line ${n + 1}`, line));
		for (const token of e.oauth.tokens.keys()) {
			secrets.set(`${k}: access token …${token.slice(-8)}`, token);
			secrets.set(`${k}: access token body …${token.slice(-8)}`, token.split('!')[1]);
		}
	}
}

/** Where any of the secrets appears in the texts (also URL-encoded). */
function leaks(texts: readonly string[], wanted: Map<string, string>): string[] {
	const found: string[] = [];
	for (const [what, secret] of wanted) {
		const forms = new Set([secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)]);
		for (const text of texts) {
			if ([...forms].some((form) => text.includes(form))) {
				found.push(`${what} in: ${text.slice(Math.max(0, text.indexOf(secret) - 80), text.indexOf(secret) + 20)}`);
				break;
			}
		}
	}
	return found;
}

beforeAll(async () => {
	started = Date.now();
	await startSuite();
	collectSecrets();
});

afterAll(async () => {
	await stopSuite();
	const seconds = Math.round((Date.now() - started) / 1000);
	writeResults([`${resultRows().length} rows, from a run of ${seconds} s. A test records its row only once its checks have passed.`]);
});

describe('Faults', () => faultCases());
describe('Bad input', () => badInputCases());
describe('Security', () => securityCases());
describe('Fuzz', () => fuzzCases());
describe('Fault matrix', () => matrixCases());
describe('Limits', () => limitCases());

describe('Security: no secret in any output, error or log of the suite', () => {
	it('other grants too: password and JWT bearer runs, and Test with a wrong secret', async () => {
		const { username, password, securityToken, privateKeyPem, clientSecret } = suite.emulator.credentials;
		const grants: ICredentialDataDecryptedObject[] = [{ grantType: 'password', username, password: password + securityToken }, { grantType: 'jwtBearer', username, privateKey: privateKeyPem }];
		for (const grant of grants) {
			useCredential(grant);
			suite.emulator.oauth.expireAll();
			const out = await run(v2, { resource: 'queryJob', operation: 'runQuery', query: "SELECT Id FROM Lead WHERE Company = 'Reset Co' LIMIT 3" });
			expect(out).toHaveLength(3);
		}
		const wrong = await suite.harness.testCredential(CREDENTIAL, { ...suite.harness.credentialData(CREDENTIAL), grantType: 'password', password: `${password}${securityToken}x`, clientSecret: `${clientSecret}0` });
		expect(wrong.status).toBe('Error');
		typed.push(`${password}${securityToken}x`, `${clientSecret}0`);
		record('Security', 'the password and JWT bearer grants, and a credential test with a wrong secret', `token renewed mid-run with each grant; Test said: "${wrong.message}"`, 'runs completed; checked by the grep below');
		useCredential();
	});

	it('the grep finds a planted secret (so it can fail)', () => {
		collectSecrets();
		const [[what, secret]] = [...secrets].filter(([k]) => k.includes('client secret'));
		const planted = dump(new Error(`boom ${encodeURIComponent(secret)}`));
		expect(leaks([planted], new Map([[what, secret]]))).toHaveLength(1);
		expect(leaks([dump({ nested: { cause: new Error('x'), deep: [{ text: `Bearer ${secret}` }] } })], new Map([[what, secret]]))).toHaveLength(1);
	});

	it('no access token, refresh token, client secret, password, security token or private key anywhere', () => {
		collectSecrets();
		typed.forEach((t, n) => secrets.set(`typed-in wrong secret ${n + 1}`, t));
		const texts = seenTexts();
		const tokens = [...secrets.keys()].filter((k) => k.includes('access token ')).length;
		expect(tokens).toBeGreaterThan(5);
		expect(texts.length).toBeGreaterThan(150);
		// What was seen holds real errors and log lines, not just items.
		expect(texts.some((t) => t.includes('is not a job ID'))).toBe(true);
		// …and n8n's own log lines (this warning comes from the stream upload whose token expired).
		expect(texts.some((t) => t.includes('was not retried after refreshing the credential'))).toBe(true);
		expect(leaks(texts, secrets)).toEqual([]);
		const bytes = texts.reduce((n, t) => n + t.length, 0);
		record(
			'Security',
			'no secret in node output, error messages, descriptions, contexts or logs',
			`grepped ${texts.length} captured texts (${Math.round(bytes / 1024)} KB: every node output item and binary file, every error with its description, context and causes, n8n logger and console lines) for ${secrets.size} secrets (${tokens / 2} access tokens issued, refresh tokens, client secret, password, security token, private key and its lines, typed-in wrong secrets); a planted secret is found`,
			'0 found',
		);
	});
});
