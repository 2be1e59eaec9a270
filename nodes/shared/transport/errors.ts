import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { parseXml } from '../codecs/xml';
import { dailyLimitMessage } from './limits';

export interface SalesforceErrorContext {
	jobId?: string;
	bulk1?: boolean;
	method?: string;
	path?: string;
	/** The request went again after a network error that may have come after Salesforce applied it. */
	resentAfterLostAnswer?: boolean;
}

export interface FailedResponse {
	statusCode: number;
	body: string;
	headers?: Record<string, string>;
	networkCode?: string;
	/** Why there is no HTTP answer, when it is not a network error (e.g. the credential could not get a token). */
	reason?: string;
	cause?: unknown;
}

/** Thrown when the n8n execution is cancelled while we wait or retry. */
export function cancelledError(node: INode): NodeOperationError {
	const error = new NodeOperationError(node, 'The execution was cancelled');
	error.context = { ...error.context, cancelled: true };
	return error;
}

/** The error as n8n's own error types, as it is (with its details) when it already is one. */
export function nodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	return error instanceof NodeApiError || error instanceof NodeOperationError ? error : new NodeOperationError(node, error as Error);
}

export function isCancelled(error: unknown): boolean {
	return error instanceof NodeOperationError && error.context?.cancelled === true;
}

interface SalesforceError {
	errorCode: string;
	message: string;
}

/** Reads Salesforce's error shapes: v2/REST JSON arrays, v1 XML or JSON, OAuth errors. */
export function parseSalesforceError(body: string): SalesforceError | undefined {
	const text = body.trim();
	if (!text) return undefined;
	if (text.startsWith('<')) {
		try {
			const doc = parseXml(text);
			if (doc.name === 'error') {
				const get = (name: string) => String(doc.children.find((c) => c.name === name)?.text ?? '');
				return { errorCode: get('exceptionCode'), message: get('exceptionMessage') };
			}
		} catch {
			return undefined;
		}
		return undefined;
	}
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return { errorCode: 'UNKNOWN', message: text.slice(0, 500) };
	}
	const first = (Array.isArray(value) ? value[0] : value) as Record<string, unknown> | undefined;
	if (!first || typeof first !== 'object') return undefined;
	const errorCode = first.errorCode ?? first.exceptionCode ?? first.error;
	const message = first.message ?? first.exceptionMessage ?? first.error_description ?? '';
	return errorCode ? { errorCode: String(errorCode), message: String(message) } : undefined;
}

/** What to tell the user for a Salesforce error code, in their terms. */
function explain(status: number, error: SalesforceError | undefined, context: SalesforceErrorContext): string {
	const code = error?.errorCode ?? '';
	const job = context.jobId ? `Job ${context.jobId}` : 'The job';
	switch (code) {
		case 'REQUEST_LIMIT_EXCEEDED':
		case 'LIMIT_EXCEEDED':
		case 'ExceededQuota':
			return (
				dailyLimitMessage(status, code, error?.message ?? '') ??
				(code === 'LIMIT_EXCEEDED' ? `Salesforce refused: a limit was exceeded: ${error?.message}` : 'Salesforce is throttling requests (too many at once). Try again later')
			);
		case 'INVALID_SESSION_ID':
		case 'InvalidSessionId':
			return 'Salesforce rejected the access token even after renewing it. Check the credential (grant, user permissions, IP restrictions)';
		case 'INVALID_AUTH_HEADER':
			return 'Salesforce did not accept the authorization header. Check the credential';
		case 'NOT_FOUND':
			return context.jobId
				? `${job} was not found: it was deleted, it is older than 7 days, it belongs to another org, or it is a job of another kind`
				: 'Salesforce could not find the requested resource';
		case 'InvalidJob':
		case 'INVALIDJOB':
			if (error?.message.includes('Found multiple contents')) {
				return `${job} already has its data: Salesforce accepts one upload per job. Create a new job for more data, or use Load Records, which splits data across jobs`;
			}
			return `Salesforce refused the job: ${error?.message}`;
		case 'InvalidJobState':
			return `${job} is not in a state that allows this: ${error?.message}`;
		case 'InvalidBatch':
			return `Salesforce refused the batch: ${error?.message}`;
		case 'JOB_NOT_COMPLETE':
			return `${job} has not finished yet, so its results are not available`;
		case 'API_VERSION_MISMATCH':
			return `${job} was created with another API version: set the credential's API Version to the job's`;
		case 'MALFORMED_QUERY':
		case 'INVALID_FIELD':
		case 'INVALID_TYPE':
		case 'INVALID_QUERY_FILTER_OPERATOR':
			return `Salesforce rejected the SOQL query: ${reasonOf(error?.message)}`;
		default:
			break;
	}
	if (status === 401) return 'Salesforce rejected the access token even after renewing it. Check the credential (grant, user permissions, IP restrictions)';
	if (status === 0) return 'Could not reach Salesforce';
	if (status >= 500) return `Salesforce is unavailable (HTTP ${status}); retries did not help. Try again later`;
	if (status === 429) return 'Salesforce is throttling requests (HTTP 429); retries did not help. Try again later';
	return error ? `Salesforce error ${error.errorCode}: ${reasonOf(error.message)}` : `Salesforce answered HTTP ${status}`;
}

/** A request that got no answer: a read can simply go again; a write may have been applied. */
function whatToDoAfterNoAnswer(context: SalesforceErrorContext): string {
	if (!context.method || ['GET', 'HEAD'].includes(context.method)) return 'Retries did not help: the network or Salesforce is down. Try again later';
	return context.jobId
		? `Salesforce may have applied the request before the connection dropped: check job ${context.jobId} (Get) before running the node again`
		: 'Salesforce may have applied the request before the connection dropped: check the recent jobs (Get Many) before running the node again, so nothing is loaded twice';
}

/** What n8n's HTTP client reports when a request outlived its timeout. */
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

/** Query errors echo the SOQL and a caret before the reason: the reason is the last line. */
function reasonOf(message = ''): string {
	const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
	return lines[lines.length - 1] ?? '';
}

/**
 * A NodeApiError carrying Salesforce's errorCode, the HTTP status and the job ID. Built from our own
 * plain data, so no request headers (and no token) ever reach the error.
 */
export function toApiError(node: INode, failed: FailedResponse, context: SalesforceErrorContext): NodeApiError {
	const error = parseSalesforceError(failed.body);
	const message = failed.networkCode
		? `Salesforce did not answer${TIMEOUT_CODES.has(failed.networkCode) ? ' in time' : ''} (${failed.networkCode})${context.jobId ? ` about job ${context.jobId}` : ''}`
		: failed.reason && !failed.statusCode
			? failed.reason
			: explain(failed.statusCode, error, context);
	const details = [
		failed.networkCode ? whatToDoAfterNoAnswer(context) : undefined,
		error ? `Salesforce says: ${error.errorCode}${error.message ? ` – ${error.message}` : ''}` : undefined,
		failed.statusCode ? `HTTP ${failed.statusCode}` : undefined,
		context.jobId ? `Job ID: ${context.jobId}` : undefined,
		context.method && context.path ? `Request: ${context.method} ${context.path}` : undefined,
	].filter(Boolean);
	const response: JsonObject = {
		// A network code here would make n8n replace the message with its generic "connection closed" text.
		errorCode: error?.errorCode ?? null,
		networkCode: failed.networkCode ?? null,
		message: error?.message ?? message,
		statusCode: failed.statusCode,
		jobId: context.jobId ?? null,
	};
	const apiError = new NodeApiError(node, response, {
		message,
		description: details.join('\n'),
		httpCode: failed.statusCode ? String(failed.statusCode) : undefined,
	});
	// n8n swaps the message of a network error for its generic "connection closed" text: ours says what to do.
	if (failed.networkCode) apiError.message = message;
	apiError.context = { ...apiError.context, ...response, ...(context.resentAfterLostAnswer ? { resentAfterLostAnswer: true } : {}) };
	return apiError;
}

/** The job an error is about, as toApiError and the re-read of a dropped body record it: not parsed from the message. */
export function jobIdOfError(error: unknown): string | undefined {
	const jobId = (error as { context?: { jobId?: unknown } } | undefined)?.context?.jobId;
	return typeof jobId === 'string' && jobId ? jobId : undefined;
}

/**
 * Whether an error about job `jobId` already says how to read what failed again (the re-read of a dropped body
 * does: which result, batch and set, and the operation that fetches it), so it needs no advice added.
 */
export function saysHowToReadAgain(error: unknown, jobId: string): boolean {
	const readAgain = (error as { context?: { readAgain?: unknown } } | undefined)?.context?.readAgain;
	return jobIdOfError(error) === jobId && typeof readAgain === 'string';
}

/** Whether an error answers a request sent again after its first answer was lost (Salesforce may have applied the first). */
export function answersResentRequest(error: unknown): boolean {
	return (error as { context?: { resentAfterLostAnswer?: unknown } } | undefined)?.context?.resentAfterLostAnswer === true;
}
