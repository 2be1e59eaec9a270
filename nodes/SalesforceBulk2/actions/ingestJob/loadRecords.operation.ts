import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { connect } from '../../../shared/api/connect';
import type { LoadPart } from '../../../shared/bulk2/load';
import { csvInputParameters } from '../../../shared/node/csvInput';
import { BEFORE_MAPPER_VERSION, columnsParameters, mappingOptions } from '../../../shared/node/fieldMapper';
import { inItemOrder } from '../../../shared/node/items';
import { loadOutputs, separateLoadOutputsOption } from '../../../shared/node/outcomeOutputs';
import { resumeJobsOption } from '../../../shared/node/resumeJobs';
import { showFor, type Operation } from '../common';
import { ingestFormatOptions, ingestJobFields } from '../common.descriptions';
import { csvParts } from './loadRecords/csvParts';
import { itemParts, itemTable, mappedItemTable } from './loadRecords/itemParts';
import { resumeLoad } from './loadRecords/resumeLoad';
import { failedLoad, runLoad } from './loadRecords/runLoad';
import { loadSettingsOf, type LoadSettings } from './loadRecords/settings';

const displayOptions = showFor('ingestJob', 'loadRecords');
const only = (values: Record<string, unknown>) => ({ show: { ...displayOptions.show, ...values } });
const beforeMapper = { '@version': BEFORE_MAPPER_VERSION };

/** Object and record operation; the external ID field for upsert, which from 1.2 on is the Columns' matching column for items. */
function jobFields() {
	return ingestJobFields(displayOptions).flatMap((field) => {
		if (field.name !== 'externalIdFieldName') return [field];
		const show = field.displayOptions?.show;
		return [
			{ ...field, displayOptions: { show: { ...show, inputDataType: ['binary', 'csv'] } } },
			{ ...field, displayOptions: { show: { ...show, inputDataType: ['items'], ...beforeMapper } } },
		];
	});
}

/**
 * Load Records: the whole load in one step. Items input is one load (parameters from the first item);
 * a CSV text or file is one load per input item.
 */
export const loadRecords: Operation = {
	description: [
		...jobFields(),
		{
			displayName: 'Input Data',
			name: 'inputDataType',
			type: 'options',
			options: [
				{ name: 'Binary File', value: 'binary', description: 'A CSV file from a binary field of each input item' },
				{ name: 'Input Items', value: 'items', description: 'One record per input item' },
				{ name: 'Text', value: 'csv', description: 'CSV text with a header row of field API names' },
			],
			default: 'items',
			displayOptions,
		},
		{
			displayName: 'Fields to Send',
			name: 'fieldsToSend',
			type: 'options',
			options: [
				{ name: 'All Fields', value: 'all', description: 'Every field of the items; nested objects become relationship columns such as Account.Legacy_Id__c' },
				{ name: 'Selected Fields', value: 'selected', description: 'Only the fields listed below' },
			],
			default: 'all',
			displayOptions: only({ inputDataType: ['items'], ...beforeMapper }),
		},
		{
			displayName: 'Fields to Include',
			name: 'fieldsToInclude',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Field',
			default: {},
			displayOptions: only({ inputDataType: ['items'], fieldsToSend: ['selected'], ...beforeMapper }),
			options: [
				{
					displayName: 'Field',
					name: 'field',
					values: [
						{ displayName: 'Salesforce Field', name: 'name', type: 'string', default: '', placeholder: 'Name', description: 'API name of the field (the CSV column), e.g. Name or Account.Legacy_Id__c' },
						{ displayName: 'Input Field', name: 'inputField', type: 'string', default: '', placeholder: 'company.name', description: 'Field of the input item to take the value from (dots for nested fields); empty = the same name as the Salesforce field' },
					],
				},
			],
		},
		...columnsParameters(only({ inputDataType: ['items'] }), 'getMappingColumns', ['object', 'ingestOperation'], [
			{ mode: 'add', when: { ingestOperation: ['insert', 'delete', 'hardDelete'] } },
			{ mode: 'update', when: { ingestOperation: ['update'] } },
			{ mode: 'upsert', when: { ingestOperation: ['upsert'] } },
		]),
		...csvInputParameters(displayOptions),
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			displayOptions,
			options: [
				...ingestFormatOptions,
				{
					displayName: 'Abort Job on Failure',
					name: 'abortOnFailure',
					type: 'boolean',
					default: true,
					description: 'Whether to abort the jobs of a load that fails part-way (e.g. an upload error), so no half-loaded job goes on; off leaves them as they are. Cancelling the execution always aborts them.',
				},
				{
					displayName: 'Max Rows per Job',
					name: 'maxRowsPerJob',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 0,
					description: 'Start a new job after this many rows; 0 = no limit (only Split Size)',
				},
				{
					displayName: 'Null Values',
					name: 'nullValue',
					type: 'options',
					options: [
						{ name: 'Leave Field Unchanged', value: 'blank', description: 'Null becomes an empty value, which keeps the current value' },
						{ name: 'Set Field to Null', value: 'null', description: 'Null becomes #N/A, which clears the field' },
					],
					default: 'null',
					description: 'What a null value in an input item does',
					displayOptions: { show: { '/inputDataType': ['items'], ...beforeMapper } },
				},
				resumeJobsOption,
				separateLoadOutputsOption,
				...mappingOptions.map((option) => ({ ...option, displayOptions: { show: { ...option.displayOptions?.show, '/inputDataType': ['items'] } } })),
				{
					displayName: 'Split Size (MB)',
					name: 'splitSize',
					type: 'number',
					typeOptions: { minValue: 0.001, maxValue: 100, numberPrecision: 3 },
					default: 100,
					description: 'Most raw CSV per job; more data is split across several jobs at row boundaries. Salesforce takes up to 100 MB per job.',
				},
				{
					displayName: 'Timeout (Seconds)',
					name: 'timeout',
					type: 'number',
					typeOptions: { minValue: 0 },
					default: 3600,
					description: 'How long to wait for the jobs when waiting for completion; 0 = no limit. On timeout the jobs keep running and the error names them; cancelling the execution aborts them.',
				},
				{
					displayName: 'Wait for Completion',
					name: 'waitForCompletion',
					type: 'boolean',
					default: true,
					description: 'Whether to wait for the jobs and return one item per record with its outcome; off returns one item per job right after the upload',
				},
			],
		},
	],
	async execute(this: IExecuteFunctions) {
		const salesforce = await connect(this);
		const { bulk2 } = salesforce;
		const items = this.getInputData();
		// Resume Jobs: the same rows, matched to the results of an earlier run's jobs; nothing is loaded.
		const load = async (i: number, settings: LoadSettings, parts: AsyncIterable<LoadPart>, itemOf: (row: number) => number) =>
			settings.resumeJobIds.length ? await resumeLoad(this, salesforce, i, settings, parts, itemOf) : await runLoad(this, bulk2, i, settings, parts, itemOf);
		if (this.getNodeParameter('inputDataType', 0) === 'items') {
			const output: INodeExecutionData[] = [];
			try {
				const settings = loadSettingsOf(this, 0);
				const table = this.getNode().typeVersion >= 1.2 ? await mappedItemTable(this, output) : await itemTable(this, settings, output);
				if (table.rows.length) {
					for (const item of await load(0, settings, itemParts(this, table, settings), (row) => table.itemOfRow[row])) output.push(item);
				}
			} catch (error) {
				return { outputs: loadOutputs(this, failedLoad(this, error, items.map((_, i) => i))) };
			}
			return { outputs: loadOutputs(this, inItemOrder(output)) };
		}
		const output: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const settings = loadSettingsOf(this, i);
				for (const item of await load(i, settings, csvParts(this, i, settings), () => i)) output.push(item);
			} catch (error) {
				output.push(...failedLoad(this, error, [i]));
			}
		}
		return { outputs: loadOutputs(this, output) };
	},
};
