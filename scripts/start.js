#!/usr/bin/env node
'use strict';
/**
 * `npm start`: builds the package, starts the Salesforce emulator and the real n8n editor with the package
 * loaded, an owner account, a Salesforce credential and the example workflows imported. Ctrl-C stops both.
 *
 *   npm start                     emulator + editor on http://localhost:5678
 *   npm start -- --fresh          forget the previous n8n data (.cache/start) first
 *   N8N_PORT=5679 npm start       another editor port (EMULATOR_PORT for the emulator, default 8765)
 *   SF_CLIENT_ID=... npm start    a real org instead of the emulator (see README, "npm start with a real org")
 *
 * n8n's data (owner, workflows, executions) lives in .cache/start and survives restarts; the credential
 * and the examples are imported again at every start.
 */

const fs = require('node:fs');
const path = require('node:path');

const { ROOT, PACKAGE, CREDENTIAL_TYPE, N8n, emulatorCredential } = require('./lib/n8n');
const { startEmulator } = require('../test/emulator');

const OWNER = {
	email: process.env.N8N_OWNER_EMAIL || 'admin@example.com',
	password: process.env.N8N_OWNER_PASSWORD || 'Salesforce-Bulk-1',
	firstName: 'Bulk',
	lastName: 'Admin',
};
const CREDENTIAL = { id: 'sfBulkEmulator', name: 'Salesforce Bulk (emulator)' }; // the examples' credential
const DATA_DIR = path.join(ROOT, '.cache', 'start');

const log = (message) => process.stdout.write(`${message}\n`);

/** The credential's fields from SF_* environment variables, or undefined when none is set (emulator). */
function realOrgCredential(env = process.env) {
	const fields = {
		environment: env.SF_ENVIRONMENT || (env.SF_LOGIN_URL ? 'custom' : 'production'),
		customLoginUrl: env.SF_LOGIN_URL,
		grantType: env.SF_GRANT_TYPE || 'refreshToken',
		clientId: env.SF_CLIENT_ID,
		clientSecret: env.SF_CLIENT_SECRET,
		refreshToken: env.SF_REFRESH_TOKEN,
		username: env.SF_USERNAME,
		password: env.SF_PASSWORD,
		privateKey: env.SF_PRIVATE_KEY_FILE && fs.readFileSync(env.SF_PRIVATE_KEY_FILE, 'utf8'),
		staticAccessToken: env.SF_ACCESS_TOKEN,
		instanceUrl: env.SF_INSTANCE_URL,
		apiVersion: env.SF_API_VERSION || '63.0',
	};
	if (!env.SF_CLIENT_ID && !env.SF_ACCESS_TOKEN) return undefined;
	return Object.fromEntries(Object.entries(fields).filter(([, value]) => value));
}

/**
 * Emulator (unless a real org is configured) + n8n with everything imported and an owner account.
 * Returns { n8n, server, emulator, credentialName, stop() }.
 */
async function startStack({ dataDir = DATA_DIR, port = Number(process.env.N8N_PORT) || 5678, emulatorPort = Number(process.env.EMULATOR_PORT) || 8765, fresh = false, quiet = false, seed = { Account: 25, Contact: 40 } } = {}) {
	const say = quiet ? () => {} : log;
	if (fresh) fs.rmSync(dataDir, { recursive: true, force: true });
	fs.mkdirSync(dataDir, { recursive: true });
	const files = path.join(dataDir, 'files');
	fs.mkdirSync(files, { recursive: true });

	const n8n = await N8n.create({ userFolder: path.join(dataDir, 'user'), tmp: dataDir, files, log: (m) => say(`· ${m}`) });

	const real = realOrgCredential();
	const emulator = real ? undefined : await startEmulator({ port: emulatorPort, jobDelayMs: 300, seed });
	const credential = real ? { id: CREDENTIAL.id, name: 'Salesforce Bulk (your org)', type: CREDENTIAL_TYPE, data: real } : emulatorCredential(CREDENTIAL.id, CREDENTIAL.name, emulator);
	say('· importing the credential and the example workflows');
	await n8n.importCredentials([credential]);
	const examples = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.json'));
	await n8n.importWorkflows(examples.map((f) => path.join(ROOT, 'examples', f)));

	say('· starting n8n');
	const server = await n8n.start({ port });
	await ensureOwner(server.url);
	return {
		n8n,
		server,
		emulator,
		credentialName: credential.name,
		files,
		async stop() {
			await server.stop();
			await emulator?.close();
		},
	};
}

/** Creates the owner account on first start (what the editor's setup page does). */
async function ensureOwner(url) {
	const settings = await (await fetch(`${url}/rest/settings`)).json();
	if (!settings.data?.userManagement?.showSetupOnFirstLoad) return;
	const res = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	if (!res.ok) throw new Error(`n8n owner setup failed: HTTP ${res.status} ${await res.text()}`);
}

/** A session cookie for the owner (for scripts that use the editor's REST API). */
async function login(url) {
	const res = await fetch(`${url}/rest/login`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
	});
	if (!res.ok) throw new Error(`n8n login failed: HTTP ${res.status} ${await res.text()}`);
	return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

async function main() {
	const fresh = process.argv.includes('--fresh');
	log(`n8n-nodes-salesforce-bulk ${PACKAGE.version}: starting the Salesforce emulator and n8n ${PACKAGE.config.n8nVersion}`);
	const stack = await startStack({ fresh });
	const local = stack.server.url.replace('127.0.0.1', 'localhost');
	log('');
	log(`  n8n editor   ${local}`);
	log(`  login        ${OWNER.email} / ${OWNER.password}  (set N8N_OWNER_EMAIL / N8N_OWNER_PASSWORD before the first start to choose)`);
	log(`  credential   "${stack.credentialName}"${stack.emulator ? ` → the emulator at ${stack.emulator.url}` : ''}`);
	log(`  workflows    ${fs.readdirSync(path.join(ROOT, 'examples')).length} examples (Overview → Workflows)`);
	log(`  files        ${stack.files} (where Read/Write Files may write)`);
	log('');
	log('Ctrl-C stops n8n and the emulator.');

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		log('\nstopping n8n and the emulator…');
		await stack.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
	const ended = await stack.server.done.catch((error) => ({ code: 1, stderr: error.message, stdout: '' }));
	if (!stopping) {
		process.stderr.write(`n8n stopped by itself (exit ${ended.code}):\n${ended.stdout.slice(-3000)}${ended.stderr.slice(-3000)}\n`);
		await stack.emulator?.close();
		process.exit(1);
	}
}

module.exports = { startStack, ensureOwner, login, OWNER };

if (require.main === module) {
	main().catch((error) => {
		process.stderr.write(`${error.stack || error.message}\n`);
		process.exit(1);
	});
}
