'use strict';
// Salesforce-style record IDs: 3-char key prefix, 2-char pod, '0', 9 base62 digits (15 chars),
// plus the 3-char case-safe suffix that makes the 18-char form.

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID15 = /^[a-zA-Z0-9]{15}$/;
const ID18 = /^[a-zA-Z0-9]{18}$/;

function caseSafeSuffix(id15) {
	let suffix = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		let bits = 0;
		for (let i = 0; i < 5; i++) {
			const c = id15.charCodeAt(chunk * 5 + i);
			if (c >= 65 && c <= 90) bits |= 1 << i;
		}
		suffix += SUFFIX_CHARS[bits];
	}
	return suffix;
}

function to18(id) {
	if (ID18.test(id)) return id;
	if (!ID15.test(id)) return undefined;
	return id + caseSafeSuffix(id);
}

/** Normalises a 15- or 18-char ID to 18 chars; undefined when the text is not an ID (or a bad suffix). */
function normalizeId(text) {
	if (typeof text !== 'string') return undefined;
	if (ID15.test(text)) return to18(text);
	if (ID18.test(text) && caseSafeSuffix(text.slice(0, 15)) === text.slice(15).toUpperCase()) {
		return text.slice(0, 15) + caseSafeSuffix(text.slice(0, 15));
	}
	return undefined;
}

function createIdFactory(pod = '5e') {
	const counters = new Map();
	// Each prefix starts somewhere else, so IDs of different objects do not look alike.
	const last = (prefix) => counters.get(prefix) ?? 1000000 + [...prefix].reduce((sum, c) => sum * 31 + c.charCodeAt(0), 0) * 7919;
	const format = (prefix, n) => {
		let digits = '';
		let rest = n;
		for (let i = 0; i < 9; i++) {
			digits = BASE62[rest % 62] + digits;
			rest = Math.floor(rest / 62);
		}
		const id15 = prefix + pod + '0' + digits;
		return id15 + caseSafeSuffix(id15);
	};
	function nextId(prefix) {
		const n = last(prefix) + 1;
		counters.set(prefix, n);
		return format(prefix, n);
	}
	/**
	 * Reserves the IDs `count` nextId calls would give, for records made on demand: `at(k)` is the k-th
	 * (0-based), `indexOf(id)` the position of an 18-char ID in the block, or -1.
	 */
	nextId.reserve = (prefix, count) => {
		const first = last(prefix) + 1;
		counters.set(prefix, first + count - 1);
		const head = prefix + pod + '0';
		const at = (k) => format(prefix, first + k);
		const indexOf = (id) => {
			if (typeof id !== 'string' || id.length !== 18 || !id.startsWith(head)) return -1;
			let n = 0;
			for (let i = 6; i < 15; i++) {
				const d = BASE62.indexOf(id[i]);
				if (d < 0) return -1;
				n = n * 62 + d;
			}
			const k = n - first;
			return k >= 0 && k < count && at(k) === id ? k : -1;
		};
		return { at, indexOf };
	};
	return nextId;
}

module.exports = { createIdFactory, normalizeId, to18, caseSafeSuffix };
