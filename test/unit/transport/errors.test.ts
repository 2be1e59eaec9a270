/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: reads the recorded responses */
// transport/errors: Salesforce's error bodies as recorded from the real service, read into an error code
// and message; the NodeApiError the user sees carries them with the status and the job, and never a token.
import type { INode } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { answersResentRequest, cancelledError, isCancelled, jobIdOfError, parseSalesforceError, saysHowToReadAgain, toApiError } from '../../../nodes/shared/transport/errors';

const recorded = (file: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', 'recorded-responses', file), 'utf8');
const node: INode = { id: '1', name: 'Salesforce Bulk V2', type: 'n8n-nodes-salesforce-bulk.salesforceBulk2', typeVersion: 1, position: [0, 0], parameters: {} };

describe('parseSalesforceError', () => {
	it('reads the Bulk 2.0 JSON array (recorded 404)', () => {
		expect(parseSalesforceError(recorded('v2/error-404-NOT_FOUND.official-doc.json'))).toEqual({ errorCode: 'NOT_FOUND', message: expect.any(String) });
	});

	it('reads the Bulk 1.0 XML error (recorded InvalidBatch)', () => {
		expect(parseSalesforceError(recorded('v1/error-InvalidBatch.jetstream.xml'))).toEqual({ errorCode: 'InvalidBatch', message: expect.stringMatching(/\S/) });
	});

	it('reads an OAuth error and a Bulk 1.0 JSON error', () => {
		expect(parseSalesforceError('{"error":"invalid_grant","error_description":"expired access/refresh token"}')).toEqual({ errorCode: 'invalid_grant', message: 'expired access/refresh token' });
		expect(parseSalesforceError('{"exceptionCode":"InvalidJob","exceptionMessage":"Unable to find job"}')).toEqual({ errorCode: 'InvalidJob', message: 'Unable to find job' });
	});

	it('keeps the start of a body that is not JSON, and reads nothing from an empty one', () => {
		expect(parseSalesforceError('Service Unavailable')).toEqual({ errorCode: 'UNKNOWN', message: 'Service Unavailable' });
		expect(parseSalesforceError('x'.repeat(2000))?.message).toHaveLength(500);
		expect(parseSalesforceError('  ')).toBeUndefined();
		expect(parseSalesforceError('<html><body>502</body></html>')).toBeUndefined();
	});
});

describe('toApiError', () => {
	it('names the job and what happened, with the error code, status and job ID in its context', () => {
		const error = toApiError(node, { statusCode: 404, body: recorded('v2/error-404-NOT_FOUND.official-doc.json') }, { jobId: '750R0000000zlh9IAA', method: 'GET', path: '/jobs/ingest/750R0000000zlh9IAA' });
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toContain('Job 750R0000000zlh9IAA was not found');
		expect(error.description).toContain('Job ID: 750R0000000zlh9IAA');
		expect(error.context).toMatchObject({ errorCode: 'NOT_FOUND', statusCode: 404, jobId: '750R0000000zlh9IAA' });
	});

	it("a network failure keeps our message (not n8n's generic one), its code and the job", () => {
		const error = toApiError(node, { statusCode: 0, body: '', networkCode: 'ECONNRESET' }, { jobId: '750R0000000zlh9IAA' });
		expect(error.message).toBe('Salesforce did not answer (ECONNRESET) about job 750R0000000zlh9IAA');
		expect(error.context).toMatchObject({ networkCode: 'ECONNRESET', jobId: '750R0000000zlh9IAA' });
		expect(error.description).toContain('Job ID: 750R0000000zlh9IAA');
	});

	it('is built from the response body only: request headers (the token) never reach it', () => {
		const error = toApiError(node, { statusCode: 401, body: '[{"errorCode":"INVALID_SESSION_ID","message":"Session expired or invalid"}]', headers: { authorization: 'Bearer 00Dsecret' } }, {});
		expect(JSON.stringify({ message: error.message, description: error.description, context: error.context })).not.toContain('00Dsecret');
		expect(error.message).toMatch(/Check the credential/);
	});
});

it('a cancelled execution is told from other errors', () => {
	expect(isCancelled(cancelledError(node))).toBe(true);
	expect(isCancelled(new Error('The execution was cancelled'))).toBe(false);
});

describe('structured facts in the error context', () => {
	it('jobIdOfError reads the job ID toApiError put in the context, not the message', () => {
		const about = toApiError(node, { statusCode: 404, body: '[{"errorCode":"NOT_FOUND","message":"x"}]' }, { jobId: '7505e00000AAAAAAAA' });
		expect(jobIdOfError(about)).toBe('7505e00000AAAAAAAA');
		const unnamed = toApiError(node, { statusCode: 500, body: '' }, {});
		expect(jobIdOfError(unnamed)).toBeUndefined();
		// A message that happens to contain an ID does not make the error about that job.
		expect(jobIdOfError(new NodeApiError(node, { message: 'job 7505e00000AAAAAAAA' }))).toBeUndefined();
		expect(jobIdOfError(undefined)).toBeUndefined();
	});

	it('saysHowToReadAgain: only an error about this job that carries how to read it again', () => {
		const reread = Object.assign(new NodeApiError(node, { message: 'dropped' }), {});
		reread.context = { jobId: '750A', readAgain: 'Get Results with job ID 750A' };
		expect(saysHowToReadAgain(reread, '750A')).toBe(true);
		expect(saysHowToReadAgain(reread, '750B')).toBe(false);
		expect(saysHowToReadAgain(toApiError(node, { statusCode: 400, body: '' }, { jobId: '750A' }), '750A')).toBe(false);
		expect(saysHowToReadAgain(new Error('job 750A: Get Results with job ID 750A'), '750A')).toBe(false);
	});

	it('answersResentRequest is true only for an error built for a request sent again after a lost answer', () => {
		expect(answersResentRequest(toApiError(node, { statusCode: 409, body: '' }, { jobId: '750A', resentAfterLostAnswer: true }))).toBe(true);
		expect(answersResentRequest(toApiError(node, { statusCode: 409, body: '' }, { jobId: '750A' }))).toBe(false);
		expect(answersResentRequest(new Error('x'))).toBe(false);
	});
});
