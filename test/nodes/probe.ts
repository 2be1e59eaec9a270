// A minimal node that runs a test's function against the shared client inside the real n8n-core
// context: the client is tested the way nodes use it, with the emulator as the server.
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { connect, type Salesforce } from '../../nodes/shared/api/connect';

export type Probe = (sf: Salesforce, ctx: IExecuteFunctions) => Promise<IDataObject>;

let current: Probe = async () => ({});

/** The function the next probe run executes. */
export function setProbe(fn: Probe): void {
	current = fn;
}

export class ClientProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Client Probe',
		name: 'clientProbe',
		group: ['transform'],
		version: 1,
		description: 'Runs a test function against the shared Salesforce client',
		defaults: { name: 'Client Probe' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'salesforceBulkOAuth2Api', required: true }],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const json = await current(await connect(this), this);
		return [[{ json, pairedItem: { item: 0 } }]];
	}
}
