import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Bulk2Api, JobInfo } from '../../../shared/api/bulk2Api';
import type { PageOptions } from '../../../shared/bulk2/queryPages';
import { queryResultFileItems, queryResultItems } from '../../../shared/node/csvOutput';
import { limitOf } from '../../../shared/node/descriptions';
import { typingChoiceOf, valueTyping } from '../../../shared/node/resultTyping';
import { isToolRun, toolAnswer, toolRowCap } from '../../../shared/node/toolMode';

/** The Page Size parameter (queryResultParameters). */
export function pageSizeOf(ctx: IExecuteFunctions, i: number): number {
	return ctx.getNodeParameter('pageSize', i, 50000) as number;
}

/** All pages of a finished query job as items or binary CSV files, as queryResultParameters ask: Get Results and Run Query. */
export async function allQueryResults(ctx: IExecuteFunctions, i: number, bulk2: Bulk2Api, job: JobInfo, pageOptions: PageOptions): Promise<INodeExecutionData[] | IDataObject[]> {
	if (ctx.getNodeParameter('outputAs', i) === 'binary') {
		return await queryResultFileItems(ctx, i, bulk2, job, pageOptions, { jobId: job.id, numberOfRecords: job.numberRecordsProcessed ?? null });
	}
	const typing = valueTyping(ctx, job.object, typingChoiceOf(ctx, i));
	const cap = Math.min(toolRowCap(ctx, i), limitOf(ctx, i));
	if (isToolRun(ctx)) {
		// One more row than returned tells the agent that there were more.
		const records = await queryResultItems(ctx, bulk2, job, pageOptions, typing, cap + 1);
		return [toolAnswer(records, cap, job.numberRecordsProcessed, { jobId: job.id })];
	}
	return await queryResultItems(ctx, bulk2, job, pageOptions, typing, cap);
}
