import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Bulk1ContentType } from '../../../shared/bulk1';
import { connect } from '../../../shared/client';
import { queryFields } from '../../../shared/descriptions';
import { perItem } from '../../../shared/items';
import { failJob, showFor, type Operation } from '../common';
import { abortOnFailureOption, pkChunkingFields, pkChunkingOf } from '../fields';
import { asBinary, outputParameters, recordOptions } from '../output';
import { fileSplitOf } from '../../../shared/fileSplit';
import { allResults, timeoutOption } from '../queryResult/getAllResults.operation';

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
		...outputParameters(displayOptions, 'record', { split: true }),
		...recordOptions(displayOptions),
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
			if (asBinary(this, i)) fileSplitOf(this, i); // a bad file limit fails before the job exists
			const job = await bulk1.createJob({ operation, object, contentType }, pkChunkingOf(this, i));
			let batches;
			try {
				await bulk1.addBatch(job.id, job.contentType, soql);
				batches = await bulk1.waitForBatches(job.id, { timeoutMs: Number(options.timeout ?? 3600) * 1000 });
				// Closed only now: with PK chunking Salesforce adds the chunk batches itself.
				await bulk1.setJobState(job.id, 'Closed');
			} catch (error) {
				throw await failJob(this, bulk1, job.id, error, options.abortOnFailure !== false);
			}
			return await allResults(this, i, bulk1, job, batches);
		});
	},
};
