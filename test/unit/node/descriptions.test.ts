// node/descriptions: the parameters both nodes share show where they should, and the job ID check.
import { JOB_ID_REGEX, outputAsParameters, returnAllParameters, showWith } from '../../../nodes/shared/node/descriptions';

const show = { show: { resource: ['ingestJob'], operation: ['getAll'] } };

it('showWith narrows displayOptions without losing what was there', () => {
	expect(showWith(show, { returnAll: [false] })).toEqual({ show: { resource: ['ingestJob'], operation: ['getAll'], returnAll: [false] } });
	expect(showWith(undefined, { outputAs: ['binary'] })).toEqual({ show: { outputAs: ['binary'] } });
});

it('Return All and Limit: Limit only shows when Return All is off', () => {
	const [returnAll, limit] = returnAllParameters(show, true);
	expect(returnAll).toMatchObject({ name: 'returnAll', default: true, displayOptions: show });
	expect(limit).toMatchObject({ name: 'limit', default: 50, typeOptions: { minValue: 1 }, displayOptions: { show: { ...show.show, returnAll: [false] } } });
});

it('Output As: the file fields only show for a binary file', () => {
	const [outputAs, field, fileName] = outputAsParameters(show, 'One item per record', 'One CSV file', { default: 'results.csv' });
	expect(outputAs).toMatchObject({ name: 'outputAs', default: 'items', displayOptions: show });
	for (const parameter of [field, fileName]) expect(parameter.displayOptions).toEqual({ show: { ...show.show, outputAs: ['binary'] } });
	expect(fileName).toMatchObject({ name: 'fileName', default: 'results.csv' });
});

it('a job ID is 750 and 12 or 15 more letters and digits, nothing else', () => {
	const jobId = new RegExp(JOB_ID_REGEX);
	for (const id of ['750R0000000zlh9', '750R0000000zlh9IAA']) expect(jobId.test(id)).toBe(true);
	for (const id of ['751R0000000zlh9IAA', '750R0000000zlh9IA', '750R0000000zlh9IAAX', '750/../../limits', ' 750R0000000zlh9IAA']) expect(jobId.test(id)).toBe(false);
});
