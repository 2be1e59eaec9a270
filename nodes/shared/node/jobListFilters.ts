/**
 * Get Many's filters that Salesforce's job list does not take (state, object, created after / before, created by
 * me): applied to each job while paging, so that the listing stops as soon as the limit is reached.
 */
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { JobInfo, JobListFilter } from '../api/bulk2Api';
import { credentialUserId } from '../api/restApi';

/** Get Many's Options: Resume From, the position where an earlier listing stopped at its limit. */
export function resumeFromOptions(displayOptions: INodeProperties['displayOptions']): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			{
				displayName: 'Resume From',
				name: 'resumeFrom',
				type: 'string',
				default: '',
				placeholder: '{{ $json.resumeFrom }}',
				description:
					'Where an earlier Get Many stopped: the "resumeFrom" field of its last job (present when the limit was reached before the end of the list). The listing goes on with the job after it.',
			},
		],
	};
}

/** The filters of jobListFilterOptions, by the names the parameters have. */
const OWN_FILTERS = ['states', 'objects', 'createdAfter', 'createdBefore', 'createdByMe'];

/** A filter Salesforce's job list takes (Bulk 2.0 jobs are all Parallel; Classic jobs can be Serial). */
export const concurrencyModeFilter: INodeProperties = {
	displayName: 'Concurrency Mode',
	name: 'concurrencyMode',
	type: 'options',
	options: [
		{ name: 'Parallel', value: 'Parallel' },
		{ name: 'Serial', value: 'Serial' },
	],
	default: 'Parallel',
};

/** The Filters options: the ones Salesforce's list takes (`listFilters`) and these, in alphabetical order as n8n wants. */
export function jobListFilterOptions(states: Array<string | { name: string; value: string }>, listFilters: INodeProperties[]): INodeProperties[] {
	const own: INodeProperties[] = [
		{ displayName: 'Created After', name: 'createdAfter', type: 'dateTime', default: '', description: 'Only jobs created at or after this time' },
		{ displayName: 'Created Before', name: 'createdBefore', type: 'dateTime', default: '', description: 'Only jobs created before this time' },
		{ displayName: 'Created by Me', name: 'createdByMe', type: 'boolean', default: false, description: "Whether to list only jobs created by the credential's user" },
		{ displayName: 'Object Names', name: 'objects', type: 'string', default: '', placeholder: 'Account, Contact', description: 'Only jobs on these objects (API names, comma-separated)' },
		{ displayName: 'States', name: 'states', type: 'multiOptions', options: states.map((state) => (typeof state === 'string' ? { name: state, value: state } : state)), default: [], description: 'Only jobs in these states' },
	];
	return [...listFilters, ...own].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

function dateOf(ctx: IExecuteFunctions, filters: IDataObject, field: 'createdAfter' | 'createdBefore', label: string, i: number): number | undefined {
	const value = filters[field];
	if (value === undefined || value === '') return undefined;
	const time = Date.parse(String(value));
	if (Number.isNaN(time)) {
		throw new NodeOperationError(ctx.getNode(), `Filters → ${label} is not a date: "${String(value)}"`, { itemIndex: i, description: 'Give a date and time, e.g. 2026-12-01T00:00:00Z, or pick one.' });
	}
	return time;
}

/** Item i's filters, split: what Salesforce's list takes (`query`), and a test for each listed job (`accepts`). */
export async function jobListFiltersOf(ctx: IExecuteFunctions, i: number): Promise<{ query: JobListFilter; accepts: (job: JobInfo) => boolean }> {
	const filters = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const query = Object.fromEntries(Object.entries(filters).filter(([key]) => !OWN_FILTERS.includes(key))) as JobListFilter;
	const states = (filters.states as string[] | undefined) ?? [];
	const objects = String(filters.objects ?? '')
		.split(',')
		.map((o) => o.trim().toLowerCase())
		.filter(Boolean);
	const after = dateOf(ctx, filters, 'createdAfter', 'Created After', i);
	const before = dateOf(ctx, filters, 'createdBefore', 'Created Before', i);
	// IDs compared on their first 15 characters: Salesforce gives 15- and 18-character forms of one ID.
	const me = filters.createdByMe === true ? (await credentialUserId(ctx, 'Created by Me')).slice(0, 15) : undefined;
	const accepts = (job: JobInfo) => {
		const created = Date.parse(String(job.createdDate ?? ''));
		return (
			(!states.length || states.includes(job.state)) &&
			(!objects.length || objects.includes(String(job.object).toLowerCase())) &&
			(after === undefined || created >= after) &&
			(before === undefined || created < before) &&
			(me === undefined || String(job.createdById ?? '').slice(0, 15) === me)
		);
	};
	return { query, accepts };
}
