'use strict';
// Conformance: the emulator's per-object describe (GET /sobjects/<object>/describe) compared field by field
// with describes recorded from a real org (test/fixtures/recorded-responses/rest, see its README). For every
// field both have, the properties the nodes read (column mapping, value conversion, schema typing) must be
// the same; fields only one side has are left aside (a real org has many more). The recorded files are only read.

const fs = require('node:fs');
const path = require('node:path');
const { startTestEmulator } = require('../helpers/emulator');

const RECORDED = path.join(__dirname, '..', 'fixtures', 'recorded-responses', 'rest');
const V = '63.0';

const COMPARED = ['type', 'createable', 'updateable', 'nillable', 'externalId', 'referenceTo', 'relationshipName', 'length', 'precision', 'scale', 'label', 'idLookup', 'defaultedOnCreate', 'calculated'];
const AUDIT_FIELDS = ['CreatedDate', 'LastModifiedDate', 'SystemModstamp', 'CreatedById', 'LastModifiedById', 'IsDeleted'];

/** Recorded object → the emulator's object it is compared with, and which fields (all shared ones by default). */
const PAIRS = [
	{ recorded: 'Account', emulated: 'Account' },
	{ recorded: 'Contact', emulated: 'Contact' },
	{ recorded: 'Lead', emulated: 'Lead' },
	// The recorded custom object has only Id, Name and one text field: compared with the emulator's custom object on
	// the first two. A custom object's Name label is whatever its admin chose, so labels are left aside there.
	{ recorded: 'Custom__c', emulated: 'Invoice__c', fields: ['Id', 'Name'], ignore: ['label'] },
];

function recordedDescribe(object) {
	return JSON.parse(fs.readFileSync(path.join(RECORDED, `describe-${object}.cumulusci-real.json`), 'utf8'));
}

/** The properties compared, picklist values reduced to their shape (entry keys) and values. */
function comparable(field, ignore = []) {
	const out = Object.fromEntries(COMPARED.filter((key) => !ignore.includes(key)).map((key) => [key, field[key]]));
	out.picklistEntryKeys = [...new Set(field.picklistValues.map((p) => Object.keys(p).sort().join(',')))];
	return out;
}

describe('emulator describe compared with describes recorded from a real org', () => {
	let emulator;
	beforeAll(async () => {
		emulator = await startTestEmulator();
	});
	afterAll(async () => {
		await emulator.close();
	});
	const describeOf = async (object) => {
		const { status, json } = await emulator.call(`/services/data/v${V}/sobjects/${object}/describe`);
		expect(status).toBe(200);
		return json;
	};

	for (const pair of PAIRS) {
		describe(`${pair.emulated} (recorded ${pair.recorded})`, () => {
			const real = recordedDescribe(pair.recorded);
			const realFields = new Map(real.fields.map((f) => [f.name, f]));

			it('every field has the keys of a real field describe the nodes read', async () => {
				const ours = await describeOf(pair.emulated);
				for (const field of ours.fields) {
					for (const key of [...COMPARED, 'name', 'picklistValues', 'custom', 'unique', 'nameField', 'defaultValue']) expect({ field: field.name, has: key in field }).toEqual({ field: field.name, has: true });
				}
			});

			it('each shared field answers as the real one does', async () => {
				const ours = await describeOf(pair.emulated);
				const shared = ours.fields.filter((f) => realFields.has(f.name) && (!pair.fields || pair.fields.includes(f.name)));
				expect(shared.length).toBeGreaterThanOrEqual(pair.fields ? pair.fields.length : 8);
				for (const field of shared) {
					// Named so that a difference says which field it is.
					expect({ [field.name]: comparable(field, pair.ignore) }).toEqual({ [field.name]: comparable(realFields.get(field.name), pair.ignore) });
				}
			});

			it('picklist values the emulator offers are values the real field has, in the same shape', async () => {
				const ours = await describeOf(pair.emulated);
				for (const field of ours.fields.filter((f) => f.type === 'picklist' && realFields.has(f.name))) {
					const realValues = realFields.get(field.name).picklistValues;
					expect(field.picklistValues.length).toBeGreaterThan(0);
					for (const entry of field.picklistValues) {
						const match = realValues.find((p) => p.value === entry.value);
						expect({ [field.name]: entry }).toEqual({ [field.name]: match });
					}
				}
			});
		});
	}

	it('every object has the standard audit fields, none createable or updateable', async () => {
		const { sobjects } = (await emulator.call(`/services/data/v${V}/sobjects`)).json;
		expect(sobjects.length).toBeGreaterThan(3);
		const realAccount = new Map(recordedDescribe('Account').fields.map((f) => [f.name, f]));
		for (const { name } of sobjects) {
			const fields = new Map((await describeOf(name)).fields.map((f) => [f.name, f]));
			for (const audit of AUDIT_FIELDS) {
				expect({ object: name, field: audit, ...comparable(fields.get(audit) ?? { picklistValues: [] }) }).toEqual({ object: name, field: audit, ...comparable(realAccount.get(audit)) });
			}
		}
	});
});
