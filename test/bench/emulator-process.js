'use strict';
// The emulator in a process of its own, so its memory and CPU never count against the client measured:
//   node test/bench/emulator-process.js '{"generate":{"Account":1000000},"jobDelayMs":0}'
// Prints one JSON line ({ url, credentials, pid }) and serves until SIGTERM.

const { startEmulator } = require('../emulator');

startEmulator(JSON.parse(process.argv[2] || '{}')).then((emulator) => {
	if (process.env.BENCH_TRACE) {
		// Timeline of requests (when each came and how long its answer took), for looking into a case.
		const t0 = Date.now();
		emulator.server.prependListener('request', (req, res) => {
			const start = Date.now();
			res.on('finish', () => process.stderr.write(`${start - t0} +${Date.now() - start} ${req.method} ${req.url.slice(0, 90)}\n`));
		});
	}
	const { clientId, clientSecret, refreshToken } = emulator.credentials;
	process.stdout.write(`${JSON.stringify({ url: emulator.url, pid: process.pid, credentials: { clientId, clientSecret, refreshToken } })}\n`);
	process.on('SIGTERM', () => emulator.close().then(() => process.exit(0)));
});
