#!/usr/bin/env node
'use strict';
// `npm run emulator -- --port 0 [--job-delay 300] [--token-ttl 7200] [--hold-jobs] [--seed Account=1000]
//   [--generate Account=1000000]` (--generate: the same records as --seed, made on demand while read)
// Prints one JSON line with the URL and the test client's credentials, then runs until killed.

const { startEmulator } = require('./index');

function parseArgs(argv) {
	const options = { seed: {}, generate: {} };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${arg} needs a value`);
			return v;
		};
		if (arg === '--port') options.port = Number(value());
		else if (arg === '--job-delay') options.jobDelayMs = Number(value());
		else if (arg === '--token-ttl') options.tokenTtlMs = Number(value()) * 1000;
		else if (arg === '--page-size') options.defaultMaxRecords = Number(value());
		else if (arg === '--hold-jobs') options.holdJobs = true;
		else if (arg === '--seed') {
			const [object, count] = value().split('=');
			options.seed[object] = Number(count);
		} else if (arg === '--generate') {
			const [object, count] = value().split('=');
			options.generate[object] = Number(count);
		} else throw new Error(`Unknown option ${arg}`);
	}
	return options;
}

async function main() {
	const emulator = await startEmulator(parseArgs(process.argv.slice(2)));
	const { clientId, clientSecret, refreshToken, username, password, securityToken, privateKeyPem } = emulator.credentials;
	process.stdout.write(`${JSON.stringify({ url: emulator.url, clientId, clientSecret, refreshToken, username, password, securityToken, privateKeyPem })}\n`);
	const stop = () => emulator.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((error) => {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
});
