import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Salesforce } from '../../../../shared/api/connect';
import type { LoadPart, PartRow } from '../../../../shared/bulk2/load';
import { checkResumable, resumedResults } from '../../../../shared/bulk2/resume';
import { rowConverter } from '../../../../shared/codecs/records';
import { onJobOfKind } from '../../../../shared/node/jobKind';
import { ingestJobSpec } from '../../common';
import type { LoadSettings } from './settings';

/**
 * Load Records with Resume Jobs: the rows of the same input as a load would send them, matched to the results of
 * the jobs an earlier run created; the output is the load's (one item per row, paired to its item).
 */
export async function resumeLoad(ctx: IExecuteFunctions, salesforce: Salesforce, i: number, settings: LoadSettings, parts: AsyncIterable<LoadPart>, itemOf: (row: number) => number): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const spec = ingestJobSpec(ctx, i);
	const jobs = [];
	for (const jobId of settings.resumeJobIds) {
		const job = await onJobOfKind(ctx, salesforce, jobId, 'ingest', 'Load Records', i, async () => await salesforce.bulk2.getJob('ingest', jobId));
		checkResumable(node, spec, job, i);
		jobs.push(job);
	}
	let header: string[] | undefined;
	const rows: PartRow[] = [];
	for await (const part of parts) {
		header ??= part.header;
		if (part.header.join('\0') !== header.join('\0')) {
			throw new NodeOperationError(node, 'The rows to resume do not all have the same columns', { itemIndex: i, description: 'Give the same input as the run that created the jobs.' });
		}
		for (const row of part.rows ?? []) rows.push(row);
	}
	if (!header) return [];
	const report = await resumedResults(node, salesforce.bulk2, spec.operation, header, rows, jobs, settings.timeoutMs);
	ctx.logger.info(`Salesforce Bulk V2 Load Records: resumed job ${jobs.map((j) => j.id).join(', ')} for ${rows.length} rows (item ${i}); nothing was loaded again`, { jobIds: jobs.map((j) => j.id), rows: rows.length, itemIndex: i });
	const toRecord = rowConverter(header, { nested: false });
	const out: INodeExecutionData[] = [];
	for (let r = 0; r < rows.length; r++) {
		const json = report.outcomes[r] as unknown as IDataObject;
		json.jobId = json.jobId ?? null;
		const row = rows[r];
		json.record = Array.isArray(row) ? toRecord(row) : row;
		out.push({ json, pairedItem: { item: itemOf(r) } });
	}
	const hints = report.jobs.filter((job) => job.state !== 'JobComplete').map((job) => `Job ${job.id} ended ${job.state}${job.errorMessage ? ` (${job.errorMessage})` : ''}`);
	if (report.problems.length) hints.push(`Resumed job ${jobs.map((j) => j.id).join(', ')}: ${report.problems.join('; ')}`);
	if (report.counts.failedResults) hints.push(`${report.counts.failedResults} of ${rows.length} rows failed; see "error" in their items`);
	if (hints.length) ctx.addExecutionHints(...hints.map((message) => ({ message, type: 'warning' as const, location: 'outputPane' as const })));
	return out;
}
