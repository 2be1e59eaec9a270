/**
 * Values of result rows typed by the org's schema (node version 1.2 and later): each column's field is
 * found in the describe of the job's object, through relationship names for `Owner.Name`, and its type
 * decides the value (cellTypeOf). Columns no field answers for (aggregates, unknown names) get the guess.
 */
import type { DisplayCondition, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { cellTypeOf, type CellType, type RowToItemOptions } from '../codecs/records';
import type { SalesforceFunctions } from '../transport/request';
import type { FieldDescribe } from '../api/restApi';
import { describeObject, type ObjectDescribe } from './objectDescribe';

/** The node version from which values are typed by the schema; older versions keep the guess. */
export const SCHEMA_TYPING_VERSION = 1.2;

/** Whether this node's version types values by the schema (the one switch: see SCHEMA_TYPING_VERSION). */
export function typesBySchema(ctx: SalesforceFunctions): boolean {
	return ctx.getNode().typeVersion >= SCHEMA_TYPING_VERSION;
}

/** How the rows of one header become items: given the header, the converter options. */
export type HeaderTyping = (header: readonly string[]) => Promise<RowToItemOptions>;

/** What the user chose: the guess (Typed Values, before 1.2), or (1.2) values as text, nested relationships. */
export interface TypingChoice {
	typed: boolean;
	keepText: boolean;
	nested: boolean;
}

/** The typing parameters of an item (Typed Values before 1.2; Keep Values as Text and Nested Relationship Fields from 1.2). */
export function typingChoiceOf(ctx: IExecuteFunctions, i: number): TypingChoice {
	return {
		typed: ctx.getNodeParameter('typedValues', i, false) as boolean,
		keepText: ctx.getNodeParameter('keepValuesAsText', i, false) as boolean,
		nested: ctx.getNodeParameter('nestedRelationshipFields', i, true) as boolean,
	};
}

/** Result columns Salesforce adds to ingest results, with their types. */
const RESULT_COLUMNS: Record<string, CellType> = { sf__Id: 'text', sf__Created: 'boolean', sf__Error: 'text' };

/** Relationships followed at most (Salesforce allows five levels of parent relationships). */
const MAX_HOPS = 5;

/** Polymorphic relationships (Owner: User or Group) are typed when their few targets agree. */
const MAX_TARGETS = 5;

function fieldOf(describe: ObjectDescribe, name: string): FieldDescribe | undefined {
	const lower = name.toLowerCase();
	return describe.fields.find((f) => f.name.toLowerCase() === lower);
}

function relationshipOf(describe: ObjectDescribe, name: string): FieldDescribe | undefined {
	const lower = name.toLowerCase();
	return describe.fields.find((f) => f.relationshipName?.toLowerCase() === lower);
}

/** The type of the field a column path names, starting at `objectName`; undefined when no field answers. */
async function typeOfPath(ctx: SalesforceFunctions, objectName: string, path: string[]): Promise<CellType | undefined> {
	const describe = await describeObject(ctx, objectName).catch((error: unknown) => {
		// An object the user may not describe (or that is gone) leaves its columns to the guess.
		if ([403, 404].includes(Number((error as { context?: { statusCode?: unknown } }).context?.statusCode))) return undefined;
		throw error;
	});
	if (!describe) return undefined;
	if (path.length === 1) {
		const field = fieldOf(describe, path[0]);
		return field ? cellTypeOf(field.type) : undefined;
	}
	const relationship = relationshipOf(describe, path[0]);
	const targets = relationship?.referenceTo ?? [];
	if (targets.length === 0 || targets.length > MAX_TARGETS || path.length > MAX_HOPS + 1) return undefined;
	const types = new Set<CellType | undefined>();
	for (const target of targets) types.add(await typeOfPath(ctx, target, path.slice(1)));
	types.delete(undefined); // a target without the field (polymorphic) does not vote
	return types.size === 1 ? [...types][0] : undefined;
}

/** The type of each column of a result header that a field of `objectName` (or a related object) answers for. */
export async function columnTypesOf(ctx: SalesforceFunctions, objectName: string, header: readonly string[]): Promise<Map<string, CellType>> {
	const types = new Map<string, CellType>();
	for (const column of header) {
		const type = RESULT_COLUMNS[column] ?? (await typeOfPath(ctx, objectName, column.split('.')));
		if (type) types.set(column, type);
	}
	return types;
}

/**
 * How result rows become items: before 1.2, the guess when Typed Values is on (relationships nested, as
 * always); from 1.2 (or when `bySchema` says so: the trigger's opt-in), by the schema of `objectName`
 * unless the user keeps values as text.
 */
export function valueTyping(ctx: SalesforceFunctions, objectName: string | undefined, choice: TypingChoice, bySchema = typesBySchema(ctx)): boolean | HeaderTyping {
	if (!bySchema) return choice.typed;
	const nested = choice.nested;
	if (choice.keepText) return async () => ({ typed: false, nested });
	return async (header) => ({ typed: true, nested, columnTypes: objectName ? await columnTypesOf(ctx, objectName, header) : undefined });
}

/** Whether a parameter is shown from SCHEMA_TYPING_VERSION on (true) or before it (false). */
export function fromTypingVersion(from: boolean): { '@version': DisplayCondition[] } {
	const condition: DisplayCondition = from ? { _cnd: { gte: SCHEMA_TYPING_VERSION } } : { _cnd: { lt: SCHEMA_TYPING_VERSION } };
	return { '@version': [condition] };
}

/** Keep Values as Text and Nested Relationship Fields (1.2): shown where Typed Values was. */
export function schemaTypingParameters(show: INodeProperties['displayOptions']): INodeProperties[] {
	const displayOptions = { ...show, show: { ...show?.show, ...fromTypingVersion(true) } };
	return [
		{
			displayName: 'Keep Values as Text',
			name: 'keepValuesAsText',
			type: 'boolean',
			default: false,
			description:
				"Whether to output every value as the text Salesforce sent. Otherwise values follow each field's type: numbers, currencies and percents as numbers, checkboxes as booleans, text (even digits) as strings, dates as ISO text, empty as null.",
			displayOptions,
		},
		{
			displayName: 'Nested Relationship Fields',
			name: 'nestedRelationshipFields',
			type: 'boolean',
			default: true,
			description: 'Whether to output relationship columns as objects (Owner.Name → { "Owner": { "Name": … } }), as versions 1 and 1.1 always did, instead of keys with a dot',
			displayOptions,
		},
	];
}
