import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { destroyStream } from '../codecs/streams';
import { cancelSignal, pause } from './cancellation';
import { cancelledError, isCancelled, toApiError, type SalesforceErrorContext } from './errors';
import { rereadOnDrop, type DroppedBody } from './rereadOnDrop';
import { answerLost, backoffDelay, networkCode, retryableStatus, retryPolicy } from './retryPolicy';
import { noteApiUsage } from './limits';
import { carriesTokenSafely } from './secureUrl';

export const CREDENTIAL_TYPE = 'salesforceBulkOAuth2Api';

/** Any n8n context that can make authenticated requests. */
export type SalesforceFunctions = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions;

export type ResponseKind = 'json' | 'text' | 'stream';

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path on the instance, e.g. `/services/data/v63.0/jobs/ingest`. */
	path: string;
	qs?: IDataObject;
	headers?: IDataObject;
	/** An object is sent as JSON. A function makes a fresh body (stream) for each attempt. */
	body?: string | Buffer | IDataObject | (() => Promise<NodeJS.ReadableStream | Buffer | string>);
	response?: ResponseKind;
	/**
	 * Safe to send again after a 5xx or a network error. Defaults to true for GET, HEAD and DELETE. Any
	 * request is sent again after a 429 or 503: Salesforce refused it without applying it.
	 */
	idempotent?: boolean;
	/** Bulk API 1.0 reports an expired session as HTTP 400 InvalidSessionId rather than 401. */
	bulk1?: boolean;
	/** Named in errors. */
	jobId?: string;
	/** Give up waiting for an answer after this long. */
	timeoutMs?: number;
	/**
	 * A body Salesforce serves again unchanged (a result file, page or set), read as a stream: a connection
	 * dropped in the middle of it is read again (see rereadOnDrop), and this says what it is in the error.
	 */
	rereadable?: DroppedBody;
}

export interface ApiResponse<T> {
	statusCode: number;
	headers: Record<string, string>;
	body: T;
}

/**
 * Requests go to paths on the org's instance. An absolute URL (a link taken from a response) must be https,
 * or http on loopback (a local emulator), so the token never travels in clear text.
 */
function assertSafeTarget(ctx: SalesforceFunctions, path: string): void {
	if (!/^([a-z][a-z0-9+.-]*:)?\/\//i.test(path)) return;
	let url: URL | undefined;
	try {
		url = new URL(path);
	} catch {
		url = undefined;
	}
	if (url && carriesTokenSafely(url)) return;
	throw new NodeOperationError(ctx.getNode(), `Refusing to send a request to ${url ? url.origin : path}: requests with the access token go only to the org's instance over https (plain http only on loopback)`);
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [key, value] of Object.entries((headers ?? {}) as Record<string, unknown>)) {
		out[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return out;
}

async function readBodyText(body: unknown): Promise<string> {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	if (typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
		const chunks: Buffer[] = [];
		for await (const chunk of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
		return Buffer.concat(chunks).toString('utf8');
	}
	return JSON.stringify(body);
}

/**
 * The one place HTTP happens. Sends through n8n's `httpRequestWithAuthentication` (which renews the token
 * on a 401 and sends once more), retries what is safe to retry, renews Bulk 1.0 sessions, and turns every
 * Salesforce error into a NodeApiError that names what went wrong.
 */
export async function apiRequest<T = unknown>(ctx: SalesforceFunctions, request: ApiRequest): Promise<ApiResponse<T>> {
	const idempotent = request.idempotent ?? ['GET', 'HEAD', 'DELETE'].includes(request.method);
	const errorContext: SalesforceErrorContext = { jobId: request.jobId, bulk1: request.bulk1, method: request.method, path: request.path };
	assertSafeTarget(ctx, request.path);
	let sessionRenewed = false;
	for (let attempt = 0; ; attempt++) {
		let response: ApiResponse<unknown>;
		try {
			response = await send(ctx, request);
		} catch (error) {
			if (isCancelled(error) || cancelSignal(ctx)?.aborted) throw cancelledError(ctx.getNode());
			const code = networkCode(error);
			if (code && idempotent && attempt + 1 < retryPolicy.attempts) {
				// Salesforce may have applied it: an error for the request sent again says so (see changeJobState).
				if (answerLost(code)) errorContext.resentAfterLostAnswer = true;
				await pause(ctx, backoffDelay(attempt));
				continue;
			}
			const statusCode = error instanceof NodeApiError ? Number(error.httpCode) || 0 : 0;
			if (statusCode === 401 && typeof request.body === 'function' && !sessionRenewed) {
				// n8n renewed the token but does not send a stream body twice: send it again, freshly opened.
				sessionRenewed = true;
				attempt--;
				continue;
			}
			// No HTTP answer and no network code: the credential could not get a token (its message says why).
			const reason = !statusCode && !code ? (error as Error).message : undefined;
			throw toApiError(ctx.getNode(), { statusCode, body: '', networkCode: code, reason, cause: error }, errorContext);
		}
		const { statusCode } = response;
		if (statusCode < 400) {
			if (!request.rereadable || request.response !== 'stream') return response as ApiResponse<T>;
			const again = { ...request, rereadable: undefined };
			const reopen = async () => (await apiRequest<NodeJS.ReadableStream>(ctx, again)).body;
			return { ...response, body: rereadOnDrop(ctx, response.body as NodeJS.ReadableStream, reopen, request.rereadable, request.jobId) } as ApiResponse<T>;
		}
		const text = await readBodyText(response.body);
		if (retryableStatus(statusCode, idempotent) && attempt + 1 < retryPolicy.attempts) {
			await pause(ctx, backoffDelay(attempt, response.headers['retry-after']));
			continue;
		}
		if (request.bulk1 && statusCode === 400 && !sessionRenewed && text.includes('InvalidSessionId')) {
			// Bulk 1.0 says HTTP 400, which n8n does not treat as expiry: a cheap REST call gets the 401
			// that makes n8n renew the token, then the request goes once more (with a fresh body).
			await renewSession(ctx);
			sessionRenewed = true;
			attempt--;
			continue;
		}
		// How many times it was sent: a 404 on a DELETE sent again after no answer means the first one landed.
		throw Object.assign(toApiError(ctx.getNode(), { statusCode, body: text, headers: response.headers }, errorContext), { sentTimes: attempt + 1 });
	}
}

async function send(ctx: SalesforceFunctions, request: ApiRequest): Promise<ApiResponse<unknown>> {
	const headers: IDataObject = { ...request.headers };
	let body: IHttpRequestOptions['body'];
	let json = false;
	if (typeof request.body === 'function') {
		body = (await request.body()) as unknown as IHttpRequestOptions['body'];
	} else if (request.body !== undefined && typeof request.body === 'object' && !Buffer.isBuffer(request.body)) {
		body = request.body;
		json = true;
		headers['Content-Type'] ??= 'application/json; charset=UTF-8';
	} else {
		body = request.body;
	}
	const kind = request.response ?? 'json';
	const options: IHttpRequestOptions = {
		method: request.method,
		url: request.path,
		qs: request.qs,
		headers,
		body,
		json,
		returnFullResponse: true,
		// Let 401 through to n8n, which renews the token and retries; read every other status here.
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
		encoding: kind === 'stream' ? 'stream' : kind === 'json' ? 'json' : 'text',
		timeout: request.timeoutMs ?? retryPolicy.timeoutMs,
		// Data uploads (CSV, batches, zips): a redirect-following client keeps a copy of every byte sent, to
		// send it again after a redirect, which Salesforce's API does not answer uploads with. Without it, a
		// 100 MB upload streams through in constant memory.
		...(json || body === undefined ? {} : { disableFollowRedirect: true }),
	};
	let full: { statusCode: number; headers: unknown; body: unknown };
	try {
		full = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, CREDENTIAL_TYPE, options)) as typeof full;
	} finally {
		// A stream body made for this attempt is spent, or left half-read by a refused or dropped request
		// (the next attempt opens a fresh one): closed now, not when garbage collected.
		if (typeof request.body === 'function') destroyStream(body);
	}
	const responseHeaders = lowerCaseHeaders(full.headers);
	noteApiUsage(ctx, CREDENTIAL_TYPE, responseHeaders);
	let parsed = full.body;
	if (kind === 'json' && typeof parsed === 'string' && parsed.trim() !== '' && /json/i.test(responseHeaders['content-type'] ?? '')) {
		parsed = JSON.parse(parsed);
	}
	return { statusCode: full.statusCode, headers: responseHeaders, body: parsed };
}

/** Forces n8n to renew the access token through a REST call that answers 401 when it has expired. */
async function renewSession(ctx: SalesforceFunctions): Promise<void> {
	const { apiVersion } = await ctx.getCredentials(CREDENTIAL_TYPE);
	await apiRequest(ctx, { method: 'GET', path: `/services/data/v${String(apiVersion)}/limits` });
}

export type { JsonObject };
