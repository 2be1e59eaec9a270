import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { connect } from '../api/connect';

/** The sObject and external-ID-field dropdowns, loaded from the org's describe calls. */
export const sObjectLoadOptions = {
	async getObjects(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const { rest } = await connect(this);
		return (await rest.describeGlobal())
			.filter((o) => o.createable !== false || o.queryable !== false)
			.map((o) => ({ name: `${o.label} (${o.name})`, value: o.name }))
			.sort((a, b) => a.name.localeCompare(b.name));
	},

	/** Fields that can match upsert records: external IDs, plus Id (last). */
	async getExternalIdFields(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
		const object = String(this.getCurrentNodeParameter('object') ?? '').trim();
		if (!object) return [];
		const { rest } = await connect(this);
		const { fields } = await rest.describe(object);
		return fields
			.filter((f) => f.externalId || f.name === 'Id')
			.map((f) => ({ name: `${f.label} (${f.name})`, value: f.name }))
			.sort((a, b) => (a.value === 'Id' ? 1 : b.value === 'Id' ? -1 : a.name.localeCompare(b.name)));
	},
};
