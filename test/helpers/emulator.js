'use strict';
// Shared by the emulator's tests: start an emulator, get tokens, call it over real HTTP.

const { startEmulator } = require('../emulator');

/** Starts an emulator with fast jobs and returns it with helpers bound to it. */
async function startTestEmulator(options = {}) {
	const emulator = await startEmulator({ jobDelayMs: 30, ...options });
	const { clientId, clientSecret, refreshToken } = emulator.credentials;

	async function tokenRequest(fields) {
		const res = await fetch(`${emulator.url}/services/oauth2/token`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(fields),
		});
		return { status: res.status, body: await res.json() };
	}

	async function token() {
		const { status, body } = await tokenRequest({ grant_type: 'refresh_token', client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken });
		if (status !== 200) throw new Error(`token request failed: ${JSON.stringify(body)}`);
		return body.access_token;
	}

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

module.exports = { startTestEmulator };
