/**
 * Reader and writer for the flat XML documents of Bulk API 1.0 (jobInfo, batchInfo, batchInfoList,
 * result-list, load results, error, sObjects requests, queryResult). Not a general XML parser:
 * no DTDs, so DOCTYPE and ENTITY declarations are refused outright (no XXE, no entity expansion).
 * Parsing is a single forward scan with indexOf and an explicit stack: linear time, no recursion.
 */

export const ASYNC_API_NS = 'http://www.force.com/2009/06/asyncapi/dataload';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

export interface XmlElement {
	/** Local name (namespace prefix removed). */
	name: string;
	/** Namespace prefix as written, '' when none. */
	prefix: string;
	/** Attributes by qualified name as written (`xmlns`, `xsi:type`…), values decoded. */
	attributes: Record<string, string>;
	children: XmlElement[];
	/** Character data directly inside the element (entities decoded, CDATA included). */
	text: string;
	/** `xsi:nil="true"`. */
	nil: boolean;
}

export type XmlValue = string | null | XmlValue[] | { [key: string]: XmlValue };
export type XmlObject = { [key: string]: XmlValue };

export class XmlError extends Error {
	constructor(
		message: string,
		/** Character offset in the input, -1 when not applicable. */
		readonly position = -1,
	) {
		super(position >= 0 ? `${message} (at character ${position})` : message);
		this.name = 'XmlError';
	}
}

export interface ParseXmlOptions {
	/** Deepest element nesting accepted (default 100). */
	maxDepth?: number;
}

const NAME = /^[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*(?::[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?$/;
const WHITESPACE_ONLY = /^[ \t\n]*$/;
const NAMED_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isXmlChar(cp: number): boolean {
	return (
		cp === 0x9 ||
		cp === 0xa ||
		cp === 0xd ||
		(cp >= 0x20 && cp <= 0xd7ff) ||
		(cp >= 0xe000 && cp <= 0xfffd) ||
		(cp >= 0x10000 && cp <= 0x10ffff)
	);
}

/** Decodes the five predefined entities and character references; anything else is an error. */
function decodeEntities(s: string, offset: number): string {
	let amp = s.indexOf('&');
	if (amp < 0) return s;
	let out = '';
	let last = 0;
	while (amp >= 0) {
		const semi = s.indexOf(';', amp);
		if (semi < 0 || semi - amp > 12) throw new XmlError('Unterminated entity reference', offset + amp);
		const ref = s.slice(amp + 1, semi);
		let value: string | undefined;
		if (ref.charCodeAt(0) === 35 /* # */) {
			const hex = ref[1] === 'x';
			const digits = ref.slice(hex ? 2 : 1);
			const valid = hex ? /^[0-9a-fA-F]+$/.test(digits) : /^[0-9]+$/.test(digits);
			const cp = valid ? parseInt(digits, hex ? 16 : 10) : NaN;
			if (isXmlChar(cp)) value = String.fromCodePoint(cp);
		} else {
			value = NAMED_ENTITIES[ref];
		}
		if (value === undefined) {
			throw new XmlError(`Unknown or invalid entity reference "&${ref};"`, offset + amp);
		}
		out += s.slice(last, amp) + value;
		last = semi + 1;
		amp = s.indexOf('&', last);
	}
	return out + s.slice(last);
}

function splitName(qname: string): [prefix: string, local: string] {
	const colon = qname.indexOf(':');
	return colon < 0 ? ['', qname] : [qname.slice(0, colon), qname.slice(colon + 1)];
}

/** Parses one start tag beginning at `lt`; returns the element and the index after `>`. */
function parseStartTag(text: string, lt: number): { el: XmlElement; qname: string; end: number; empty: boolean } {
	const len = text.length;
	let pos = lt + 1;
	while (pos < len && !isTagBreak(text.charCodeAt(pos))) pos++;
	const qname = text.slice(lt + 1, pos);
	if (!NAME.test(qname)) throw new XmlError(`Invalid element name "${qname}"`, lt);
	const [prefix, name] = splitName(qname);
	const el: XmlElement = { name, prefix, attributes: {}, children: [], text: '', nil: false };
	for (;;) {
		while (pos < len && isSpace(text.charCodeAt(pos))) pos++;
		const c = text.charCodeAt(pos);
		if (c === 62 /* > */) return { el, qname, end: pos + 1, empty: false };
		if (c === 47 /* / */ && text.charCodeAt(pos + 1) === 62) return { el, qname, end: pos + 2, empty: true };
		if (pos >= len) throw new XmlError(`Unterminated start tag <${qname}>`, lt);
		const nameStart = pos;
		while (pos < len && !isTagBreak(text.charCodeAt(pos)) && text.charCodeAt(pos) !== 61) pos++;
		const attr = text.slice(nameStart, pos);
		if (!NAME.test(attr)) throw new XmlError(`Invalid attribute name "${attr}"`, nameStart);
		while (pos < len && isSpace(text.charCodeAt(pos))) pos++;
		if (text.charCodeAt(pos) !== 61 /* = */) throw new XmlError(`Attribute "${attr}" has no value`, pos);
		pos++;
		while (pos < len && isSpace(text.charCodeAt(pos))) pos++;
		const quote = text[pos];
		if (quote !== '"' && quote !== "'") throw new XmlError(`Attribute "${attr}" value is not quoted`, pos);
		const close = text.indexOf(quote, pos + 1);
		if (close < 0) throw new XmlError(`Unterminated value of attribute "${attr}"`, pos);
		const raw = text.slice(pos + 1, close);
		if (raw.includes('<')) throw new XmlError(`"<" in the value of attribute "${attr}"`, pos);
		if (Object.prototype.hasOwnProperty.call(el.attributes, attr)) {
			throw new XmlError(`Duplicate attribute "${attr}"`, nameStart);
		}
		const value = decodeEntities(raw.replace(/[\t\n]/g, ' '), pos + 1);
		el.attributes[attr] = value;
		if (splitName(attr)[1] === 'nil' && attr.includes(':') && (value === 'true' || value === '1')) el.nil = true;
		pos = close + 1;
		const next = text.charCodeAt(pos);
		if (!isSpace(next) && next !== 62 && next !== 47) {
			throw new XmlError('Attributes must be separated by whitespace', pos);
		}
	}
}

function isSpace(c: number): boolean {
	return c === 32 || c === 9 || c === 10 || c === 13;
}

function isTagBreak(c: number): boolean {
	return isSpace(c) || c === 62 || c === 47;
}

/** Parses a document into its root element. */
export function parseXml(input: string, options: ParseXmlOptions = {}): XmlElement {
	const maxDepth = options.maxDepth ?? 100;
	// XML normalizes CR LF and lone CR to LF before parsing; &#13; still yields CR.
	let text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
	if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
	const len = text.length;
	const stack: XmlElement[] = [];
	const qnames: string[] = [];
	let root: XmlElement | undefined;
	let pos = 0;
	while (pos < len) {
		const lt = text.indexOf('<', pos);
		const textEnd = lt < 0 ? len : lt;
		if (textEnd > pos) {
			const top = stack[stack.length - 1];
			const raw = text.slice(pos, textEnd);
			if (!top) {
				if (!WHITESPACE_ONLY.test(raw)) throw new XmlError('Text outside the root element', pos);
			} else if (raw.includes(']]>')) {
				throw new XmlError('"]]>" in character data', pos);
			} else if (top.children.length === 0 || !WHITESPACE_ONLY.test(raw)) {
				// Whitespace between child elements is dropped as we go (keeps big documents small).
				top.text += decodeEntities(raw, pos);
			}
		}
		if (lt < 0) break;
		const c = text.charCodeAt(lt + 1);
		if (c === 63 /* ? */) {
			// Processing instruction (the XML declaration included): skipped.
			const end = text.indexOf('?>', lt + 2);
			if (end < 0) throw new XmlError('Unterminated processing instruction', lt);
			pos = end + 2;
		} else if (c === 33 /* ! */) {
			if (text.startsWith('<!--', lt)) {
				const end = text.indexOf('-->', lt + 4);
				if (end < 0) throw new XmlError('Unterminated comment', lt);
				pos = end + 3;
			} else if (text.startsWith('<![CDATA[', lt)) {
				const end = text.indexOf(']]>', lt + 9);
				if (end < 0) throw new XmlError('Unterminated CDATA section', lt);
				const top = stack[stack.length - 1];
				if (!top) throw new XmlError('CDATA outside the root element', lt);
				top.text += text.slice(lt + 9, end);
				pos = end + 3;
			} else if (/^<!doctype/i.test(text.slice(lt, lt + 9))) {
				throw new XmlError('DOCTYPE declarations are not allowed (external entities and entity expansion are refused)', lt);
			} else {
				throw new XmlError('Markup declarations (<!ENTITY, <!ELEMENT…) are not allowed', lt);
			}
		} else if (c === 47 /* / */) {
			const gt = text.indexOf('>', lt);
			if (gt < 0) throw new XmlError('Unterminated end tag', lt);
			const qname = text.slice(lt + 2, gt).trimEnd();
			const open = qnames.pop();
			if (open !== qname) {
				throw new XmlError(open ? `Expected </${open}> but found </${qname}>` : `Unexpected </${qname}>`, lt);
			}
			closeElement(stack.pop() as XmlElement);
			pos = gt + 1;
		} else {
			if (root && stack.length === 0) throw new XmlError('More than one root element', lt);
			const { el, qname, end, empty } = parseStartTag(text, lt);
			const parent = stack[stack.length - 1];
			if (parent) parent.children.push(el);
			else root = el;
			if (!empty) {
				if (stack.length >= maxDepth) throw new XmlError(`Elements nested deeper than ${maxDepth}`, lt);
				stack.push(el);
				qnames.push(qname);
			}
			pos = end;
		}
	}
	if (stack.length > 0) throw new XmlError(`Unclosed element <${qnames[qnames.length - 1]}>`, len);
	if (!root) throw new XmlError('No root element');
	return root;
}

function closeElement(el: XmlElement): void {
	if (el.children.length > 0 && WHITESPACE_ONLY.test(el.text)) el.text = '';
}

/** Bulk 1.0 elements that are lists even when they occur once. */
export const BULK1_LIST_ELEMENTS: ReadonlySet<string> = new Set([
	'batchInfo',
	'result',
	'records',
	'sObject',
	'errors',
	'fields',
]);

export interface XmlToObjectOptions {
	/** Says whether an element is always a list. Repeated elements become lists regardless. */
	isArray?: (name: string, parent: string) => boolean;
}

/**
 * Plain-object view: a leaf element is its text (null for xsi:nil), an element with children an
 * object keyed by local name; attributes other than xsi:nil are left out (use the tree for them).
 * Text mixed with child elements goes to `#text`.
 */
export function xmlToObject(el: XmlElement, options: XmlToObjectOptions = {}): XmlValue {
	const isArray = options.isArray ?? ((name: string) => BULK1_LIST_ELEMENTS.has(name));
	const convert = (node: XmlElement): XmlValue => {
		if (node.nil) return null;
		if (node.children.length === 0) return node.text;
		const groups = new Map<string, XmlValue[]>();
		for (const child of node.children) {
			const group = groups.get(child.name);
			if (group) group.push(convert(child));
			else groups.set(child.name, [convert(child)]);
		}
		const obj: XmlObject = {};
		for (const [key, values] of groups) {
			obj[key] = values.length > 1 || isArray(key, node.name) ? values : values[0];
		}
		if (node.text !== '') obj['#text'] = node.text;
		return obj;
	};
	return convert(el);
}

// ---- writer ----

export interface ToXmlOptions {
	/** Default namespace of the root element, e.g. ASYNC_API_NS. */
	namespace?: string;
	/** Write `<?xml version="1.0" encoding="UTF-8"?>` first (default true). */
	declaration?: boolean;
}

// Characters XML 1.0 cannot carry at all (not even as references), and those we must escape.
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /[&<>"\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
// eslint-disable-next-line no-control-regex
const ESCAPE = /[&<>"\r]|[\ud800-\udbff][\udc00-\udfff]|[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/g;
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };

/** Escapes text or attribute content; throws on characters XML 1.0 cannot represent. */
export function escapeXml(s: string): string {
	if (!NEEDS_ESCAPE.test(s)) return s;
	return s.replace(ESCAPE, (m) => {
		if (m.length === 2) return m; // a valid surrogate pair
		const escaped = ESCAPES[m];
		if (escaped === undefined) {
			throw new XmlError(`Character U+${m.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} cannot be written in XML`);
		}
		return escaped;
	});
}

function scalarText(value: unknown, path: string): string {
	if (typeof value === 'string') return escapeXml(value);
	if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw new XmlError(`"${path}" is not a finite number`);
		return String(value);
	}
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw new XmlError(`"${path}" is an invalid date`);
		return value.toISOString();
	}
	throw new XmlError(`"${path}" cannot be written as XML text`);
}

/**
 * Renders `value` as `<rootName>`: object keys become child elements in order, arrays repeat their
 * key, null becomes `xsi:nil="true"`, undefined is skipped.
 */
export function toXml(rootName: string, value: unknown, options: ToXmlOptions = {}): string {
	let usesNil = false;
	const parts: string[] = [];
	const element = (name: string, v: unknown, path: string, depth: number): void => {
		if (v === undefined) return;
		if (!NAME.test(name)) throw new XmlError(`"${path}" is not a valid XML element name`);
		if (depth > 100) throw new XmlError(`"${path}" is nested too deeply`);
		if (Array.isArray(v)) {
			v.forEach((item, i) => {
				if (Array.isArray(item)) throw new XmlError(`"${path}[${i}]" is a nested list`);
				element(name, item, `${path}[${i}]`, depth + 1);
			});
		} else if (v === null) {
			usesNil = true;
			parts.push(`<${name} xsi:nil="true"/>`);
		} else if (typeof v === 'object' && !(v instanceof Date)) {
			parts.push(`<${name}>`);
			for (const [k, child] of Object.entries(v as object)) element(k, child, `${path}.${k}`, depth + 1);
			parts.push(`</${name}>`);
		} else {
			parts.push(`<${name}>${scalarText(v, path)}</${name}>`);
		}
	};
	if (!NAME.test(rootName)) throw new XmlError(`"${rootName}" is not a valid XML element name`);
	if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) {
		for (const [k, child] of Object.entries(value)) element(k, child, k, 1);
	} else if (value === null) {
		usesNil = true;
	} else if (value !== undefined) {
		parts.push(scalarText(value, rootName));
	}
	let open = rootName;
	if (options.namespace !== undefined) open += ` xmlns="${escapeXml(options.namespace)}"`;
	if (usesNil) open += ` xmlns:xsi="${XSI_NS}"`;
	if (value === null) open += ' xsi:nil="true"';
	const decl = options.declaration === false ? '' : '<?xml version="1.0" encoding="UTF-8"?>';
	return `${decl}<${open}>${parts.join('')}</${rootName}>`;
}
