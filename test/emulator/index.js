'use strict';
// A Salesforce emulator: OAuth, Bulk API 2.0, Bulk API 1.0 and the REST describe calls, over a small
// in-memory org, with fault injection. startEmulator(options) → { url, close, org, faults, ... }.

const http = require('node:http');
const { Org } = require('./org');
const { OAuth } = require('./oauth');
const { Faults } = require('./faults');
const { JobStore } = require('./jobs');
const { Bulk2 } = require('./bulk2');
const { Bulk1 } = require('./bulk1');
const { Rest } = require('./rest');
const { HttpError, apiError, readBody, send } = require('./http');
const { seedRecords, generateRecords } = require('./seed');

const DEFAULTS = {
	port: 0,
	jobDelayMs: 300,
	// Records per second a Bulk 2.0 ingest job processes, at a steady rate, once closed (0: jobDelayMs instead).
	// While it runs, numberRecordsProcessed grows with the time since it was closed, as Salesforce's does.
	ingestRecordsPerSecond: 0,
	holdJobs: false,
	tokenTtlMs: 2 * 60 * 60 * 1000,
	defaultMaxRecords: 50000,
	jobsPageSize: 1000,
	resultPagesPerResponse: 5,
	maxUploadBytes: 150 * 1024 * 1024,
	faultSeed: 42,
	shuffleResults: false,
	/** The org's API request limit per rolling 24 hours, and how many of them were used before (the counter goes on from there). */
	apiRequestLimit: 1_000_000,
	apiRequestsUsed: 0,
	seed: {},
	generate: {}, // Object → count of seed-like records made on demand (benchmark-sized tables)
};
const API_VERSION = /^v?(\d{2}\.\d)$/;

async function startEmulator(userOptions = {}) {
	const options = { ...DEFAULTS, ...userOptions };
	let url = '';
	const org = new Org();
	const faults = new Faults(options.faultSeed);
	org.faults = faults;
	const oauth = new OAuth({ baseUrl: () => url, org, tokenTtlMs: options.tokenTtlMs });
	const jobs = new JobStore({ org, jobDelayMs: () => options.jobDelayMs, holdJobs: () => options.holdJobs });
	const bulk2 = new Bulk2({ org, jobs, faults, options });
	const bulk1 = new Bulk1({ org, jobs, faults, options });
	const restApi = new Rest({ org, baseUrl: () => url, apiUsage: () => ({ used: options.apiRequestsUsed, max: options.apiRequestLimit }) });
	/** @type {{ requests: number, byRoute: Record<string, number> }} requests served, and by `METHOD /path` with IDs as :id */
	const stats = { requests: 0, byRoute: {} };
	for (const [object, count] of Object.entries(options.seed)) seedRecords(org, object, count);
	for (const [object, count] of Object.entries(options.generate)) generateRecords(org, object, count);

	const emulator = {
		org,
		faults,
		oauth,
		jobs,
		options,
		stats,
		/** Requests held back by a delay fault and not yet applied and answered (or dropped). */
		lateRequests: 0,
		credentials: oauth.client,
		url: '',
		/** @type {Omit<http.Server, 'address'> & { address(): import('node:net').AddressInfo }} listening on 127.0.0.1 */
		server: undefined,
		/** Stops the server and the job timers. */
		close: async () => {},
	};

	/** Bulk 2.0 and REST want `Authorization: Bearer`; an invalid or expired token is a 401. */
	function requireBearer(req) {
		const match = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(String(req.headers.authorization || ''));
		if (!match) throw new HttpError(401, [{ message: 'INVALID_HEADER_TYPE', errorCode: 'INVALID_AUTH_HEADER' }]);
		if (!oauth.valid(match[1].trim())) throw new HttpError(401, [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
	}

	async function route(req, res, url) {
		const parts = url.pathname.split('/').filter(Boolean);
		if (parts[0] === '__emulator') return admin(req, res, parts.slice(1), url);
		if (parts[0] !== 'services') throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
		const [, area, versionPart, ...rest] = parts;
		if (area === 'oauth2' && versionPart === 'token' && req.method === 'POST') {
			const form = new URLSearchParams((await readBody(req)).toString('utf8'));
			return send(req, res, 200, oauth.token(form));
		}
		if (area === 'oauth2' && versionPart === 'userinfo') {
			requireBearer(req);
			return send(req, res, 200, oauth.userinfo());
		}
		if (area === 'data' && versionPart === undefined) return restApi.versions(req, res);
		if (area === 'async') {
			const version = API_VERSION.exec(versionPart || '');
			if (!version) return bulk1.notFound(req, res);
			return bulk1.handle(req, res, version[1], rest, url, (token) => oauth.valid(token));
		}
		if (area === 'data') {
			const version = /^v(\d{2}\.\d)$/.exec(versionPart || '');
			if (!version) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
			requireBearer(req);
			if (rest[0] === 'jobs') return bulk2.handle(req, res, version[1], rest.slice(1), url);
			return restApi.handle(req, res, version[1], rest);
		}
		throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
	}

	async function admin(req, res, parts, url) {
		const body = req.method === 'POST' ? JSON.parse((await readBody(req)).toString('utf8') || '{}') : {};
		const [what, id, action] = parts;
		if (what === 'faults' && req.method === 'POST') faults.add(...(Array.isArray(body) ? body : [body]));
		else if (what === 'faults' && req.method === 'DELETE') faults.clear();
		else if (what === 'fail-jobs') faults.failJobs(body);
		else if (what === 'backdate-commits') faults.backdateCommits(body);
		else if (what === 'expire-tokens') oauth.expireAll();
		else if (what === 'revoke-refresh-token') oauth.revokeRefreshToken();
		else if (what === 'config') Object.assign(options, pick(body, ['jobDelayMs', 'ingestRecordsPerSecond', 'holdJobs', 'defaultMaxRecords', 'jobsPageSize', 'resultPagesPerResponse', 'shuffleResults', 'apiRequestLimit', 'apiRequestsUsed']));
		else if (what === 'jobs' && id && action === 'finish') {
			if (!jobs.finish(id)) throw apiError(404, 'NOT_FOUND', 'No held job with this ID');
		} else if (what === 'seed') return send(req, res, 200, { created: seedRecords(org, body.object, body.count) });
		else if (what === 'generate') return send(req, res, 200, { created: generateRecords(org, body.object, body.count) });
		else if (what === 'records' && id) {
			const records = [...org.table(id).values()].filter((r) => url.searchParams.get('all') === 'true' || !r.IsDeleted);
			return send(req, res, 200, records.map((r) => (Buffer.isBuffer(r.Body) ? { ...r, Body: r.Body.toString('base64') } : r)));
		} else if (what === 'stats' && req.method === 'GET') return send(req, res, 200, stats);
		else if (what === 'stats' && req.method === 'DELETE') {
			stats.requests = 0;
			stats.byRoute = {};
		} else throw apiError(404, 'NOT_FOUND', 'Unknown emulator admin path');
		return send(req, res, 200, { ok: true });
	}

	const server = http.createServer(async (req, res) => {
		const url = new URL(req.url, 'http://127.0.0.1');
		let late = false;
		try {
			if (!url.pathname.startsWith('/__emulator/')) {
				stats.requests++;
				const key = `${req.method} ${url.pathname.replace(/\/(?:750|751|752)[A-Za-z0-9]{12,15}/g, '/:id')}`;
				stats.byRoute[key] = (stats.byRoute[key] ?? 0) + 1;
				const hits = faults.match(req.method, url.pathname);
				if (hits.delay) {
					// A slow answer: late by `ms`, or (`untilClientGivesUp`) until the client has stopped waiting.
					// Either way the request is then applied, as Salesforce does with a request it was slow to answer.
					late = true;
					emulator.lateRequests++;
					await new Promise((resolve) => (hits.delay.untilClientGivesUp ? res.once('close', resolve) : setTimeout(resolve, hits.delay.ms ?? 1000)));
				}
				// A reset before the response: the request is dropped unanswered (and not applied).
				if (hits.reset?.beforeResponse) return req.socket.destroy();
				if (hits.reset) Object.assign(res, { resetAfter: hits.reset.afterBytes ?? 64 }); // read by send()
				// The org's API requests of the last 24 hours: each request counts, and once the limit is passed
				// Salesforce refuses with 403 REQUEST_LIMIT_EXCEEDED. REST and Bulk 2.0 answers say the usage.
				const used = url.pathname.startsWith('/services/oauth2/') ? options.apiRequestsUsed : ++options.apiRequestsUsed;
				if (url.pathname.startsWith('/services/data/')) res.setHeader('Sforce-Limit-Info', `api-usage=${used}/${options.apiRequestLimit}`);
				if (hits.status) return sendFault(req, res, url, hits.status);
				if (used > options.apiRequestLimit && !url.pathname.startsWith('/services/oauth2/')) return sendFault(req, res, url, { limit: 'apiRequests', status: 403 });
			}
			await route(req, res, url);
		} catch (error) {
			if (res.headersSent) return res.destroy();
			if (error instanceof HttpError) return send(req, res, error.status, error.body, error.headers);
			if (error instanceof SyntaxError) return send(req, res, 400, [{ errorCode: 'JSON_PARSER_ERROR', message: error.message }]);
			send(req, res, 500, [{ errorCode: 'UNKNOWN_EXCEPTION', message: `Emulator error: ${error.message}` }]);
		} finally {
			if (late) emulator.lateRequests--;
		}
	});

	function sendFault(req, res, url, rule) {
		const bulk1Request = url.pathname.startsWith('/services/async/');
		const { errorCode, message } = Faults.errorFor(rule, bulk1Request);
		const headers = rule.retryAfter !== undefined ? { 'Retry-After': String(rule.retryAfter) } : {};
		if (bulk1Request) return bulk1.sendError(req, res, rule.status, errorCode, message, headers);
		send(req, res, rule.status, [{ errorCode, message }], headers);
	}

	await new Promise((resolve) => server.listen(options.port, '127.0.0.1', () => resolve(undefined)));
	url = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
	emulator.url = url;
	emulator.close = async () => {
		jobs.close();
		server.closeAllConnections?.();
		await new Promise((resolve) => server.close(resolve));
	};
	emulator.server = /** @type {typeof emulator.server} */ (server);
	return emulator;
}

function pick(object, keys) {
	return Object.fromEntries(keys.filter((k) => k in object).map((k) => [k, object[k]]));
}

module.exports = { startEmulator };
