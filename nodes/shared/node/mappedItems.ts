/**
 * Input items → records of a load, through the Columns mapper (node version 1.2): the fields are checked
 * against the object's describe before any job exists (unknown or not writable: named, with the closest
 * field), every value is converted to what its field takes, and a value that cannot be converted stops the
 * load (or, with Skip Bad Rows, leaves its row out) with an error naming the item, the field and the value.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FieldDescribe } from '../api/restApi';
import { FieldValueError, toFieldValue, type FieldValue } from '../codecs/fieldValues';
import { flattenRecord, RecordError } from '../codecs/records';
import { writableFor, type RecordOperation } from './fieldMapper';
import { errorJson } from './items';
import { describeObject, type ObjectDescribe } from './objectDescribe';

export interface MappingTarget {
	object: string;
	operation: RecordOperation;
	/** Upsert: the field that matches records. */
	externalIdFieldName?: string;
}

export interface MappedRecord {
	item: number;
	/** Column → converted value; null clears the field (#N/A). Columns an item leaves unchanged are absent. */
	values: Record<string, FieldValue>;
}

export interface MappedItems {
	columns: string[];
	records: MappedRecord[];
	/** Error items of the rows left out (Skip Bad Rows, or Continue On Fail), paired with their items. */
	failures: INodeExecutionData[];
}

/** The upsert field chosen as the mapper's matching column (node version 1.2). */
export function matchingColumnOf(ctx: IExecuteFunctions): string | undefined {
	const matching = ctx.getNodeParameter('columns.matchingColumns', 0, []) as string[];
	return matching[0];
}

/** Edit distance with swapped neighbours as one edit (Nmae → Name), for "did you mean". */
function distance(a: string, b: string): number {
	const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
		}
	}
	return d[a.length][b.length];
}

/** The obvious field meant by a name that is not one: same name in another case, its label, or one or two letters off. */
export function closestName(name: string, fields: Array<{ name: string; label?: string }>): string | undefined {
	const lower = name.toLowerCase();
	const exact = fields.find((f) => f.name.toLowerCase() === lower || f.label?.toLowerCase() === lower);
	if (exact) return exact.name;
	const limit = name.length <= 4 ? 1 : 2;
	let best: { name: string; d: number } | undefined;
	for (const f of fields) {
		const d = distance(lower, f.name.toLowerCase());
		if (d <= limit && (!best || d < best.d)) best = { name: f.name, d };
	}
	return best?.name;
}

const suggestion = (name: string | undefined) => (name ? ` (did you mean "${name}"?)` : '');

/** Each column → the field whose type its values take (for `Rel.Ext__c`: the target's external ID field); problems by name. */
async function resolveColumns(ctx: IExecuteFunctions, describe: ObjectDescribe, names: string[], target: MappingTarget) {
	const byName = new Map(describe.fields.map((f) => [f.name, f]));
	const resolved = new Map<string, FieldDescribe>();
	const problems: string[] = [];
	const op = target.operation;
	for (const name of names) {
		const dot = name.indexOf('.');
		if (dot < 0) {
			const field = byName.get(name);
			if (!field) problems.push(`"${name}" is not a field of ${describe.name}${suggestion(closestName(name, describe.fields))}`);
			else if (!writableFor(field, op)) problems.push(`"${name}" is not writable for ${op}${field.createable || field.updateable ? '' : ' (Salesforce sets it)'}`);
			else resolved.set(name, field);
			continue;
		}
		const [relationship, targetName] = [name.slice(0, dot), name.slice(dot + 1)];
		const references = describe.fields.filter((f) => f.relationshipName);
		const lookup = references.find((f) => f.relationshipName === relationship);
		if (!lookup) {
			const near = closestName(relationship, references.map((f) => ({ name: String(f.relationshipName) })));
			problems.push(`"${name}": ${describe.name} has no relationship "${relationship}"${suggestion(near && `${near}.${targetName}`)}`);
			continue;
		}
		if (!writableFor(lookup, op)) {
			problems.push(`"${name}": ${lookup.name} is not writable for ${op}`);
			continue;
		}
		const parent = await describeObject(ctx, lookup.referenceTo[0]);
		const field = parent.fields.find((f) => f.name === targetName);
		// Salesforce finds the parent by an external ID field, or by another field that can look records up (idLookup, e.g. Email).
		if (!field || !(field.externalId || (field.idLookup && field.name !== 'Id'))) {
			const externalIds = parent.fields.filter((f) => f.externalId);
			const near = closestName(targetName, externalIds);
			problems.push(`"${name}": ${field ? `${targetName} is not an external ID field` : `"${targetName}" is not a field`} of ${parent.name}${suggestion(near && `${relationship}.${near}`)}`);
			continue;
		}
		resolved.set(name, field);
	}
	const key = op === 'upsert' ? target.externalIdFieldName : op === 'insert' ? undefined : 'Id';
	if (key && !names.includes(key)) problems.push(`the records have no ${key} column: ${op} finds records by ${key}`);
	return { resolved, problems };
}

const shown = (value: unknown) => (typeof value === 'string' ? `"${value.length > 60 ? `${value.slice(0, 60)}…` : value}"` : typeof value === 'object' ? JSON.stringify(value)?.slice(0, 60) : String(value));

/**
 * The records of a mapped load: the items (by index) read as the Columns parameter says (Map Automatically:
 * the item's own fields; Map Each Column Manually: the mapped values), checked and converted.
 */
export async function mapItems(ctx: IExecuteFunctions, itemIndexes: number[], target: MappingTarget): Promise<MappedItems> {
	const node = ctx.getNode();
	const items = ctx.getInputData();
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const setEmptyToNull = options.setEmptyToNull === true;
	const automatic = ctx.getNodeParameter('columns.mappingMode', 0, 'defineBelow') === 'autoMapInputData';
	const describe = await describeObject(ctx, target.object);

	const bad = new Map<number, NodeOperationError>();
	const flat = new Map<number, Map<string, unknown>>();
	const names = new Set<string>();
	for (const i of itemIndexes) {
		try {
			const source = automatic ? items[i].json : (ctx.getNodeParameter('columns.value', i, {}, { skipValidation: true }) as IDataObject);
			const values = flattenRecord(source ?? {}, i);
			flat.set(i, values);
			for (const [name, value] of values) if (value !== undefined && (setEmptyToNull || (value !== null && value !== ''))) names.add(name);
		} catch (error) {
			// A list or a too deeply nested value: that row cannot be converted.
			bad.set(i, new NodeOperationError(node, error instanceof RecordError ? error.message : (error as Error), { itemIndex: i }));
		}
	}
	const { resolved, problems } = await resolveColumns(ctx, describe, [...names], target);
	if (problems.length) {
		throw new NodeOperationError(node, `Fields that ${target.operation} on ${describe.name} cannot take: ${problems.join('; ')}`, {
			description: `Nothing was sent. Use the API names of ${describe.name}'s fields, spelled as Salesforce spells them, and only fields the record operation can write${automatic ? ' (Map Automatically sends every field of the items: remove the others first, e.g. with an Edit Fields node, or map the columns manually)' : ''}.`,
		});
	}

	const records: MappedRecord[] = [];
	for (const [i, values] of flat) {
		const record: Record<string, FieldValue> = {};
		let failure: NodeOperationError | undefined;
		for (const [name, raw] of values) {
			const field = resolved.get(name);
			if (!field) continue; // only ever empty: not a column
			let value: FieldValue | undefined;
			try {
				value = toFieldValue(field, raw);
			} catch (error) {
				const reason = error instanceof FieldValueError ? error.reason : `cannot be converted: ${(error as Error).message}`;
				failure = new NodeOperationError(node, `Item ${i}: the value ${shown(raw)} of field "${name}" ${reason} (${field.type} field ${field.label})`, {
					itemIndex: i,
					description: `Fix the value in item ${i}, or turn on Skip Bad Rows to load the other rows without it`,
				});
				break;
			}
			if (value === undefined || (value === null && !setEmptyToNull)) continue;
			record[name] = value;
		}
		if (failure) bad.set(i, failure);
		else records.push({ item: i, values: record });
	}
	const failures: INodeExecutionData[] = [];
	if (bad.size && options.skipBadRows !== true) {
		const [[firstItem, first]] = bad;
		if (!ctx.continueOnFail()) {
			const more = bad.size > 1 ? ` (and ${bad.size - 1} more rows that cannot be converted; nothing was sent)` : '';
			throw new NodeOperationError(node, `${first.message}${more}`, { itemIndex: firstItem, description: first.description ?? undefined });
		}
		const notSent = `Not sent: ${bad.size} of ${itemIndexes.length} rows cannot be converted (items ${[...bad.keys()].join(', ')}), so nothing was sent`;
		for (const i of itemIndexes) failures.push({ json: errorJson(bad.get(i) ?? new NodeOperationError(node, notSent, { description: 'Fix those rows, or turn on Skip Bad Rows' })), pairedItem: { item: i } });
		return { columns: [], records: [], failures };
	}
	for (const [i, error] of bad) failures.push({ json: errorJson(error), pairedItem: { item: i } });
	if (bad.size) ctx.addExecutionHints({ message: `${bad.size} rows were left out because values could not be converted (Skip Bad Rows); see their error items`, type: 'warning', location: 'outputPane' });
	const columns = [...resolved.keys()].filter((name) => records.some((r) => name in r.values));
	if (records.length && !columns.length) {
		throw new NodeOperationError(node, 'The input items have no values to send in the mapped columns', {
			itemIndex: records[0].item,
			description: automatic ? 'Give the items fields named as Salesforce fields' : 'Map at least one field, or turn on Set Empty Values to Null to clear fields',
		});
	}
	return { columns, records, failures };
}

/** A mapped record with relationship columns as nested objects (`Account.Ext__c` → `{ Account: { Ext__c } }`), for XML and JSON batches. */
export function nestedRecord(values: Record<string, FieldValue>): IDataObject {
	const out: IDataObject = {};
	for (const [name, value] of Object.entries(values)) {
		const dot = name.indexOf('.');
		if (dot < 0) out[name] = value;
		else ((out[name.slice(0, dot)] ??= {}) as IDataObject)[name.slice(dot + 1)] = value;
	}
	return out;
}
