/** An sObject's describe, fetched once per execution and shared by every item and node of it that asks. */
import { connect } from '../api/connect';
import type { FieldDescribe } from '../api/restApi';
import type { SalesforceFunctions } from '../transport/request';

/** The describe fields the nodes read; relationship fields say where they lead. */
export interface DescribedField extends FieldDescribe {
	referenceTo?: string[];
	relationshipName?: string | null;
}

export interface ObjectDescribe {
	name: string;
	label: string;
	fields: DescribedField[];
}

type Cache = Map<string, Promise<ObjectDescribe>>;

/** Executions whose describes are kept: a few run at once; older ones are dropped first. */
const MAX_EXECUTIONS = 20;
const byExecution = new Map<string, Cache>();
// A run without an execution ID (a trigger's poll) keeps its describes for that run only.
const byContext = new WeakMap<object, Cache>();

function cacheOf(ctx: SalesforceFunctions): Cache {
	const executionId = ctx.getExecutionId?.();
	if (!executionId) {
		let cache = byContext.get(ctx);
		if (!cache) byContext.set(ctx, (cache = new Map()));
		return cache;
	}
	// Another credential may see another org: describes are kept per credential too.
	const key = `${executionId}\u0000${ctx.getNode().credentials?.salesforceBulkOAuth2Api?.id ?? ''}`;
	let cache = byExecution.get(key);
	if (!cache) {
		if (byExecution.size >= MAX_EXECUTIONS) byExecution.delete(byExecution.keys().next().value as string);
		byExecution.set(key, (cache = new Map()));
	}
	return cache;
}

/** The describe of `objectName` (GET /sobjects/<object>/describe), once per execution; a failed call is not kept. */
export async function describeObject(ctx: SalesforceFunctions, objectName: string): Promise<ObjectDescribe> {
	const cache = cacheOf(ctx);
	const key = objectName.toLowerCase(); // Salesforce names objects case-insensitively
	let describe = cache.get(key);
	if (!describe) {
		describe = connect(ctx).then(async ({ rest }) => (await rest.describe(objectName)) as ObjectDescribe);
		cache.set(key, describe);
		describe.catch(() => cache.delete(key));
	}
	return await describe;
}
