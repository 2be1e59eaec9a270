// The default polling schedule, computed (no clock): how many status requests a wait costs.
import { pollIntervals } from '../../../nodes/shared/transport/wait';

/** Polls until a job that finishes `jobMs` after the first poll is seen finished: the first poll is at 0. */
function pollsFor(jobMs: number): { polls: number; seenAtMs: number } {
	const intervals = pollIntervals();
	let at = 0;
	let polls = 1;
	while (at < jobMs) {
		at += intervals.next().value as number;
		polls++;
	}
	return { polls, seenAtMs: at };
}

describe('default polling schedule', () => {
	it('starts at 1 s and doubles up to 2 minutes', () => {
		const intervals = pollIntervals();
		expect(Array.from({ length: 10 }, () => intervals.next().value)).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 64000, 120000, 120000, 120000]);
	});

	it('a 10-minute job costs at most 15 status requests; short jobs are seen soon', () => {
		expect(pollsFor(600_000)).toEqual({ polls: 12, seenAtMs: 607_000 });
		expect(pollsFor(60_000)).toEqual({ polls: 7, seenAtMs: 63_000 });
		expect(pollsFor(10_000)).toEqual({ polls: 5, seenAtMs: 15_000 });
		expect(pollsFor(2_000)).toEqual({ polls: 3, seenAtMs: 3_000 });
	});
});
