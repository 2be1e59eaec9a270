'use strict';
// A clock that runs K times faster, for waiting on long jobs in the benchmark (workload 6): preloaded with
// `node --require` into the emulator's process and the client's, so the same code runs a 1-hour job in
// 3600 / K real seconds. Date.now(), new Date(), performance.now() advance K ms per real ms, from an origin
// shared by the processes (BENCH_CLOCK_ORIGIN, a real epoch ms) so their timestamps agree; setTimeout,
// setInterval and timers/promises delays are divided by K.
// Not scaled: the time HTTP and the CPU take (a real 5 ms round trip counts K × 5 ms), AbortSignal.timeout.
//   BENCH_CLOCK_SCALE=60 BENCH_CLOCK_ORIGIN=<ms> node --require ./scaled-clock.js …

const timers = require('node:timers');
const timersPromises = require('node:timers/promises');
const { syncBuiltinESMExports } = require('node:module');

/** The scaled time of a real instant: origin + (real − origin) × K. Pure, so the unit test checks it. */
function scaledTime(realMs, originMs, scale) {
	return originMs + (realMs - originMs) * scale;
}

/** A real delay for a scaled one (timers fire at 1 ms granularity at best; never below 1 ms unless 0). */
function realDelay(ms, scale) {
	const n = Number(ms);
	if (!(n > 0)) return 0;
	return Math.max(1, n / scale);
}

function install(scale, originMs = Date.now()) {
	if (!(scale > 0) || scale === 1) return;
	const RealDate = Date;
	const realNow = RealDate.now.bind(RealDate);
	const now = () => Math.floor(scaledTime(realNow(), originMs, scale));

	// A function sharing Date's prototype, so instanceof and every Date method are unchanged.
	function ScaledDate(...args) {
		if (!new.target) return new RealDate(now()).toString();
		return args.length === 0 ? new RealDate(now()) : new RealDate(...args);
	}
	ScaledDate.prototype = RealDate.prototype;
	ScaledDate.now = now;
	ScaledDate.parse = RealDate.parse;
	ScaledDate.UTC = RealDate.UTC;
	globalThis.Date = ScaledDate;

	const perf = globalThis.performance;
	const realPerfNow = perf.now.bind(perf);
	const perfOrigin = realPerfNow();
	perf.now = () => scaledTime(realPerfNow(), perfOrigin, scale);

	const wrap = (real) =>
		function (callback, ms, ...rest) {
			return real(callback, realDelay(ms, scale), ...rest);
		};
	const setTimeoutScaled = wrap(timers.setTimeout);
	const setIntervalScaled = wrap(timers.setInterval);
	// util.promisify(setTimeout) keeps working: the custom promisified form is the scaled promise one.
	const promiseTimeout = timersPromises.setTimeout;
	const promiseInterval = timersPromises.setInterval;
	const promiseTimeoutScaled = (ms, ...rest) => promiseTimeout(realDelay(ms, scale), ...rest);
	const promiseIntervalScaled = (ms, ...rest) => promiseInterval(realDelay(ms, scale), ...rest);
	setTimeoutScaled[require('node:util').promisify.custom] = promiseTimeoutScaled;

	globalThis.setTimeout = timers.setTimeout = setTimeoutScaled;
	globalThis.setInterval = timers.setInterval = setIntervalScaled;
	timersPromises.setTimeout = promiseTimeoutScaled;
	timersPromises.setInterval = promiseIntervalScaled;
	// timersPromises.scheduler.wait(ms) calls the promise setTimeout internally through its own binding: patch it too.
	if (timersPromises.scheduler) timersPromises.scheduler.wait = (ms, options) => promiseTimeout(realDelay(ms, scale), undefined, options);
	syncBuiltinESMExports();
}

module.exports = { scaledTime, realDelay, install };

if (require.main !== module && process.env.BENCH_CLOCK_SCALE && !globalThis.__benchScaledClock) {
	globalThis.__benchScaledClock = true;
	install(Number(process.env.BENCH_CLOCK_SCALE), Number(process.env.BENCH_CLOCK_ORIGIN) || Date.now());
}
