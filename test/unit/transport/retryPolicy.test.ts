// transport/request: the pure parts of the one request function (backoff, network error codes). The
// requests themselves are tested over HTTP against the emulator in test/nodes/client.test.ts and, with every
// fault, in test/reliability.
import { answerLost, backoffDelay, networkCode, retryableStatus, retryPolicy } from '../../../nodes/shared/transport/retryPolicy';

describe('backoffDelay', () => {
	it('follows Retry-After in seconds, capped', () => {
		expect(backoffDelay(0, '3')).toBe(3000);
		expect(backoffDelay(4, '0')).toBe(0);
		expect(backoffDelay(0, '100000')).toBe(retryPolicy.maxDelayMs * 2);
	});

	it('doubles from the base delay with ±20 % jitter, capped, without a usable Retry-After', () => {
		for (const retryAfter of [undefined, 'Wed, 21 Oct 2015 07:28:00 GMT', '-1']) {
			for (let attempt = 0; attempt < 10; attempt++) {
				const expected = Math.min(retryPolicy.maxDelayMs, retryPolicy.baseDelayMs * 2 ** attempt);
				const delay = backoffDelay(attempt, retryAfter);
				expect(delay).toBeGreaterThanOrEqual(Math.floor(expected * 0.8));
				expect(delay).toBeLessThanOrEqual(Math.ceil(expected * 1.2));
			}
		}
	});
});

describe('networkCode', () => {
	it('finds a network error code anywhere in the cause chain', () => {
		expect(networkCode(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe('ECONNRESET');
		expect(networkCode(new Error('request failed', { cause: new Error('fetch failed', { cause: Object.assign(new Error('x'), { code: 'ETIMEDOUT' }) }) }))).toBe('ETIMEDOUT');
	});

	it('is undefined for other errors and survives a cycle', () => {
		expect(networkCode(Object.assign(new Error('bad'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBeUndefined();
		const a: { code?: string; cause?: unknown } = {};
		a.cause = a;
		expect(networkCode(a)).toBeUndefined();
		expect(networkCode(undefined)).toBeUndefined();
	});
});
