'use strict';
// The benchmark's scaled clock (test/bench/lib/scaled-clock.js): its arithmetic, and, in a child process
// that preloads it as the benchmark does, that clocks and timers follow it. No bound on how long anything
// takes on this machine: scaled readings are checked against real ones (hrtime) taken around them.

const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { scaledTime, realDelay } = require('../../bench/lib/scaled-clock');

const SHIM = path.join(__dirname, '../../bench/lib/scaled-clock.js');

describe('scaled clock', () => {
	it('maps a real instant to origin + K × the real time since the origin', () => {
		expect(scaledTime(1000, 1000, 60)).toBe(1000);
		expect(scaledTime(1500, 1000, 60)).toBe(1000 + 500 * 60);
		expect(scaledTime(1001, 1000, 20)).toBe(1020);
	});

	it('divides delays by K, keeping 0 and anything not a positive number as an immediate timer', () => {
		expect(realDelay(60000, 60)).toBe(1000);
		expect(realDelay(30, 60)).toBe(1); // timers have 1 ms granularity
		expect(realDelay(0, 60)).toBe(0);
		expect(realDelay(undefined, 60)).toBe(0);
		expect(realDelay(-5, 60)).toBe(0);
	});

	it('runs Date, performance.now and the timers K times faster in a process that preloads it', () => {
		const K = 1000;
		const script = `
			const real = () => Number(process.hrtime.bigint()) / 1e6;
			const sleep = require('node:timers/promises').setTimeout;
			(async () => {
				const r0 = real(), d0 = Date.now(), n0 = new Date().getTime(), p0 = performance.now(), r1 = real();
				await new Promise((resolve) => setTimeout(resolve, 5000));
				await sleep(5000);
				await require('node:util').promisify(setTimeout)(5000);
				const r2 = real(), d1 = Date.now(), p1 = performance.now(), r3 = real();
				console.log(JSON.stringify({ inner: r2 - r1, outer: r3 - r0, date: d1 - d0, perf: p1 - p0, dateVsNew: n0 - d0, isDate: new Date() instanceof Date, parsed: new Date(0).toISOString(), called: typeof Date() }));
			})();`;
		const origin = Date.now();
		const out = JSON.parse(execFileSync(process.execPath, ['--require', SHIM, '-e', script], { env: { ...process.env, BENCH_CLOCK_SCALE: String(K), BENCH_CLOCK_ORIGIN: String(origin) }, encoding: 'utf8' }));
		// Three waits of 5,000 scaled ms: at least 15,000 scaled ms passed, i.e. at least 15 real ms.
		expect(out.date).toBeGreaterThanOrEqual(15000);
		expect(out.inner).toBeGreaterThanOrEqual(15000 / K - 1);
		// Scaled readings are K × the real time between them (bracketed by real readings taken around them;
		// Date.now reads whole real ms, so it is K × a whole number: ± K).
		expect(out.date).toBeGreaterThanOrEqual(out.inner * K - K);
		expect(out.date).toBeLessThanOrEqual(out.outer * K + K);
		expect(out.perf).toBeGreaterThanOrEqual(out.inner * K - 1);
		expect(out.perf).toBeLessThanOrEqual(out.outer * K + 1);
		expect(out.dateVsNew).toBeGreaterThanOrEqual(0);
		expect(out).toMatchObject({ isDate: true, parsed: '1970-01-01T00:00:00.000Z', called: 'string' });
	});

	it('puts processes sharing an origin on the same scaled time', () => {
		const origin = Date.now() - 1000; // one real second ago: now is origin + 60 s at K = 60
		const run = () => Number(execFileSync(process.execPath, ['--require', SHIM, '-e', 'console.log(Date.now())'], { env: { ...process.env, BENCH_CLOCK_SCALE: '60', BENCH_CLOCK_ORIGIN: String(origin) }, encoding: 'utf8' }));
		const before = Date.now();
		const a = run();
		const b = run();
		const after = Date.now();
		expect(a).toBeGreaterThanOrEqual(scaledTime(before, origin, 60) - 1);
		expect(b).toBeGreaterThanOrEqual(a);
		expect(b).toBeLessThanOrEqual(scaledTime(after, origin, 60) + 1);
	});
});
