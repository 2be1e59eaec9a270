import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isQueryJob } from '../../../shared/api/bulk1Api';
import { connect } from '../../../shared/api/connect';
import { parseRecords } from '../../../shared/bulk1/batchRecords';
import { dataFormatOf } from '../../../shared/bulk1/dataFormat';
import { parseLoadResults, rowOutcome, type LoadResult } from '../../../shared/bulk1/loadResults';
import { jobIdOf, jobIdParameter, showWith } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { batchIdOf, classicJob, type Operation, showFor } from '../common';
import { batchIdParameter, fileOutputParameters } from '../common.descriptions';
import { asBinary, binaryItem } from '../results';

const displayOptions = showFor('batch', 'getResults');

/**
 * Get Results: one item per row sent, in input order (Bulk 1.0 keeps it), with its outcome and, unless
 * turned off, the record as it was sent (from the batch's request); or the result file as it is.
 */
export const getResults: Operation = {
	description: [
		jobIdParameter('searchClassicJobs', displayOptions),
		batchIdParameter(displayOptions),
		...fileOutputParameters(displayOptions, 'row sent, with its outcome'),
		{
			displayName: 'Include Records Sent',
			name: 'includeRequest',
			type: 'boolean',
			default: true,
			description: 'Whether to add each row as it was sent (read back from the batch request) under "record"; not for attachment jobs',
			displayOptions: showWith(displayOptions, { outputAs: ['items'] }),
		},
	],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const { bulk1 } = salesforce;
		return await perItem(this, async (i) => {
			const job = await classicJob(this, salesforce, jobIdOf(this, i), i, 'results');
			const batchId = batchIdOf(this, i);
			if (isQueryJob(job)) {
				throw new NodeOperationError(this.getNode(), `Batch ${batchId} belongs to query job ${job.id}, whose results are query result sets`, {
					itemIndex: i,
					description: 'Use Query Result → Get Result IDs, Get Result or Get All Results',
				});
			}
			const batch = await bulk1.getBatch(job.id, batchId);
			if (batch.state !== 'Completed' && batch.state !== 'Failed') {
				throw new NodeOperationError(this.getNode(), `Batch ${batchId} is ${batch.state}: it has results once it is Completed or Failed`, { itemIndex: i });
			}
			const format = dataFormatOf(job.contentType);
			const failed = batch.state === 'Failed';
			if (asBinary(this, i)) {
				const { body } = await bulk1.getBatchData(job.id, batchId, 'result', 'stream');
				return [await binaryItem(this, i, body as NodeJS.ReadableStream, format, `${batchId}-results`, { jobId: job.id, batchId, state: batch.state })];
			}
			// A batch that failed as a whole may have no results: its rows are then unprocessed.
			const response = await bulk1.getBatchData(job.id, batchId, 'result', 'text').catch((error) => (failed ? undefined : Promise.reject(error)));
			const results: LoadResult[] = response ? parseLoadResults(format, String(response.body)) : [];
			let records: IDataObject[] | undefined;
			if (this.getNodeParameter('includeRequest', i, true) && !job.contentType.startsWith('ZIP_')) {
				records = parseRecords(format, String((await bulk1.getBatchData(job.id, batchId, 'request', 'text')).body));
			}
			const rows = Math.max(results.length, records?.length ?? 0);
			return Array.from({ length: rows }, (_, k) => ({
				...rowOutcome(results[k], job.operation, batch.stateMessage),
				batchId,
				...(records ? { record: records[k] ?? null } : {}),
			}));
		});
	},
};
