import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Bulk1ContentType } from '../../../shared/api/bulk1Api';
import { abortsJobs } from '../../../shared/api/abortAfterFailure';
import { connect } from '../../../shared/api/connect';
import { queryFields } from '../../../shared/node/descriptions';
import { fileSplitOf } from '../../../shared/node/fileSplit';
import { perItem } from '../../../shared/node/items';
import { failJob } from '../batches';
import { pkChunkingOf, showFor, type Operation } from '../common';
import { abortOnFailureOption, fileOutputParameters, pkChunkingFields, recordOutputParameters, timeoutOption } from '../common.descriptions';
import { allQueryResults, asBinary, checkFileFormat } from '../results';

const displayOptions = showFor('job', 'runQuery');

/** The object a bulk SOQL query reads: the first FROM (bulk queries have no subqueries before it). */
export function objectOfQuery(soql: string): string | undefined {
	return /\bFROM\s+([A-Za-z][\w]*)/i.exec(soql)?.[1];
}

/** Run Query: create the query job (PK chunking if asked), add the SOQL, wait, close, and return every record. */
export const runQuery: Operation = {
	description: [
		...queryFields(displayOptions),
		{
			displayName: 'Content Type',
			name: 'contentType',
			type: 'options',
			options: [
				{ name: 'CSV', value: 'CSV' },
				{ name: 'JSON', value: 'JSON' },
				{ name: 'XML', value: 'XML' },
			],
			default: 'CSV',
			description: 'The format Salesforce returns the results in',
			displayOptions,
		},
		...pkChunkingFields(displayOptions),
		...fileOutputParameters(displayOptions, 'record', { split: true }),
		...recordOutputParameters(displayOptions),
		{ displayName: 'Options', name: 'options', type: 'collection', placeholder: 'Add Option', default: {}, displayOptions, options: [abortOnFailureOption, timeoutOption] },
	],
	async execute(this: IExecuteFunctions) {
		const { bulk1 } = await connect(this);
		return await perItem(this, async (i) => {
			const soql = String(this.getNodeParameter('query', i)).trim();
			const object = objectOfQuery(soql);
			if (!object) throw new NodeOperationError(this.getNode(), 'The SOQL query has no FROM clause', { itemIndex: i, description: 'Example: SELECT Id, Name FROM Account' });
			const options = this.getNodeParameter('options', i, {}) as IDataObject;
			const operation = this.getNodeParameter('queryAll', i, false) ? 'queryAll' : 'query';
			const contentType = this.getNodeParameter('contentType', i) as Bulk1ContentType;
			if (asBinary(this, i)) {
				fileSplitOf(this, i); // a bad file limit or format fails before the job exists
				checkFileFormat(this, i, { contentType });
			}
			const job = await bulk1.createJob({ operation, object, contentType }, pkChunkingOf(this, i));
			let batches;
			try {
				await bulk1.addBatch(job.id, job.contentType, soql);
				batches = await bulk1.waitForBatches(job.id, { timeoutMs: Number(options.timeout ?? 3600) * 1000 });
				// Closed only now: with PK chunking Salesforce adds the chunk batches itself.
				await bulk1.setJobState(job.id, 'Closed');
			} catch (error) {
				throw await failJob(this, bulk1, job.id, error, abortsJobs(error, options.abortOnFailure !== false));
			}
			return await allQueryResults(this, i, bulk1, job, batches);
		});
	},
};
