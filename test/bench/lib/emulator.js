'use strict';
// Starting emulator processes for the benchmark children, and reading their request counts.

const path = require('node:path');
const { spawn } = require('node:child_process');
const { accessToken } = require('../../helpers/emulator');

const SCRIPT = path.join(__dirname, '../emulator-process.js');
const WIRE_SCRIPT = path.join(__dirname, '../wire-process.js');

/**
 * Starts an emulator process (or, with `wire`, the wire-speed page server and upload sink in front of one:
 * ../wire-process.js; `nodeArgs` and `env` as for the case's process, e.g. the scaled clock); resolves to { url, credentials, pid, close(), stats(), token() }.
 */
function startEmulatorProcess(options = {}, { wire = false, nodeArgs = [], env = {} } = {}) {
	return new Promise((resolve, reject) => {
		const args = ['--max-old-space-size=8192', ...nodeArgs, wire ? WIRE_SCRIPT : SCRIPT, JSON.stringify(options)];
		const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
		let out = '';
		child.on('error', reject);
		child.on('exit', (code) => reject(new Error(`emulator exited with ${code} before it started`)));
		child.stdout.on('data', (data) => {
			out += data;
			const newline = out.indexOf('\n');
			if (newline < 0) return;
			child.removeAllListeners('exit');
			const info = JSON.parse(out.slice(0, newline));
			resolve({
				...info,
				async close() {
					if (child.exitCode !== null) return;
					const exited = new Promise((done) => child.once('exit', done));
					child.kill('SIGTERM');
					await exited;
				},
				stats: () => stats(info.url),
				token: () => token(info),
			});
		});
	});
}

/** Requests the emulator served (admin calls excluded), by route. */
async function stats(url) {
	return await (await fetch(`${url}/__emulator/stats`)).json();
}

/** An access token for the baselines' clients (refresh-token grant, as the node's credential does). */
const token = (emulator) => accessToken(emulator);

/** A jsforce connection that gets its token the jsforce way (OAuth2 refresh-token grant), inside the timed part. */
async function jsforceConnection(jsforce, { url, credentials }) {
	const oauth2 = new jsforce.OAuth2({ loginUrl: url, clientId: credentials.clientId, clientSecret: credentials.clientSecret });
	const answer = await oauth2.refreshToken(credentials.refreshToken);
	return new jsforce.Connection({ instanceUrl: answer.instance_url, accessToken: answer.access_token, version: '63.0' });
}

module.exports = { startEmulatorProcess, stats, token, jsforceConnection };
