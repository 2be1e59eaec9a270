import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { BatchInfo, Bulk1Api, Bulk1JobInfo } from '../../../../shared/api/bulk1Api';
import { dataFormatOf } from '../../../../shared/bulk1/dataFormat';
import { parseLoadResults, rowOutcome } from '../../../../shared/bulk1/loadResults';

/** A batch of a load and the records (by index into the load's records) it holds. */
export interface SentBatch {
	batch: BatchInfo;
	first: number;
	count: number;
}

/** Each batch's rows with their outcomes, paired with the items they came from, in input order. */
export async function outcomes(bulk1: Bulk1Api, job: Bulk1JobInfo, records: Array<{ item: number; value: IDataObject }>, sent: SentBatch[], finished: Map<string, BatchInfo>) {
	const out: INodeExecutionData[] = [];
	for (const { batch, first, count } of sent) {
		const done = finished.get(batch.id) ?? batch;
		let results: ReturnType<typeof parseLoadResults> = [];
		if (done.state === 'Completed' || done.state === 'Failed') {
			// A batch that failed as a whole may have no results: its rows are unprocessed.
			const response = await bulk1.getBatchData(job.id, batch.id, 'result', 'text').catch((error) => (done.state === 'Failed' ? undefined : Promise.reject(error)));
			if (response) results = parseLoadResults(dataFormatOf(job.contentType), String(response.body));
		}
		for (let k = 0; k < count; k++) {
			const { item, value } = records[first + k];
			out.push({ json: { ...rowOutcome(results[k], job.operation, done.stateMessage), jobId: job.id, batchId: batch.id, record: value }, pairedItem: { item } });
		}
	}
	return out;
}
