'use strict';
// Bulk API 1.0 ("Classic"): /services/async/XX.X/job… A job holds batches that run as soon as they are
// added, whether the job is open or closed: all queued batches together (Parallel) or one at a time in
// order (Serial). Answers are XML, or JSON for JSON jobs; errors are 400s with an exceptionCode.

const { HttpError, readBody, send } = require('./http');
const { parseCsv, csvLine, CsvError } = require('./csv');
const { processRows, BatchError } = require('./ingest');
const { findObject, findField } = require('./schema');
const { compileQuery, runQuery, rowValues, SoqlError } = require('./soql');
const { normalizeId } = require('./ids');
const { jobJson } = require('./bulk2');
const { XmlError, writeXml, readXml } = require('./xml');
const { readZipBatch, safePath, ZipError } = require('./zip');

const OPERATIONS = ['insert', 'update', 'upsert', 'delete', 'hardDelete', 'query', 'queryAll'];
const QUERY_OPERATIONS = ['query', 'queryAll'];
const CONCURRENCY_MODES = ['Parallel', 'Serial'];
// Batch Content-Types each job content type accepts; the first is the one error messages name.
const BATCH_TYPES = {
	CSV: ['text/csv'],
	XML: ['application/xml', 'text/xml'],
	JSON: ['application/json'],
	ZIP_CSV: ['zip/csv'],
	ZIP_XML: ['zip/xml'],
	ZIP_JSON: ['zip/json'],
};
const REQUEST_FILES = { ZIP_CSV: 'request.txt', ZIP_XML: 'request.xml', ZIP_JSON: 'request.json' };
const RESULT_TYPES = { CSV: 'text/csv', XML: 'application/xml', JSON: 'application/json' };
// Standard objects of this org that PK chunking supports (custom objects always are).
const PK_CHUNK_OBJECTS = new Set(['Account', 'Case', 'Contact', 'Lead', 'User']);
const PK_DEFAULT_CHUNK = 100000;
const PK_MAX_CHUNK = 250000;
const MAX_RECORDS = 10000;
const MAX_BATCH_BYTES = 10 * 1024 * 1024;
const XML_TYPE = 'application/xml';
const JSON_TYPE = 'application/json';

/** An error answer: HTTP status, exceptionCode, exceptionMessage. */
class V1Error extends Error {
	constructor(status, exceptionCode, message) {
		super(message);
		this.status = status;
		this.exceptionCode = exceptionCode;
	}
}

/** A batch that fails while it runs: its stateMessage. */
class BatchFailure extends Error {}

const invalidJob = (message) => new V1Error(400, 'InvalidJob', message);

function mediaType(header) {
	return String(header || '').split(';')[0].trim().toLowerCase();
}

function isJsonRequest(req) {
	return mediaType(req.headers['content-type']) === JSON_TYPE;
}

/** Salesforce keeps whole seconds: 2026-02-12T15:44:04.000Z (XML) and …000+0000 (JSON). */
function xmlDate(iso) {
	return iso.replace(/\.\d{3}Z$/, '.000Z');
}

function jsonDate(iso) {
	return xmlDate(iso).replace(/Z$/, '+0000');
}

function sortKeys(object) {
	return Object.fromEntries(Object.keys(object).sort().map((k) => [k, object[k]]));
}

/** Splits a row error `CODE:message:fields --` into its parts. */
function parseRowError(text) {
	const m = /^([A-Z_]+):([\s\S]*):(?:([^:]*) )?--$/.exec(text);
	if (!m) return { statusCode: 'UNKNOWN_EXCEPTION', message: text, fields: [] };
	return { statusCode: m[1], message: m[2], fields: m[3] ? m[3].split(',') : [] };
}

class Bulk1 {
	constructor({ org, jobs, faults, options }) {
		this.org = org;
		this.jobs = jobs;
		this.faults = faults;
		this.options = options;
	}

	/** Routes /services/async/XX.X/<parts>. */
	async handle(req, res, version, parts, url, isValidToken) {
		try {
			this.authenticate(req, isValidToken);
			await this.route(req, res, version, parts);
		} catch (error) {
			if (!(error instanceof V1Error)) throw error;
			req.resume(); // drop an unread upload so the client can read the answer
			this.sendError(req, res, error.status, error.exceptionCode, error.message);
		}
	}

	authenticate(req, isValidToken) {
		const bearer = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(String(req.headers.authorization || ''));
		const token = String(req.headers['x-sfdc-session'] || (bearer && bearer[1]) || '').trim();
		// Bulk 1.0 answers an expired session with 400, not 401.
		if (!token || !isValidToken(token)) throw new V1Error(400, 'InvalidSessionId', 'Invalid session id');
	}

	async route(req, res, version, parts) {
		const [root, jobId, sub, batchId, leaf, resultId, ...extra] = parts;
		const method = req.method;
		if (root !== 'job' || extra.length) throw new V1Error(404, 'InvalidUrl', 'Not found');
		if (!jobId) {
			if (method === 'POST') return this.createJob(req, res, version);
			throw this.methodError(method, 'POST');
		}
		const job = this.findJob(jobId);
		if (!sub) {
			if (method === 'GET') return this.sendJob(req, res, job, 200);
			if (method === 'POST') return this.changeState(req, res, job);
			throw this.methodError(method, 'GET, POST');
		}
		if (sub !== 'batch') throw new V1Error(404, 'InvalidUrl', 'Not found');
		if (!batchId) {
			if (method === 'POST') return this.addBatch(req, res, job);
			if (method === 'GET') return this.sendBatchList(req, res, job);
			throw this.methodError(method, 'GET, POST');
		}
		const batch = job.batches.find((b) => b.id === normalizeId(batchId));
		if (!batch) throw new V1Error(400, 'InvalidBatch', `Unable to find batch: ${batchId}`);
		if (method !== 'GET') throw this.methodError(method, 'GET');
		if (!leaf) return this.sendBatch(req, res, job, batch, 200);
		if (leaf === 'request' && !resultId) return send(req, res, 200, batch.request.body, { 'Content-Type': batch.request.contentType });
		if (leaf === 'result' && !resultId) return this.sendResult(req, res, job, batch);
		if (leaf === 'result') return this.sendResultSet(req, res, job, batch, resultId);
		throw new V1Error(404, 'InvalidUrl', 'Not found');
	}

	methodError(method, allowed) {
		return new V1Error(405, 'InvalidUrl', `HTTP method '${method}' not allowed. Allowed are ${allowed}`);
	}

	findJob(id) {
		const job = this.jobs.get(id);
		if (!job || job.api !== 'v1') throw invalidJob(`Unable to find job: ${id}`);
		return job;
	}

	/** CSV, XML or JSON: the format of a job's records and answers (ZIP_CSV → CSV). */
	format(job) {
		return job.contentType.replace(/^ZIP_/, '');
	}

	/**
	 * Whether to answer in JSON: a JSON or XML request body decides (an XML jobInfo creating a JSON job is
	 * answered in XML, as recorded); otherwise (GETs, CSV and zip uploads) the job's content type does.
	 */
	json(req, job) {
		const type = mediaType(req.headers['content-type']);
		if (type === JSON_TYPE) return true;
		if (type === 'application/xml' || type === 'text/xml') return false;
		return job !== undefined && this.format(job) === 'JSON';
	}

	// ---- jobs ----

	/** Reads a jobInfo body (XML, or JSON when the request says so) into a plain object of strings. */
	async readJobInfo(req) {
		let body;
		try {
			body = (await readBody(req, 1024 * 1024)).toString('utf8');
		} catch (error) {
			if (error instanceof HttpError) throw new V1Error(400, 'ClientInputError', 'The request body is too large');
			throw error;
		}
		if (isJsonRequest(req)) {
			let value;
			try {
				value = JSON.parse(body);
			} catch (error) {
				throw new V1Error(400, 'ClientInputError', `Failed to parse JSON: ${error.message}`);
			}
			if (!value || typeof value !== 'object' || Array.isArray(value)) throw new V1Error(400, 'ClientInputError', 'Failed to parse JSON: expected a jobInfo object');
			return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, String(v)]));
		}
		let root;
		try {
			root = readXml(body);
		} catch (error) {
			if (error instanceof XmlError) throw new V1Error(400, 'InvalidXML', error.message);
			throw error;
		}
		if (root.name !== 'jobInfo') throw new V1Error(400, 'InvalidXML', `Failed to parse XML. Found invalid XML. Expected the root element jobInfo, found ${root.name}`);
		return Object.fromEntries(root.children.map((c) => [c.name, c.text.trim()]));
	}

	async createJob(req, res, version) {
		const spec = await this.readJobInfo(req);
		const operation = spec.operation;
		if (!OPERATIONS.includes(operation)) throw invalidJob(`Invalid operation: ${operation ?? ''}`);
		const object = findObject(spec.object);
		if (!object) throw invalidJob(`Unable to find object: ${spec.object ?? ''}`);
		const contentType = spec.contentType ?? 'CSV';
		if (!BATCH_TYPES[contentType]) throw invalidJob(`Invalid content type: ${contentType}`);
		const query = QUERY_OPERATIONS.includes(operation);
		if (query && contentType.startsWith('ZIP_')) throw invalidJob(`Content type ${contentType} is not supported for ${operation} jobs`);
		const concurrencyMode = spec.concurrencyMode ?? 'Parallel';
		if (!CONCURRENCY_MODES.includes(concurrencyMode)) throw invalidJob(`Invalid concurrency mode: ${concurrencyMode}`);
		let externalIdFieldName;
		if (operation === 'upsert') {
			if (!spec.externalIdFieldName) throw invalidJob(`External ID was blank for ${object.name}. An External ID must be specified for upsert.`);
			const field = findField(object, spec.externalIdFieldName);
			if (!field || !(field.ext || field.name === 'Id')) {
				throw invalidJob(`Field name provided, ${spec.externalIdFieldName} does not match an External ID, Salesforce Id, or indexed field for ${object.name}`);
			}
			externalIdFieldName = field.name;
		} else if (spec.externalIdFieldName) {
			throw invalidJob('External ID field name can only be specified for upsert operations');
		}
		const pkChunking = this.parsePkChunking(req.headers['sforce-enable-pkchunking'], operation, object);
		const job = this.jobs.create({
			api: 'v1',
			kind: query ? 'query' : 'ingest',
			jobType: 'Classic',
			operation,
			object: object.name,
			externalIdFieldName,
			assignmentRuleId: spec.assignmentRuleId || undefined,
			concurrencyMode,
			contentType,
			apiVersion: version,
			state: 'Open',
			pkChunking,
			batches: [],
		});
		this.sendJob(req, res, job, 201);
	}

	/** `Sforce-Enable-PKChunking: true` or `chunkSize=N; startRow=ID` → { chunkSize, startRow } or undefined. */
	parsePkChunking(header, operation, object) {
		const text = header === undefined ? 'false' : String(header).trim();
		if (/^false$/i.test(text)) return undefined;
		const options = { chunkSize: PK_DEFAULT_CHUNK };
		if (!/^true$/i.test(text)) {
			for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
				const [key, value = ''] = part.split('=').map((p) => p.trim());
				if (/^chunkSize$/i.test(key)) {
					const n = Number(value);
					if (!/^\d+$/.test(value) || n < 1 || n > PK_MAX_CHUNK) throw invalidJob(`Invalid chunk size: ${value}. The chunk size must be between 1 and ${PK_MAX_CHUNK}`);
					options.chunkSize = n;
				} else if (/^startRow$/i.test(key)) {
					const id = normalizeId(value);
					if (!id) throw invalidJob(`Invalid startRow: ${value}. startRow must be a 15 or 18 character record ID`);
					options.startRow = id;
				} else if (/^parent$/i.test(key)) {
					options.parent = value;
				} else {
					throw invalidJob(`Invalid value for the Sforce-Enable-PKChunking header: ${text}`);
				}
			}
		}
		if (!QUERY_OPERATIONS.includes(operation)) throw invalidJob('PK chunking is only supported for query and queryAll jobs');
		if (!object.custom && !PK_CHUNK_OBJECTS.has(object.name)) throw invalidJob(`Entity '${object.name}' is not supported by PK Chunking`);
		return options;
	}

	async changeState(req, res, job) {
		const { state } = await this.readJobInfo(req);
		if (state === 'Closed') {
			if (job.state !== 'Open') throw new V1Error(400, 'InvalidJobState', `Invalid state transition from ${job.state} to Closed for job ${job.id}`);
			this.jobs.touch(job, 'Closed');
		} else if (state === 'Aborted') {
			if (job.state !== 'Open' && job.state !== 'Closed') throw new V1Error(400, 'InvalidJobState', `Invalid state transition from ${job.state} to Aborted for job ${job.id}`);
			this.jobs.touch(job, 'Aborted');
			// Batches not yet done never run (the scheduler skips aborted jobs).
			for (const batch of job.batches) {
				if (batch.state === 'Queued' || batch.state === 'InProgress') {
					batch.stateMessage = 'Job aborted';
					this.setState(batch, 'NotProcessed');
				}
			}
		} else {
			throw new V1Error(400, 'InvalidJobState', `Invalid job state: ${state ?? ''}. Only Closed or Aborted can be set`);
		}
		this.sendJob(req, res, job, 200);
	}

	counts(job) {
		const c = { Queued: 0, InProgress: 0, Completed: 0, Failed: 0, NotProcessed: 0, processed: 0, failed: 0, total: 0, active: 0, apex: 0 };
		for (const b of job.batches) {
			c[b.state]++;
			c.processed += b.numberRecordsProcessed;
			c.failed += b.numberRecordsFailed;
			c.total += b.totalProcessingTime;
			c.active += b.apiActiveProcessingTime;
			c.apex += b.apexProcessingTime;
		}
		return c;
	}

	sendJob(req, res, job, status) {
		const c = this.counts(job);
		if (this.json(req, job)) {
			const info = sortKeys({
				apexProcessingTime: c.apex,
				apiActiveProcessingTime: c.active,
				apiVersion: job.apiVersion,
				assignmentRuleId: job.assignmentRuleId ?? null,
				concurrencyMode: job.concurrencyMode,
				contentType: job.contentType,
				createdById: job.createdById,
				createdDate: jsonDate(job.createdDate),
				externalIdFieldName: job.externalIdFieldName ?? null,
				fastPathEnabled: false,
				id: job.id,
				numberBatchesCompleted: c.Completed,
				numberBatchesFailed: c.Failed,
				numberBatchesInProgress: c.InProgress,
				numberBatchesQueued: c.Queued,
				numberBatchesTotal: job.batches.length,
				numberRecordsFailed: c.failed,
				numberRecordsProcessed: c.processed,
				numberRetries: job.retries,
				object: job.object,
				operation: job.operation,
				state: job.state,
				systemModstamp: jsonDate(job.systemModstamp),
				totalProcessingTime: c.total,
			});
			return send(req, res, status, jobJson(info), { 'Content-Type': JSON_TYPE });
		}
		// Element order as Salesforce writes it (recorded responses and the XSD).
		const nodes = [
			['id', job.id],
			['operation', job.operation],
			['object', job.object],
			['createdById', job.createdById],
			['createdDate', xmlDate(job.createdDate)],
			['systemModstamp', xmlDate(job.systemModstamp)],
			['state', job.state],
			...(job.externalIdFieldName ? [['externalIdFieldName', job.externalIdFieldName]] : []),
			['concurrencyMode', job.concurrencyMode],
			['contentType', job.contentType],
			['numberBatchesQueued', c.Queued],
			['numberBatchesInProgress', c.InProgress],
			['numberBatchesCompleted', c.Completed],
			['numberBatchesFailed', c.Failed],
			['numberBatchesTotal', job.batches.length],
			['numberRecordsProcessed', c.processed],
			['numberRetries', job.retries],
			['apiVersion', job.apiVersion],
			...(job.assignmentRuleId ? [['assignmentRuleId', job.assignmentRuleId]] : []),
			['numberRecordsFailed', c.failed],
			['totalProcessingTime', c.total],
			['apiActiveProcessingTime', c.active],
			['apexProcessingTime', c.apex],
		];
		send(req, res, status, writeXml('jobInfo', nodes), { 'Content-Type': XML_TYPE });
	}

	// ---- batches ----

	async addBatch(req, res, job) {
		if (job.state !== 'Open') throw new V1Error(400, 'InvalidJobState', `Job ${job.id} is not open: its state is ${job.state}`);
		const given = mediaType(req.headers['content-type']);
		const accepted = BATCH_TYPES[job.contentType];
		if (!accepted.includes(given)) {
			throw new V1Error(400, 'InvalidBatch', `Content type of batch (${given || 'none'}) does not match job content type (${accepted[0]})`);
		}
		let body;
		try {
			body = await readBody(req, this.options.maxUploadBytes);
		} catch (error) {
			if (error instanceof HttpError) throw new V1Error(400, 'InvalidBatch', `Exceeded max size limit of ${MAX_BATCH_BYTES} bytes`);
			throw error;
		}
		const batch = this.newBatch(job, { body, contentType: req.headers['content-type'] });
		this.pump(job);
		this.sendBatch(req, res, job, batch, 201);
	}

	newBatch(job, request) {
		const now = new Date(this.org.clock()).toISOString();
		const batch = {
			id: this.org.nextId('751'),
			jobId: job.id,
			state: 'Queued',
			stateMessage: undefined,
			createdDate: now,
			systemModstamp: now,
			numberRecordsProcessed: 0,
			numberRecordsFailed: 0,
			totalProcessingTime: 0,
			apiActiveProcessingTime: 0,
			apexProcessingTime: 0,
			request,
		};
		job.batches.push(batch);
		return batch;
	}

	setState(batch, state) {
		batch.state = state;
		batch.systemModstamp = new Date(this.org.clock()).toISOString();
	}

	/**
	 * Schedules the batches that may start: every queued one (Parallel) or the first when none is under
	 * way (Serial). A batch turns InProgress after a third of the job delay and runs through
	 * jobs.schedule, so held jobs (holdJobs) wait for jobs.finish(jobId). JobStore holds one run per job,
	 * so each run processes every batch of the job that is InProgress by then.
	 */
	pump(job) {
		if (job.state === 'Aborted') return;
		const waiting = job.batches.filter((b) => b.state === 'Queued' && !b.scheduled);
		const busy = job.batches.some((b) => b.scheduled && (b.state === 'Queued' || b.state === 'InProgress'));
		const round = job.concurrencyMode === 'Serial' ? (busy ? [] : waiting.slice(0, 1)) : waiting;
		if (round.length === 0) return;
		for (const batch of round) batch.scheduled = true;
		this.jobs.later(Math.floor(Math.max(0, this.jobs.jobDelayMs()) / 3), () => {
			for (const batch of round) if (batch.state === 'Queued') this.setState(batch, 'InProgress');
		});
		this.jobs.schedule(
			job,
			() => {
				for (const batch of job.batches.filter((b) => b.state === 'InProgress')) this.runBatch(job, batch);
				this.pump(job);
			},
			{ inProgressState: null },
		);
	}

	runBatch(job, batch) {
		const started = this.org.clock();
		try {
			if (job.kind === 'query') this.runQueryBatch(job, batch);
			else this.runIngestBatch(job, batch);
		} catch (error) {
			if (error instanceof BatchFailure || error instanceof BatchError || error instanceof ZipError) {
				batch.stateMessage = error.message;
				this.setState(batch, 'Failed');
			} else {
				throw error;
			}
		}
		const elapsed = Math.max(1, this.org.clock() - started);
		batch.totalProcessingTime = elapsed;
		batch.apiActiveProcessingTime = Math.max(1, Math.floor(elapsed * 0.8));
		const c = this.counts(job);
		job.numberRecordsProcessed = c.processed;
		job.numberRecordsFailed = c.failed;
	}

	runIngestBatch(job, batch) {
		let data = batch.request.body;
		let files;
		if (job.contentType.startsWith('ZIP_')) ({ request: data, files } = readZipBatch(data, REQUEST_FILES[job.contentType]));
		else if (data.length > MAX_BATCH_BYTES) throw new BatchFailure(`InvalidBatch : Exceeded max size limit of ${MAX_BATCH_BYTES} bytes`);
		const { header, rows } = this.readRecords(this.format(job), data);
		if (rows.length === 0) throw new BatchFailure('InvalidBatch : Records not found for this batch');
		if (rows.length > MAX_RECORDS) {
			throw new BatchFailure(`InvalidBatch : Exceeded number of records: ${rows.length}. Number of records should be less than or equal to ${MAX_RECORDS}`);
		}
		const rejected = files ? this.attachFiles(job.object, header, rows, files) : new Map();
		const failure = this.faults.takeJobFailure(job.object);
		const accepted = rows.filter((_, i) => !rejected.has(i));
		const outcome = processRows(this.org, job, header, accepted, failure ? failure.afterRows : undefined);
		// Results go back in input order, rows rejected for their files in their own places.
		const results = [];
		let next = 0;
		for (let i = 0; i < rows.length; i++) {
			if (rejected.has(i)) results.push({ success: false, created: false, id: '', error: rejected.get(i) });
			else if (next < outcome.results.length) results.push(outcome.results[next++]);
			else break;
		}
		batch.results = results;
		batch.numberRecordsProcessed = results.length;
		batch.numberRecordsFailed = results.filter((r) => !r.success).length;
		if (failure) throw new BatchFailure(failure.message);
		this.setState(batch, 'Completed');
	}

	/**
	 * Replaces `#path` values of binary (base64) columns by the zip's file bytes. Returns the rows that
	 * fail for their files (row index → error text); those rows never reach the org.
	 */
	attachFiles(objectName, header, rows, files) {
		const object = findObject(objectName);
		const binary = header.map((name, i) => [name, i, findField(object, name)]).filter(([, , f]) => f && f.type === 'base64');
		const rejected = new Map();
		rows.forEach((row, r) => {
			for (const [name, i] of binary) {
				const value = row[i] ?? '';
				if (value === '' || value === '#N/A') continue;
				if (!value.startsWith('#')) {
					rejected.set(r, `INVALID_FIELD:The value of a binary field must be a file reference that starts with #, found ${value}:${name} --`);
					break;
				}
				const path = safePath(value.slice(1));
				const data = path && files.get(path);
				if (!data) {
					rejected.set(r, `INVALID_FIELD:The binary file referenced by ${value} can't be found in the zip file or is a directory:${name} --`);
					break;
				}
				row[i] = data;
			}
		});
		return rejected;
	}

	/** A batch's records as a CSV-like header and rows, whatever its format. */
	readRecords(format, data) {
		if (format === 'CSV') {
			const text = data.toString('utf8');
			if (text.trim() === '') return { header: [], rows: [] };
			// Bulk 1.0 takes LF or CRLF files alike: use what the data has.
			const newline = text.indexOf('\n');
			const lineEnding = newline > 0 && text[newline - 1] === '\r' ? 'CRLF' : 'LF';
			try {
				return parseCsv(text, { columnDelimiter: 'COMMA', lineEnding });
			} catch (error) {
				if (error instanceof CsvError) throw new BatchFailure(error.message.replace(/^ClientInputError : /, 'InvalidBatch : '));
				throw error;
			}
		}
		return tabulate(format === 'XML' ? xmlRecords(data) : jsonRecords(data));
	}

	runQueryBatch(job, batch) {
		const failure = this.faults.takeJobFailure(job.object);
		if (failure) throw new BatchFailure(failure.message);
		const soql = batch.request.body.toString('utf8').trim();
		let compiled;
		try {
			compiled = compileQuery(soql);
		} catch (error) {
			if (error instanceof SoqlError) throw new BatchFailure(`InvalidBatch : Failed to process query: ${error.errorCode}: ${error.message}`);
			throw error;
		}
		if (compiled.object !== job.object) {
			throw new BatchFailure(`InvalidBatch : Failed to process query: INVALID_TYPE: the query's object ${compiled.object} does not match the job's object ${job.object}`);
		}
		if (job.pkChunking && !batch.range) return this.splitIntoChunks(job, batch);
		const records = runQuery(this.org, batch.range ? withinRange(compiled, batch.range) : compiled, { includeDeleted: job.operation === 'queryAll' });
		const perSet = Math.max(1, this.options.v1ResultRows ?? 100000);
		batch.resultSets = [];
		// An empty result still has one (empty) result set.
		for (let i = 0; i === 0 || i < records.length; i += perSet) {
			// Result IDs are 15 characters long on Salesforce (recorded: ["7529H000000xO6L"]).
			batch.resultSets.push({ id: this.org.nextId('752').slice(0, 15), body: this.renderRecords(job, compiled, records.slice(i, i + perSet)) });
		}
		batch.numberRecordsProcessed = records.length;
		this.setState(batch, 'Completed');
	}

	/**
	 * PK chunking: the submitted batch becomes NotProcessed and one batch per chunkSize record IDs of the
	 * object (deleted ones count, as on Salesforce) runs the same query within its ID range.
	 */
	splitIntoChunks(job, batch) {
		const { chunkSize, startRow } = job.pkChunking;
		const ids = [...this.org.tables.get(job.object).keys()].filter((id) => !startRow || id.slice(0, 15) >= startRow.slice(0, 15)).sort();
		const starts = [];
		for (let i = 0; i < ids.length; i += chunkSize) starts.push(ids[i]);
		if (starts.length === 0) starts.push(startRow);
		starts.forEach((from, k) => {
			const chunk = this.newBatch(job, batch.request);
			chunk.range = { from: k === 0 ? startRow : from, to: starts[k + 1] };
		});
		this.setState(batch, 'NotProcessed');
	}

	renderRecords(job, compiled, records) {
		const format = this.format(job);
		if (format === 'CSV') {
			if (records.length === 0) return 'Records not found for this query';
			let body = csvLine(compiled.columns, ',') + '\n';
			for (const record of records) body += csvLine(rowValues(this.org, compiled, record), ',') + '\n';
			return body;
		}
		const trees = records.map((record) => this.selectedTree(job.object, compiled, record));
		if (format === 'XML') return writeXml('queryResult', trees.map((tree) => ['records', xmlRecord(tree), ' xsi:type="sObject"']), { xsi: true });
		return jacksonJson(trees.map((tree) => jsonRecord(tree, job.apiVersion)));
	}

	/**
	 * A record's selected fields as a tree: `Account.Name` nests under `Account`, which holds the parent
	 * record and its real type (polymorphic parents too); a missing parent is null.
	 */
	selectedTree(objectName, compiled, record) {
		const root = { object: findObject(objectName), record, fields: new Map() };
		compiled.fields.forEach(({ field }, k) => {
			const path = compiled.columns[k].split('.');
			let node = root;
			for (const part of path.slice(0, -1)) {
				if (!node.fields.has(part)) {
					const reference = node.object.relationships.get(part.toLowerCase());
					const parentId = reference && node.record[reference.name];
					const found = parentId ? this.org.find(parentId) : undefined;
					node.fields.set(part, found ? { object: found.object, record: found.record, fields: new Map() } : null);
				}
				node = node.fields.get(part);
				if (!node) return;
			}
			node.fields.set(path[path.length - 1], { field, value: node.record[field.name] });
		});
		return root;
	}

	// ---- answers ----

	sendBatch(req, res, job, batch, status) {
		if (this.json(req, job)) return send(req, res, status, JSON.stringify(jsonBatch(batch)), { 'Content-Type': JSON_TYPE });
		send(req, res, status, writeXml('batchInfo', xmlBatch(batch)), { 'Content-Type': XML_TYPE });
	}

	sendBatchList(req, res, job) {
		if (this.json(req, job)) return send(req, res, 200, JSON.stringify({ batchInfo: job.batches.map(jsonBatch) }), { 'Content-Type': JSON_TYPE });
		send(req, res, 200, writeXml('batchInfoList', job.batches.map((b) => ['batchInfo', xmlBatch(b)])), { 'Content-Type': XML_TYPE });
	}

	checkDone(batch) {
		if (batch.state !== 'Completed' && batch.state !== 'Failed') throw new V1Error(400, 'InvalidBatch', 'Batch not completed');
		const empty = batch.resultSets === undefined && (batch.results === undefined || batch.results.length === 0);
		if (empty) throw new V1Error(400, 'InvalidBatch', 'Records not found for this batch');
	}

	/** Load results (one per input row, in input order) or a query's result-list. */
	sendResult(req, res, job, batch) {
		this.checkDone(batch);
		const format = this.format(job);
		if (job.kind === 'query') {
			const ids = batch.resultSets.map((s) => s.id);
			if (format === 'JSON') return send(req, res, 200, JSON.stringify(ids), { 'Content-Type': JSON_TYPE });
			return send(req, res, 200, writeXml('result-list', ids.map((id) => ['result', id])), { 'Content-Type': XML_TYPE });
		}
		const results = batch.results;
		if (format === 'CSV') {
			let body = csvLine(['Id', 'Success', 'Created', 'Error'], ',') + '\n';
			for (const r of results) body += csvLine([r.id, String(r.success), String(r.created), r.error], ',') + '\n';
			return send(req, res, 200, body, { 'Content-Type': RESULT_TYPES.CSV });
		}
		if (format === 'JSON') {
			const list = results.map((r) => ({ success: r.success, created: r.created, id: r.id || null, errors: r.success ? [] : [parseRowError(r.error)] }));
			return send(req, res, 200, JSON.stringify(list), { 'Content-Type': JSON_TYPE });
		}
		const nodes = results.map((r) => {
			if (r.success) return ['result', [['id', r.id], ['success', 'true'], ['created', String(r.created)]]];
			const e = parseRowError(r.error);
			const errors = [...e.fields.map((f) => ['fields', f]), ['message', e.message], ['statusCode', e.statusCode]];
			return ['result', [['errors', errors], ['success', 'false'], ['created', 'false']]];
		});
		send(req, res, 200, writeXml('results', nodes), { 'Content-Type': XML_TYPE });
	}

	sendResultSet(req, res, job, batch, resultId) {
		this.checkDone(batch);
		const set = (batch.resultSets ?? []).find((s) => s.id === normalizeId(resultId)?.slice(0, 15));
		if (!set) throw new V1Error(400, 'InvalidBatch', `Unable to find result: ${resultId}`);
		send(req, res, 200, set.body, { 'Content-Type': RESULT_TYPES[this.format(job)] });
	}

	notFound(req, res) {
		this.sendError(req, res, 404, 'InvalidUrl', 'Not found');
	}

	/** An error in the request's or job's format: XML `<error>` or JSON {exceptionCode, exceptionMessage}. */
	sendError(req, res, status, exceptionCode, exceptionMessage, headers = {}) {
		const jobId = /\/services\/async\/[^/]+\/job\/([^/?]+)/.exec(req.url || '');
		const job = jobId ? this.jobs.get(jobId[1]) : undefined;
		if (this.json(req, job && job.api === 'v1' ? job : undefined)) {
			return send(req, res, status, JSON.stringify({ exceptionCode, exceptionMessage }), { 'Content-Type': JSON_TYPE, ...headers });
		}
		const body = writeXml('error', [
			['exceptionCode', exceptionCode],
			['exceptionMessage', exceptionMessage],
		]);
		send(req, res, status, body, { 'Content-Type': XML_TYPE, ...headers });
	}
}

function xmlBatch(batch) {
	return [
		['id', batch.id],
		['jobId', batch.jobId],
		['state', batch.state],
		...(batch.stateMessage ? [['stateMessage', batch.stateMessage]] : []),
		['createdDate', xmlDate(batch.createdDate)],
		['systemModstamp', xmlDate(batch.systemModstamp)],
		['numberRecordsProcessed', batch.numberRecordsProcessed],
		['numberRecordsFailed', batch.numberRecordsFailed],
		['totalProcessingTime', batch.totalProcessingTime],
		['apiActiveProcessingTime', batch.apiActiveProcessingTime],
		['apexProcessingTime', batch.apexProcessingTime],
	];
}

function jsonBatch(batch) {
	return sortKeys({
		apexProcessingTime: batch.apexProcessingTime,
		apiActiveProcessingTime: batch.apiActiveProcessingTime,
		createdDate: jsonDate(batch.createdDate),
		id: batch.id,
		jobId: batch.jobId,
		numberRecordsFailed: batch.numberRecordsFailed,
		numberRecordsProcessed: batch.numberRecordsProcessed,
		state: batch.state,
		stateMessage: batch.stateMessage || null,
		systemModstamp: jsonDate(batch.systemModstamp),
		totalProcessingTime: batch.totalProcessingTime,
	});
}

/**
 * JSON laid out as Salesforce's query result sets are (Jackson's default pretty printer): `[ {`, two
 * spaces per object level, `"key" : value`, arrays inline.
 */
function jacksonJson(value, indent = '') {
	if (Array.isArray(value)) return value.length ? `[ ${value.map((v) => jacksonJson(v, indent)).join(', ')} ]` : '[ ]';
	if (value === null || typeof value !== 'object') return JSON.stringify(value);
	const keys = Object.keys(value);
	if (keys.length === 0) return '{ }';
	const inner = `${indent}  `;
	return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)} : ${jacksonJson(value[k], inner)}`).join(',\n')}\n${indent}}`;
}

/** Restricts a compiled query to a PK chunk: from ≤ Id < to (15-char IDs order as their base62 digits). */
function withinRange(compiled, { from, to }) {
	const low = from && from.slice(0, 15);
	const high = to && to.slice(0, 15);
	return {
		...compiled,
		where: (context) => {
			const test = compiled.where && compiled.where(context);
			return (record) => {
				const id = record.Id.slice(0, 15);
				return (!low || id >= low) && (!high || id < high) && (!test || test(record));
			};
		},
	};
}

/** XML query records: type, the Id slot of sObject (nil unless selected), then the selected fields. */
function xmlRecord(tree) {
	const nodes = [['type', tree.object.name], ['Id', tree.fields.has('Id') ? tree.record.Id : null]];
	for (const [name, entry] of tree.fields) {
		if (entry === null) nodes.push([name, null]);
		else if (entry.field) nodes.push([name, entry.value === null || entry.value === undefined ? null : Buffer.isBuffer(entry.value) ? entry.value.toString('base64') : String(entry.value)]);
		else nodes.push([name, xmlRecord(entry), ' xsi:type="sObject"']);
	}
	return nodes;
}

/** JSON query records: attributes, then typed values; dates and dateTimes as epoch milliseconds, as Bulk 1.0 prints them. */
function jsonRecord(tree, version) {
	const { name } = tree.object;
	const out = { attributes: { type: name, url: `/services/data/v${version}/sobjects/${name}/${tree.record.Id}` } };
	for (const [key, entry] of tree.fields) {
		if (entry === null) out[key] = null;
		else if (!entry.field) out[key] = jsonRecord(entry, version);
		else {
			const { field, value } = entry;
			if (value === null || value === undefined) out[key] = null;
			else if (Buffer.isBuffer(value)) out[key] = value.toString('base64');
			else if (field.type === 'date' || field.type === 'datetime') out[key] = Date.parse(value);
			else out[key] = value;
		}
	}
	return out;
}

/** `<sObjects><sObject><Name>…</Name><Account><Legacy_Id__c>…</Legacy_Id__c></Account></sObject></sObjects>` → Maps. */
function xmlRecords(data) {
	let root;
	try {
		root = readXml(data);
	} catch (error) {
		if (error instanceof XmlError) throw new BatchFailure(`InvalidBatch : ${error.message}`);
		throw error;
	}
	if (root.name !== 'sObjects') throw new BatchFailure(`InvalidBatch : Failed to parse XML. Found invalid XML. Expected the root element sObjects, found ${root.name}`);
	return root.children.map((sObject) => {
		if (sObject.name !== 'sObject') throw new BatchFailure(`InvalidBatch : Failed to parse XML. Found invalid XML. Unexpected element ${sObject.name}`);
		const cells = new Map();
		for (const element of sObject.children) {
			if (element.children.length) {
				// A relationship: its external ID (or Id) child names the parent.
				const key = element.children.find((c) => c.name !== 'type');
				if (key) cells.set(`${element.name}.${key.name}`, key.text);
			} else {
				cells.set(element.name, element.attributes.nil === 'true' ? '#N/A' : element.text);
			}
		}
		return cells;
	});
}

/** `[{"Name":"…","Account":{"Legacy_Id__c":"…"}}]` → Maps; null clears a field (#N/A). */
function jsonRecords(data) {
	let value;
	try {
		value = JSON.parse(data.toString('utf8'));
	} catch (error) {
		throw new BatchFailure(`InvalidBatch : Failed to parse JSON. ${error.message}`);
	}
	if (!Array.isArray(value)) throw new BatchFailure('InvalidBatch : Failed to parse JSON. Expected an array of records');
	return value.map((record) => {
		if (!record || typeof record !== 'object' || Array.isArray(record)) throw new BatchFailure('InvalidBatch : Failed to parse JSON. Each record must be a JSON object');
		const cells = new Map();
		for (const [key, v] of Object.entries(record)) {
			if (key === 'attributes') continue;
			if (v === null) cells.set(key, '#N/A');
			else if (typeof v === 'object' && !Array.isArray(v)) {
				const ref = Object.keys(v).find((k) => k !== 'attributes' && k !== 'type');
				if (ref) cells.set(`${key}.${ref}`, String(v[ref]));
			} else cells.set(key, String(v));
		}
		return cells;
	});
}

/** Records as Maps → a header (every field in first-seen order) and rows; absent fields stay empty (unchanged). */
function tabulate(records) {
	const header = [...new Set(records.flatMap((cells) => [...cells.keys()]))];
	return { header, rows: records.map((cells) => header.map((name) => cells.get(name) ?? '')) };
}

module.exports = { Bulk1, V1Error };
