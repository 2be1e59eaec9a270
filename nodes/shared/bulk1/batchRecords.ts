/** The records of a Bulk API 1.0 batch request or query result set, whatever its format. */
import type { IDataObject } from 'n8n-workflow';

import { parseCsv } from '../codecs/csv';
import { rowConverter, typedValue } from '../codecs/records';
import { parseXml, type XmlElement } from '../codecs/xml';
import { NO_RECORDS, type DataFormat } from './dataFormat';

function xmlRecord(el: XmlElement, typed: boolean): IDataObject {
	const out: IDataObject = {};
	for (const child of el.children) {
		// `type` is the sObject type of query records, and a nil Id the unselected Id slot: no fields.
		if ((child.name === 'type' && child.children.length === 0) || (child.name === 'Id' && child.nil)) continue;
		out[child.name] = child.nil ? null : child.children.length ? xmlRecord(child, typed) : typed ? typedValue(child.text) : child.text;
	}
	return out;
}

function withoutAttributes(value: unknown): IDataObject {
	const out: IDataObject = {};
	for (const [key, v] of Object.entries(value as IDataObject)) {
		if (key === 'attributes') continue;
		out[key] = v !== null && typeof v === 'object' && !Array.isArray(v) ? withoutAttributes(v) : v;
	}
	return out;
}

/**
 * The records of a batch request or a query result set: CSV rows keyed by the header (dotted columns
 * nested), XML `sObject`/`records` elements, JSON objects; without Salesforce's type metadata.
 */
export function parseRecords(format: DataFormat, text: string, options: { typed?: boolean } = {}): IDataObject[] {
	const body = text.replace(/^\uFEFF/, '');
	if (!body.trim() || body.trim() === NO_RECORDS) return [];
	if (format === 'CSV') {
		const [header, ...rows] = parseCsv(body, { lineEnding: 'auto' });
		const convert = rowConverter(header, { typed: options.typed });
		return rows.map(convert);
	}
	if (format === 'XML') {
		return parseXml(body)
			.children.filter((c) => c.name === 'sObject' || c.name === 'records')
			.map((c) => xmlRecord(c, options.typed === true));
	}
	const value = JSON.parse(body) as unknown;
	return (Array.isArray(value) ? value : [value]).map(withoutAttributes);
}
