'use strict';
// The few REST calls the nodes use: API versions, limits, global and per-object describe.

const { apiError, send } = require('./http');
const { findObject } = require('./schema');

const VERSIONS = Array.from({ length: 9 }, (_, i) => `${58 + i}.0`);

class Rest {
	constructor({ org, baseUrl, apiUsage = () => ({ used: 1000, max: 15000 }) }) {
		this.org = org;
		this.baseUrl = baseUrl;
		this.apiUsage = apiUsage;
	}

	versions(req, res) {
		send(req, res, 200, VERSIONS.map((version) => ({ label: `v${version}`, url: `/services/data/v${version}`, version })));
	}

	/** /services/data/vXX.X/<rest...> other than jobs. */
	handle(req, res, version, rest) {
		if (req.method !== 'GET') throw apiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${req.method}' not allowed. Allowed are GET`);
		const [first, name, action, ...extra] = rest;
		if (first === undefined) {
			return send(req, res, 200, { jobs: `/services/data/v${version}/jobs`, limits: `/services/data/v${version}/limits`, sobjects: `/services/data/v${version}/sobjects` });
		}
		if (first === 'limits' && !name) {
			const { used, max } = this.apiUsage();
			return send(req, res, 200, {
				DailyApiRequests: { Max: max, Remaining: Math.max(0, max - used) },
				DailyBulkApiBatches: { Max: 15000, Remaining: 15000 },
				DailyBulkV2QueryJobs: { Max: 10000, Remaining: 10000 },
				DailyBulkV2QueryFileStorageMB: { Max: 976562, Remaining: 976562 },
			});
		}
		if (first === 'sobjects' && !name) {
			const sobjects = this.org.describeGlobal().map((o) => ({ ...o, urls: { sobject: `/services/data/v${version}/sobjects/${o.name}` } }));
			return send(req, res, 200, { encoding: 'UTF-8', maxBatchSize: 200, sobjects });
		}
		if (first === 'sobjects' && name && (action === 'describe' || action === undefined) && !extra.length) {
			const describe = this.org.describe(name);
			if (!describe) throw apiError(404, 'NOT_FOUND', `The requested resource does not exist`);
			if (action === undefined) return send(req, res, 200, { objectDescribe: this.org.describeSummary(findObject(name)), recentItems: [] });
			return send(req, res, 200, { ...describe, urls: { sobject: `/services/data/v${version}/sobjects/${describe.name}` } });
		}
		throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
	}
}

module.exports = { Rest, VERSIONS };
