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
	// When the last Bulk 2.0 job status was answered (workload 6: the poll that saw the job complete), read
	// with the request counts.
	emulator.server.prependListener('request', (req, res) => {
		if (req.method === 'GET' && /\/jobs\/(?:ingest|query)\/[^/?]+(?:\?|$)/.test(req.url)) res.on('finish', () => (emulator.stats.lastStatusAt = Date.now()));
	});
	const { clientId, clientSecret, refreshToken } = emulator.credentials;
	process.stdout.write(`${JSON.stringify({ url: emulator.url, pid: process.pid, credentials: { clientId, clientSecret, refreshToken } })}\n`);
	process.on('SIGTERM', () => emulator.close().then(() => process.exit(0)));
});
