import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { BatchInfo, Bulk1Api, Bulk1JobInfo } from '../../../shared/bulk1';
import { connect } from '../../../shared/client';
import { jobIdParameter } from '../../../shared/descriptions';
import { perItem } from '../../../shared/items';
import { expectJobKind, jobIdOf, showFor, type Operation } from '../common';
import { asBinary, outputParameters, recordOptions, resultSetsOutput, type ResultSetRef } from '../output';
import { fileSplitOf } from '../../../shared/fileSplit';

const displayOptions = showFor('queryResult', 'getAllResults');

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 3600,
	description: 'How long to wait for the batches to finish; 0 = no limit',
};

/**
 * Every record of a finished query job: all Completed batches (with PK chunking, every chunk; the
 * original batch is NotProcessed and has no results), each of their result sets, in order.
 */
export async function allResults(ctx: IExecuteFunctions, i: number, bulk1: Bulk1Api, job: Bulk1JobInfo, batches: BatchInfo[]): Promise<INodeExecutionData[] | IDataObject[]> {
	const failed = batches.filter((b) => b.state === 'Failed');
	if (failed.length) {
		throw new NodeApiError(ctx.getNode(), { jobId: job.id }, {
			message: `Batch ${failed[0].id} of query job ${job.id} failed: ${failed[0].stateMessage ?? 'no reason given'}`,
			description: failed.map((b) => `${b.id}: ${b.stateMessage ?? ''}`).join('\n'),
		});
	}
	const completed = batches.filter((b) => b.state === 'Completed');
	async function* refs(): AsyncGenerator<ResultSetRef> {
		for (const batch of completed) {
			for (const resultId of await bulk1.getQueryResultIds(job.id, batch.id)) yield { batchId: batch.id, resultId };
		}
	}
	const json = { jobId: job.id, batches: completed.length };
	return await resultSetsOutput(ctx, i, bulk1, job, refs(), json, `${job.id}-results`);
}

/** Get All Results: waits for the job's batches, then returns every record (items or one file). */
export const getAllResults: Operation = {
	description: [
		jobIdParameter('searchClassicQueryJobs', displayOptions),
		...outputParameters(displayOptions, 'record', { split: true }),
		...recordOptions(displayOptions),
		{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions, options: [timeoutOption] },
	],
	async execute(this: IExecuteFunctions) {
		const { bulk1 } = await connect(this);
		return await perItem(this, async (i) => {
			if (asBinary(this, i)) fileSplitOf(this, i); // a bad file limit fails before any request
			const job = await bulk1.getJob(jobIdOf(this, i));
			expectJobKind(this, job, i, 'query', 'Load jobs have batch results: use Batch → Get Results');
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			if (!(await bulk1.listBatches(job.id)).length) {
				throw new NodeOperationError(this.getNode(), `Query job ${job.id} has no batches, so it has no results`, { itemIndex: i, description: 'Add the SOQL query with Batch → Add (Input Data: SOQL Query), or use Job → Run Query' });
			}
			const batches = await bulk1.waitForBatches(job.id, { timeoutMs: Number(options.timeout ?? 3600) * 1000 });
			return await allResults(this, i, bulk1, job, batches);
		});
	},
};
