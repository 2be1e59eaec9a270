import type { IExecuteFunctions } from 'n8n-workflow';

import type { IngestResultKind } from '../../../shared/api/bulk2Api';
import { connect } from '../../../shared/api/connect';
import { csvFileItems, csvFormat, csvItems, onePage } from '../../../shared/node/csvOutput';
import { csvOutputParameters, jobIdOf, jobIdParameter } from '../../../shared/node/descriptions';
import { fileSplitOf } from '../../../shared/node/fileSplit';
import { perItem } from '../../../shared/node/items';
import { typingChoiceOf, valueTyping } from '../../../shared/node/resultTyping';
import { onJob, showFor, type Operation } from '../common';
import { typedValuesParameters } from '../common.descriptions';

/** The operation that fetches each result file again, named in an error when writing files fails midway. */
const REFETCH: Record<IngestResultKind, string> = {
	successfulResults: 'Ingest Job → Get Successful Results',
	failedResults: 'Ingest Job → Get Failed Results',
	unprocessedrecords: 'Ingest Job → Get Unprocessed Records',
};

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
			...typedValuesParameters(displayOptions, 'Whether to turn numbers and true/false into JSON numbers and booleans, and empty values into null'),
		],
		async execute(this: IExecuteFunctions) {
			const salesforce = await connect(this);
			const { bulk2 } = salesforce;
			return await perItem(this, async (i) => {
				const jobId = jobIdOf(this, i);
				const asFiles = this.getNodeParameter('outputAs', i) === 'binary';
				if (asFiles) fileSplitOf(this, i); // a bad limit fails before any request
				const job = await onJob(this, salesforce, 'ingest', 'results', i, async () => await bulk2.getJob('ingest', jobId));
				const body = await bulk2.getIngestResults(jobId, which, 'stream');
				if (asFiles) return await csvFileItems(this, i, onePage(body), body, { jobId, results: which }, { jobId, refetch: REFETCH[which] });
				return await csvItems(onePage(body), csvFormat(job), valueTyping(this, job.object, typingChoiceOf(this, i)));
			});
		},
	};
}
