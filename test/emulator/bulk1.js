'use strict';
// PLACEHOLDER — replaced by the full Bulk API 1.0 implementation.
const { send } = require('./http');

class Bulk1 {
	constructor({ org, jobs, faults, options }) {
		Object.assign(this, { org, jobs, faults, options });
	}

	handle(req, res) {
		return this.notFound(req, res);
	}

	notFound(req, res) {
		this.sendError(req, res, 404, 'InvalidUrl', 'Not found');
	}

	sendError(req, res, status, exceptionCode, exceptionMessage, headers = {}) {
		const xml = `<?xml version="1.0" encoding="UTF-8"?><error xmlns="http://www.force.com/2009/06/asyncapi/dataload"><exceptionCode>${exceptionCode}</exceptionCode><exceptionMessage>${exceptionMessage}</exceptionMessage></error>`;
		send(req, res, status, xml, { 'Content-Type': 'application/xml', ...headers });
	}
}

module.exports = { Bulk1 };
