/**
 * When a request goes again: which answers and network errors are worth another try, and how long to wait
 * before it. apiRequest applies it; tests may shorten the delays through `retryPolicy`.
 */

/** Answers that may pass with time: throttled, bad gateway, unavailable, gateway timeout. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
/** Throttled (429) or unavailable (503): refused before anything was applied, so even a create or an upload can go again. */
const REFUSED_STATUS = new Set([429, 503]);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_SOCKET']);
/** Network errors before a connection was made: the request never reached Salesforce. */
const NOT_CONNECTED_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * Exponential backoff with jitter, honouring Retry-After; tests may shorten it. `timeoutMs`: how long a request
 * may go without an answer (n8n's client counts it while the connection is idle) before it is given up, then
 * retried when safe like a dropped connection (Salesforce answers in seconds; minutes mean trouble).
 */
export const retryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30000, timeoutMs: 120_000 };

/** The wait before attempt `attempt + 1`: Retry-After when Salesforce gave one, else doubling with ±20 % jitter. */
export function backoffDelay(attempt: number, retryAfter?: string): number {
	const seconds = Number(retryAfter);
	if (retryAfter && Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, retryPolicy.maxDelayMs * 2);
	const exponential = Math.min(retryPolicy.maxDelayMs, retryPolicy.baseDelayMs * 2 ** attempt);
	return Math.round(exponential * (0.8 + Math.random() * 0.4));
}

/** The network error code anywhere in an error's cause chain, or undefined when it is not a network error. */
export function networkCode(error: unknown): string | undefined {
	const seen = new Set<unknown>();
	let current = error as { code?: unknown; cause?: unknown } | undefined;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		if (typeof current.code === 'string' && NETWORK_CODES.has(current.code)) return current.code;
		current = current.cause as typeof current;
	}
	return undefined;
}

/**
 * A network error after the request may have reached Salesforce (a reset or timeout, not a refused
 * connection): the answer is lost, and Salesforce may have applied the request.
 */
export function answerLost(code: string): boolean {
	return !NOT_CONNECTED_CODES.has(code);
}

/** An HTTP answer worth another try: a passing failure of a request safe to repeat, or a refusal of any request. */
export function retryableStatus(statusCode: number, idempotent: boolean): boolean {
	return RETRYABLE_STATUS.has(statusCode) && (idempotent || REFUSED_STATUS.has(statusCode));
}
