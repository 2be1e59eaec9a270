// The polling schedule, computed (no clock): the delays it gives for what each poll saw, and how many
// status requests a wait costs and how late it sees the end, for jobs that process at a steady rate.
import { PollSchedule, pollIntervals, type Progress } from '../../../nodes/shared/transport/wait';

/**
 * Polls a job that runs `jobMs` from the first poll (at 0), processing `rows` at a steady rate (or, with
 * `rows` undefined, reporting no progress), until a poll sees it finished.
 */
function simulate(jobMs: number, rows?: number, startsAfterMs = 0): { polls: number; seenAtMs: number; lateMs: number; delays: number[] } {
	const schedule = new PollSchedule();
	const delays: number[] = [];
	let at = 0;
	let polls = 0;
	for (;;) {
		polls++;
		if (at >= jobMs) return { polls, seenAtMs: at, lateMs: at - jobMs, delays };
		const running = Math.max(0, at - startsAfterMs) / (jobMs - startsAfterMs);
		const progress: Progress | undefined = rows === undefined ? undefined : { done: Math.floor(rows * running), total: rows };
		const delay = schedule.next(at, progress);
		delays.push(delay);
		at += delay;
	}
}

const MIN = 60_000;
const allowedLateness = (jobMs: number) => Math.max(0.1 * jobMs, 3000);

describe('polling without progress (query jobs)', () => {
	it('starts at 1 s and doubles up to 2 minutes', () => {
		const intervals = pollIntervals();
		expect(Array.from({ length: 10 }, () => intervals.next().value)).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 64000, 120000, 120000, 120000]);
	});

	it('is the schedule when a poll reads no progress', () => {
		expect(simulate(600_000)).toMatchObject({ polls: 12, seenAtMs: 607_000 });
		expect(simulate(60_000)).toMatchObject({ polls: 7, seenAtMs: 63_000 });
		expect(simulate(10_000)).toMatchObject({ polls: 5, seenAtMs: 15_000 });
	});
});

describe('polling by progress (ingest jobs: records processed of those uploaded)', () => {
	it('estimates the finish from the rate and polls at half the time left, then right after the finish', () => {
		const schedule = new PollSchedule();
		expect(schedule.next(0, { done: 0, total: 1000 })).toBe(1000); // nothing moved yet: back off
		// 1 s later 10 of 1000: the job started at some time in that second, so the next poll is within one more
		expect(schedule.next(1000, { done: 10, total: 1000 })).toBe(1000);
		// 10 more in the next second: 98 s left at that rate → half of it
		expect(schedule.next(2000, { done: 20, total: 1000 })).toBe(49_000);
		// at 51 s, 510 done: 49 s left → half
		expect(schedule.next(51_000, { done: 510, total: 1000 })).toBe(24_500);
		// 2 s left: poll just after the estimated finish (10 % + 250 ms later)
		expect(schedule.next(98_000, { done: 980, total: 1000 })).toBe(2450);
	});

	it('keeps to the floor (1 s) and the cap (10 minutes)', () => {
		const schedule = new PollSchedule();
		schedule.next(0, { done: 0, total: 1_000_000 });
		schedule.next(1000, { done: 1, total: 1_000_000 });
		expect(schedule.next(2000, { done: 2, total: 1_000_000 })).toBe(600_000);
		const fast = new PollSchedule();
		fast.next(0, { done: 0, total: 100 });
		expect(fast.next(1000, { done: 99, total: 100 })).toBe(1000);
	});

	it('backs off again while the progress stands still, and follows it when it moves again', () => {
		const schedule = new PollSchedule();
		schedule.next(0, { done: 0, total: 100 });
		schedule.next(1000, { done: 10, total: 100 });
		expect(schedule.next(46_000, { done: 10, total: 100 })).toBe(1000);
		expect(schedule.next(47_000, { done: 10, total: 100 })).toBe(2000);
		// moving again: 10 more in the 48 s since the first poll that saw it move → half of the 384 s left
		expect(schedule.next(49_000, { done: 20, total: 100 })).toBe(192_000);
	});

	it.each([
		['10 s', 10_000, 6],
		['1 min', MIN, 10],
		['10 min', 10 * MIN, 15],
		['1 h', 60 * MIN, 25],
	])('sees a %s job at most max(10 %%, 3 s) after it ends, within the request budget', (_label, jobMs, budget) => {
		for (const rows of [1000, 200_000]) {
			const run = simulate(jobMs, rows);
			expect(run.lateMs).toBeLessThanOrEqual(allowedLateness(jobMs));
			expect(run.polls).toBeLessThanOrEqual(budget);
		}
	});

	it('a job that waits 2 minutes in the queue before it starts is still seen in time (the wait backs off first: 8 polls more)', () => {
		const run = simulate(10 * MIN, 10_000, 2 * MIN);
		expect(run.lateMs).toBeLessThanOrEqual(allowedLateness(10 * MIN));
		expect(run.polls).toBeLessThanOrEqual(20);
	});

	it('reads no progress from a total of 0 (nothing known): backs off', () => {
		const schedule = new PollSchedule();
		expect([0, 1000, 3000].map((at) => schedule.next(at, { done: 0, total: 0 }))).toEqual([1000, 2000, 4000]);
	});
});
