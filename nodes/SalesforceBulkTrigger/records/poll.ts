import type { IDataObject, ILoadOptionsFunctions, INodeExecutionData, INodePropertyOptions, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { connect, type Salesforce } from '../../shared/api/connect';
import type { FieldDescribe } from '../../shared/api/restApi';
import { describeObject } from '../../shared/node/objectDescribe';
import { DEFAULT_FILE_MB, DEFAULT_FILE_ROWS, splitFor } from '../../shared/node/fileSplit';
import { ChangeCursor, msOf, type CursorState } from './cursor';
import { rowFiles, rowItems, type OutputOptions } from './output';
import { sampleQuery, selectedFields, type CursorField, type WatchPlan } from './query';
import { jobRows, runQueryJob, WindowReader, type RowBatch } from './reader';

/** Rows "Fetch Test Event" shows. */
const SAMPLE_ROWS = 10;
/** Field types a Bulk query cannot select. */
const NOT_SELECTABLE = new Set(['address', 'location', 'base64']);

const selectable = (f: FieldDescribe) => !NOT_SELECTABLE.has(f.type);

/** The Fields dropdown: every field a Bulk query can select. */
export async function getQueryableFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const object = String(this.getCurrentNodeParameter('object') ?? '').trim();
	if (!object) return [];
	const { rest } = await connect(this);
	const { fields } = await rest.describe(object);
	return fields.filter(selectable).map((f) => ({ name: `${f.label} (${f.name})`, value: f.name })).sort((a, b) => a.name.localeCompare(b.name));
}

interface Settings {
	plan: WatchPlan;
	startFrom: 'now' | 'date' | 'everything';
	startDate: number;
	lookbackMs: number;
	pageSize: number;
	jobTimeoutMs: number;
	output: OutputOptions;
}

async function settings(ctx: IPollFunctions): Promise<Settings> {
	const node = ctx.getNode();
	const object = String(ctx.getNodeParameter('object', '')).trim();
	if (!object) throw new NodeOperationError(node, 'Choose the object whose changed records start the workflow');
	const cursorField = ctx.getNodeParameter('cursorField', 'SystemModstamp') as CursorField;
	const includeDeleted = cursorField !== 'CreatedDate' && (ctx.getNodeParameter('includeDeleted', false) as boolean);
	let fields = ctx.getNodeParameter('fields', []) as string[];
	if (ctx.getNodeParameter('fieldsMode', 'all') === 'all') fields = (await describeObject(ctx, object)).fields.filter(selectable).map((f) => f.name);
	const startFrom = ctx.getNodeParameter('startFrom', 'now') as Settings['startFrom'];
	const startText = String(ctx.getNodeParameter('startDate', '') ?? '');
	const startDate = startFrom === 'date' ? msOf(/[zZ]|[+-]\d{2}:?\d{2}$/.test(startText) ? startText : `${startText}Z`) : NaN;
	if (startFrom === 'date' && Number.isNaN(startDate)) throw new NodeOperationError(node, `Start Date "${startText}" is not a date`, { description: 'Pick a date and time, e.g. 2026-01-31T00:00:00' });
	const o = ctx.getNodeParameter('recordOptions', {}) as IDataObject;
	const outputAs = ctx.getNodeParameter('outputAs', 'items') as OutputOptions['as'];
	const split = outputAs === 'binary' ? splitFor(String(ctx.getNodeParameter('splitFiles', 'size')), Number(ctx.getNodeParameter('maxFileSizeMb', DEFAULT_FILE_MB)), Number(ctx.getNodeParameter('maxFileRows', DEFAULT_FILE_ROWS))) : undefined;
	if (typeof split === 'string') throw new NodeOperationError(node, split);
	return {
		plan: {
			object,
			fields: selectedFields(fields, cursorField, includeDeleted),
			cursorField,
			where: String(ctx.getNodeParameter('where', '') ?? ''),
			includeDeleted,
			rowsPerJob: Math.max(1, Number(o.rowsPerJob ?? 100000)),
		},
		startFrom,
		startDate,
		lookbackMs: Math.max(0, Number(o.lookbackMinutes ?? 5)) * 60_000,
		pageSize: Number(o.pageSize ?? 50000),
		jobTimeoutMs: Number(o.jobTimeout ?? 600) * 1000,
		output: {
			as: outputAs,
			typed: o.typedValues === true,
			markDeleted: includeDeleted,
			binaryPropertyName: String(ctx.getNodeParameter('binaryPropertyName', 'data') || 'data'),
			fileName: String(ctx.getNodeParameter('fileName', 'changes.csv') || 'changes.csv'),
			split: split ?? {},
		},
	};
}

const iso = (ms: number) => (Number.isNaN(ms) ? null : new Date(ms).toISOString());

/**
 * One poll of "On New or Updated Records (Bulk Query)": the rows changed since the cursor, emitted once
 * each, and the cursor moved to the greatest value among them (static data, saved by n8n with the
 * execution the items start). Manual runs show the latest changes and leave the cursor alone.
 */
export async function pollChangedRecords(ctx: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const started = Date.now();
	const sf = await connect(ctx);
	const s = await settings(ctx);
	if (ctx.getMode() === 'manual') return [await sample(ctx, sf, s)];

	const data = ctx.getWorkflowStaticData('node') as Partial<CursorState>;
	const cursor = new ChangeCursor(data, `${s.plan.object}.${s.plan.cursorField}`, s.lookbackMs);
	if (!cursor.started && s.startFrom === 'now') {
		// From now on (by this host's clock): the next poll queries from this second, nothing to emit yet.
		cursor.startAt(Math.floor(Date.now() / 1000) * 1000);
		cursor.commit();
		return null;
	}
	if (!cursor.started && s.startFrom === 'date') cursor.startAt(s.startDate);
	const before = cursor.value;
	const queriedFrom = cursor.from;
	const budget = typeof ctx.getPollBudgetMs === 'function' ? ctx.getPollBudgetMs() : 5 * 60 * 1000;
	const reader = new WindowReader(ctx, sf.bulk2, s.plan, cursor, { pageSize: s.pageSize, jobTimeoutMs: s.jobTimeoutMs, deadline: started + budget / 2 });
	const batches = reader.batches();
	const window = () => ({
		field: s.plan.cursorField,
		from: iso(queriedFrom),
		to: iso(cursor.value),
		previousCursor: iso(before),
		complete: reader.complete,
		deletedRows: reader.deleted,
	});
	const items = s.output.as === 'binary' ? await rowFiles(ctx, batches, () => reader.stream, s.output, window, () => reader.jobIds) : await rowItems(batches, s.output, window);
	if (!items) return null; // nothing new: the cursor stays (and n8n saves no state without an execution)
	cursor.commit();
	return [items];
}

/** "Fetch Test Event": the latest changed rows (deleted ones too when asked), as the trigger would emit them. */
async function sample(ctx: IPollFunctions, sf: Salesforce, s: Settings): Promise<INodeExecutionData[]> {
	const job = await runQueryJob(ctx, sf.bulk2, sampleQuery(s.plan, SAMPLE_ROWS), s.plan.includeDeleted ? 'queryAll' : 'query', s.jobTimeoutMs);
	let stream: NodeJS.ReadableStream | undefined;
	const batches = (async function* (): AsyncGenerator<RowBatch> {
		for await (const batch of jobRows(ctx, sf.bulk2, job, s.pageSize)) {
			stream ??= batch.stream;
			yield batch;
		}
	})();
	const window = () => ({ field: s.plan.cursorField, sample: true });
	const items = s.output.as === 'binary' ? await rowFiles(ctx, batches, () => stream, s.output, window, () => [job.id]) : await rowItems(batches, s.output, window);
	if (items) return items;
	throw new NodeOperationError(ctx.getNode(), `No ${s.plan.object} record matches the trigger's condition yet`, {
		description: 'Create or change a record that matches (or widen the Extra Condition), then fetch a test event again. The cursor is not moved by test events.',
	});
}
