import type { FieldDescribe } from '../api/restApi';
import { connect } from '../api/connect';
import type { SalesforceFunctions } from '../transport/request';

export interface ObjectDescribe {
	name: string;
	label: string;
	fields: FieldDescribe[];
}

// One cache per node run: n8n gives each run its own context object, so the describe is fetched once per
// execution and forgotten with it (a later execution sees fields added in between).
const runs = new WeakMap<object, Map<string, Promise<ObjectDescribe>>>();

/** The object's describe (GET /sobjects/<object>/describe), fetched once per run of the node. */
export async function describeObject(ctx: SalesforceFunctions, objectName: string): Promise<ObjectDescribe> {
	let cache = runs.get(ctx);
	if (!cache) runs.set(ctx, (cache = new Map()));
	const key = objectName.toLowerCase();
	let describe = cache.get(key);
	if (!describe) {
		describe = connect(ctx).then(async ({ rest }) => await rest.describe(objectName));
		cache.set(key, describe);
		describe.catch(() => cache.delete(key)); // a failed describe is not remembered
	}
	return await describe;
}
