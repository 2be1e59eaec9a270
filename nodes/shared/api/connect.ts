import { CREDENTIAL_TYPE, type SalesforceFunctions } from '../transport/request';
import { Bulk1Api } from './bulk1Api';
import { Bulk2Api } from './bulk2Api';
import { RestApi } from './restApi';

export interface Salesforce {
	apiVersion: string;
	bulk1: Bulk1Api;
	bulk2: Bulk2Api;
	rest: RestApi;
}

/** The Salesforce APIs for a node run, at the credential's API version. */
export async function connect(ctx: SalesforceFunctions): Promise<Salesforce> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const apiVersion = String(credentials.apiVersion || '63.0').replace(/^v/i, '');
	return { apiVersion, bulk1: new Bulk1Api(ctx, apiVersion), bulk2: new Bulk2Api(ctx, apiVersion), rest: new RestApi(ctx, apiVersion) };
}
