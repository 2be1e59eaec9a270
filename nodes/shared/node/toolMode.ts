/**
 * The nodes run as AI agent tools (usableAsTool: n8n derives `<name>Tool` node types). A query answer goes
 * to a language model, so it is kept small unless the workflow says otherwise, and says when it was cut.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/** Rows a query returns to an agent unless Max Rows for the Agent says otherwise. */
export const TOOL_MAX_ROWS = 50;

/** Whether this run is an AI agent's tool call (n8n names the tool form of a node `<type>Tool`). */
export function isToolRun(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

/** Max Rows for the Agent, shown only on the tool form of the node. */
export function toolMaxRowsParameter(show: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Max Rows for the Agent',
		name: 'toolMaxRows',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: TOOL_MAX_ROWS,
		description: 'The most records returned to the agent; it is told when there were more. 0 = no limit (mind the model\'s context size).',
		displayOptions: { ...show, show: { ...show?.show, '@tool': [true] } },
	};
}

/** The row cap of a tool run (Infinity when not a tool run or no cap). */
export function toolRowCap(ctx: IExecuteFunctions, i: number): number {
	if (!isToolRun(ctx)) return Infinity;
	const max = Number(ctx.getNodeParameter('toolMaxRows', i, TOOL_MAX_ROWS));
	return max > 0 ? max : Infinity;
}

/**
 * A query's answer to an agent: one item with the records (at most `cap`; `records` may hold one more, which
 * tells that there were more), how many there are in all when known, and a note when they were cut.
 */
export function toolAnswer(records: IDataObject[], cap: number, total: number | undefined, json: IDataObject): IDataObject {
	const truncated = records.length > cap || (total !== undefined && total > Math.min(records.length, cap));
	const shown = records.slice(0, cap);
	const all = total ?? (truncated ? undefined : shown.length);
	return {
		...json,
		totalRecords: all ?? null,
		returnedRecords: shown.length,
		truncated,
		...(truncated
			? { note: `Only the first ${shown.length} of ${all ?? 'more'} records are returned. Narrow the query (WHERE, LIMIT, fewer fields) or ask for a count instead.` }
			: {}),
		records: shown,
	};
}
