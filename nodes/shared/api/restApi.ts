import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { apiRequest, type SalesforceFunctions } from '../transport/request';

export interface SObjectSummary {
	name: string;
	label: string;
	custom: boolean;
	createable?: boolean;
	queryable?: boolean;
}

export interface FieldDescribe {
	name: string;
	label: string;
	type: string;
	externalId: boolean;
	idLookup: boolean;
	createable: boolean;
	updateable: boolean;
	nillable: boolean;
	defaultedOnCreate: boolean;
	length: number;
	precision: number;
	scale: number;
	referenceTo: string[];
	relationshipName: string | null;
	picklistValues: Array<{ active: boolean; label: string; value: string }>;
}

/** The REST describe calls behind the nodes' dropdowns. */
export class RestApi {
	constructor(
		private readonly ctx: SalesforceFunctions,
		readonly apiVersion: string,
	) {}

	async describeGlobal(): Promise<SObjectSummary[]> {
		const { body } = await apiRequest<{ sobjects: SObjectSummary[] }>(this.ctx, { method: 'GET', path: `/services/data/v${this.apiVersion}/sobjects` });
		return body.sobjects;
	}

	async describe(object: string): Promise<{ name: string; label: string; fields: FieldDescribe[] }> {
		const { body } = await apiRequest<{ name: string; label: string; fields: FieldDescribe[] }>(this.ctx, {
			method: 'GET',
			path: `/services/data/v${this.apiVersion}/sobjects/${encodeURIComponent(object)}/describe`,
		});
		return body;
	}
}

/** The user the credential acts as (its ID is what jobs carry in createdById); `filter` names what needs it in the error. */
export async function credentialUserId(ctx: SalesforceFunctions, filter: string): Promise<string> {
	const { body } = await apiRequest<IDataObject>(ctx, { method: 'GET', path: '/services/oauth2/userinfo' });
	const id = String(body.user_id ?? String(body.sub ?? '').split('/').pop() ?? '');
	if (!/^005\w{12}/.test(id)) throw new NodeOperationError(ctx.getNode(), `Salesforce did not say which user the credential acts as, so "${filter}" cannot be applied`);
	return id;
}
