// node/jobWait: the options of waiting for a job the user names, read from real node parameters, and the error
// for a job that ended without success. (The waits themselves: test/nodes/waitForJob.test.ts.)
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { closeAndWaitOptions, failedJobError, jobWaitOptions, jobWaitSettingsOf } from '../../../nodes/shared/node/jobWait';
import { apiProbe } from '../apiProbe';

const p = apiProbe([{ displayName: 'Options', name: 'options', type: 'collection', default: {}, options: jobWaitOptions }]);
const settings = async (options: IDataObject) => await p.run(async (_sf, ctx) => ({ ...jobWaitSettingsOf(ctx, 0) }), { parameters: { options } as INodeParameters });

it('reads the timeout in seconds (default an hour, never below 0), On Timeout and Fail on Failed Job', async () => {
	expect(await settings({})).toEqual({ timeoutMs: 3_600_000, outputOnTimeout: false, failOnFailedJob: false });
	expect(await settings({ timeout: 90, onTimeout: 'output', failOnFailedJob: true })).toEqual({ timeoutMs: 90_000, outputOnTimeout: true, failOnFailedJob: true });
	expect((await settings({ timeout: -5 })).timeoutMs).toBe(0);
});

it('Close and Update → Closed show the wait options only with Wait for Completion on', () => {
	expect(closeAndWaitOptions.map((o) => o.name)).toEqual(['waitForCompletion', 'failOnFailedJob', 'onTimeout', 'timeout']);
	for (const option of closeAndWaitOptions.slice(1)) expect(option.displayOptions?.show).toEqual({ waitForCompletion: [true] });
	expect(closeAndWaitOptions[0].displayOptions).toBeUndefined();
});

it('failedJobError names the job and how it ended, and says what to do', async () => {
	const error = await p.run(async (_sf, ctx) => {
		const e = failedJobError(ctx, { id: '750F' }, 'Failed', 0);
		return { message: e.message, description: e.description ?? '' };
	});
	expect(error).toEqual({ message: 'Job 750F ended Failed', description: expect.stringMatching(/^Get its failed results .* turn Fail on Failed Job off/) });
});
