import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { Bulk2Api } from '../../../../shared/api/bulk2Api';
import { loadResults, uploadParts, type LoadedJob, type LoadPart } from '../../../../shared/bulk2/load';
import { loopTurns, ROWS_PER_LOOK } from '../../../../shared/transport/loopTurns';
import { rowConverter } from '../../../../shared/codecs/records';
import { errorJson, pairedItemsOf, withItemIndex } from '../../../../shared/node/items';
import { columnTypesOf, typesBySchema } from '../../../../shared/node/resultTyping';
import { apiUsageNotice } from '../../../../shared/transport/limits';
import { CREDENTIAL_TYPE } from '../../../../shared/transport/request';
import { ingestJobSpec } from '../../common';
import type { LoadSettings } from './settings';

const NO_ROW: string[] = [];

/** One load: upload all parts, then either the jobs (not waiting) or one item per row with its outcome. */
export async function runLoad(ctx: IExecuteFunctions, bulk2: Bulk2Api, i: number, settings: LoadSettings, parts: AsyncIterable<LoadPart>, itemOf: (row: number) => number): Promise<INodeExecutionData[]> {
	const node = ctx.getNode();
	const spec = ingestJobSpec(ctx, i);
	// In n8n's log at once, so a load whose n8n stops before the results can still be found and resumed.
	const logJob = (jobId: string, rows: number) =>
		ctx.logger.info(`Salesforce Bulk V2 Load Records: job ${jobId} created for ${rows} rows (${spec.object} ${spec.operation}, item ${i}); Salesforce processes it even if n8n stops`, { jobId, rows, itemIndex: i });
	const jobs: LoadedJob[] = await uploadParts(node, bulk2, spec, warnOnApiUsage(ctx, parts, settings.wait), settings.abortOnFailure, logJob);
	if (!settings.wait) {
		return jobs.map(({ job, rowCount, firstRow }) => ({ json: { ...job, uploadedRows: rowCount }, pairedItem: pairedItemsOf(rowCount, (r) => itemOf(firstRow + r)) }));
	}
	const out: INodeExecutionData[] = [];
	const hints: string[] = [];
	const turn = loopTurns();
	for (const [j, report] of (await loadResults(node, bulk2, jobs, settings.timeoutMs)).entries()) {
		const { header, firstRow } = jobs[j];
		const rows = jobs[j].rows ?? [];
		const { job, outcomes, counts, problems } = report;
		// From 1.2 each record is typed by the fields its values went to; other columns stay as sent.
		const columnTypes = typesBySchema(ctx) && outcomes.length ? await columnTypesOf(ctx, spec.object, header) : undefined;
		const toRecord = rowConverter(header, { nested: false, columnTypes });
		const itemRecord = (row: IDataObject) => (columnTypes ? toRecord(header.map((column) => String(row[column] ?? ''))) : row);
		for (let r = 0; r < outcomes.length; r++) {
			if (r % ROWS_PER_LOOK === 0) await turn();
			// The row's outcome (a fresh object per row) becomes its item: no copy of 200,000 objects.
			const json: IDataObject = outcomes[r] as unknown as IDataObject;
			json.jobId = job.id;
			const row = rows[r];
			json.record = Array.isArray(row) ? toRecord(row) : itemRecord(row); // rows from items already are their records
			out.push({ json, pairedItem: { item: itemOf(firstRow + r) } });
			rows[r] = NO_ROW; // its values now live in the record: the row can go
		}
		if (job.state !== 'JobComplete') {
			// Salesforce stopped part-way: what it had processed (and failed) so far, and the rows it never got to.
			const processed = `Salesforce had processed ${Number(job.numberRecordsProcessed ?? 0)} rows (${Number(job.numberRecordsFailed ?? 0)} failed)`;
			hints.push(`Job ${job.id} ended ${job.state}${job.errorMessage ? ` (${job.errorMessage})` : ''}: ${processed}; ${outcomes.filter((o) => o.status === 'unprocessed').length} rows were not processed (status "unprocessed" in their items)`);
		}
		if (problems.length) hints.push(`Job ${job.id}: ${problems.join('; ')}. Check these rows in Salesforce before loading them again.`);
		if (counts.failedResults) hints.push(`Job ${job.id}: ${counts.failedResults} of ${rows.length} rows failed; see "error" in their items`);
	}
	if (hints.length) ctx.addExecutionHints(...hints.map((message) => ({ message, type: 'warning' as const, location: 'outputPane' as const })));
	return out;
}

/**
 * The parts, passed on; once the last is uploaded (its jobs still Open, so nothing is processed yet) a notice
 * when the rest of the load needs more API requests than the org has left: per job a close, a poll or two and,
 * when waiting, its three result files.
 */
async function* warnOnApiUsage(ctx: IExecuteFunctions, parts: AsyncIterable<LoadPart>, wait: boolean): AsyncGenerator<LoadPart> {
	let jobs = 0;
	for await (const part of parts) {
		jobs++;
		yield part;
	}
	const notice = apiUsageNotice(ctx, CREDENTIAL_TYPE, jobs * (wait ? 6 : 1), `Processing the ${jobs} job(s) of this load`);
	if (notice) ctx.addExecutionHints({ message: notice, type: 'warning', location: 'outputPane' });
}

/** With Continue On Fail, a failed load gives one error item per input item of the load. */
export function failedLoad(ctx: IExecuteFunctions, error: unknown, itemIndexes: number[]): INodeExecutionData[] {
	if (!ctx.continueOnFail()) {
		const known = (error as { context?: IDataObject }).context?.itemIndex;
		throw withItemIndex(ctx, error, typeof known === 'number' ? known : itemIndexes[0]);
	}
	const jobIds = ((error as { context?: IDataObject }).context?.jobIds as string[] | undefined) ?? [];
	return itemIndexes.map((item) => ({ json: { ...errorJson(error), jobIds }, pairedItem: { item } }));
}
