'use strict';
// The SOQL subset that Bulk query jobs run: SELECT fields (parent fields through relationship names)
// FROM one object [WHERE] [ORDER BY] [LIMIT]. What the Bulk API refuses (GROUP BY, OFFSET, TYPEOF,
// aggregates, parent-to-child subqueries) fails as Salesforce fails it, with the query echoed.

const { findObject, findField } = require('./schema');
const { normalizeId } = require('./ids');

const HINT = 'Please reference your WSDL or the describe call for the appropriate names.';
const UNSUPPORTED = {
	GROUP: 'GROUP BY is not supported by the Bulk API',
	HAVING: 'HAVING is not supported by the Bulk API',
	OFFSET: 'OFFSET is not supported by the Bulk API',
	TYPEOF: 'TYPEOF is not supported by the Bulk API',
};
const AGGREGATES = new Set(['COUNT', 'COUNT_DISTINCT', 'SUM', 'AVG', 'MIN', 'MAX']);
const OPERATORS = new Set(['=', '!=', '<>', '<', '<=', '>', '>=', 'LIKE', 'IN']);
const DAY = 86400000;
// Day offsets from today (first, last); the N_DAYS forms take the number after the colon.
const DATE_LITERALS = {
	TODAY: () => [0, 0],
	YESTERDAY: () => [-1, -1],
	TOMORROW: () => [1, 1],
	LAST_N_DAYS: (n) => [-n, 0],
	NEXT_N_DAYS: (n) => [1, n],
};
// How a field type compares: the kind decides literal checks and the comparable key of a stored value.
const KIND = {
	id: 'id', reference: 'id', string: 'text', picklist: 'text', email: 'text', phone: 'text', url: 'text', textarea: 'text',
	int: 'number', double: 'number', currency: 'number', percent: 'number', boolean: 'boolean', date: 'date', datetime: 'datetime',
};
const KEY = {
	text: (v) => String(v).toLowerCase(),
	id: (v) => v,
	number: (v) => v,
	boolean: (v) => v,
	date: (v) => Date.parse(v),
	datetime: (v) => Date.parse(v),
};
const TYPE_NAME = { id: 'id', reference: 'id', int: 'integer', double: 'double', currency: 'double', percent: 'double', boolean: 'boolean', date: 'date', datetime: 'dateTime' };
const ESCAPES = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\' };
// Sticky lexer; groups in KINDS order. Dotted names (Account.Owner.Username) are one token.
const TOKEN =
	/\s*(?:(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:\d{2}))|(\d{4}-\d{2}-\d{2})|([+-]?(?:\d+(?:\.\d+)?|\.\d+))|([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)|('(?:[^'\\]|\\.)*')|(!=|<>|<=|>=|[=<>(),:])|([^\s(),']+|'))/y;
const KINDS = [undefined, 'datetime', 'date', 'number', 'name', 'string', 'op', 'bad'];

class SoqlError extends Error {
	constructor(message, errorCode = 'MALFORMED_QUERY') {
		super(message);
		this.name = 'SoqlError';
		this.errorCode = errorCode;
	}
}

function tokenize(soql) {
	const tokens = [];
	TOKEN.lastIndex = 0;
	for (let m; (m = TOKEN.exec(soql)); ) {
		const group = m.findIndex((text, k) => k > 0 && text !== undefined);
		const text = m[group];
		tokens.push({ kind: KINDS[group], text, up: text.toUpperCase(), pos: TOKEN.lastIndex - text.length });
	}
	return tokens;
}

/** Salesforce's error layout: the offending line, a caret under the column, then what is wrong. */
function located(soql, pos, text) {
	const before = soql.slice(0, pos).split(/\r?\n/);
	const row = before.length;
	const column = before[row - 1].length + 1;
	return `\n${soql.split(/\r?\n/)[row - 1]}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${text}`;
}

function validDate(text) {
	const day = text.slice(0, 10);
	const ms = Date.parse(day);
	return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(day) && !Number.isNaN(Date.parse(text));
}

/** Parses and validates one query; semantic checks run after the whole text parsed, as Salesforce reports syntax first. */
class Parser {
	constructor(soql) {
		this.soql = soql;
		this.tokens = tokenize(soql);
		this.i = 0;
		this.eof = { kind: 'eof', text: '<EOF>', up: '', pos: soql.trimEnd().length };
	}

	peek() {
		return this.tokens[this.i] ?? this.eof;
	}

	next() {
		return this.tokens[this.i++] ?? this.eof;
	}

	is(token, word) {
		return (token.kind === 'name' || token.kind === 'op') && token.up === word;
	}

	accept(word) {
		if (!this.is(this.peek(), word)) return false;
		this.i++;
		return true;
	}

	expect(word) {
		return this.is(this.peek(), word) ? this.next() : this.unexpected(this.peek());
	}

	fail(token, text, code) {
		throw new SoqlError(located(this.soql, token.pos, text), code);
	}

	unexpected(token) {
		this.fail(token, (token.kind === 'name' && UNSUPPORTED[token.up]) || `unexpected token: '${token.text}'`);
	}

	name() {
		const token = this.next();
		return token.kind === 'name' ? token : this.unexpected(token);
	}

	parse() {
		this.expect('SELECT');
		const selected = [];
		do selected.push(this.selectItem());
		while (this.accept(','));
		this.expect('FROM');
		const from = this.name();
		const where = this.accept('WHERE') ? this.expression() : undefined;
		const order = [];
		if (this.accept('ORDER')) {
			this.expect('BY');
			do {
				const token = this.name();
				const desc = this.accept('DESC') || (this.accept('ASC') && false);
				let nullsLast = desc; // Salesforce's default: nulls first ascending, last descending
				if (this.accept('NULLS')) nullsLast = !this.accept('FIRST') && Boolean(this.expect('LAST'));
				order.push({ token, desc, nullsLast });
			} while (this.accept(','));
		}
		let limit;
		if (this.accept('LIMIT')) {
			const token = this.next();
			if (token.kind !== 'number' || !/^\d+$/.test(token.text)) this.unexpected(token);
			limit = Number(token.text);
		}
		if (this.peek() !== this.eof) this.unexpected(this.peek());
		return this.compile(selected, from, where, order, limit);
	}

	selectItem() {
		const token = this.next();
		if (this.is(token, '(')) this.fail(token, 'Parent-to-child subqueries (Aggregate Relationships) are not supported by the Bulk API');
		if (token.kind !== 'name' || token.up === 'FROM') this.unexpected(token);
		if (token.up === 'TYPEOF') this.unexpected(token);
		if (this.is(this.peek(), '(')) {
			if (AGGREGATES.has(token.up)) this.fail(token, `Aggregate functions such as ${token.up}() are not supported by the Bulk API`);
			if (token.up === 'FIELDS') this.fail(token, 'FIELDS() is not supported by the Bulk API');
			this.unexpected(this.peek());
		}
		return token;
	}

	// SOQL needs parentheses to mix AND and OR, so one level joins with one connective only.
	expression() {
		const first = this.term();
		const joiner = this.is(this.peek(), 'AND') ? 'AND' : this.is(this.peek(), 'OR') ? 'OR' : undefined;
		if (!joiner) return first;
		const parts = [first];
		while (this.accept(joiner)) parts.push(this.term());
		if (this.is(this.peek(), 'AND') || this.is(this.peek(), 'OR')) this.unexpected(this.peek());
		return joiner === 'AND' ? { all: parts } : { any: parts };
	}

	term() {
		if (this.accept('NOT')) return { not: this.term() };
		if (this.accept('(')) {
			const inner = this.expression();
			this.expect(')');
			return inner;
		}
		const field = this.name();
		const opToken = this.next();
		let op = opToken.kind === 'name' || opToken.kind === 'op' ? opToken.up : '';
		if (op === 'NOT' && this.accept('IN')) op = 'NOT IN';
		else if (!OPERATORS.has(op)) this.unexpected(opToken);
		if (op === '<>') op = '!=';
		const literals = [];
		if (op === 'IN' || op === 'NOT IN') {
			this.expect('(');
			do literals.push(this.literal());
			while (this.accept(','));
			this.expect(')');
		} else {
			literals.push(this.literal());
		}
		return { field, opToken, op, literals };
	}

	literal() {
		const token = this.next();
		switch (token.kind) {
			case 'number':
				return token;
			case 'string':
				this.decode(token, false); // reports bad escapes while parsing
				return token;
			case 'date':
			case 'datetime':
				return validDate(token.text) ? token : this.unexpected(token);
			case 'name':
				if (['NULL', 'TRUE', 'FALSE'].includes(token.up)) return token;
				if (!DATE_LITERALS[token.up]) break;
				if (token.up.endsWith('_N_DAYS')) {
					this.expect(':');
					const n = this.next();
					if (n.kind !== 'number' || !/^\d+$/.test(n.text)) this.unexpected(n);
					token.n = Number(n.text);
				}
				return token;
		}
		return this.unexpected(token);
	}

	/** A string literal's value, or for LIKE a regular expression source (% and _ wildcards, \% and \_ literal). */
	decode(token, like) {
		const body = token.text.slice(1, -1);
		const quote = (c) => (like ? c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : c);
		let out = '';
		for (let k = 0; k < body.length; k++) {
			let c = body[k];
			if (c === '\\') {
				c = body[++k];
				if (c in ESCAPES) out += quote(ESCAPES[c]);
				else if (c === '%' || c === '_') out += like ? c : `\\${c}`;
				else this.fail(token, `Invalid string literal '${token.text}'. Illegal character sequence '\\${c}' in string literal.`);
			} else {
				out += like && c === '%' ? '.*' : like && c === '_' ? '.' : quote(c);
			}
		}
		return out;
	}

	compile(selected, from, where, order, limit) {
		const object = !from.text.includes('.') && findObject(from.text);
		if (!object) {
			this.fail(from, `sObject type '${from.text}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. ${HINT}`, 'INVALID_TYPE');
		}
		this.object = object;
		const fields = selected.map((token) => this.resolve(token));
		const seen = new Set();
		for (const [k, ref] of fields.entries()) {
			if (seen.has(ref.column.toLowerCase())) this.fail(selected[k], `duplicate field selected: ${ref.column}`);
			seen.add(ref.column.toLowerCase());
		}
		const orderBy = order.map(({ token, desc, nullsLast }) => {
			const ref = this.resolve(token);
			const kind = this.kindOf(ref.field, token, 'sorted');
			return { desc, nullsLast, key: (org) => { const get = ref.bind(org); return (r) => { const v = get(r); return v == null ? null : KEY[kind](v); }; } };
		});
		return { soql: this.soql, object: object.name, columns: fields.map((f) => f.column), fields, where: where && this.predicate(where), orderBy, limit };
	}

	/** A field path → its column name and a per-org getter that follows reference fields one Map get per hop. */
	resolve(token) {
		const parts = token.text.split('.');
		const hops = [];
		let object = this.object;
		for (const part of parts.slice(0, -1)) {
			const hop = object.relationships.get(part.toLowerCase());
			if (!hop || hops.length === 5) {
				this.fail(token, `Didn't understand relationship '${part}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. ${HINT}`, 'INVALID_FIELD');
			}
			hops.push(hop);
			object = findObject(hop.ref[0]);
		}
		const last = parts[parts.length - 1];
		const field = findField(object, last);
		if (!field) {
			this.fail(token, `No such column '${last}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. ${HINT}`, 'INVALID_FIELD');
		}
		const name = field.name;
		const refNames = hops.map((h) => h.name);
		const bind = (org) => {
			if (!hops.length) return (r) => r[name];
			// Polymorphic references (Attachment.Parent) may point at any object, so they go through org.find.
			const lookups = hops.map((h) => (h.polymorphic ? (id) => org.find(id)?.record : ((table) => (id) => table.get(id))(org.tables.get(h.ref[0]))));
			return (record) => {
				let r = record;
				for (let k = 0; k < lookups.length && r; k++) {
					const id = r[refNames[k]];
					r = id == null ? undefined : lookups[k](id);
				}
				return r ? r[name] : null;
			};
		};
		return { column: [...hops.map((h) => h.ref[1]), name].join('.'), field, bind };
	}

	/** Long text areas and base64 fields can be neither filtered nor sorted. */
	kindOf(field, token, verb) {
		const kind = KIND[field.type];
		if (!kind || (field.type === 'textarea' && field.length > 255)) this.fail(token, `field '${field.name}' can not be ${verb} in a query call`, 'INVALID_FIELD');
		return kind;
	}

	/** WHERE tree → (ctx: { org, now }) → (record) → boolean; bound once per run, so relative dates follow the clock. */
	predicate(node) {
		if (node.not) {
			const inner = this.predicate(node.not);
			return (ctx) => { const test = inner(ctx); return (r) => !test(r); };
		}
		if (node.all || node.any) {
			const parts = (node.all ?? node.any).map((n) => this.predicate(n));
			return (ctx) => {
				const tests = parts.map((p) => p(ctx));
				return node.all ? (r) => tests.every((t) => t(r)) : (r) => tests.some((t) => t(r));
			};
		}
		const { field: token, opToken, op, literals } = node;
		const ref = this.resolve(token);
		const { field } = ref;
		const kind = this.kindOf(field, token, 'filtered');
		if ((op === 'LIKE' && kind !== 'text') || (kind === 'boolean' && !['=', '!=', 'IN', 'NOT IN'].includes(op))) {
			this.fail(opToken, `invalid operator on ${field.type} field`, 'INVALID_FIELD');
		}
		const bounds = literals.map((t) => this.bounds(t, field, kind));
		if (op === 'LIKE') {
			const pattern = bounds[0] && new RegExp(`^${this.decode(literals[0], true)}$`, 'is');
			return (ctx) => { const get = ref.bind(ctx.org); return (r) => { const v = get(r); return pattern ? v != null && pattern.test(v) : v == null; }; };
		}
		const key = KEY[kind];
		return (ctx) => {
			const get = ref.bind(ctx.org);
			const ranges = bounds.filter(Boolean).map((b) => b(ctx.now));
			if (op === '=' || op === '!=' || op === 'IN' || op === 'NOT IN') {
				// Nulls are values in SOQL: `!= 'x'` and NOT IN keep records whose field is null.
				const negate = op === '!=' || op === 'NOT IN';
				const matchesNull = bounds.includes(null);
				const set = kind === 'date' || kind === 'datetime' ? null : new Set(ranges.map((b) => b[0]));
				const eq = set ? (k) => set.has(k) : (k) => ranges.some(([lo, hi]) => k >= lo && k <= hi);
				return (r) => { const v = get(r); return (v == null ? matchesNull : eq(key(v))) !== negate; };
			}
			if (!ranges.length) return () => false;
			const [[lo, hi]] = ranges;
			const cmp = { '<': (k) => k < lo, '<=': (k) => k <= hi, '>': (k) => k > hi, '>=': (k) => k >= lo }[op];
			return (r) => { const v = get(r); return v != null && cmp(key(v)); };
		};
	}

	/** A literal as null or (now) → [lo, hi] in the field's key space; a date range covers whole days. */
	bounds(token, field, kind) {
		if (this.is(token, 'NULL')) return null;
		const quoted = kind === 'text' || kind === 'id';
		const wrongType = () =>
			this.fail(token, `value of filter criterion for field '${field.name}' must be of type ${TYPE_NAME[field.type] ?? 'string'} and should ${quoted ? '' : 'not '}be enclosed in quotes`, 'INVALID_FIELD');
		const fixed = (value) => () => [value, value];
		if (quoted) {
			if (token.kind !== 'string') wrongType();
			const text = this.decode(token, false);
			if (kind === 'text') return fixed(text.toLowerCase());
			const id = normalizeId(text);
			return id ? fixed(id) : this.fail(token, `invalid ID field: ${text}`, 'INVALID_QUERY_FILTER_OPERATOR');
		}
		if (kind === 'number') return token.kind === 'number' ? fixed(Number(token.text)) : wrongType();
		if (kind === 'boolean') return this.is(token, 'TRUE') || this.is(token, 'FALSE') ? fixed(token.up === 'TRUE') : wrongType();
		const lastMs = kind === 'datetime' ? DAY - 1 : 0; // a day matched against a dateTime spans until 23:59:59.999
		if (token.kind === 'name' && DATE_LITERALS[token.up]) {
			const [first, last] = DATE_LITERALS[token.up](token.n);
			return (now) => {
				const today = now - (now % DAY); // the emulated user's time zone is UTC
				return [today + first * DAY, today + last * DAY + lastMs];
			};
		}
		if (token.kind !== kind) wrongType(); // a date field takes a date, a dateTime field a dateTime
		const ms = Date.parse(token.text);
		return () => [ms, ms];
	}
}

function compileQuery(soql) {
	if (typeof soql !== 'string' || soql.trim() === '') throw new SoqlError('SOQL statements cannot be empty or null');
	return new Parser(soql).parse();
}

/**
 * The matching records, in ORDER BY order (stable, so ties keep insertion order), at most LIMIT of them: an
 * array, or for a generated table an array-like list (length, at, slice, iteration).
 */
function runQuery(org, compiled, { includeDeleted = false } = {}) {
	const test = compiled.where && compiled.where({ org, now: (org.clock ?? Date.now)() });
	const limit = compiled.limit ?? Infinity;
	const sorted = compiled.orderBy.length > 0;
	const table = org.tables.get(compiled.object);
	if (!sorted && typeof table.select === 'function') {
		// A generated table: the matches as positions, so a million-row result is not built up front.
		return table.select((record) => (!record.IsDeleted || includeDeleted) && (!test || test(record)), !test, limit);
	}
	const matches = [];
	for (const record of table.values()) {
		if (!sorted && matches.length >= limit) break;
		if ((record.IsDeleted && !includeDeleted) || (test && !test(record))) continue;
		matches.push(record);
	}
	if (!sorted) return matches;
	const keys = compiled.orderBy.map((o) => o.key(org));
	const rows = matches.map((record) => ({ record, keys: keys.map((key) => key(record)) }));
	rows.sort((a, b) => {
		for (let k = 0; k < keys.length; k++) {
			const x = a.keys[k];
			const y = b.keys[k];
			if (x === y) continue;
			const { desc, nullsLast } = compiled.orderBy[k];
			if (x === null) return nullsLast ? 1 : -1;
			if (y === null) return nullsLast ? -1 : 1;
			return (x < y) !== desc ? -1 : 1;
		}
		return 0;
	});
	return rows.slice(0, limit).map((row) => row.record);
}

/** One CSV cell per column. Getters are bound once per org and cached on the compiled query. */
function rowValues(org, compiled, record) {
	if (compiled.boundOrg !== org) {
		compiled.cells = compiled.fields.map(({ field, bind }) => {
			const get = bind(org);
			if (field.type === 'base64') return (r) => { const v = get(r); return v == null ? '' : Buffer.from(v).toString('base64'); };
			return (r) => { const v = get(r); return v == null ? '' : typeof v === 'string' ? v : String(v); };
		});
		compiled.boundOrg = org;
	}
	const cells = compiled.cells;
	const out = new Array(cells.length);
	for (let k = 0; k < cells.length; k++) out[k] = cells[k](record);
	return out;
}

/** The FROM object (canonical name when known) without validating the rest, as Bulk 1.0 checks it against the job. */
function objectOf(soql) {
	if (typeof soql !== 'string') return undefined;
	const tokens = tokenize(soql);
	let depth = 0;
	for (let k = 0; k < tokens.length - 1; k++) {
		const { text, kind, up } = tokens[k];
		if (text === '(') depth++;
		else if (text === ')') depth--;
		else if (depth === 0 && kind === 'name' && up === 'FROM' && tokens[k + 1].kind === 'name') {
			return findObject(tokens[k + 1].text)?.name ?? tokens[k + 1].text;
		}
	}
	return undefined;
}

module.exports = { SoqlError, compileQuery, runQuery, rowValues, objectOf };
