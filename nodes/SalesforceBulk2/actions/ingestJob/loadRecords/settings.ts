import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ColumnDelimiter, LineEnding } from '../../../../shared/codecs/csv';
import { BULK2_MAX_UPLOAD_BYTES } from '../../../../shared/codecs/csvSplit';
import { resumeJobIdsOf } from '../../../../shared/node/resumeJobs';

const MB = 1024 * 1024;

/** Load Records' options of one load, read and checked. */
export interface LoadSettings {
	wait: boolean;
	timeoutMs: number;
	abortOnFailure: boolean;
	maxBytes: number;
	maxRows: number;
	delimiter?: ColumnDelimiter;
	lineEnding?: LineEnding;
	nullValue: string;
	/** Resume Jobs: read these jobs' results instead of loading (empty = a normal load). */
	resumeJobIds: string[];
}

export function loadSettingsOf(ctx: IExecuteFunctions, i: number): LoadSettings {
	const options = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const splitSize = Number(options.splitSize ?? 100);
	if (!(splitSize > 0 && splitSize <= 100)) {
		throw new NodeOperationError(ctx.getNode(), `Split Size must be more than 0 and at most 100 (MB), not ${splitSize}`, { itemIndex: i });
	}
	const resumeJobIds = resumeJobIdsOf(ctx, i);
	return {
		// Resuming always reads the results: the rows are kept to match them.
		wait: options.waitForCompletion !== false || resumeJobIds.length > 0,
		timeoutMs: Math.max(0, Number(options.timeout ?? 3600)) * 1000,
		abortOnFailure: options.abortOnFailure !== false,
		// 100 MB is the most one job takes (Salesforce's 150 MB limit applies after base64).
		maxBytes: Math.min(Math.floor(splitSize * MB), BULK2_MAX_UPLOAD_BYTES),
		maxRows: Number(options.maxRowsPerJob) > 0 ? Number(options.maxRowsPerJob) : Infinity,
		delimiter: options.columnDelimiter as ColumnDelimiter | undefined,
		lineEnding: options.lineEnding as LineEnding | undefined,
		nullValue: options.nullValue === 'blank' ? '' : '#N/A',
		resumeJobIds,
	};
}
