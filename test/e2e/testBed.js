'use strict';
// What every e2e file sets up and takes down: a temporary folder, the real n8n with the built package in it
// (scripts/lib/n8n.js), and the servers the file starts beside it. E2E_KEEP=1 keeps the folder (n8n user
// folder, logs) for a look afterwards; E2E_SKIP_BUILD=1 uses dist/ as it is.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { N8n, killAll } = require('../../scripts/lib/n8n');

/**
 * A temporary folder (`env.tmp`) and n8n using it (`env.n8n`); with `withFiles`, a folder in it (`env.files`)
 * that n8n's file nodes are restricted to. Other `options` go on to N8n.create.
 */
async function openTestBed(env, name, log, { withFiles = false, ...options } = {}) {
	env.tmp = fs.mkdtempSync(path.join(os.tmpdir(), `n8n-sf-bulk-${name}-`));
	if (withFiles) fs.mkdirSync((env.files = path.join(env.tmp, 'files')));
	env.n8n = await N8n.create({
		userFolder: path.join(env.tmp, 'user'),
		tmp: env.tmp,
		files: env.files,
		encryptionKey: `e2e-${name}-encryption-key-for-tests-only`,
		skipBuild: process.env.E2E_SKIP_BUILD === '1',
		log,
		...options,
	});
	return env.n8n;
}

/** Stops every n8n process started, closes `servers` (emulators, fakes) and removes the folder. */
async function closeTestBed(env, log, servers) {
	killAll();
	for (const server of servers) await server?.close();
	if (!env.tmp) return;
	if (process.env.E2E_KEEP === '1') log(`kept ${env.tmp}`);
	else fs.rmSync(env.tmp, { recursive: true, force: true });
}

module.exports = { openTestBed, closeTestBed };
