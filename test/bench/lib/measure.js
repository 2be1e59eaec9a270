'use strict';
// Helpers for the measured children: a clock, and the resident memory a case starts from.

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

/** Runs fn and returns its result with the seconds it took. */
async function timed(fn) {
	const start = process.hrtime.bigint();
	const value = await fn();
	return { value, seconds: Number(process.hrtime.bigint() - start) / 1e9 };
}

module.exports = { rssNow, timed, settle };
