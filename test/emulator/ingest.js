'use strict';
// Runs uploaded rows through the org as one Bulk job or batch does: Salesforce works in internal chunks
// of 10,000 rows, and an external ID that repeats inside a chunk fails every row that carries it.

const { BatchError } = require('./org');

const CHUNK = 10000;

/**
 * @returns {{ results: Array<{success, created, id, error}>, unprocessed: number }} one result per
 *   processed row, in input order; rows from `stopAfter` on are left unprocessed.
 * @throws {BatchError} when the header does not fit the object (the whole job or batch fails)
 */
function processRows(org, { object, operation, externalIdFieldName }, header, rows, stopAfter = rows.length) {
	const plan = org.columnsFor(object, header, operation, externalIdFieldName);
	const keyColumn = plan.externalIdField ? plan.columns.findIndex((c) => c.field === plan.externalIdField && !c.target) : -1;
	const results = [];
	const limit = Math.min(stopAfter, rows.length);
	for (let start = 0; start < limit; start += CHUNK) {
		const chunk = rows.slice(start, Math.min(start + CHUNK, limit));
		const duplicates = keyColumn >= 0 ? repeatedKeys(chunk, keyColumn) : undefined;
		for (const row of chunk) {
			if (row.length !== header.length) {
				results.push({ success: false, created: false, id: '', error: `INVALID_FIELD:Wrong number of columns: expected ${header.length}, found ${row.length}:--` });
				continue;
			}
			results.push(org.applyRow(plan, operation, row, duplicates));
		}
	}
	return { results, unprocessed: rows.length - limit };
}

function repeatedKeys(rows, column) {
	const seen = new Set();
	const repeated = new Set();
	for (const row of rows) {
		const key = String(row[column] ?? '').toLowerCase();
		if (key === '') continue;
		if (seen.has(key)) repeated.add(key);
		seen.add(key);
	}
	return repeated.size ? repeated : undefined;
}

module.exports = { processRows, BatchError };
