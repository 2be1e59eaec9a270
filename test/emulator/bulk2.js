'use strict';
// Bulk API 2.0: /services/data/vXX.X/jobs/ingest and /jobs/query.

const { HttpError, apiError, readBody, send, parseMultipart } = require('./http');
const { parseCsv, csvLine, CsvError, DELIMITERS, LINE_ENDINGS } = require('./csv');
const { processRows, BatchError } = require('./ingest');
const { findObject, findField } = require('./schema');
const { compileQuery, runQuery, rowValues, SoqlError } = require('./soql');
const { listOffset } = require('./jobs');

const INGEST_OPERATIONS = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];
const QUERY_OPERATIONS = ['query', 'queryAll'];
const JSON_TYPE = 'application/json;charset=UTF-8';
const NOT_FOUND = () => apiError(404, 'NOT_FOUND', 'The requested resource does not exist');

/** JSON with apiVersion printed as Salesforce does (66.0, not 66). */
function jobJson(value) {
	return JSON.stringify(value).replace(/"apiVersion":"(\d+\.\d+)"/g, '"apiVersion":$1');
}

function enumError(name, value) {
	return apiError(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of ${name} from VALUE_STRING value ${value} or request may be missing a required field`);
}

class Bulk2 {
	constructor({ org, jobs, faults, options }) {
		this.org = org;
		this.jobs = jobs;
		this.faults = faults;
		this.options = options;
	}

	/** Routes /services/data/vXX.X/jobs/...; returns false when the path is not a jobs path. */
	async handle(req, res, version, rest, url) {
		const [kindPath, id, sub, ...extra] = rest;
		const kind = kindPath === 'ingest' ? 'ingest' : kindPath === 'query' ? 'query' : undefined;
		if (!kind || extra.length) throw NOT_FOUND();
		const method = req.method;
		if (!id) {
			if (method === 'POST') return kind === 'ingest' ? this.createIngest(req, res, version) : this.createQuery(req, res, version);
			if (method === 'GET') return this.list(req, res, version, kind, url);
			throw apiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,POST`);
		}
		const job = this.jobs.get(id);
		if (!job || job.api !== 'v2' || job.kind !== kind) throw NOT_FOUND();
		if (!sub) {
			if (method === 'GET') return this.sendJob(req, res, this.fullInfo(job));
			if (method === 'PATCH') return this.changeState(req, res, job);
			if (method === 'DELETE') return this.deleteJob(req, res, job);
			throw apiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed. Allowed are GET,PATCH,DELETE`);
		}
		if (kind === 'ingest' && sub === 'batches' && method === 'PUT') return this.upload(req, res, job);
		if (kind === 'ingest' && method === 'GET' && ['successfulResults', 'failedResults', 'unprocessedrecords'].includes(sub)) {
			return this.ingestResults(req, res, job, sub);
		}
		if (kind === 'query' && method === 'GET' && sub === 'results') return this.queryResults(req, res, job, version, url);
		if (kind === 'query' && method === 'GET' && sub === 'resultPages') return this.resultPages(req, res, job, version, url);
		throw NOT_FOUND();
	}

	sendJob(req, res, info, status = 200) {
		send(req, res, status, jobJson(info), { 'Content-Type': JSON_TYPE });
	}

	async readJson(req) {
		const body = await readBody(req);
		try {
			const value = JSON.parse(body.toString('utf8') || 'null');
			if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
			return value;
		} catch {
			throw apiError(400, 'JSON_PARSER_ERROR', 'Unexpected character: was expecting a JSON object');
		}
	}

	async createIngest(req, res, version) {
		const contentType = String(req.headers['content-type'] || '');
		let spec;
		let content;
		if (/^multipart\/form-data/i.test(contentType)) {
			const parts = parseMultipart(await readBody(req), contentType);
			if (!parts.job) throw apiError(400, 'INVALIDJOB', 'InvalidJob : The multipart request must contain a part named job');
			try {
				spec = JSON.parse(parts.job.data.toString('utf8'));
			} catch {
				throw apiError(400, 'JSON_PARSER_ERROR', 'Unexpected character: was expecting a JSON object');
			}
			if (!parts.content) throw apiError(400, 'INVALIDJOB', 'InvalidJob : The multipart request must contain a part named content');
			content = parts.content.data;
		} else {
			spec = await this.readJson(req);
		}
		const object = findObject(spec.object);
		if (!object) throw apiError(400, 'INVALIDJOB', `InvalidJob : Unable to find object: ${spec.object ?? ''}`);
		if (!INGEST_OPERATIONS.includes(spec.operation)) throw enumError('OperationEnum', spec.operation);
		const columnDelimiter = spec.columnDelimiter ?? 'COMMA';
		const lineEnding = spec.lineEnding ?? 'LF';
		if (!DELIMITERS[columnDelimiter]) throw enumError('ColumnDelimiterEnum', columnDelimiter);
		if (!LINE_ENDINGS[lineEnding]) throw enumError('LineEndingEnum', lineEnding);
		if ((spec.contentType ?? 'CSV') !== 'CSV') throw enumError('ContentType', spec.contentType);
		let externalIdFieldName;
		if (spec.operation === 'upsert') {
			if (!spec.externalIdFieldName) {
				throw apiError(400, 'INVALIDJOB', `InvalidJob : External ID was blank for ${object.name}. An External ID must be specified for upsert.`);
			}
			const field = findField(object, spec.externalIdFieldName);
			if (!field || !(field.ext || field.name === 'Id')) {
				throw apiError(400, 'INVALIDJOB', `InvalidJob : Field name provided, ${spec.externalIdFieldName} does not match an External ID, Salesforce Id, or indexed field for ${object.name}`);
			}
			externalIdFieldName = field.name;
		}
		const job = this.jobs.create({
			api: 'v2',
			kind: 'ingest',
			jobType: 'V2Ingest',
			operation: spec.operation,
			object: object.name,
			externalIdFieldName,
			assignmentRuleId: spec.assignmentRuleId,
			apiVersion: version,
			columnDelimiter,
			lineEnding,
			state: 'Open',
		});
		if (content) {
			job.upload = content;
			this.close(job);
		}
		this.sendJob(req, res, this.createdInfo(job));
	}

	async createQuery(req, res, version) {
		const spec = await this.readJson(req);
		const operation = spec.operation ?? 'query';
		if (!QUERY_OPERATIONS.includes(operation)) throw enumError('OperationEnum', operation);
		const columnDelimiter = spec.columnDelimiter ?? 'COMMA';
		const lineEnding = spec.lineEnding ?? 'LF';
		if (!DELIMITERS[columnDelimiter]) throw enumError('ColumnDelimiterEnum', columnDelimiter);
		if (!LINE_ENDINGS[lineEnding]) throw enumError('LineEndingEnum', lineEnding);
		// Query errors list "message" before "errorCode", as real orgs answer this endpoint.
		if (typeof spec.query !== 'string' || spec.query.trim() === '') {
			throw new HttpError(400, [{ message: 'SOQL statements cannot be empty or null', errorCode: 'MALFORMED_QUERY' }]);
		}
		let compiled;
		try {
			compiled = compileQuery(spec.query);
		} catch (error) {
			if (error instanceof SoqlError) throw new HttpError(400, [{ message: error.message, errorCode: error.errorCode }]);
			throw error;
		}
		const job = this.jobs.create({
			api: 'v2',
			kind: 'query',
			jobType: 'V2Query',
			operation,
			object: compiled.object,
			query: spec.query,
			compiled,
			apiVersion: version,
			columnDelimiter,
			lineEnding,
			state: 'UploadComplete',
		});
		this.jobs.schedule(job, () => this.runQueryJob(job));
		this.sendJob(req, res, this.createdInfo(job));
	}

	runQueryJob(job) {
		const failure = this.faults.takeJobFailure(job.object);
		if (failure) {
			job.errorMessage = failure.message;
			this.jobs.touch(job, 'Failed');
			return;
		}
		job.records = runQuery(this.org, job.compiled, { includeDeleted: job.operation === 'queryAll' });
		job.numberRecordsProcessed = job.records.length;
		this.jobs.touch(job, 'JobComplete');
	}

	async upload(req, res, job) {
		const contentType = String(req.headers['content-type'] || '');
		if (!/^text\/csv\b/i.test(contentType)) {
			throw apiError(400, 'INVALIDCONTENTTYPE', `Content-Type header specified in HTTP request is not supported: ${contentType || '(none)'}`);
		}
		if (job.state !== 'Open' || job.upload) {
			await readBody(req).catch(() => undefined);
			throw apiError(
				409,
				'INVALIDJOB',
				`Found multiple contents for job: <${job.id}>, please 'Close' / 'Abort' / 'Delete' the current Job then create a new Job and make sure the content is uploaded only once for a job.`,
			);
		}
		const body = await readBody(req, this.options.maxUploadBytes);
		job.upload = body;
		send(req, res, 201, '', { 'Content-Type': 'text/plain' });
	}

	async changeState(req, res, job) {
		const { state } = await this.readJson(req);
		if (state === 'UploadComplete') {
			if (job.kind !== 'ingest' || job.state !== 'Open') throw this.transitionError(job, state);
			this.close(job);
		} else if (state === 'Aborted') {
			if (!['Open', 'UploadComplete', 'InProgress'].includes(job.state)) throw this.transitionError(job, state);
			this.jobs.touch(job, 'Aborted');
		} else {
			throw enumError('StateEnum', state);
		}
		this.sendJob(req, res, this.baseInfo(job));
	}

	transitionError(job, state) {
		return apiError(409, 'INVALIDJOB', `InvalidJob : Invalid state transition from ${job.state} to ${state} for job ${job.id}`);
	}

	close(job) {
		this.jobs.touch(job, 'UploadComplete');
		const rate = Number(this.options.ingestRecordsPerSecond) || 0;
		if (rate > 0 && job.upload) {
			// A steady rate: the rows (lines after the header) take rows / rate seconds, progress readable meanwhile.
			let rows = -1;
			for (let at = job.upload.indexOf(10); at >= 0; at = job.upload.indexOf(10, at + 1)) rows++;
			if (job.upload.length && job.upload[job.upload.length - 1] !== 10) rows++;
			rows = Math.max(0, rows);
			const started = this.org.clock();
			job.progress = () => Math.min(rows, Math.floor(((this.org.clock() - started) / 1000) * rate));
			this.jobs.schedule(job, () => this.runIngestJob(job), { delayMs: Math.round((rows / rate) * 1000), queuedMs: 0 });
			return;
		}
		this.jobs.schedule(job, () => this.runIngestJob(job));
	}

	runIngestJob(job) {
		const fail = (message) => {
			job.errorMessage = message;
			this.jobs.touch(job, 'Failed');
		};
		if (!job.upload || job.upload.length === 0) return fail('InvalidBatch : No data uploaded for this job');
		let parsed;
		try {
			parsed = parseCsv(job.upload, job);
		} catch (error) {
			if (error instanceof CsvError) return fail(error.message);
			throw error;
		}
		job.header = parsed.header;
		job.rows = parsed.rows;
		job.upload = undefined;
		const failure = this.faults.takeJobFailure(job.object);
		let outcome;
		try {
			outcome = processRows(this.org, job, parsed.header, parsed.rows, failure ? failure.afterRows : undefined);
		} catch (error) {
			if (error instanceof BatchError) {
				job.unprocessedFrom = 0;
				return fail(error.message);
			}
			throw error;
		}
		job.results = outcome.results;
		job.unprocessedFrom = outcome.results.length;
		job.numberRecordsProcessed = outcome.results.length;
		job.numberRecordsFailed = outcome.results.filter((r) => !r.success).length;
		if (failure) return fail(failure.message);
		this.jobs.touch(job, 'JobComplete');
	}

	ingestResults(req, res, job, which) {
		const delimiter = DELIMITERS[job.columnDelimiter];
		const eol = LINE_ENDINGS[job.lineEnding];
		const header = job.header ?? [];
		const lines = [];
		const echo = (row) => header.map((_, i) => row[i] ?? '');
		if (which === 'unprocessedrecords') {
			if (header.length) lines.push(csvLine(header, delimiter, () => false));
			const rows = job.rows ?? [];
			for (let i = job.unprocessedFrom ?? rows.length; i < rows.length; i++) lines.push(csvLine(echo(rows[i]), delimiter, () => false));
		} else {
			const success = which === 'successfulResults';
			lines.push(csvLine([success ? 'sf__Id' : 'sf__Id', success ? 'sf__Created' : 'sf__Error', ...header], delimiter, (i) => i < 2));
			(job.results ?? []).forEach((result, i) => {
				if (result.success !== success) return;
				const head = success ? [result.id, String(result.created)] : [result.id, result.error];
				lines.push(csvLine([...head, ...echo(job.rows[i])], delimiter, (c) => c < 2));
			});
		}
		// Salesforce does not keep input order in results; shuffleResults lets tests prove they need not.
		if (this.options.shuffleResults) shuffle(lines, 1, hashOf(`${job.id}/${which}`));
		send(req, res, 200, lines.length ? lines.join(eol) + eol : '', { 'Content-Type': 'text/csv' });
	}

	queryResults(req, res, job, version, url) {
		this.checkResultsReady(job, version);
		const total = job.records.length;
		const locator = url.searchParams.get('locator');
		const offset = locator ? decodeLocator(locator, total) : 0;
		const maxRecords = this.maxRecords(url);
		const end = Math.min(total, offset + maxRecords);
		const delimiter = DELIMITERS[job.columnDelimiter];
		const eol = LINE_ENDINGS[job.lineEnding];
		// Lines are joined a few thousand at a time so each dies young (a page can hold 100 MB of rows).
		const chunks = [];
		let lines = [csvLine(job.compiled.columns, delimiter), eol];
		for (let i = offset; i < end; i++) {
			lines.push(csvLine(rowValues(this.org, job.compiled, job.records.at(i)), delimiter), eol);
			if (lines.length >= 4000) {
				chunks.push(lines.join(''));
				lines = [];
			}
		}
		chunks.push(lines.join(''));
		send(req, res, 200, chunks.join(''), {
			'Content-Type': 'text/csv',
			'Sforce-Locator': end < total ? encodeLocator(end) : 'null',
			'Sforce-NumberOfRecords': String(end - offset),
		});
	}

	resultPages(req, res, job, version, url) {
		this.checkResultsReady(job, version);
		const total = job.records.length;
		const maxRecords = this.maxRecords(url);
		const perResponse = this.options.resultPagesPerResponse;
		const locator = url.searchParams.get('locator');
		const first = locator ? decodeLocator(locator, total) : 0;
		const resultPages = [];
		let offset = first;
		const base = `/services/data/v${version}/jobs/query/${job.id}`;
		do {
			const params = new URLSearchParams({ maxRecords: String(maxRecords) });
			if (offset > 0) params.set('locator', encodeLocator(offset));
			resultPages.push({ resultUrl: `${base}/results?${params}` });
			offset += maxRecords;
		} while (offset < total && resultPages.length < perResponse);
		const done = offset >= total;
		const next = new URLSearchParams({ locator: encodeLocator(offset), maxRecords: String(maxRecords) });
		send(req, res, 200, { resultPages, nextRecordsUrl: done ? null : `${base}/resultPages?${next}`, done }, { 'Content-Type': JSON_TYPE });
	}

	maxRecords(url) {
		const text = url.searchParams.get('maxRecords');
		if (text === null) return this.options.defaultMaxRecords;
		const n = Number(text);
		if (!Number.isInteger(n) || n < 1) throw apiError(400, 'INVALID_MAX_RECORDS', `maxRecords must be a positive integer: ${text}`);
		return n;
	}

	checkResultsReady(job, version) {
		if (job.state !== 'JobComplete') throw apiError(412, 'JOB_NOT_COMPLETE', `Job ${job.id} is not complete: state ${job.state}`);
		if (version !== job.apiVersion) {
			throw apiError(409, 'API_VERSION_MISMATCH', `The job was created with API version ${job.apiVersion}; use that version to get its results`);
		}
	}

	deleteJob(req, res, job) {
		if (!['UploadComplete', 'JobComplete', 'Failed', 'Aborted'].includes(job.state)) {
			throw apiError(409, 'INVALIDJOB', `InvalidJob : Job ${job.id} must be closed, completed, failed or aborted before it can be deleted; its state is ${job.state}`);
		}
		this.jobs.delete(job);
		send(req, res, 204, undefined, { 'Content-Type': 'text/plain' });
	}

	list(req, res, version, kind, url) {
		const q = url.searchParams;
		const offset = listOffset(q.get('queryLocator'));
		if (offset === undefined) throw apiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
		const jobType = q.get('jobType');
		const jobTypes = kind === 'ingest' ? ['V2Ingest', 'Classic', 'BigObjectIngest'] : ['V2Query', 'Classic', 'V2Ingest'];
		if (jobType && !jobTypes.includes(jobType)) throw enumError('JobTypeEnum', jobType);
		const pk = q.get('isPkChunkingEnabled');
		const concurrency = q.get('concurrencyMode');
		const filter = (job) =>
			(job.kind === kind || (job.api === 'v1' && (kind === 'query') === job.kind.startsWith('query'))) &&
			(!jobType || job.jobType === jobType) &&
			(pk === null || String(Boolean(job.pkChunking)) === pk) &&
			(!concurrency || job.concurrencyMode === concurrency);
		const page = this.jobs.page(filter, {
			offset,
			pageSize: this.options.jobsPageSize,
			basePath: `/services/data/v${version}/jobs/${kind}`,
			query: [...q.entries()].filter(([k]) => k !== 'queryLocator'),
			toJson: (job) => this.listInfo(job),
		});
		send(req, res, 200, jobJson(page), { 'Content-Type': JSON_TYPE });
	}

	baseInfo(job) {
		const info = {
			id: job.id,
			operation: job.operation,
			object: job.object,
			createdById: job.createdById,
			createdDate: sfDate(job.createdDate),
			systemModstamp: sfDate(job.systemModstamp),
			state: job.state === 'Closed' ? 'UploadComplete' : job.state,
		};
		if (job.externalIdFieldName) info.externalIdFieldName = job.externalIdFieldName;
		if (job.assignmentRuleId) info.assignmentRuleId = job.assignmentRuleId;
		info.concurrencyMode = job.concurrencyMode;
		info.contentType = job.contentType;
		info.apiVersion = job.apiVersion;
		return info;
	}

	createdInfo(job) {
		const info = this.baseInfo(job);
		if (job.kind === 'ingest') info.contentUrl = `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`;
		info.lineEnding = job.lineEnding;
		info.columnDelimiter = job.columnDelimiter;
		return info;
	}

	listInfo(job) {
		/** @type {Record<string, unknown>} */
		const info = { ...this.baseInfo(job), jobType: job.jobType };
		if (job.api === 'v2') {
			info.lineEnding = job.lineEnding;
			info.columnDelimiter = job.columnDelimiter;
		}
		return info;
	}

	fullInfo(job) {
		/** @type {Record<string, unknown>} */
		const info = { ...this.baseInfo(job), jobType: job.jobType };
		if (job.kind === 'ingest' && job.state === 'Open') info.contentUrl = `services/data/v${job.apiVersion}/jobs/ingest/${job.id}/batches`;
		info.lineEnding = job.lineEnding;
		info.columnDelimiter = job.columnDelimiter;
		if (job.state !== 'Open') {
			info.numberRecordsProcessed = job.state === 'InProgress' && job.progress ? job.progress() : job.numberRecordsProcessed;
			if (job.kind === 'ingest') info.numberRecordsFailed = job.numberRecordsFailed;
		}
		info.retries = job.retries;
		info.totalProcessingTime = job.totalProcessingTime;
		if (job.kind === 'ingest') {
			info.apiActiveProcessingTime = job.apiActiveProcessingTime;
			info.apexProcessingTime = job.apexProcessingTime;
		}
		if (job.errorMessage) info.errorMessage = job.errorMessage;
		return info;
	}
}

/** Fisher-Yates shuffle of list[from..], in place, driven by a seeded xorshift (same seed, same order). */
function shuffle(list, from, seed) {
	let state = seed || 1;
	const random = () => {
		state ^= state << 13;
		state ^= state >>> 17;
		state ^= state << 5;
		return (state >>> 0) / 4294967296;
	};
	for (let i = list.length - 1; i > from; i--) {
		const j = from + Math.floor(random() * (i - from + 1));
		[list[i], list[j]] = [list[j], list[i]];
	}
}

function hashOf(text) {
	let h = 2166136261;
	for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
	return h >>> 0;
}

/** Salesforce's JSON date form: 2023-03-16T06:43:09.000+0000. */
function sfDate(iso) {
	return iso.replace(/Z$/, '+0000');
}

function encodeLocator(offset) {
	return Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');
}

function decodeLocator(locator, total) {
	const offset = Number(Buffer.from(locator, 'base64').toString('utf8'));
	if (!/^[A-Za-z0-9+/]+$/.test(locator) || !Number.isInteger(offset) || offset < 0 || offset > total) {
		throw apiError(400, 'INVALID_LOCATOR', `Invalid locator: ${locator}`);
	}
	return offset;
}

module.exports = { Bulk2, jobJson, sfDate };
