import type { IExecuteFunctions } from 'n8n-workflow';

import type { IngestResultKind } from '../../../shared/api/bulk2Api';
import { connect } from '../../../shared/api/connect';
import { csvFile, csvFormat, csvItems, onePage } from '../../../shared/node/csvOutput';
import { csvOutputParameters, jobIdOf, jobIdParameter } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { showFor, type Operation } from '../common';
import { typedValuesParameter } from '../common.descriptions';

/**
 * What Get Successful Results, Get Failed Results and Get Unprocessed Records share: one of the job's three
 * result files, as items or as a CSV file. Each of them is its own operation file.
 */
export function ingestResultsOperation(which: IngestResultKind, operation: string): Operation {
	const displayOptions = showFor('ingestJob', operation);
	return {
		description: [
			jobIdParameter('searchIngestJobs', displayOptions),
			...csvOutputParameters(displayOptions, `${which}.csv`),
			typedValuesParameter(displayOptions, 'Whether to turn numbers and true/false into JSON numbers and booleans, and empty values into null'),
		],
		async execute(this: IExecuteFunctions) {
			const { bulk2 } = await connect(this);
			return await perItem(this, async (i) => {
				const jobId = jobIdOf(this, i);
				const job = await bulk2.getJob('ingest', jobId);
				const body = await bulk2.getIngestResults(jobId, which, 'stream');
				if (this.getNodeParameter('outputAs', i) === 'binary') return [await csvFile(this, i, onePage(body), body, { jobId, results: which })];
				return await csvItems(onePage(body), csvFormat(job), this.getNodeParameter('typedValues', i, false) as boolean);
			});
		},
	};
}
