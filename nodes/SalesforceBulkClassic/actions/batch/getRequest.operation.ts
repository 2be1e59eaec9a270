import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isQueryJob } from '../../../shared/api/bulk1Api';
import { connect } from '../../../shared/api/connect';
import { parseRecords } from '../../../shared/bulk1/batchRecords';
import { dataFormatOf } from '../../../shared/bulk1/dataFormat';
import { jobIdOf, jobIdParameter } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { batchIdOf, classicJob, type Operation, showFor } from '../common';
import { batchIdParameter, fileOutputParameters } from '../common.descriptions';
import { asBinary, binaryItem, type FileFormat } from '../results';

const displayOptions = showFor('batch', 'getRequest');

/** Get Request: the batch as it was uploaded: records as items, the SOQL of a query batch, or the file. */
export const getRequest: Operation = {
	description: [jobIdParameter('searchClassicJobs', displayOptions), batchIdParameter(displayOptions), ...fileOutputParameters(displayOptions, 'record')],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const { bulk1 } = salesforce;
		return await perItem(this, async (i) => {
			const job = await classicJob(this, salesforce, jobIdOf(this, i), i, 'results');
			const batchId = batchIdOf(this, i);
			const format: FileFormat = isQueryJob(job) ? 'TXT' : job.contentType.startsWith('ZIP_') ? 'ZIP' : dataFormatOf(job.contentType);
			if (asBinary(this, i)) {
				const { body } = await bulk1.getBatchData(job.id, batchId, 'request', 'stream');
				return [await binaryItem(this, i, body as NodeJS.ReadableStream, format, `${batchId}-request`, { jobId: job.id, batchId })];
			}
			if (format === 'ZIP') {
				throw new NodeOperationError(this.getNode(), `The request of batch ${batchId} is a zip file`, { itemIndex: i, description: 'Set Output As to Binary File to get it' });
			}
			const { body } = await bulk1.getBatchData(job.id, batchId, 'request', 'text');
			if (format === 'TXT') return { jobId: job.id, batchId, query: String(body) };
			return parseRecords(format, String(body));
		});
	},
};
