'use strict';
// Small HTTP helpers shared by the emulator's routes: bodies in (gzip aware) and out, Salesforce error shapes.

const zlib = require('node:zlib');

class HttpError extends Error {
	/** A response that ends the request: `body` is sent as is (object → JSON). */
	constructor(status, body, headers = {}) {
		super(typeof body === 'string' ? body : JSON.stringify(body));
		this.status = status;
		this.body = body;
		this.headers = headers;
	}
}

/** Bulk 2.0 / REST errors: a JSON array of {errorCode, message}. */
function apiError(status, errorCode, message) {
	return new HttpError(status, [{ errorCode, message }]);
}

/** Reads the whole request body as a Buffer, inflating gzip/deflate request encodings. */
async function readBody(req, limit = 1024 * 1024 * 1024) {
	const chunks = [];
	let size = 0;
	const encoding = String(req.headers['content-encoding'] || '').toLowerCase();
	const source = encoding === 'gzip' ? req.pipe(zlib.createGunzip()) : encoding === 'deflate' ? req.pipe(zlib.createInflate()) : req;
	for await (const chunk of source) {
		size += chunk.length;
		if (size > limit) throw apiError(413, 'REQUEST_ENTITY_TOO_LARGE', `Request body exceeds ${limit} bytes`);
		chunks.push(chunk);
	}
	return Buffer.concat(chunks);
}

function acceptsGzip(req) {
	return /\bgzip\b/i.test(String(req.headers['accept-encoding'] || ''));
}

/**
 * Sends a response. Strings and Buffers go as they are; other values as JSON. Bodies are gzipped when the
 * client accepts it, as Salesforce does.
 */
/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse & { resetAfter?: number }} res  resetAfter: a fault cuts the body after so many bytes
 * @param {number} status
 * @param {string | Buffer | object | null} [body]  objects go as JSON
 * @param {Record<string, string>} [headers]
 */
function send(req, res, status, body, headers = {}) {
	let payload = body;
	/** @type {Record<string, string | number>} */
	const out = { ...headers };
	if (payload !== undefined && payload !== null && typeof payload !== 'string' && !Buffer.isBuffer(payload)) {
		payload = JSON.stringify(payload);
		out['Content-Type'] ??= 'application/json;charset=UTF-8';
	}
	if (payload === undefined || payload === null || payload.length === 0 || status === 204) {
		res.writeHead(status, out);
		res.end();
		return;
	}
	let buffer = Buffer.isBuffer(payload) ? payload : Buffer.from(payload, 'utf8');
	if (acceptsGzip(req) && buffer.length > 0) {
		buffer = zlib.gzipSync(buffer, { level: 1 });
		out['Content-Encoding'] = 'gzip';
		out.Vary = 'Accept-Encoding';
	}
	out['Content-Length'] = buffer.length;
	res.writeHead(status, out);
	if (res.resetAfter !== undefined) {
		// Fault injection: part of the body, then the connection drops.
		res.write(buffer.subarray(0, Math.min(res.resetAfter, buffer.length - 1)));
		setTimeout(() => res.socket?.destroy(), 10);
		return;
	}
	res.end(buffer);
}

/** Parses a multipart/form-data body into { name: { headers, filename, data: Buffer } }. */
function parseMultipart(body, contentType) {
	const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
	if (!match) throw apiError(400, 'INVALIDJOB', 'Missing multipart boundary');
	const boundary = Buffer.from(`--${match[1] || match[2]}`);
	const parts = {};
	let start = body.indexOf(boundary);
	while (start >= 0) {
		const next = body.indexOf(boundary, start + boundary.length);
		if (next < 0) break;
		const part = body.subarray(start + boundary.length, next);
		const headerEnd = part.indexOf('\r\n\r\n');
		if (headerEnd >= 0) {
			const rawHeaders = part.subarray(0, headerEnd).toString('utf8');
			let data = part.subarray(headerEnd + 4);
			if (data.subarray(-2).toString() === '\r\n') data = data.subarray(0, -2);
			const disposition = /content-disposition:[^\r\n]*name="([^"]+)"(?:;\s*filename="([^"]*)")?/i.exec(rawHeaders);
			if (disposition) parts[disposition[1]] = { headers: rawHeaders, filename: disposition[2], data };
		}
		start = next;
	}
	return parts;
}

module.exports = { HttpError, apiError, readBody, send, parseMultipart, acceptsGzip };
