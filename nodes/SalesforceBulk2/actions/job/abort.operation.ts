import type { IExecuteFunctions } from 'n8n-workflow';

import type { JobKind } from '../../../shared/api/bulk2Api';
import { connect } from '../../../shared/api/connect';
import { jobIdParameter } from '../../../shared/node/descriptions';
import { perItem } from '../../../shared/node/items';
import { jobIdOf, RESOURCE_OF, showFor, type Operation } from '../common';

/** Abort: stops an Open or UploadComplete job; records already processed stay processed. */
export function abortJob(kind: JobKind, searchListMethod: string): Operation {
	return {
		description: [jobIdParameter(searchListMethod, showFor(RESOURCE_OF[kind], 'abort'))],
		async execute(this: IExecuteFunctions) {
			const { bulk2 } = await connect(this);
			return await perItem(this, async (i) => await bulk2.abortJob(kind, jobIdOf(this, i)));
		},
	};
}
