/**
 * Salesforce's 24-hour limits: the message for a refusal that names the limit and when it frees up, and the
 * API usage REST and Bulk 2.0 answers report (`Sforce-Limit-Info: api-usage=N/M`), kept to warn a load that
 * would need more requests than are left.
 */
import type { IExecuteFunctions, ILoadOptionsFunctions, IPollFunctions } from 'n8n-workflow';

type AnyContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

/** Every one of these limits counts over a rolling 24 hours: use frees up as it ages past 24 hours. */
const ROLLING_WINDOW =
	'The window is rolling: what was used 24 hours ago frees up continuously, so it works again later (within 24 hours at the latest)';

interface DailyLimit {
	/** Salesforce's message for it (Bulk 2.0 LIMIT_EXCEEDED, Bulk 1.0 ExceededQuota, REST REQUEST_LIMIT_EXCEEDED). */
	matches: RegExp;
	name: string;
	/** What else the user can do. */
	advice: string;
}

const DAILY_LIMITS: DailyLimit[] = [
	{
		matches: /ApiBatchItems|\bbatches\b/i,
		name: '15,000 Bulk API batches per rolling 24 hours, shared by Bulk API 1.0 and 2.0 (a Bulk API 2.0 ingest job counts one per 10,000 records)',
		advice: 'Send fewer, fuller batches (Classic: up to 10,000 records each), or ask Salesforce for a higher allocation',
	},
	{
		matches: /ingest.*records|records.*per 24/i,
		name: '150,000,000 Bulk API 2.0 ingest records per rolling 24 hours',
		advice: 'Load only the rows that changed, or spread the load over more than a day',
	},
	{
		matches: /query jobs/i,
		name: '10,000 Bulk API 2.0 query jobs per rolling 24 hours',
		advice: 'Run fewer queries (one query for many records rather than one per item)',
	},
	{
		matches: /result size|query results|QueryFileStorage/i,
		name: '1 TB of Bulk API 2.0 query results per rolling 24 hours',
		advice: 'Select fewer fields or rows',
	},
	{
		matches: /TotalRequests|API request/i,
		name: "API requests per rolling 24 hours (the org's allocation depends on its edition and licenses; Setup → Company Information shows it)",
		advice: 'Ask Salesforce for a higher allocation if this happens often',
	},
];

/**
 * The message for Salesforce refusing because a 24-hour limit is used up, or undefined when the refusal is
 * not one (429 REQUEST_LIMIT_EXCEEDED is throttling: too many requests at once, not a daily limit).
 */
export function dailyLimitMessage(status: number, errorCode: string, message: string): string | undefined {
	if (!['REQUEST_LIMIT_EXCEEDED', 'LIMIT_EXCEEDED', 'ExceededQuota'].includes(errorCode)) return undefined;
	if (status === 429 || /ConcurrentPerOrg|concurrent/i.test(message)) return undefined;
	let limit = DAILY_LIMITS.find((l) => l.matches.test(message));
	// A bare REQUEST_LIMIT_EXCEEDED (403) or ExceededQuota is the org's API request allocation.
	if (!limit && errorCode !== 'LIMIT_EXCEEDED') limit = DAILY_LIMITS[DAILY_LIMITS.length - 1];
	if (!limit) return undefined;
	return `Salesforce refused: the org has used up its limit of ${limit.name} (${errorCode}). ${ROLLING_WINDOW}. ${limit.advice}`;
}

/** The API usage the latest REST or Bulk 2.0 answer reported, per credential, and when. */
const apiUsage = new Map<string, { used: number; max: number; seenAt: number }>();
/** Older usage says too little about now to warn with. */
const USAGE_KEPT_MS = 60 * 60 * 1000;

const usageKey = (ctx: AnyContext, credentialType: string) => {
	const credential = ctx.getNode().credentials?.[credentialType];
	return credential?.id ?? credential?.name ?? '';
};

/** Keeps the `api-usage=N/M` of an answer's Sforce-Limit-Info header (lower-cased headers). */
export function noteApiUsage(ctx: AnyContext, credentialType: string, headers: Record<string, string>): void {
	const match = /api-usage=(\d+)\/(\d+)/.exec(headers['sforce-limit-info'] ?? '');
	if (match) apiUsage.set(usageKey(ctx, credentialType), { used: Number(match[1]), max: Number(match[2]), seenAt: Date.now() });
}

/**
 * A notice when `requests` (an estimate of what an operation is about to send) is more than the API requests
 * left, as last reported within the hour; undefined when enough are left or the usage is not known.
 */
export function apiUsageNotice(ctx: AnyContext, credentialType: string, requests: number, what: string): string | undefined {
	const usage = apiUsage.get(usageKey(ctx, credentialType));
	if (!usage || Date.now() - usage.seenAt > USAGE_KEPT_MS) return undefined;
	const left = Math.max(0, usage.max - usage.used);
	if (requests <= left) return undefined;
	return (
		`${what} needs about ${requests} more API requests, but the org has ${left} of its ${usage.max} left for the rolling 24 hours (Salesforce reported api-usage=${usage.used}/${usage.max}). ` +
		'Once they are used up Salesforce refuses every request (REQUEST_LIMIT_EXCEEDED) and the load stops part-way; requests free up as those of 24 hours ago age out'
	);
}
