'use strict';
// Benchmark data: Account records of "Id + 6 typical fields" (an external ID standing in for the Id, ≈105
// bytes of CSV a row), as items and as a CSV file; names and numbers as the emulator's generated Accounts.

const fs = require('node:fs');

const INDUSTRIES = ['Banking', 'Energy', 'Retail', 'Technology', 'Healthcare', 'Media'];
const CITIES = ['Paris', 'Berlin', 'Lisbon', 'Austin', 'Osaka', 'Toronto'];

/** The fields the query workloads select: Id + 6 typical fields. */
const QUERY = 'SELECT Id, Name, AccountNumber, Industry, AnnualRevenue, BillingCity, CreatedDate FROM Account';

/** Record i (1-based) for loading: an external ID + 6 typical fields, typed as n8n items hold them. */
function accountRecord(i) {
	return {
		Legacy_Id__c: `LEG-${i}`,
		Name: `Account ${i}`,
		AccountNumber: `AC-${String(i).padStart(8, '0')}`,
		Industry: INDUSTRIES[i % INDUSTRIES.length],
		AnnualRevenue: (i % 1000) * 1000 + 0.5,
		BillingCity: CITIES[i % CITIES.length],
		Website: `https://account-${i}.example.com`,
	};
}

function accountRecords(count, first = 1) {
	const out = new Array(count);
	for (let k = 0; k < count; k++) out[k] = accountRecord(first + k);
	return out;
}

const COLUMNS = Object.keys(accountRecord(1));

/**
 * Writes a CSV of Account records to `file` until it holds at least `targetBytes`, and returns its rows
 * and the byte ranges of the parts a load splits it into: each part at most `maxPartBytes` with the
 * header, cut at row boundaries (as the node's Split Size cuts).
 */
function writeAccountCsv(file, targetBytes, maxPartBytes) {
	const header = `${COLUMNS.join(',')}\n`;
	const fd = fs.openSync(file, 'w');
	let size = 0;
	const write = (text) => {
		fs.writeSync(fd, text);
		size += Buffer.byteLength(text);
	};
	write(header);
	const parts = [];
	let part = { start: size, end: size };
	let rows = 0;
	let batch = '';
	while (size + batch.length < targetBytes) {
		const r = accountRecord(rows + 1);
		const line = `${COLUMNS.map((c) => r[c]).join(',')}\n`;
		const end = size + batch.length + line.length; // ASCII only: characters are bytes
		if (end - part.start + header.length > maxPartBytes) {
			parts.push(part);
			part = { start: part.end, end: part.end };
		}
		batch += line;
		part.end = end;
		rows++;
		if (batch.length > 1 << 20) {
			write(batch);
			batch = '';
		}
	}
	write(batch);
	parts.push(part);
	fs.closeSync(fd);
	// The first part starts with the header itself.
	parts[0].start = 0;
	return { file, rows, bytes: size, parts, header };
}

module.exports = { QUERY, COLUMNS, accountRecord, accountRecords, writeAccountCsv };
