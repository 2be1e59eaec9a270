'use strict';
// The flat XML of Bulk API 1.0: a writer that lays documents out as Salesforce does (root attributes on
// their own line, one space of indentation per level) and a reader that keeps element order.

const { XMLParser, XMLValidator } = require('fast-xml-parser');

const XMLNS = 'http://www.force.com/2009/06/asyncapi/dataload';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

class XmlError extends Error {}

function escapeXml(value) {
	return String(value).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
}

/**
 * Writes one element per node. A node is [name, value, attributes?]: value null → xsi:nil, an array →
 * child nodes, anything else → escaped text.
 */
function writeNodes(nodes, depth) {
	let out = '';
	const pad = ' '.repeat(depth);
	for (const [name, value, attributes = ''] of nodes) {
		if (value === null || value === undefined) out += `${pad}<${name}${attributes} xsi:nil="true"/>\n`;
		else if (Array.isArray(value)) out += `${pad}<${name}${attributes}>\n${writeNodes(value, depth + 1)}${pad}</${name}>\n`;
		else out += `${pad}<${name}${attributes}>${escapeXml(value)}</${name}>\n`;
	}
	return out;
}

/** A whole document: `<?xml …?><root\n   xmlns="…">\n <child>…</child>\n</root>`; an empty root self-closes (` />`). */
function writeXml(root, nodes, { xsi = false } = {}) {
	const namespaces = `xmlns="${XMLNS}"${xsi ? `\n   xmlns:xsi="${XSI}"` : ''}`;
	if (nodes.length === 0) return `${HEAD}<${root}\n   ${namespaces} />`;
	return `${HEAD}<${root}\n   ${namespaces}>\n${writeNodes(nodes, 1)}</${root}>`;
}

const parser = new XMLParser({
	preserveOrder: true,
	ignoreAttributes: false,
	attributeNamePrefix: '',
	removeNSPrefix: true,
	parseTagValue: false,
	parseAttributeValue: false,
	trimValues: false,
});

/**
 * Parses a document into its root element: { name, attributes, children: [element], text }. Throws
 * XmlError for malformed XML, with the parser's reason.
 */
function readXml(text) {
	const source = Buffer.isBuffer(text) ? text.toString('utf8') : String(text);
	const valid = XMLValidator.validate(source);
	if (valid !== true) {
		throw new XmlError(`Failed to parse XML. Found invalid XML. ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
	}
	// Salesforce's parser refuses DTDs (no entity expansion, no external entities).
	if (/<!DOCTYPE/i.test(source)) {
		throw new XmlError('Failed to parse XML. Found invalid XML. DOCTYPE is disallowed when the feature "http://apache.org/xml/features/disallow-doctype-decl" set to true.');
	}
	let parsed;
	try {
		parsed = parser.parse(source);
	} catch (error) {
		throw new XmlError(`Failed to parse XML. Found invalid XML. ${error.message}`);
	}
	const root = parsed.map(toElement).find((e) => e && !e.name.startsWith('?'));
	if (!root) throw new XmlError('Failed to parse XML. Found invalid XML. Premature end of file.');
	return root;
}

function toElement(node) {
	const name = Object.keys(node).find((k) => k !== ':@');
	if (name === undefined || name === '#text') return undefined;
	const children = [];
	let text = '';
	for (const child of node[name]) {
		if ('#text' in child) text += child['#text'];
		else {
			const element = toElement(child);
			if (element) children.push(element);
		}
	}
	return { name, attributes: node[':@'] ?? {}, children, text };
}

/** The text of a leaf child element, or undefined when absent. */
function childText(element, name) {
	const child = element.children.find((c) => c.name === name);
	return child ? child.text : undefined;
}

module.exports = { XMLNS, XSI, XmlError, escapeXml, writeXml, readXml, childText };
