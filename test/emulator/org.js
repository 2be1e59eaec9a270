'use strict';
// The in-memory org: records per sObject and the row-level DML that Bulk jobs run.
// Values are stored typed: strings, numbers, booleans, null; dates as 'yyyy-MM-dd',
// dateTimes as 'yyyy-MM-ddTHH:mm:ss.SSSZ' (the form query results print).

const { objects, findObject, findField, byPrefix } = require('./schema');
const { createIdFactory, normalizeId } = require('./ids');
const { GeneratedTable } = require('./generated');

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const INT = /^[+-]?\d+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const XSD = { int: 'int', double: 'double', currency: 'double', percent: 'double', boolean: 'boolean', date: 'date', datetime: 'dateTime' };

class RowError extends Error {
	constructor(code, message, fields = []) {
		super(`${code}:${message}:${fields.length ? `${fields.join(',')} ` : ''}--`);
		this.code = code;
	}
}

/** A whole-batch failure, such as an unknown column: the job or batch fails. */
class BatchError extends Error {
	constructor(message) {
		super(message);
		this.exceptionCode = 'InvalidBatch';
	}
}

const TEMPLATES = new Map(); // object → a record's keys in order, with their defaults

/** Salesforce keeps dateTimes to the second: audit stamps print as 2026-12-06T07:00:00.000Z. */
function isoNow(clock, earlierMs = 0) {
	const ms = clock() - earlierMs;
	return new Date(ms - (((ms % 1000) + 1000) % 1000)).toISOString();
}

function validDate(y, m, d) {
	const date = new Date(Date.UTC(+y, +m - 1, +d));
	return date.getUTCFullYear() === +y && date.getUTCMonth() === +m - 1 && date.getUTCDate() === +d;
}

class Org {
	/** @param {{ clock?: () => number, pod?: string }} [o] */
	constructor({ clock = Date.now, pod } = {}) {
		this.clock = clock;
		/** @type {{ takeBackdate(objectName: string): number } | undefined} set by the emulator: late commits (faults.js) */
		this.faults = undefined;
		this.nextId = createIdFactory(pod);
		this.orgId = this.nextId('00D');
		/** @type {Map<string, any>} a Map of records by ID, or a GeneratedTable that behaves like one */
		this.tables = new Map(Object.keys(objects).map((name) => [name, new Map()]));
		this.extIndex = new Map(); // `${object}.${field}` → Map<lowercased value, Set<id>>
		this.caseNumber = 1000;
		this.user = this.insertSystem('User', { Username: 'bulk.user@example.com', Name: 'Bulk User', Email: 'bulk.user@example.com' });
	}

	table(objectName) {
		return this.tables.get(findObject(objectName).name);
	}

	/** The record with this ID (15 or 18 chars) and its object, or undefined. */
	find(id) {
		const id18 = normalizeId(id);
		if (!id18) return undefined;
		const object = byPrefix.get(id18.slice(0, 3));
		const record = object && this.tables.get(object.name).get(id18);
		return record ? { object, record } : undefined;
	}

	/** Inserts typed values directly (seeding and tests), bypassing row validation. */
	insertSystem(objectName, values) {
		const object = findObject(objectName);
		const record = this.newRecord(object);
		Object.assign(record, values);
		this.finish(object, record);
		this.store(object, record);
		return record;
	}

	newRecord(object) {
		return this.buildRecord(object, this.nextId(object.keyPrefix), this.stamp(object), object.fields.CaseNumber ? ++this.caseNumber : 0);
	}

	/**
	 * The audit stamp of a write now (CreatedDate, LastModifiedDate, SystemModstamp). A backdated commit
	 * (faults.backdateCommits) gets a stamp from the past, as a long transaction's rows that commit late.
	 */
	stamp(object) {
		return isoNow(this.clock, this.faults?.takeBackdate(object.name) ?? 0);
	}

	buildRecord(object, id, now, caseNumber) {
		// A copy of a per-object template is much faster than adding two dozen keys one by one (it matters
		// when a generated table builds records on demand); the keys keep the same order.
		let template = TEMPLATES.get(object);
		if (!template) {
			const entries = [['Id', null], ['IsDeleted', false], ['CreatedDate', null], ['LastModifiedDate', null], ['SystemModstamp', null], ['CreatedById', null], ['LastModifiedById', null]];
			for (const field of Object.values(object.fields)) {
				if (!entries.some(([name]) => name === field.name)) entries.push([field.name, field.type === 'boolean' ? false : field.defaultValue ?? null]);
			}
			template = Object.fromEntries(entries); // built in one go, so V8 keeps it (and its copies) in fast mode
			TEMPLATES.set(object, template);
		}
		const record = { ...template };
		record.Id = id;
		record.CreatedDate = record.LastModifiedDate = record.SystemModstamp = now;
		record.CreatedById = record.LastModifiedById = this.user ? this.user.Id : record.Id;
		if (object.fields.OwnerId) record.OwnerId = this.user ? this.user.Id : null;
		if (object.fields.CaseNumber) record.CaseNumber = String(caseNumber).padStart(8, '0');
		return record;
	}

	/**
	 * Adds `count` records as `count` insertSystem calls would (same IDs, defaults and derived fields), but
	 * made on demand from `values(k)` (k = 0-based position) instead of held in memory: for benchmark-sized
	 * orgs. `extIndexOf(field, lowerValue)` finds the position whose generated external ID has that value.
	 */
	generate(objectName, count, values, extIndexOf) {
		const object = findObject(objectName);
		const ids = this.nextId.reserve(object.keyPrefix, count);
		const now = isoNow(this.clock);
		const firstCase = this.caseNumber + 1;
		if (object.fields.CaseNumber) this.caseNumber += count;
		const make = (k) => {
			const record = this.buildRecord(object, ids.at(k), now, firstCase + k);
			Object.assign(record, values(k));
			this.finish(object, record);
			return record;
		};
		const table = new GeneratedTable(this.tables.get(object.name), { count, idAt: ids.at, indexOf: ids.indexOf, make, extIndexOf });
		this.tables.set(object.name, table);
		return table;
	}

	/** Derived fields. */
	finish(object, record) {
		if (object.name === 'Contact' || object.name === 'Lead') {
			record.Name = [record.FirstName, record.LastName].filter(Boolean).join(' ');
		}
		if (object.name === 'Attachment' && Buffer.isBuffer(record.Body)) record.BodyLength = record.Body.length;
	}

	store(object, record, previous) {
		this.tables.get(object.name).set(record.Id, record);
		for (const field of Object.values(object.fields)) {
			if (!field.ext) continue;
			const index = this.indexOf(object, field);
			if (previous && previous[field.name] != null) index.get(String(previous[field.name]).toLowerCase())?.delete(record.Id);
			if (record[field.name] != null) {
				const key = String(record[field.name]).toLowerCase();
				if (!index.has(key)) index.set(key, new Set());
				index.get(key).add(record.Id);
			}
		}
	}

	indexOf(object, field) {
		const key = `${object.name}.${field.name}`;
		if (!this.extIndex.has(key)) this.extIndex.set(key, new Map());
		return this.extIndex.get(key);
	}

	/** Live (not deleted) records whose external ID field equals value (case-insensitive). */
	findByExternalId(object, field, value) {
		if (field.name === 'Id') {
			const found = this.find(value);
			return found && found.object === object && !found.record.IsDeleted ? [found.record] : [];
		}
		const ids = this.indexOf(object, field).get(String(value).toLowerCase()) ?? new Set();
		const table = this.tables.get(object.name);
		const generated = table.virtualIdFor?.(field.name, value);
		const all = generated && !ids.has(generated) ? [...ids, generated] : [...ids];
		return all.map((id) => table.get(id)).filter((r) => r && !r.IsDeleted);
	}

	/**
	 * Maps a CSV header to columns for an operation. Unknown fields fail the whole batch, as Salesforce does
	 * ("InvalidBatch : Field name not found : X").
	 */
	columnsFor(objectName, header, operation, externalIdFieldName) {
		const object = findObject(objectName);
		const columns = header.map((name) => {
			const dot = name.indexOf('.');
			if (dot > 0) {
				const refField = object.relationships.get(name.slice(0, dot).toLowerCase());
				const target = refField && findObject(refField.ref[0]);
				const targetField = target && findField(target, name.slice(dot + 1));
				if (!targetField || !(targetField.ext || targetField.idLookup)) {
					throw new BatchError(`InvalidBatch : Field name not found : ${name}`);
				}
				return { name, field: refField, target, targetField };
			}
			const field = findField(object, name);
			if (!field) throw new BatchError(`InvalidBatch : Field name not found : ${name}`);
			return { name, field };
		});
		if (operation === 'upsert') {
			const ext = findField(object, externalIdFieldName ?? '');
			if (!ext || !(ext.ext || ext.name === 'Id')) {
				throw new BatchError(`InvalidBatch : Field name provided, ${externalIdFieldName}, does not match an External ID, Salesforce Id, or indexed field for ${object.name}`);
			}
			if (!columns.some((c) => c.field === ext && !c.target)) {
				throw new BatchError(`InvalidBatch : Field name not found : ${ext.name}`);
			}
		}
		if ((operation === 'update' || operation === 'delete' || operation === 'hardDelete') && !columns.some((c) => c.field.name === 'Id')) {
			throw new BatchError('InvalidBatch : Field name not found : Id');
		}
		return { object, columns, externalIdField: operation === 'upsert' ? findField(object, externalIdFieldName) : undefined };
	}

	/**
	 * Applies one CSV row. Returns { success, created, id, error } where error is Salesforce's
	 * `CODE:message:fields --` text.
	 */
	applyRow(plan, operation, values, duplicateKeys) {
		try {
			return this.applyRowOrThrow(plan, operation, values, duplicateKeys);
		} catch (error) {
			if (!(error instanceof RowError)) throw error;
			return { success: false, created: false, id: '', error: error.message };
		}
	}

	applyRowOrThrow({ object, columns, externalIdField }, operation, values, duplicateKeys) {
		const cell = (predicate) => {
			const i = columns.findIndex(predicate);
			return i < 0 ? '' : values[i] ?? '';
		};
		if (operation === 'delete' || operation === 'hardDelete') {
			const record = this.existing(object, cell((c) => c.field.name === 'Id' && !c.target));
			if (operation === 'hardDelete') {
				this.tables.get(object.name).delete(record.Id);
			} else {
				record.IsDeleted = true;
				record.SystemModstamp = record.LastModifiedDate = this.stamp(object);
				if (this.user) record.LastModifiedById = this.user.Id;
				this.tables.get(object.name).set(record.Id, record); // keeps a generated record's change
			}
			return { success: true, created: false, id: record.Id, error: '' };
		}
		let target;
		if (operation === 'update') {
			target = this.existing(object, cell((c) => c.field.name === 'Id' && !c.target));
		} else if (operation === 'upsert') {
			const key = cell((c) => c.field === externalIdField && !c.target);
			if (key === '') throw new RowError('MISSING_ARGUMENT', `${externalIdField.name} not specified`);
			if (duplicateKeys?.has(key.toLowerCase())) {
				throw new RowError('DUPLICATE_VALUE', `Duplicate external id specified: ${key}`, [externalIdField.name]);
			}
			if (externalIdField.name === 'Id') {
				target = this.existing(object, key);
			} else {
				const matches = this.findByExternalId(object, externalIdField, key);
				if (matches.length > 1) {
					throw new RowError('DUPLICATE_EXTERNAL_ID', `${externalIdField.name}: more than one record found for external id field: [${matches.map((r) => r.Id).join(', ')}]`);
				}
				target = matches[0];
			}
		}
		const creating = !target;
		const changes = this.changes(object, columns, values, creating, operation);
		const record = creating ? this.newRecord(object) : target;
		const previous = creating ? undefined : { ...record };
		const merged = { ...record, ...changes };
		const missing = Object.values(object.fields).filter((f) => f.required && (merged[f.name] === null || merged[f.name] === undefined || merged[f.name] === ''));
		if (missing.length) {
			throw new RowError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.map((f) => f.name).join(', ')}]`, missing.map((f) => f.name));
		}
		for (const field of Object.values(object.fields)) {
			if (!field.ext || !(field.name in changes) || changes[field.name] === null) continue;
			const clash = this.findByExternalId(object, field, changes[field.name]).find((r) => r.Id !== record.Id);
			if (clash) {
				throw new RowError('DUPLICATE_VALUE', `duplicate value found: ${field.name} duplicates value on record with id: ${clash.Id}`);
			}
		}
		Object.assign(record, changes);
		if (!creating) {
			record.LastModifiedDate = record.SystemModstamp = this.stamp(object);
			if (this.user) record.LastModifiedById = this.user.Id;
		}
		this.finish(object, record);
		this.store(object, record, previous);
		return { success: true, created: creating, id: record.Id, error: '' };
	}

	existing(object, idText) {
		if (idText === '') throw new RowError('MISSING_ARGUMENT', 'Id not specified');
		const id = normalizeId(idText);
		if (!id || id.slice(0, 3) !== object.keyPrefix) {
			throw new RowError('MALFORMED_ID', `${object.label} ID: id value of incorrect type: ${idText}`, ['Id']);
		}
		const record = this.tables.get(object.name).get(id);
		if (!record) throw new RowError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
		if (record.IsDeleted) throw new RowError('ENTITY_IS_DELETED', 'entity is deleted');
		return record;
	}

	/** The typed field changes a row asks for. Empty cells leave a field as it is; `#N/A` sets null. */
	changes(object, columns, values, creating, operation) {
		const changes = {};
		columns.forEach((column, i) => {
			const text = values[i] ?? '';
			const { field } = column;
			if (field.name === 'Id' && !column.target) {
				if (creating && operation === 'insert' && text !== '') {
					throw new RowError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']);
				}
				return;
			}
			if (text === '') return;
			if (operation === 'upsert' && field.ext && !column.target && !creating) return;
			if (!(creating ? field.createable : field.updateable)) {
				throw new RowError(
					'INVALID_FIELD_FOR_INSERT_UPDATE',
					`Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
					[field.name],
				);
			}
			if (text === '#N/A') {
				if (!field.nillable) throw new RowError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${field.name}]`, [field.name]);
				changes[field.name] = field.type === 'boolean' ? false : null;
				return;
			}
			changes[field.name] = column.target ? this.resolveForeignKey(column, text) : this.parseValue(field, text, i);
		});
		return changes;
	}

	resolveForeignKey({ field, target, targetField }, text) {
		const matches = this.findByExternalId(target, targetField, text);
		if (matches.length === 0) {
			throw new RowError('INVALID_FIELD', `Foreign key external ID: ${text} not found for field ${targetField.name} in entity ${target.name}`);
		}
		if (matches.length > 1) {
			throw new RowError('INVALID_FIELD', `More than 1 record found for field ${targetField.name} in entity ${target.name} with value ${text}`);
		}
		return matches[0].Id;
	}

	parseValue(field, text, column) {
		const invalid = () =>
			new RowError('INVALID_FIELD', `Failed to deserialize field at col ${column}. Due to, '${text}' is not a valid value for the type xsd:${XSD[field.type]}`);
		switch (field.type) {
			case 'int':
				if (!INT.test(text) || Math.abs(Number(text)) > 2147483647) throw invalid();
				return Number(text);
			case 'double':
			case 'currency':
			case 'percent':
				if (!NUMBER.test(text)) throw invalid();
				return Number(text);
			case 'boolean': {
				const lower = text.toLowerCase();
				if (lower === 'true' || lower === '1') return true;
				if (lower === 'false' || lower === '0') return false;
				throw invalid();
			}
			case 'date': {
				const m = DATETIME.exec(text);
				if (!m || !DATE.test(m[1]) || !validDate(...DATE.exec(m[1]).slice(1))) throw invalid();
				return m[1];
			}
			case 'datetime': {
				const m = DATETIME.exec(text);
				if (!m || !validDate(...DATE.exec(m[1]).slice(1))) throw invalid();
				let zone = m[6] ?? 'Z';
				if (zone !== 'Z' && !zone.includes(':')) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
				const ms = (m[5] ?? '.000').slice(0, 4).padEnd(4, '0');
				const date = new Date(`${m[1]}T${m[2] ?? '00'}:${m[3] ?? '00'}:${m[4] ?? '00'}${ms}${zone}`);
				if (Number.isNaN(date.getTime())) throw invalid();
				return date.toISOString();
			}
			case 'reference': {
				const id = normalizeId(text);
				const targets = field.polymorphic ? [...byPrefix.keys()] : [findObject(field.ref[0]).keyPrefix];
				if (!id || !targets.includes(id.slice(0, 3))) {
					throw new RowError('MALFORMED_ID', `${field.label}: id value of incorrect type: ${text}`, [field.name]);
				}
				const found = this.find(id);
				if (!found || found.record.IsDeleted) {
					throw new RowError('INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id`, [field.name]);
				}
				return id;
			}
			case 'base64':
				return Buffer.isBuffer(text) ? text : Buffer.from(text, 'base64');
			default:
				if (field.length && text.length > field.length) {
					throw new RowError('STRING_TOO_LONG', `${field.label}: data value too large: ${text.slice(0, 40)}... (max length=${field.length})`, [field.name]);
				}
				return text;
		}
	}

	/** Global describe, as GET /sobjects returns it. */
	describeGlobal() {
		return Object.values(objects).map((o) => this.describeSummary(o));
	}

	describeSummary(object) {
		return {
			name: object.name,
			label: object.label,
			labelPlural: object.labelPlural,
			keyPrefix: object.keyPrefix,
			custom: Boolean(object.custom),
			createable: !object.queryOnly,
			updateable: !object.queryOnly,
			deletable: !object.queryOnly,
			queryable: true,
			urls: { sobject: `/services/data/vXX.X/sobjects/${object.name}` },
		};
	}

	describe(objectName) {
		const object = findObject(objectName);
		if (!object) return undefined;
		return {
			...this.describeSummary(object),
			fields: Object.values(object.fields).map((f) => ({
				name: f.name,
				label: f.label,
				type: f.type,
				length: f.length ?? 0,
				precision: f.precision ?? 0,
				scale: f.scale ?? 0,
				digits: f.digits ?? 0,
				custom: Boolean(f.custom),
				calculated: false,
				nillable: f.nillable,
				createable: f.createable,
				updateable: f.updateable,
				defaultedOnCreate: Boolean(f.defaultedOnCreate || f.defaultValue !== undefined || f.type === 'boolean' || f.autoNumber),
				externalId: f.ext,
				idLookup: f.ext || Boolean(f.idLookup),
				unique: f.ext,
				nameField: Boolean(f.nameField),
				autoNumber: Boolean(f.autoNumber),
				referenceTo: f.referenceTo ?? (f.ref ? [f.ref[0]] : []),
				relationshipName: f.ref ? f.ref[1] : null,
				defaultValue: f.defaultValue ?? (f.type === 'boolean' ? false : null),
				picklistValues: (f.values ?? []).map((value) => ({ active: true, defaultValue: value === f.defaultValue, label: value, validFor: null, value })),
			})),
		};
	}
}

module.exports = { Org, RowError, BatchError };
