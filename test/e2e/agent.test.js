'use strict';
/**
 * End to end: the V2 node as a tool of n8n's AI Agent (issue 17), in the real n8n. The agent's chat model is
 * n8n's OpenAI node whose credential's base URL points at a fake OpenAI-compatible model on loopback
 * (fakeOpenAi.js): it calls our tool with arguments, then answers from what the tool returned. The
 * workflows (test/e2e/agent/) use our node's tool form, `n8n-nodes-salesforce-bulk.salesforceBulk2Tool`, with
 * parameters given by the model through `$fromAI()`.
 *
 * `npx jest test/e2e/agent.test.js` (builds the package; E2E_SKIP_BUILD=1 skips that).
 */

const fs = require('node:fs');
const path = require('node:path');

const { startEmulator } = require('../emulator');
const { accessToken } = require('../helpers/emulator');
const { PACKAGE, MINUTE, emulatorCredential, until } = require('../../scripts/lib/n8n');
const { openTestBed, closeTestBed } = require('./testBed');
const { startFakeOpenAi } = require('./fakeOpenAi');

const API = '/services/data/v63.0';
const JOB_ID = /\b750\w{12}(?:\w{3})?\b/;
const EXPORT_SOQL = "SELECT Id, Name FROM Account WHERE CreatedDate = TODAY AND Name LIKE 'Account %'";
const log = (message) => process.stderr.write(`[e2e agent] ${message}\n`);

const env = {};

/** What the fake model does: asks our tool, then answers from the tool's output. */
const model = {
	decide(request) {
		const question = String(request.messages.find((m) => m.role === 'user')?.content ?? '');
		const jobId = JOB_ID.exec(question)?.[0];
		return jobId ? { jobId } : { soql: EXPORT_SOQL };
	},
	answer(content) {
		const output = JSON.parse(typeof content === 'string' ? content : JSON.stringify(content));
		const first = Array.isArray(output) ? output[0] : output;
		if (first?.numberRecordsFailed !== undefined) return `Job ${first.id} had ${first.numberRecordsFailed} failed rows out of ${first.numberRecordsProcessed}.`;
		if (first?.records) return `${first.totalRecords} Accounts were created today; here are ${first.returnedRecords}${first.truncated ? ' (the list was cut short)' : ''}.`;
		return `I could not read the tool's output: ${JSON.stringify(output).slice(0, 200)}`;
	},
};

async function salesforce(method, pathname, body, contentType = 'application/json') {
	const res = await fetch(`${env.emulator.url}${pathname}`, {
		method,
		headers: { Authorization: `Bearer ${await accessToken(env.emulator)}`, 'Content-Type': contentType },
		body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
	});
	if (res.status >= 300) throw new Error(`${method} ${pathname}: HTTP ${res.status} ${await res.text()}`);
	const text = await res.text();
	return text ? JSON.parse(text) : undefined;
}

/** A finished ingest job with one saved and two failed rows, made through the API (not by the agent). */
async function jobWithFailedRows() {
	const job = await salesforce('POST', `${API}/jobs/ingest`, { object: 'Account', operation: 'insert', lineEnding: 'LF' });
	await salesforce('PUT', `${API}/jobs/ingest/${job.id}/batches`, 'Name,NumberOfEmployees\nAgent Good,1\nAgent Bad,many\nAgent Worse,lots\n', 'text/csv');
	await salesforce('PATCH', `${API}/jobs/ingest/${job.id}`, { state: 'UploadComplete' });
	await until(`job ${job.id} to finish`, async () => (await salesforce('GET', `${API}/jobs/ingest/${job.id}`)).state === 'JobComplete', 30_000, 200);
	return job.id;
}

/** The tool's runs in an execution: its input (the model's arguments) and output items. */
function toolRuns(result, node) {
	return (result.runData[node] ?? []).map((run) => ({ error: run.error, output: (run.data?.ai_tool?.[0] ?? run.data?.main?.[0] ?? []).map((i) => i.json), input: run.inputOverride }));
}

describe(`the V2 node as an AI agent tool in the real n8n ${PACKAGE.config.n8nVersion}`, () => {
	beforeAll(async () => {
		await openTestBed(env, 'agent', log);
		env.emulator = await startEmulator({ jobDelayMs: 200, seed: { Account: 60 } });
		env.model = await startFakeOpenAi(model);
		await env.n8n.importCredentials([
			emulatorCredential('e2eAgentSalesforce', 'Salesforce Bulk (agent e2e)', env.emulator),
			{ id: 'e2eFakeOpenAi', name: 'Fake OpenAI (e2e)', type: 'openAiApi', data: { apiKey: 'sk-fake-e2e', url: env.model.url } },
		]);
		env.jobId = await jobWithFailedRows();
		const dir = path.join(__dirname, 'agent');
		await env.n8n.importWorkflows(
			fs.readdirSync(dir).map((f) => path.join(dir, f)),
			(text) => text.replaceAll('__JOB_ID__', env.jobId),
		);
	}, 40 * MINUTE);

	afterAll(async () => await closeTestBed(env, log, [env.model, env.emulator]), MINUTE);

	beforeEach(() => env.model.requests.splice(0));

	it('"how many failed rows did job X have": the agent calls Get Job with the job ID and answers from its counts', async () => {
		const result = await env.n8n.execute('e2eAgentGetJob');
		const [first, second, ...more] = env.model.requests.map((r) => r.body);
		expect(more).toEqual([]);
		// The tool as our node exposes it: named after the node, described by the operation, one argument.
		expect(first.tools).toEqual([
			{
				type: 'function',
				function: expect.objectContaining({
					name: 'Salesforce_Bulk_Job',
					description: 'Get the state and processed and failed row counts of an ingest job in Salesforce Bulk V2',
					parameters: expect.objectContaining({ type: 'object', properties: { jobId: expect.objectContaining({ type: 'string', description: expect.stringMatching(/starting with 750/) }) }, required: ['jobId'] }),
				}),
			},
		]);
		// The tool ran once with the model's argument, and its output went back to the model.
		const [run] = toolRuns(result, 'Salesforce Bulk Job');
		expect(run.error).toBeUndefined();
		expect(run.output[0]).toMatchObject({ id: env.jobId, state: 'JobComplete', numberRecordsProcessed: 3, numberRecordsFailed: 2 });
		const toolMessage = second.messages.find((m) => m.role === 'tool');
		const passedBack = JSON.parse(toolMessage.content);
		expect([passedBack].flat()[0]).toMatchObject({ id: env.jobId, numberRecordsFailed: 2 });
		expect(result.json('AI Agent')).toEqual([{ output: `Job ${env.jobId} had 2 failed rows out of 3.` }]);
	});

	it('"export Accounts created today": the agent runs a query through Run Query and gets at most 50 records, told the rest were cut', async () => {
		const result = await env.n8n.execute('e2eAgentRunQuery');
		const [first, second] = env.model.requests.map((r) => r.body);
		expect(first.tools[0].function).toMatchObject({
			name: 'Salesforce_Export',
			description: 'Run a SOQL query and return the matching records in Salesforce Bulk V2',
			parameters: expect.objectContaining({ properties: { soql: expect.objectContaining({ type: 'string' }) }, required: ['soql'] }),
		});
		const [run] = toolRuns(result, 'Salesforce Export');
		expect(run.error).toBeUndefined();
		expect(run.output).toHaveLength(1);
		expect(run.output[0]).toMatchObject({ totalRecords: 60, returnedRecords: 50, truncated: true, note: expect.stringMatching(/^Only the first 50 of 60 records/) });
		expect(run.output[0].records).toHaveLength(50);
		const passedBack = [JSON.parse(second.messages.find((m) => m.role === 'tool').content)].flat()[0];
		expect(passedBack).toMatchObject({ totalRecords: 60, returnedRecords: 50, truncated: true });
		expect(result.json('AI Agent')).toEqual([{ output: '60 Accounts were created today; here are 50 (the list was cut short).' }]);
	});
});
