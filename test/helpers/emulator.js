'use strict';
// Shared by the tests, the benchmarks and the scripts: start an emulator, get tokens, call it over real
// HTTP, and the credential of this package that points at it.

const { startEmulator } = require('../emulator');

/** A token request to an emulator (or any org): the form fields of a grant; the status and the JSON body. */
async function requestToken(url, fields) {
	const res = await fetch(`${url}/services/oauth2/token`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(fields),
	});
	return { status: res.status, body: await res.json() };
}

/**
 * An access token of the emulator's test client: refresh-token grant, or client credentials.
 * @param {{ url: string, credentials: { clientId: string, clientSecret: string, refreshToken: string } }} emulator
 * @param {'refresh_token' | 'client_credentials'} [grant]
 * @returns {Promise<string>}
 */
async function accessToken({ url, credentials }, grant = 'refresh_token') {
	const { clientId, clientSecret, refreshToken } = credentials;
	const fields = grant === 'refresh_token' ? { grant_type: grant, client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken } : { grant_type: grant, client_id: clientId, client_secret: clientSecret };
	const { status, body } = await requestToken(url, fields);
	if (status !== 200) throw new Error(`token request failed: ${JSON.stringify(body)}`);
	return body.access_token;
}

/**
 * The data of this package's credential pointing at an emulator (refresh-token grant, its test client).
 * @param {{ url: string, credentials: { clientId: string, clientSecret: string, refreshToken: string } }} emulator
 * @param {Record<string, unknown>} [extra]  credential fields to set or override
 */
function emulatorCredentialData({ url, credentials }, extra = {}) {
	const { clientId, clientSecret, refreshToken } = credentials;
	return { environment: 'custom', customLoginUrl: url, grantType: 'refreshToken', clientId, clientSecret, refreshToken, apiVersion: '63.0', ...extra };
}

/** Starts an emulator with fast jobs and returns it with helpers bound to it. */
async function startTestEmulator(options = {}) {
	const emulator = await startEmulator({ jobDelayMs: 30, ...options });
	const tokenRequest = (fields) => requestToken(emulator.url, fields);
	const token = () => accessToken(emulator);

	let cached;
	/** fetch against the emulator with a Bearer token (and X-SFDC-Session for Bulk 1.0). */
	async function call(path, { method = 'GET', headers = {}, body, accessToken } = {}) {
		const auth = accessToken ?? (cached ??= await token());
		const res = await fetch(`${emulator.url}${path}`, {
			method,
			headers: { Authorization: `Bearer ${auth}`, 'X-SFDC-Session': auth, ...headers },
			body: body !== undefined && typeof body === 'object' && !Buffer.isBuffer(body) && !(body instanceof Uint8Array) ? JSON.stringify(body) : body,
		});
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, headers: res.headers, text, json };
	}

	/** Polls a Bulk 2.0 job until it reaches one of the states. */
	async function waitForJob(kind, id, states = ['JobComplete', 'Failed', 'Aborted'], version = '63.0') {
		for (let i = 0; i < 400; i++) {
			const { json } = await call(`/services/data/v${version}/jobs/${kind}/${id}`);
			if (states.includes(json.state)) return json;
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		throw new Error(`job ${id} did not reach ${states}`);
	}

	return Object.assign(emulator, { token, tokenRequest, call, waitForJob });
}

module.exports = { startTestEmulator, requestToken, accessToken, emulatorCredentialData };
