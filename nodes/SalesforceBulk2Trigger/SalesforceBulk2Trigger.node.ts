import type { INodeTypeDescription } from 'n8n-workflow';

import { SalesforceBulkTrigger } from '../SalesforceBulkTrigger/SalesforceBulkTrigger.node';

/**
 * The Salesforce Bulk Trigger under the type name that n8n's nodes panel pairs with the V2 node
 * (`<action node>Trigger`), so that the panel offers it on that node's page, next to its actions. Its first
 * type name, salesforceBulkTrigger, stays loadable for saved workflows, hidden from the panel.
 */
export class SalesforceBulk2Trigger extends SalesforceBulkTrigger {
	description: INodeTypeDescription = { ...new SalesforceBulkTrigger().description, name: 'salesforceBulk2Trigger', hidden: undefined };
}
