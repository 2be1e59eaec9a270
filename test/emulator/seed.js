'use strict';
// Generated records for tests and benchmarks: realistic values, stable across runs.

const { findObject } = require('./schema');

const INDUSTRIES = ['Banking', 'Energy', 'Retail', 'Technology', 'Healthcare', 'Media'];
const CITIES = ['Paris', 'Berlin', 'Lisbon', 'Austin', 'Osaka', 'Toronto'];

const generators = {
	Account: (i) => ({
		Name: `Account ${i}`,
		AccountNumber: `AC-${String(i).padStart(8, '0')}`,
		Industry: INDUSTRIES[i % INDUSTRIES.length],
		AnnualRevenue: (i % 1000) * 1000,
		NumberOfEmployees: i % 5000,
		BillingCity: CITIES[i % CITIES.length],
		Legacy_Id__c: `LEG-${i}`,
	}),
	Contact: (i) => ({ FirstName: `First${i}`, LastName: `Last${i}`, Email: `contact${i}@example.com`, Legacy_Id__c: `CON-${i}` }),
	Lead: (i) => ({ FirstName: `Lead${i}`, LastName: `Person${i}`, Company: `Company ${i}`, Status: 'Open - Not Contacted' }),
	Case: (i) => ({ Subject: `Case ${i}`, Status: 'New', Priority: ['Low', 'Medium', 'High'][i % 3], Origin: 'Web' }),
	Invoice__c: (i) => ({ Name: `INV-${i}`, Legacy_Id__c: `INV-${i}`, Amount__c: (i % 997) + 0.5, Paid__c: i % 2 === 0, Due_Date__c: '2026-12-31' }),
};

// The external IDs the generators write, `${prefix}${i}`, so a generated record can be found by its value.
const EXTERNAL_IDS = { Account: { Legacy_Id__c: 'leg-' }, Contact: { Legacy_Id__c: 'con-' }, Invoice__c: { Legacy_Id__c: 'inv-' } };

/** Inserts `count` generated records of an object; returns how many were created. */
function seedRecords(org, objectName, count) {
	const object = findObject(objectName);
	const generate = object && generators[object.name];
	if (!generate) throw new Error(`No generator for object ${objectName}`);
	const start = org.table(object.name).size;
	for (let i = 1; i <= count; i++) org.insertSystem(object.name, generate(start + i));
	return count;
}

/**
 * The same records as seedRecords, made on demand while they are read (org.generate): for benchmark-sized
 * tables of millions of rows. Returns how many were added.
 */
function generateRecords(org, objectName, count) {
	const object = findObject(objectName);
	const generate = object && generators[object.name];
	if (!generate) throw new Error(`No generator for object ${objectName}`);
	const start = org.table(object.name).size;
	const prefixes = EXTERNAL_IDS[object.name] ?? {};
	const extIndexOf = (field, lower) => {
		const prefix = prefixes[field];
		if (!prefix || !lower.startsWith(prefix) || !/^[1-9]\d*$/.test(lower.slice(prefix.length))) return -1;
		return Number(lower.slice(prefix.length)) - start - 1;
	};
	org.generate(object.name, count, (k) => generate(start + k + 1), extIndexOf);
	return count;
}

module.exports = { seedRecords, generateRecords };
