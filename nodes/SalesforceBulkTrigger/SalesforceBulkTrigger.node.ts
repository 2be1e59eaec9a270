import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { connect, type Salesforce } from '../shared/client';
import { JOB_ID_REGEX } from '../shared/descriptions';
import { sObjectLoadOptions } from '../shared/loadOptions';
import {
	credentialUserId,
	finishedJob,
	jobItem,
	listJobs,
	passesFilters,
	time,
	type Attach,
	type AttachOptions,
	type Filters,
	type FinishedJob,
	type JobKindOption,
	type ListedJob,
	type TriggerEvent,
} from './jobs';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Salesforce deletes jobs 7 days after they finish: older jobs never fire. */
const RETENTION_MS = 7 * DAY_MS;
/**
 * Seen entries are kept a day longer than that horizon, so a job whose entry is pruned is always older
 * than the horizon by Salesforce's own systemModstamp, whatever the skew between its clock and ours.
 */
const SAFETY_MS = DAY_MS;
/** Manual mode checks at most this many Classic jobs (one request each) for a sample. */
const MANUAL_CLASSIC_CHECKS = 25;

/** Static data (workflow static data, per node). */
interface TriggerState extends IDataObject {
	/** Finished jobs of the tracked kinds already accounted for (fired or not), by ID: final state and when. */
	seen: Record<string, { state: string; at: string }>;
	/** Job kinds whose finished jobs `seen` covers; a kind added later starts from what is finished then. */
	kinds: JobKindOption[];
}

const attachOptions = (what: string) => [
	{ name: "Don't Attach", value: 'none' },
	{ name: 'As Items in the Job Item', value: 'items', description: `The ${what} as a list of records in the job's item` },
	{ name: 'As a Binary CSV File', value: 'binary', description: `The ${what} as one CSV file, streamed, for any size` },
];

export class SalesforceBulkTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce Bulk Trigger',
		name: 'salesforceBulkTrigger',
		icon: { light: 'file:salesforce.svg', dark: 'file:salesforce.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "Bulk job " + $parameter["events"].join(" / ") }}',
		description: 'Starts the workflow when Salesforce bulk jobs finish: Bulk API 2.0 ingest and query jobs, and Classic (1.0) jobs',
		defaults: { name: 'Salesforce Bulk Trigger' },
		// Shown in the nodes panel as salesforceBulk2Trigger (see there); kept under this name for saved workflows.
		hidden: true,
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'salesforceBulkOAuth2Api', required: true }],
		properties: [
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{ name: 'Job Aborted', value: 'aborted', description: 'The job was aborted (Bulk 2.0 and Classic)' },
					{ name: 'Job Completed', value: 'completed', description: 'Bulk 2.0: JobComplete. Classic: Closed with every batch done (some may have failed).' },
					{ name: 'Job Failed', value: 'failed', description: 'The job failed; its error message says why' },
				],
				default: ['completed', 'failed', 'aborted'],
			},
			{
				displayName: 'Job Kinds',
				name: 'jobKinds',
				type: 'multiOptions',
				required: true,
				options: [
					{ name: 'Bulk API 1.0 (Classic)', value: 'classic', description: 'Jobs of the Bulk API 1.0 (Data Loader and older tools), load and query' },
					{ name: 'Bulk API 2.0 Ingest', value: 'ingest' },
					{ name: 'Bulk API 2.0 Query', value: 'query' },
				],
				default: ['ingest', 'query'],
			},
			{
				displayName: 'Attach Failed Records',
				name: 'attachFailedRecords',
				type: 'options',
				options: attachOptions('failed records (sf__Id, sf__Error and the uploaded columns)'),
				default: 'none',
				description: 'For Bulk 2.0 ingest jobs with failed records: add them to the job\'s item',
			},
			{
				displayName: 'Attach Query Results',
				name: 'attachQueryResults',
				type: 'options',
				options: attachOptions('results'),
				default: 'none',
				description: 'For completed Bulk 2.0 query jobs: add the results to the job\'s item',
			},
			{
				displayName: 'Filters',
				name: 'filters',
				type: 'collection',
				placeholder: 'Add Filter',
				default: {},
				options: [
					{
						displayName: 'Job ID',
						name: 'jobId',
						type: 'string',
						default: '',
						placeholder: '750R0000000zlh9IAA',
						description: 'Only this job',
					},
					{
						displayName: 'Object Names or IDs',
						name: 'objects',
						type: 'multiOptions',
						typeOptions: { loadOptionsMethod: 'getObjects' },
						default: [],
						description: 'Only jobs on these objects. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
					},
					{
						displayName: 'Only My Jobs',
						name: 'onlyMine',
						type: 'boolean',
						default: false,
						description: 'Whether to fire only for jobs created by the user the credential acts as',
					},
					{
						displayName: 'Operations',
						name: 'operations',
						type: 'multiOptions',
						options: ['delete', 'hardDelete', 'insert', 'query', 'queryAll', 'update', 'upsert'].map((value) => ({ name: value === 'hardDelete' ? 'Hard Delete' : value === 'queryAll' ? 'Query All' : value[0].toUpperCase() + value.slice(1), value })),
						default: [],
						description: 'Only jobs with these operations',
					},
				],
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Jobs Finished Before Activation',
						name: 'includeFinishedBeforeActivation',
						type: 'boolean',
						default: false,
						description: 'Whether the first poll fires for the jobs that had already finished (Salesforce keeps them 7 days), instead of only for jobs finishing after activation',
					},
					{
						displayName: 'Max Records per Job',
						name: 'recordLimit',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 10000,
						description: 'Most records attached as items to one job\'s item; 0 = all. For big results attach a binary file.',
					},
					{
						displayName: 'Page Size',
						name: 'pageSize',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: 50000,
						description: 'Query result records per page downloaded from Salesforce; one page is held in memory at a time',
					},
					{
						displayName: 'Put Output File in Field',
						name: 'binaryPropertyName',
						type: 'string',
						default: 'data',
						hint: 'The name of the output binary field to put an attached file in',
					},
					{
						displayName: 'Typed Values',
						name: 'typedValues',
						type: 'boolean',
						default: false,
						description: 'Whether attached records get JSON numbers and booleans, and null for empty values (dates stay text)',
					},
				],
			},
		],
	};

	methods = { loadOptions: { getObjects: sObjectLoadOptions.getObjects } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const started = Date.now();
		const { kinds, filters, attach, onlyMine, includeExisting } = settings(this);
		const sf = await connect(this);
		if (onlyMine) filters.userId = await credentialUserId(this);
		const jobs = await listJobs(sf, kinds);
		if (this.getMode() === 'manual') return [[await sample(this, sf, jobs, filters, attach)]];

		const data = this.getWorkflowStaticData('node') as Partial<TriggerState>;
		const seen = { ...data.seen };
		// No state yet (first activation): every kind starts from what has finished by now.
		const tracked = new Set(data.seen ? (data.kinds ?? []) : []);
		const now = Date.now();

		// Every finished job not accounted for yet, whether or not it fires: the seen set stays complete, so
		// changing events or filters later never replays old jobs.
		const fresh: FinishedJob[] = [];
		for (const job of jobs) {
			if (seen[job.id] || time(job.systemModstamp) < now - RETENTION_MS) continue;
			const finished = await finishedJob(sf.bulk1, job);
			if (finished) fresh.push(finished);
		}
		fresh.sort((a, b) => time(a.finishedAt) - time(b.finishedAt) || a.id.localeCompare(b.id));
		const fires = (job: FinishedJob) => (tracked.has(job.kindOption) || includeExisting) && filters.events.includes(job.event) && passesFilters(job.info, filters);
		const record = (job: FinishedJob) => {
			const at = Number.isNaN(time(job.finishedAt)) ? new Date(now).toISOString() : job.finishedAt;
			seen[job.id] = { state: String((job.classicDetail ?? job.info).state), at };
		};
		for (const job of fresh) if (!fires(job)) record(job);

		// A large backlog with attachments may not fit the poll's time budget: jobs not reached stay
		// unrecorded and fire on the next poll.
		const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : 5 * 60 * 1000;
		const items: INodeExecutionData[] = [];
		for (const job of fresh.filter(fires)) {
			if (items.length && Date.now() - started > budget / 2) break;
			items.push(await jobItem(this, sf, job, attach));
			record(job);
		}
		let changed = !data.seen || String(data.kinds) !== String(kinds) || Object.keys(seen).length !== Object.keys(data.seen).length;
		for (const [id, entry] of Object.entries(seen)) {
			if (time(entry.at) < now - RETENTION_MS - SAFETY_MS) {
				delete seen[id];
				changed = true;
			}
		}

		// Written only now that every request succeeded (and only when something changed, sparing n8n a
		// database write per poll): a failed poll throws and leaves the state as it was, so n8n records the
		// error and the next poll tries the same jobs again.
		if (changed) {
			data.seen = seen;
			data.kinds = kinds;
		}
		return items.length ? [items] : null;
	}
}

function settings(ctx: IPollFunctions) {
	const node = ctx.getNode();
	const events = ctx.getNodeParameter('events', []) as TriggerEvent[];
	const kinds = ctx.getNodeParameter('jobKinds', []) as JobKindOption[];
	if (!events.length) throw new NodeOperationError(node, 'Select at least one event (Job Completed, Job Failed or Job Aborted)');
	if (!kinds.length) throw new NodeOperationError(node, 'Select at least one job kind');
	const f = ctx.getNodeParameter('filters', {}) as IDataObject;
	const jobId = String(f.jobId ?? '').trim();
	if (jobId && !new RegExp(JOB_ID_REGEX).test(jobId)) throw new NodeOperationError(node, `The Job ID filter "${jobId}" is not a job ID: it starts with 750 and has 15 or 18 characters`);
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const filters: Filters = {
		events,
		objects: (f.objects as string[] | undefined) ?? [],
		operations: (f.operations as string[] | undefined) ?? [],
		jobId: jobId || undefined,
	};
	const attach: AttachOptions = {
		failedRecords: ctx.getNodeParameter('attachFailedRecords', 'none') as Attach,
		queryResults: ctx.getNodeParameter('attachQueryResults', 'none') as Attach,
		typed: options.typedValues === true,
		limit: Number(options.recordLimit ?? 10000) || Infinity,
		binaryPropertyName: String(options.binaryPropertyName || 'data'),
		pageSize: Number(options.pageSize ?? 50000),
	};
	return { kinds, filters, attach, onlyMine: f.onlyMine === true, includeExisting: options.includeFinishedBeforeActivation === true };
}

/** "Fetch Test Event": the most recently finished matching job, whether or not it already fired. */
async function sample(ctx: IPollFunctions, sf: Salesforce, jobs: ListedJob[], filters: Filters, attach: AttachOptions): Promise<INodeExecutionData> {
	const candidates = jobs.filter((job) => passesFilters(job, filters)).sort((a, b) => time(b.systemModstamp) - time(a.systemModstamp));
	let classicChecks = 0;
	for (const job of candidates) {
		if (job.kindOption === 'classic' && job.state !== 'Open' && ++classicChecks > MANUAL_CLASSIC_CHECKS) break;
		const finished = await finishedJob(sf.bulk1, job);
		if (finished && filters.events.includes(finished.event)) return await jobItem(ctx, sf, finished, attach);
	}
	throw new NodeOperationError(ctx.getNode(), 'No finished bulk job found that matches the trigger\'s events, job kinds and filters', {
		description: 'Salesforce lists the jobs of the last 7 days. Run a bulk job that matches (or widen the filters), then fetch a test event again.',
	});
}
