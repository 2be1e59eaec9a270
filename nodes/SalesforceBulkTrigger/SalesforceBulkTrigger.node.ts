import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { connect, type Salesforce } from '../shared/api/connect';
import { credentialUserId } from '../shared/api/restApi';
import { JOB_ID_REGEX } from '../shared/node/descriptions';
import { sObjectLoadOptions } from '../shared/node/loadOptions';
import { triggerProperties } from './description';
import { CHANGED_RECORDS } from './records/description';
import { getQueryableFields, pollChangedRecords } from './records/poll';
import {
	finishedJob,
	jobItem,
	listJobs,
	passesFilters,
	timeOf,
	type Attach,
	type AttachOptions,
	type Filters,
	type FinishedJob,
	type JobKindOption,
	type ListedJob,
	type TriggerEvent,
} from './jobs';
import { SeenJobs, type TriggerState } from './seenJobs';

/** Manual mode checks at most this many Classic jobs (one request each) for a sample. */
const MANUAL_CLASSIC_CHECKS = 25;

export class SalesforceBulkTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Salesforce Bulk Trigger',
		name: 'salesforceBulkTrigger',
		icon: { light: 'file:salesforce.svg', dark: 'file:salesforce.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["triggerOn"] === "changedRecords" ? "Changed " + $parameter["object"] + " records" : "Bulk job " + $parameter["events"].join(" / ") }}',
		description: 'Starts the workflow when Salesforce bulk jobs finish (Bulk API 2.0 and Classic), or with the records changed since the last poll, read by Bulk API 2.0 query jobs',
		defaults: { name: 'Salesforce Bulk Trigger' },
		// Shown in the nodes panel as salesforceBulk2Trigger (see there); kept under this name for saved workflows.
		hidden: true,
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'salesforceBulkOAuth2Api', required: true }],
		properties: triggerProperties,
	};

	methods = { loadOptions: { getObjects: sObjectLoadOptions.getObjects, getQueryableFields } };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		if (this.getNodeParameter('triggerOn', 'jobFinished') === CHANGED_RECORDS) return await pollChangedRecords(this);
		const started = Date.now();
		const { kinds, filters, attach, onlyMine, includeExisting } = settings(this);
		const sf = await connect(this);
		if (onlyMine) filters.userId = await credentialUserId(this, 'Only My Jobs');
		const jobs = await listJobs(sf, kinds);
		if (this.getMode() === 'manual') return [[await sample(this, sf, jobs, filters, attach)]];

		const seenJobs = new SeenJobs(this.getWorkflowStaticData('node') as Partial<TriggerState>, kinds, Date.now());
		const fresh: FinishedJob[] = [];
		for (const job of jobs) {
			if (seenJobs.skips(job)) continue;
			const finished = await finishedJob(sf.bulk1, job);
			if (finished) fresh.push(finished);
		}
		fresh.sort((a, b) => timeOf(a.finishedAt) - timeOf(b.finishedAt) || a.id.localeCompare(b.id));
		const fires = (job: FinishedJob) => (seenJobs.tracks(job.kindOption) || includeExisting) && filters.events.includes(job.event) && passesFilters(job.info, filters);
		for (const job of fresh) if (!fires(job)) seenJobs.record(job);

		// A large backlog with attachments may not fit the poll's time budget: jobs not reached stay
		// unrecorded and fire on the next poll.
		const budget = typeof this.getPollBudgetMs === 'function' ? this.getPollBudgetMs() : 5 * 60 * 1000;
		const items: INodeExecutionData[] = [];
		for (const job of fresh.filter(fires)) {
			if (items.length && Date.now() - started > budget / 2) break;
			items.push(await jobItem(this, sf, job, attach));
			seenJobs.record(job);
		}
		seenJobs.save();
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
		bySchema: options.typeValuesBySchema === true,
		limit: Number(options.recordLimit ?? 10000) || Infinity,
		binaryPropertyName: String(options.binaryPropertyName || 'data'),
		pageSize: Number(options.pageSize ?? 50000),
	};
	return { kinds, filters, attach, onlyMine: f.onlyMine === true, includeExisting: options.includeFinishedBeforeActivation === true };
}

/** "Fetch Test Event": the most recently finished matching job, whether or not it already fired. */
async function sample(ctx: IPollFunctions, sf: Salesforce, jobs: ListedJob[], filters: Filters, attach: AttachOptions): Promise<INodeExecutionData> {
	const candidates = jobs.filter((job) => passesFilters(job, filters)).sort((a, b) => timeOf(b.systemModstamp) - timeOf(a.systemModstamp));
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
