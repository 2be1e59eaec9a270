'use strict';
// Fault injection: rules matched against each request (method and path), applied before routing.
// Kinds: 'status' (answer with an error status), 'reset' (drop the connection part-way through the
// response body), 'delay' (answer late). Each rule fires `count` times, or on a `fraction` of matching
// requests (seeded, so runs repeat), after letting the first `skip` matching requests through. Job
// failures are separate: `failJobs` makes the next jobs fail; `backdateCommits` stamps the next record
// writes in the past (a late commit).

const DEFAULT_BODIES = {
	429: ['REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.'],
	403: ['REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'],
	500: ['UNKNOWN_EXCEPTION', 'An unexpected error occurred. Please include this ErrorId if you contact support: 1234567890-12345 (-1234567890)'],
	502: ['SERVER_UNAVAILABLE', 'Bad Gateway'],
	503: ['SERVER_UNAVAILABLE', 'Server is temporarily unavailable due to maintenance. Please try again later.'],
	504: ['SERVER_UNAVAILABLE', 'Gateway Timeout'],
};

/**
 * Salesforce's refusals once a 24-hour limit is used up: [HTTP status, Bulk 2.0 / REST errorCode, Bulk 1.0
 * exceptionCode, message]. The query-job and query-result messages are those public connectors match on, the
 * batch one ("ExceededQuota : ApiBatchItems Limit exceeded") is quoted in public troubleshooting docs, and
 * 403 REQUEST_LIMIT_EXCEEDED / TotalRequests is in bulk-api-facts.md. The ingest-records wording is our
 * assumption, shaped like the query ones (no public record of it found).
 */
const LIMIT_ERRORS = {
	apiRequests: [403, 'REQUEST_LIMIT_EXCEEDED', 'ExceededQuota', 'TotalRequests Limit exceeded.'],
	batches: [400, 'LIMIT_EXCEEDED', 'ExceededQuota', 'ApiBatchItems Limit exceeded.'],
	ingestRecords: [400, 'LIMIT_EXCEEDED', 'ExceededQuota', 'Max bulk v2 ingest records (150000000) per 24 hrs has been exceeded'],
	queryJobs: [400, 'LIMIT_EXCEEDED', 'ExceededQuota', 'Max bulk v2 query jobs (10000) per 24 hrs has been reached (10021)'],
	queryResults: [400, 'LIMIT_EXCEEDED', 'ExceededQuota', 'Max bulk v2 query result size stored (1000000000) kb per 24 hrs has been exceeded'],
};

function seededRandom(seed) {
	let state = seed >>> 0 || 1;
	return () => {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		return (state >>> 0) / 4294967296;
	};
}

class Faults {
	constructor(seed = 42) {
		this.random = seededRandom(seed);
		this.rules = [];
		this.jobFailures = [];
		this.backdates = [];
		this.fired = [];
	}

	/**
	 * Makes the next `count` record writes (optionally only on `object`) commit late: their CreatedDate /
	 * LastModifiedDate / SystemModstamp lie `seconds` in the past, as the rows of a long transaction that
	 * Salesforce stamps when it starts and shows when it commits. { seconds, object?, count? }
	 */
	backdateCommits(rule) {
		this.backdates.push({ count: 1, ...rule, seconds: Number(rule.seconds) });
	}

	/** How far back (ms) the next write on this object is stamped: 0 unless a backdate rule is left. */
	takeBackdate(objectName) {
		const rule = this.backdates.find((r) => r.count > 0 && (!r.object || r.object.toLowerCase() === String(objectName).toLowerCase()));
		if (!rule) return 0;
		rule.count--;
		return rule.seconds * 1000;
	}

	/**
	 * Adds rules. A rule: { kind, status?, count?, fraction?, skip?, method?, path? (substring or /regex/
	 * source), retryAfter?, ms?, untilClientGivesUp?, afterBytes?, errorCode?, message?, limit? }. `skip` lets
	 * that many matching requests through first (e.g. drop the second result page, not the first). `limit`
	 * (a key of LIMIT_ERRORS) answers as Salesforce does once that 24-hour limit is used up.
	 */
	add(...rules) {
		for (const input of rules) {
			const limit = input.limit ? LIMIT_ERRORS[input.limit] : undefined;
			if (input.limit && !limit) throw new Error(`Unknown limit ${input.limit}: one of ${Object.keys(LIMIT_ERRORS).join(', ')}`);
			const rule = limit ? { status: limit[0], ...input, kind: 'status' } : input;
			const pattern = rule.path ? new RegExp(rule.path.startsWith('/') && rule.path.endsWith('/') && rule.path.length > 2 ? rule.path.slice(1, -1) : escape(rule.path)) : undefined;
			this.rules.push({ kind: 'status', count: rule.fraction ? Infinity : 1, ...rule, pattern });
		}
	}

	/** Makes the next `count` jobs (optionally only for `object`) fail: { message, afterRows?, object?, count? }. */
	failJobs(failure) {
		this.jobFailures.push({ count: 1, afterRows: 0, message: 'InvalidBatch : Processing failed', ...failure });
	}

	takeJobFailure(objectName) {
		const failure = this.jobFailures.find((f) => f.count > 0 && (!f.object || f.object.toLowerCase() === String(objectName).toLowerCase()));
		if (!failure) return undefined;
		failure.count--;
		return failure;
	}

	clear() {
		this.rules = [];
		this.jobFailures = [];
		this.backdates = [];
	}

	/** The rules that fire for this request (at most one of each kind), counted down. */
	match(method, path) {
		const hits = {};
		for (const rule of this.rules) {
			if (rule.count <= 0 || hits[rule.kind]) continue;
			if (rule.method && rule.method.toUpperCase() !== method) continue;
			if (rule.pattern && !rule.pattern.test(path)) continue;
			if (rule.fraction && this.random() >= rule.fraction) continue;
			if (rule.skip > 0) {
				rule.skip--;
				continue;
			}
			rule.count--;
			hits[rule.kind] = rule;
			this.fired.push({ kind: rule.kind, status: rule.status, method, path });
		}
		this.rules = this.rules.filter((r) => r.count > 0);
		return hits;
	}

	/** The error body of a status rule, in Bulk 1.0's codes when `bulk1`. */
	static errorFor(rule, bulk1 = false) {
		if (rule.limit) {
			const [, v2Code, v1Code, message] = LIMIT_ERRORS[rule.limit];
			return { errorCode: bulk1 ? v1Code : v2Code, message };
		}
		const [errorCode, message] = DEFAULT_BODIES[rule.status] ?? ['UNKNOWN_EXCEPTION', `HTTP ${rule.status}`];
		const code = rule.errorCode ?? errorCode;
		return { errorCode: bulk1 && code === 'REQUEST_LIMIT_EXCEEDED' ? 'ExceededQuota' : code, message: rule.message ?? message };
	}
}

function escape(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

module.exports = { Faults, LIMIT_ERRORS };
