import type { IExecuteFunctions } from 'n8n-workflow';

import type { JobKind } from '../../../shared/api/bulk2Api';
import { connect } from '../../../shared/api/connect';
import { jobIdParameter } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { jobIdOf, RESOURCE_OF, showFor, type Operation } from '../common';

/** Delete: removes a finished or aborted job and its data from Salesforce. */
export function deleteJob(kind: JobKind, searchListMethod: string): Operation {
	return {
		description: [jobIdParameter(searchListMethod, showFor(RESOURCE_OF[kind], 'delete'))],
		async execute(this: IExecuteFunctions) {
			const { bulk2 } = await connect(this);
			return await perItem(this, async (i) => {
				const jobId = jobIdOf(this, i);
				await bulk2.deleteJob(kind, jobId);
				return { id: jobId, deleted: true };
			});
		},
	};
}
