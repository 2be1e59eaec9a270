// resumeJobs.ts: the Resume Jobs option read from a comma list or an expression's list, each ID checked.
import type { IExecuteFunctions } from 'n8n-workflow';

import { resumeJobIdsOf } from '../../../nodes/shared/node/resumeJobs';

const ctxWith = (resumeJobs: unknown) =>
	({ getNodeParameter: () => ({ resumeJobs }), getNode: () => ({ name: 'Load', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} }) }) as unknown as IExecuteFunctions;

describe('Resume Jobs', () => {
	it('takes a comma list (spaces, new lines, semicolons too) or a list, each ID once, in order', () => {
		expect(resumeJobIdsOf(ctxWith(' 750000000000001AAA,\n750000000000002; 750000000000001AAA '), 0)).toEqual(['750000000000001AAA', '750000000000002']);
		expect(resumeJobIdsOf(ctxWith(['750000000000003AAA']), 0)).toEqual(['750000000000003AAA']);
		expect(resumeJobIdsOf(ctxWith(undefined), 0)).toEqual([]);
		expect(resumeJobIdsOf(ctxWith(''), 0)).toEqual([]);
	});

	it('refuses what is not a job ID, naming it', () => {
		expect(() => resumeJobIdsOf(ctxWith('750000000000001AAA, 751000000000001AAA'), 0)).toThrow('Resume Jobs: "751000000000001AAA" is not a job ID');
		expect(() => resumeJobIdsOf(ctxWith('750abc'), 0)).toThrow('Resume Jobs: "750abc" is not a job ID');
	});
});
