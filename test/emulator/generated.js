'use strict';
// Tables of generated records made on demand, for benchmark-sized orgs (millions of rows) that a Map of
// full records would make slow to seed and heavy to hold. A GeneratedTable answers like the Map it
// replaces (get, set, delete, has, size, keys, values, entries, in insertion order): the records that were
// there before, then the generated block, then records inserted later. A generated record is built from
// its position whenever it is read; once written (update, soft delete) the written object is kept.

class GeneratedTable {
	/**
	 * @param {Map|GeneratedTable} head  the table so far
	 * @param {object} block
	 * @param {number} block.count
	 * @param {(k: number) => string} block.idAt            ID of the k-th generated record
	 * @param {(id: string) => number} block.indexOf        position of an ID in the block, or -1
	 * @param {(k: number) => object} block.make            a fresh record for position k
	 * @param {(field: string, lowerValue: string) => number} [block.extIndexOf]  position whose generated
	 *   external ID field has this value, or -1
	 */
	constructor(head, block) {
		this.head = head;
		this.block = block;
		this.written = new Map(); // position → record object kept after a write
		this.removed = new Set(); // positions hard-deleted
		this.tail = new Map();
	}

	get size() {
		return this.head.size + this.block.count - this.removed.size + this.tail.size;
	}

	/** The record at block position k (also a removed one, for query results taken before the delete). */
	at(k) {
		return this.written.get(k) ?? this.block.make(k);
	}

	get(id) {
		const record = this.head.get(id);
		if (record !== undefined) return record;
		const k = this.block.indexOf(id);
		if (k < 0) return this.tail.get(id);
		return this.removed.has(k) ? undefined : this.at(k);
	}

	has(id) {
		return this.get(id) !== undefined;
	}

	set(id, record) {
		const k = this.block.indexOf(id);
		if (k >= 0 && !this.removed.has(k)) this.written.set(k, record);
		else if (this.head.has(id)) this.head.set(id, record);
		else this.tail.set(id, record);
		return this;
	}

	delete(id) {
		if (this.head.delete(id)) return true;
		const k = this.block.indexOf(id);
		if (k < 0) return this.tail.delete(id);
		if (this.removed.has(k)) return false;
		this.removed.add(k);
		this.written.delete(k);
		return true;
	}

	/** The ID of the live generated record whose external ID field has this value (case-insensitive), if any. */
	virtualIdFor(fieldName, value) {
		const lower = String(value).toLowerCase();
		const k = this.block.extIndexOf ? this.block.extIndexOf(fieldName, lower) : -1;
		if (k >= 0 && k < this.block.count && !this.removed.has(k)) {
			const record = this.at(k);
			if (record[fieldName] != null && String(record[fieldName]).toLowerCase() === lower) return record.Id;
		}
		return this.head instanceof GeneratedTable ? this.head.virtualIdFor(fieldName, value) : undefined;
	}

	*entries() {
		for (const record of this.values()) yield [record.Id, record];
	}

	*keys() {
		yield* this.head.keys();
		for (let k = 0; k < this.block.count; k++) if (!this.removed.has(k)) yield this.block.idAt(k);
		yield* this.tail.keys();
	}

	*values() {
		yield* this.head.values();
		for (let k = 0; k < this.block.count; k++) if (!this.removed.has(k)) yield this.at(k);
		yield* this.tail.values();
	}

	[Symbol.iterator]() {
		return this.entries();
	}

	forEach(fn, thisArg) {
		for (const [id, record] of this.entries()) fn.call(thisArg, record, id, this);
	}

	/**
	 * The records a query keeps, without building them: runs of block positions plus the kept records of
	 * head and tail. `keep(record)` decides for records that must be looked at; `plain` says that every
	 * live, not soft-deleted record is kept (no WHERE), so untouched generated records need no look.
	 */
	select(keep, plain, limit) {
		const list = new LazyRecords(this);
		for (const record of this.head.values()) {
			if (list.length >= limit) return list;
			if (keep(record)) list.push(record);
		}
		for (let k = 0; k < this.block.count && list.length < limit; k++) {
			if (this.removed.has(k)) continue;
			const written = this.written.get(k);
			if (plain && written === undefined) {
				list.pushPosition(k);
				continue;
			}
			const record = written ?? this.block.make(k);
			if (keep(record)) list.pushPosition(k);
		}
		for (const record of this.tail.values()) {
			if (list.length >= limit) return list;
			if (keep(record)) list.push(record);
		}
		return list;
	}
}

/**
 * Query results over a GeneratedTable: record objects and runs of block positions, read back with
 * `at(i)`, `slice(from, to)` and iteration (what an array of records offers the query endpoints).
 */
class LazyRecords {
	constructor(table) {
		this.table = table;
		this.parts = []; // { start, records: [] } | { start, from, to } (block positions [from, to))
		this.length = 0;
	}

	push(record) {
		const last = this.parts[this.parts.length - 1];
		if (last && last.records) last.records.push(record);
		else this.parts.push({ start: this.length, records: [record] });
		this.length++;
	}

	pushPosition(k) {
		const last = this.parts[this.parts.length - 1];
		if (last && !last.records && last.to === k) last.to++;
		else this.parts.push({ start: this.length, from: k, to: k + 1 });
		this.length++;
	}

	at(i) {
		if (i < 0 || i >= this.length) return undefined;
		let lo = 0;
		let hi = this.parts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (this.parts[mid].start <= i) lo = mid;
			else hi = mid - 1;
		}
		const part = this.parts[lo];
		return part.records ? part.records[i - part.start] : this.table.at(part.from + i - part.start);
	}

	slice(from = 0, to = this.length) {
		const out = [];
		for (let i = Math.max(0, from); i < Math.min(to, this.length); i++) out.push(this.at(i));
		return out;
	}

	*[Symbol.iterator]() {
		for (let i = 0; i < this.length; i++) yield this.at(i);
	}
}

module.exports = { GeneratedTable, LazyRecords };
