import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { JobInfo } from '../../../shared/bulk2';
import { connect, type Salesforce } from '../../../shared/client';
import { jobIdParameter, limitOf, outputParameters, returnAllParameters, showWith } from '../../../shared/descriptions';
import { perItem } from '../../../shared/items';
import { queryResultPages, type PageOptions, type QueryResultPage } from '../../../shared/queryResults';
import { jobIdOf, showFor, type Operation } from '../common';
import { csvFileItems, csvFormat, csvItems, queryResultFileItems, queryResultItems, single } from '../../../shared/csvOutput';
import { fileSplitOf } from '../../../shared/fileSplit';

const displayOptions = showFor('queryJob', 'getResults');
const onePage = { show: { ...displayOptions.show, pages: ['one'] } };

/** Typed values, Limit and page size: shared by Get Results and Run Query. */
export function resultOptions(show: INodeProperties['displayOptions']): INodeProperties[] {
	return [
		...outputParameters(show, 'query-results.csv'),
		{
			displayName: 'Typed Values',
			name: 'typedValues',
			type: 'boolean',
			default: false,
			description: 'Whether to turn numbers and true/false into JSON numbers and booleans, and empty values into null (dates stay text)',
			displayOptions: { show: { ...show?.show, outputAs: ['items'] } },
		},
		...returnAllParameters(showWith(show, { outputAs: ['items'] }), true),
		{
			displayName: 'Page Size',
			name: 'pageSize',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50000,
			description: 'Records per page downloaded from Salesforce (maxRecords). About two pages are held in memory at a time: the one being read and the next, requested ahead.',
			displayOptions: show,
		},
	];
}

/** All pages of a finished query job as items or one binary file. */
export async function allResults(ctx: IExecuteFunctions, i: number, sf: Salesforce, job: JobInfo, pageOptions: PageOptions): Promise<INodeExecutionData[] | IDataObject[]> {
	if (ctx.getNodeParameter('outputAs', i) === 'binary') {
		return await queryResultFileItems(ctx, i, sf.bulk2, job, pageOptions, { jobId: job.id, numberOfRecords: job.numberRecordsProcessed ?? null });
	}
	return await queryResultItems(ctx, sf.bulk2, job, pageOptions, ctx.getNodeParameter('typedValues', i, false) as boolean, limitOf(ctx, i));
}

export function pageSize(ctx: IExecuteFunctions, i: number): number {
	return ctx.getNodeParameter('pageSize', i, 50000) as number;
}

/** Get Results: every page, or one page with a locator in and the next locator out (for paging by hand). */
export const getResults: Operation = {
	description: [
		jobIdParameter('searchQueryJobs', displayOptions),
		{
			displayName: 'Pages',
			name: 'pages',
			type: 'options',
			options: [
				{ name: 'All Pages', value: 'all', description: 'Follow the locators to the last page' },
				{ name: 'One Page', value: 'one', description: 'One page from a locator; the output says the next locator' },
			],
			default: 'all',
			displayOptions,
		},
		{
			displayName: 'Locator',
			name: 'locator',
			type: 'string',
			default: '',
			description: 'Where the page starts: the locator output by the previous page. Empty = the first page.',
			displayOptions: onePage,
		},
		...resultOptions(displayOptions),
	],
	async execute(this: IExecuteFunctions) {
		const sf = await connect(this);
		return await perItem(this, async (i) => {
			if (this.getNodeParameter('outputAs', i) === 'binary') fileSplitOf(this, i); // a bad limit fails before any request
			const job = await sf.bulk2.getJob('query', jobIdOf(this, i));
			if (this.getNodeParameter('pages', i) === 'all') return await allResults(this, i, sf, job, { maxRecords: pageSize(this, i) });
			const locator = String(this.getNodeParameter('locator', i, '')).trim() || undefined;
			const page = await queryResultPages(this, sf.bulk2, job.id, { maxRecords: pageSize(this, i), locator, onePage: true }).next();
			const { body, nextLocator, numberOfRecords, stream } = page.value as QueryResultPage;
			const json = { jobId: job.id, locator: nextLocator ?? null, numberOfRecords };
			if (this.getNodeParameter('outputAs', i) === 'binary') return await csvFileItems(this, i, single(body), stream, json, { jobId: job.id, refetch: 'Query Job → Get Results' });
			const records = await csvItems(single(body), csvFormat(job), this.getNodeParameter('typedValues', i, false) as boolean);
			return { ...json, records };
		});
	},
};
