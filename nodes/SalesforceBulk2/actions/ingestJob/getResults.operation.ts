import type { IExecuteFunctions } from 'n8n-workflow';

import type { IngestResultKind } from '../../../shared/bulk2';
import { connect } from '../../../shared/client';
import { jobIdParameter, outputParameters } from '../../../shared/descriptions';
import { perItem } from '../../../shared/items';
import { csvFileItems, csvItems, single } from '../../../shared/csvOutput';
import { fileSplitOf } from '../../../shared/fileSplit';
import { jobIdOf, showFor, type Operation } from '../common';

const OPERATIONS: Record<IngestResultKind, string> = {
	successfulResults: 'getSuccessfulResults',
	failedResults: 'getFailedResults',
	unprocessedrecords: 'getUnprocessedRecords',
};

const LABELS: Record<IngestResultKind, string> = {
	successfulResults: 'Get Successful Results',
	failedResults: 'Get Failed Results',
	unprocessedrecords: 'Get Unprocessed Records',
};

/** Get Successful Results / Get Failed Results / Get Unprocessed Records, as items or a CSV file. */
export function getResults(which: IngestResultKind): Operation {
	const displayOptions = showFor('ingestJob', OPERATIONS[which]);
	return {
		description: [
			jobIdParameter('searchIngestJobs', displayOptions),
			...outputParameters(displayOptions, `${which}.csv`),
			{
				displayName: 'Typed Values',
				name: 'typedValues',
				type: 'boolean',
				default: false,
				description: 'Whether to turn numbers and true/false into JSON numbers and booleans, and empty values into null',
				displayOptions: { show: { ...displayOptions.show, outputAs: ['items'] } },
			},
		],
		async execute(this: IExecuteFunctions) {
			const { bulk2 } = await connect(this);
			return await perItem(this, async (i) => {
				const jobId = jobIdOf(this, i);
				if (this.getNodeParameter('outputAs', i) === 'binary') fileSplitOf(this, i); // a bad limit fails before any request
				const job = await bulk2.getJob('ingest', jobId);
				const body = await bulk2.getIngestResults(jobId, which, 'stream');
				if (this.getNodeParameter('outputAs', i) === 'binary') return await csvFileItems(this, i, single(body), body, { jobId, results: which }, { jobId, refetch: `Ingest Job → ${LABELS[which]}` });
				const format = { delimiter: job.columnDelimiter, lineEnding: job.lineEnding };
				return await csvItems(single(body), format, this.getNodeParameter('typedValues', i, false) as boolean);
			});
		},
	};
}
