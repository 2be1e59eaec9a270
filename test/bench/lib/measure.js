'use strict';
// Helpers for the measured children: a clock (wall and CPU time), and the resident memory a case starts from.

function settle() {
	if (global.gc) {
		global.gc();
		global.gc();
	}
}

/** RSS (MB) once setup is done, after a full GC: what the timed part starts from. */
function rssNow() {
	settle();
	return process.memoryUsage().rss / 1e6;
}

/**
 * The event-loop delay of the last timed part (perf_hooks.monitorEventLoopDelay, 10 ms resolution): how
 * long other work in the same process (n8n's editor, webhooks, other workflows) would have waited. case.js
 * adds it to every result.
 */
const loop = { p99Ms: NaN, maxMs: NaN };

/** CPU seconds (user + system, all threads of the process) the last timed part took. */
const cpu = { seconds: NaN };

/** Runs fn and returns its result with the seconds it took; records the event-loop delay and the CPU time meanwhile. */
async function timed(fn) {
	const { monitorEventLoopDelay } = require('node:perf_hooks');
	const histogram = monitorEventLoopDelay({ resolution: 10 });
	histogram.enable();
	const start = process.hrtime.bigint();
	const cpuStart = process.cpuUsage();
	const value = await fn();
	const seconds = Number(process.hrtime.bigint() - start) / 1e9;
	const used = process.cpuUsage(cpuStart);
	cpu.seconds = (used.user + used.system) / 1e6;
	histogram.disable();
	// The histogram includes the sampling resolution itself; what is beyond it is the delay.
	loop.p99Ms = Math.max(0, histogram.percentile(99) / 1e6 - 10);
	loop.maxMs = Math.max(0, histogram.max / 1e6 - 10);
	return { value, seconds };
}

module.exports = { rssNow, timed, settle, loop, cpu };
