/**
 * The column mapping of loads from input items (node version 1.2): an n8n resource mapper whose fields come
 * from the object's describe, with labels, types, required flags and the fields the record operation can
 * write, plus relationship columns by external ID (`Account.Legacy_Id__c`).
 */
import type { FieldType, INodeProperties, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

import type { FieldDescribe } from '../api/restApi';
import type { SalesforceFunctions } from '../transport/request';
import { describeObject, type ObjectDescribe } from './objectDescribe';
import { showWith } from './descriptions';

type Show = INodeProperties['displayOptions'];
export type RecordOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

/** Shown from node version 1.2 on; 1 and 1.1 keep "Fields to Send". */
export const FROM_MAPPER_VERSION = [{ _cnd: { gte: 1.2 } }];
export const BEFORE_MAPPER_VERSION = [{ _cnd: { lt: 1.2 } }];

const FIELD_TYPES: Record<string, FieldType> = {
	boolean: 'boolean',
	int: 'number',
	long: 'number',
	double: 'number',
	currency: 'number',
	percent: 'number',
	date: 'dateTime',
	datetime: 'dateTime',
	time: 'time',
	picklist: 'options',
};

/** The n8n field type of a Salesforce describe type (text for everything not listed). */
export const fieldTypeOf = (type: string): FieldType => FIELD_TYPES[type] ?? 'string';

/** Whether the record operation can write the field: createable (insert), updateable (update), both (upsert). */
export function writableFor(field: FieldDescribe, operation: RecordOperation): boolean {
	if (field.name === 'Id') return operation !== 'insert';
	if (operation === 'delete' || operation === 'hardDelete') return false;
	if (operation === 'insert') return field.createable;
	if (operation === 'update') return field.updateable;
	return (field.createable && field.updateable) || field.externalId;
}

/** A field that insert cannot do without: not nillable, not defaulted by Salesforce, one the user can set. */
export const requiredOnInsert = (field: FieldDescribe): boolean => field.createable && !field.nillable && !field.defaultedOnCreate && field.type !== 'boolean';

/** The field(s) that match records: Id for update and delete, the external ID fields (and Id) for upsert. */
export function canMatch(field: FieldDescribe, operation: RecordOperation): boolean {
	if (operation === 'upsert') return field.externalId || field.name === 'Id';
	return operation !== 'insert' && field.name === 'Id';
}

/** The field that matches records, when known: the job's or the chosen external ID field for upsert, Id for update and delete. */
const matchFieldOf = (operation: RecordOperation, matchOn?: string) => (operation === 'upsert' ? matchOn : operation === 'insert' ? undefined : 'Id');

function mapperField(field: FieldDescribe, operation: RecordOperation, matchOn?: string): ResourceMapperField {
	const type = fieldTypeOf(field.type);
	const options = type === 'options' ? field.picklistValues.filter((p) => p.active).map((p) => ({ name: p.label, value: p.value })) : undefined;
	const match = matchFieldOf(operation, matchOn);
	return {
		id: field.name,
		displayName: `${field.label} (${field.name})`,
		required: operation === 'insert' ? requiredOnInsert(field) : field.name === match,
		defaultMatch: field.name === match,
		canBeUsedToMatch: canMatch(field, operation),
		display: true,
		type,
		...(options ? { options } : {}),
	};
}

/** Relationship columns of a reference field: `<relationshipName>.<external ID field of its target>`. */
async function relationshipFields(ctx: SalesforceFunctions, field: FieldDescribe): Promise<ResourceMapperField[]> {
	if (!field.relationshipName || field.referenceTo.length !== 1) return []; // polymorphic lookups are left to the ID
	let target: ObjectDescribe;
	try {
		target = await describeObject(ctx, field.referenceTo[0]);
	} catch {
		return []; // a target the user may not see: the ID column still works
	}
	return target.fields
		.filter((f) => f.externalId)
		.map((f) => ({
			id: `${field.relationshipName}.${f.name}`,
			displayName: `${field.label} by ${target.label} ${f.label} (${field.relationshipName}.${f.name})`,
			required: false,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			removed: true, // offered under "Add field", not filled in by default next to the ID column
			type: 'string' as FieldType,
		}));
}

/** The mapper's fields for an object and record operation, in describe order, relationship columns after their lookup. */
export async function mapperFieldsFor(ctx: SalesforceFunctions, object: string, operation: RecordOperation, matchOn?: string): Promise<ResourceMapperFields> {
	if (!object) return { fields: [], emptyFieldsNotice: 'Choose an object first' };
	const describe = await describeObject(ctx, object);
	const fields: ResourceMapperField[] = [];
	for (const field of describe.fields) {
		if (!writableFor(field, operation)) continue;
		fields.push(mapperField(field, operation, matchOn));
		if (field.type === 'reference' && operation !== 'delete' && operation !== 'hardDelete') fields.push(...(await relationshipFields(ctx, field)));
	}
	return { fields, emptyFieldsNotice: `${describe.label} has no fields that ${operation} can write` };
}

/**
 * The Columns parameter: one per mapper mode (Postgres does the same), all named `columns`. `modes` says which
 * record operations show which mode; `dependsOn` reloads the fields when those parameters change.
 */
export function columnsParameters(show: Show, method: string, dependsOn: string[], modes: Array<{ mode: 'add' | 'update' | 'upsert'; when?: Record<string, string[]> }>): INodeProperties[] {
	return modes.map(({ mode, when }) => ({
		displayName: 'Columns',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		// Map Automatically by default, as 1.1's default "All Fields" sent every field of the items.
		default: { mappingMode: 'autoMapInputData', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: dependsOn,
			resourceMapper: {
				resourceMapperMethod: method,
				mode,
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
				...(mode === 'upsert'
					? { matchingFieldsLabels: { title: 'External ID Field', description: 'The field that finds the record to update; a record with no match is created', hint: 'An external ID field of the object, or Id' } }
					: mode === 'update'
						? { matchingFieldsLabels: { title: 'Match On', description: 'Salesforce updates records by their ID', hint: 'The record ID (Id)' } }
						: {}),
			},
		},
		displayOptions: { show: { ...show?.show, ...when, '@version': FROM_MAPPER_VERSION } },
		hint: 'Map Automatically sends the item fields whose names are Salesforce field names, spelled as Salesforce spells them (Account.Legacy_Id__c or { Account: { Legacy_Id__c } } for a lookup by external ID)',
	}));
}

/** Options of a mapped load: empty values and rows that cannot be converted. */
export const mappingOptions: INodeProperties[] = [
	{
		displayName: 'Set Empty Values to Null',
		name: 'setEmptyToNull',
		type: 'boolean',
		default: false,
		description:
			'Whether an empty value (null or empty text) clears the field: it is sent as #N/A, the only way Bulk API 2.0 (and 1.0 CSV) sets a field to null. Off, an empty value leaves the field as it is (on insert: empty).',
		displayOptions: { show: { '@version': FROM_MAPPER_VERSION } },
	},
	{
		displayName: 'Skip Bad Rows',
		name: 'skipBadRows',
		type: 'boolean',
		default: false,
		description:
			'Whether to load the other rows when some values cannot be converted to their field (the bad rows come out as errors); off, nothing is sent until every row converts',
		displayOptions: { show: { '@version': FROM_MAPPER_VERSION } },
	},
];

/** Items into an existing job (Upload Data, Add Batch): the job's fields as Columns, and the mapping options. */
export function jobColumnsParameters(show: Show): INodeProperties[] {
	const fromItems = showWith(show, { inputDataType: ['items'] });
	return [
		...columnsParameters(fromItems, 'getJobMappingColumns', ['jobId.value'], [{ mode: 'add' }]),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions: showWith(show, { inputDataType: ['items'], '@version': FROM_MAPPER_VERSION }),
			options: mappingOptions,
		},
	];
}
