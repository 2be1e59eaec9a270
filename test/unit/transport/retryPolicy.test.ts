// transport/retryPolicy: when a request goes again (answers, network errors) and how long to wait. The
// retries themselves are tested over HTTP in request.test.ts and, with every fault, in test/reliability.
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

describe('answerLost', () => {
	it('is true for errors after the request may have reached Salesforce, false when no connection was made', () => {
		for (const code of ['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']) expect(`${code} ${answerLost(code)}`).toBe(`${code} true`);
		for (const code of ['ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']) expect(`${code} ${answerLost(code)}`).toBe(`${code} false`);
	});
});

describe('retryableStatus', () => {
	it('retries 429 and 503 for any request, 502 and 504 only for requests safe to repeat, nothing else', () => {
		const table = [400, 401, 404, 409, 429, 500, 502, 503, 504].map((status) => [status, retryableStatus(status, true), retryableStatus(status, false)]);
		expect(table).toEqual([
			[400, false, false],
			[401, false, false],
			[404, false, false],
			[409, false, false],
			[429, true, true],
			[500, false, false],
			[502, true, false],
			[503, true, true],
			[504, true, false],
		]);
	});
});
