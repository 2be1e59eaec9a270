import type { IExecuteFunctions } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import { queryResultPages, type QueryResultPage } from '../../../shared/bulk2/queryPages';
import { csvFileItems, csvFormat, csvItems, onePage } from '../../../shared/node/csvOutput';
import { jobIdParameter } from '../../../shared/node/descriptions';
import { fileSplitOf } from '../../../shared/node/fileSplit';
import { perItem } from '../../../shared/node/items';
import { typingChoiceOf, valueTyping } from '../../../shared/node/resultTyping';
import { isToolRun, toolAnswer, toolRowCap } from '../../../shared/node/toolMode';
import { onJob, showFor, type Operation } from '../common';
import { queryResultParameters } from '../common.descriptions';
import { allQueryResults, pageSizeOf } from './queryResults';

const displayOptions = showFor('queryJob', 'getResults');
const whenOnePage = { show: { ...displayOptions.show, pages: ['one'] } };

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
			displayOptions: whenOnePage,
		},
		...queryResultParameters(displayOptions),
	],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const { bulk2 } = salesforce;
		return await perItem(this, async (i) => {
			const asFiles = this.getNodeParameter('outputAs', i) === 'binary';
			if (asFiles) fileSplitOf(this, i); // a bad limit fails before any request
			const job = await onJob(this, salesforce, 'query', 'results', i, async (jobId) => await bulk2.getJob('query', jobId));
			if (this.getNodeParameter('pages', i) === 'all') return await allQueryResults(this, i, bulk2, job, { maxRecords: pageSizeOf(this, i) });
			const locator = String(this.getNodeParameter('locator', i, '')).trim() || undefined;
			const page = await queryResultPages(this, bulk2, job.id, { maxRecords: pageSizeOf(this, i), locator, onePage: true }).next();
			const { body, nextLocator, numberOfRecords, stream } = page.value as QueryResultPage;
			const json = { jobId: job.id, locator: nextLocator ?? null, numberOfRecords };
			if (asFiles) return await csvFileItems(this, i, onePage(body), stream, json, { jobId: job.id, refetch: 'Query Job → Get Results' }, csvFormat(job));
			const records = await csvItems(onePage(body), csvFormat(job), valueTyping(this, job.object, typingChoiceOf(this, i)));
			return isToolRun(this) ? toolAnswer(records, toolRowCap(this, i), numberOfRecords, json) : { ...json, records };
		});
	},
};
