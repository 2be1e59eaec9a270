// A run of everything the nodes can do: every operation of every resource, every dropdown and list search, the
// trigger with each job kind and option that sends requests. The operations and methods are read from the
// nodes' descriptions, so a new one has no runner here and fails the fault matrix's completeness test; the
// requests this run makes (the emulator's request log) must each have a row in the matrix's list.
import type { IDataObject, INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';

import { until } from '../nodes/setup';
import { byId, classic, items, run, suite, trigger, v2 } from './context';

type Runner = () => Promise<unknown>;

/** `<node> <resource>.<operation>` of every operation, `<node> loadOptions|listSearch.<method>` of every method. */
export function everythingOf(nodes: Record<string, INodeType>): string[] {
	const names: string[] = [];
	for (const [label, node] of Object.entries(nodes)) {
		for (const property of node.description.properties) {
			if (property.name !== 'operation') continue;
			for (const resource of (property.displayOptions?.show?.resource as string[] | undefined) ?? []) {
				for (const option of (property.options ?? []) as Array<{ value: string }>) names.push(`${label} ${resource}.${option.value}`);
			}
		}
		for (const [kind, methods] of Object.entries(node.methods ?? {})) for (const method of Object.keys(methods as object)) names.push(`${label} ${kind}.${method}`);
	}
	return [...new Set(names)];
}

export const NODES = { v2, classic, trigger } as Record<string, INodeType>;

const one = async (node: INodeType, parameters: IDataObject, input?: INodeExecutionData[]) => {
	const out = await run(node as typeof v2, parameters, input);
	if (!out.length) throw new Error(`${String(parameters.resource)}.${String(parameters.operation)} output nothing`);
	return out;
};

/** The runners, by the names everythingOf gives. Shared jobs are made on first use. */
export function runners(): Record<string, Runner> {
	const V2_ING = { resource: 'ingestJob' };
	const V2_Q = { resource: 'queryJob' };
	let v2Jobs: Promise<{ ingest: string; query: string }> | undefined;
	let classicJobs: Promise<{ job: string; batch: string; query: string; chunk: string; result: string }> | undefined;
	const finishedV2 = async (resource: string, id: string) =>
		await until(`job ${id}`, async () => ['JobComplete', 'Failed', 'Aborted'].includes(String((await one(v2, { resource, operation: 'get', jobId: byId(id) }))[0].json.state)));
	const v2Ids = async () =>
		await (v2Jobs ??= (async () => {
			const [job] = await one(v2, { ...V2_ING, operation: 'create', object: 'Account', ingestOperation: 'insert' });
			const ingest = String(job.json.id);
			await one(v2, { ...V2_ING, operation: 'uploadData', jobId: byId(ingest), inputDataType: 'csv', csvData: 'Name\nTour One\n' });
			await one(v2, { ...V2_ING, operation: 'close', jobId: byId(ingest) });
			await finishedV2('ingestJob', ingest);
			const query = String((await one(v2, { ...V2_Q, operation: 'create', query: 'SELECT Id FROM Account LIMIT 3' }))[0].json.id);
			await finishedV2('queryJob', query);
			return { ingest, query };
		})());
	const classicIds = async () =>
		await (classicJobs ??= (async () => {
			const [created] = await one(classic, { resource: 'job', operation: 'create', object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
			const job = String(created.json.id);
			const [batch] = await one(classic, { resource: 'batch', operation: 'add', jobId: byId(job), inputDataType: 'items' }, items([{ Name: 'Tour Classic' }]));
			await one(classic, { resource: 'job', operation: 'update', jobId: byId(job), state: 'Closed' });
			await one(classic, { resource: 'job', operation: 'waitForJob', jobId: byId(job) });
			const [q] = await one(classic, { resource: 'job', operation: 'create', object: 'Account', jobOperation: 'query', contentType: 'CSV' });
			const query = String(q.json.id);
			const [qb] = await one(classic, { resource: 'batch', operation: 'add', jobId: byId(query), inputDataType: 'soql', query: 'SELECT Id FROM Account LIMIT 2' });
			await one(classic, { resource: 'job', operation: 'update', jobId: byId(query), state: 'Closed' });
			await one(classic, { resource: 'job', operation: 'waitForJob', jobId: byId(query) });
			const [ids] = await one(classic, { resource: 'queryResult', operation: 'getResultIds', jobId: byId(query), batchId: String(qb.json.id) });
			return { job, batch: String(batch.json.id), query, chunk: String(qb.json.id), result: String(ids.json.resultId) };
		})());
	const freshV2 = async (resource: string, parameters: IDataObject) => String((await one(v2, { resource, operation: 'create', ...parameters }))[0].json.id);
	const zip = async () => ({ json: { Name: 'tour.txt', ParentId: suite.emulator.org.insertSystem('Account', { Name: 'Tour Parent' }).Id }, binary: { data: await suite.harness.prepareBinary(Buffer.from('tour'), 'tour.txt', 'text/plain') } });
	const poll = async (parameters: IDataObject) => await suite.harness.poll(trigger, { parameters: parameters as INodeParameters, mode: 'manual' });

	return {
		'v2 ingestJob.create': async () => await freshV2('ingestJob', { object: 'Account', ingestOperation: 'insert' }),
		'v2 ingestJob.uploadData': async () => await one(v2, { ...V2_ING, operation: 'uploadData', jobId: byId(await freshV2('ingestJob', { object: 'Account', ingestOperation: 'insert' })), inputDataType: 'csv', csvData: 'Name\nTour Up\n' }),
		'v2 ingestJob.close': async () => await one(v2, { ...V2_ING, operation: 'close', jobId: byId(await freshV2('ingestJob', { object: 'Account', ingestOperation: 'insert' })) }),
		'v2 ingestJob.loadRecords': async () => await one(v2, { ...V2_ING, operation: 'loadRecords', object: 'Account', ingestOperation: 'insert' }, items([{ Name: 'Tour Load' }])),
		'v2 ingestJob.getSuccessfulResults': async () => await one(v2, { ...V2_ING, operation: 'getSuccessfulResults', jobId: byId((await v2Ids()).ingest) }),
		'v2 ingestJob.getFailedResults': async () => await run(v2, { ...V2_ING, operation: 'getFailedResults', jobId: byId((await v2Ids()).ingest) }),
		'v2 ingestJob.getUnprocessedRecords': async () => await run(v2, { ...V2_ING, operation: 'getUnprocessedRecords', jobId: byId((await v2Ids()).ingest) }),
		'v2 ingestJob.get': async () => await one(v2, { ...V2_ING, operation: 'get', jobId: byId((await v2Ids()).ingest) }),
		'v2 ingestJob.getAll': async () => await one(v2, { ...V2_ING, operation: 'getAll', returnAll: true }),
		'v2 ingestJob.waitForJob': async () => await one(v2, { ...V2_ING, operation: 'waitForJob', jobId: byId((await v2Ids()).ingest) }),
		'v2 ingestJob.abort': async () => await one(v2, { ...V2_ING, operation: 'abort', jobId: byId(await freshV2('ingestJob', { object: 'Account', ingestOperation: 'insert' })) }),
		'v2 ingestJob.delete': async () => {
			const id = await freshV2('ingestJob', { object: 'Account', ingestOperation: 'insert' });
			await one(v2, { ...V2_ING, operation: 'abort', jobId: byId(id) });
			return await one(v2, { ...V2_ING, operation: 'delete', jobId: byId(id) });
		},
		'v2 queryJob.create': async () => await freshV2('queryJob', { query: 'SELECT Id FROM Account LIMIT 1' }),
		'v2 queryJob.runQuery': async () => await one(v2, { ...V2_Q, operation: 'runQuery', query: 'SELECT Id FROM Account LIMIT 2' }),
		'v2 queryJob.getResults': async () => await one(v2, { ...V2_Q, operation: 'getResults', jobId: byId((await v2Ids()).query) }),
		'v2 queryJob.get': async () => await one(v2, { ...V2_Q, operation: 'get', jobId: byId((await v2Ids()).query) }),
		'v2 queryJob.getAll': async () => await one(v2, { ...V2_Q, operation: 'getAll', returnAll: true }),
		'v2 queryJob.waitForJob': async () => await one(v2, { ...V2_Q, operation: 'waitForJob', jobId: byId((await v2Ids()).query) }),
		'v2 queryJob.abort': async () => await one(v2, { ...V2_Q, operation: 'abort', jobId: byId(await freshV2('queryJob', { query: 'SELECT Id FROM Account' })) }),
		'v2 queryJob.delete': async () => await one(v2, { ...V2_Q, operation: 'delete', jobId: byId((await v2Ids()).query) }),
		'v2 listSearch.searchIngestJobs': async () => await suite.harness.listSearch(v2, 'searchIngestJobs'),
		'v2 listSearch.searchOpenIngestJobs': async () => await suite.harness.listSearch(v2, 'searchOpenIngestJobs'),
		'v2 listSearch.searchQueryJobs': async () => await suite.harness.listSearch(v2, 'searchQueryJobs'),
		'v2 loadOptions.getObjects': async () => await suite.harness.loadOptions(v2, 'getObjects'),
		'v2 loadOptions.getExternalIdFields': async () => await suite.harness.loadOptions(v2, 'getExternalIdFields', { parameters: { object: 'Account' } }),
		'v2 resourceMapping.getMappingColumns': async () => (await suite.harness.resourceMapping(v2, 'getMappingColumns', { parameters: { object: 'Account', ingestOperation: 'insert' } })).fields,
		'v2 resourceMapping.getJobMappingColumns': async () =>
			(await suite.harness.resourceMapping(v2, 'getJobMappingColumns', { parameters: { resource: 'ingestJob', operation: 'uploadData', jobId: byId(await freshV2('ingestJob', { object: 'Account', ingestOperation: 'insert' })) } })).fields,

		'classic job.create': async () => await one(classic, { resource: 'job', operation: 'create', object: 'Account', jobOperation: 'insert', contentType: 'CSV' }),
		'classic job.get': async () => await one(classic, { resource: 'job', operation: 'get', jobId: byId((await classicIds()).job) }),
		'classic job.getAll': async () => await one(classic, { resource: 'job', operation: 'getAll', returnAll: true }),
		'classic job.update': async () => {
			const [job] = await one(classic, { resource: 'job', operation: 'create', object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
			return await one(classic, { resource: 'job', operation: 'update', jobId: byId(String(job.json.id)), state: 'Aborted' });
		},
		'classic job.waitForJob': async () => await one(classic, { resource: 'job', operation: 'waitForJob', jobId: byId((await classicIds()).job) }),
		'classic job.loadRecords': async () => await one(classic, { resource: 'job', operation: 'loadRecords', object: 'Account', jobOperation: 'insert', contentType: 'CSV' }, items([{ Name: 'Tour V1 Load' }])),
		'classic job.runQuery': async () => await one(classic, { resource: 'job', operation: 'runQuery', query: 'SELECT Id FROM Account LIMIT 2' }),
		'classic batch.add': async () => await one(classic, { resource: 'batch', operation: 'add', jobId: byId(String((await one(classic, { resource: 'job', operation: 'create', object: 'Account', jobOperation: 'insert', contentType: 'CSV' }))[0].json.id)), inputDataType: 'items' }, items([{ Name: 'Tour Batch' }])),
		'classic batch.get': async () => await one(classic, { resource: 'batch', operation: 'get', jobId: byId((await classicIds()).job), batchId: (await classicIds()).batch }),
		'classic batch.getAll': async () => await one(classic, { resource: 'batch', operation: 'getAll', jobId: byId((await classicIds()).job), returnAll: true }),
		'classic batch.getRequest': async () => await one(classic, { resource: 'batch', operation: 'getRequest', jobId: byId((await classicIds()).job), batchId: (await classicIds()).batch }),
		'classic batch.getResults': async () => await one(classic, { resource: 'batch', operation: 'getResults', jobId: byId((await classicIds()).job), batchId: (await classicIds()).batch }),
		'classic queryResult.getResultIds': async () => await one(classic, { resource: 'queryResult', operation: 'getResultIds', jobId: byId((await classicIds()).query), batchId: (await classicIds()).chunk }),
		'classic queryResult.getResult': async () => {
			const ids = await classicIds();
			return await one(classic, { resource: 'queryResult', operation: 'getResult', jobId: byId(ids.query), batchId: ids.chunk, resultId: ids.result });
		},
		'classic queryResult.getAllResults': async () => await one(classic, { resource: 'queryResult', operation: 'getAllResults', jobId: byId((await classicIds()).query) }),
		'classic attachment.createJob': async () => await one(classic, { resource: 'attachment', operation: 'createJob', object: 'Attachment', jobOperation: 'insert', contentType: 'ZIP_CSV' }),
		'classic attachment.uploadBatch': async () => {
			const [job] = await one(classic, { resource: 'attachment', operation: 'createJob', object: 'Attachment', jobOperation: 'insert', contentType: 'ZIP_CSV' });
			return await one(classic, { resource: 'attachment', operation: 'uploadBatch', jobId: byId(String(job.json.id)) }, [await zip()]);
		},
		'classic listSearch.searchClassicJobs': async () => await suite.harness.listSearch(classic, 'searchClassicJobs'),
		'classic listSearch.searchOpenClassicJobs': async () => await suite.harness.listSearch(classic, 'searchOpenClassicJobs'),
		'classic listSearch.searchClassicQueryJobs': async () => await suite.harness.listSearch(classic, 'searchClassicQueryJobs'),
		'classic listSearch.searchAttachmentJobs': async () => await suite.harness.listSearch(classic, 'searchAttachmentJobs'),
		'classic loadOptions.getObjects': async () => await suite.harness.loadOptions(classic, 'getObjects'),
		'classic loadOptions.getExternalIdFields': async () => await suite.harness.loadOptions(classic, 'getExternalIdFields', { parameters: { object: 'Account' } }),
		'classic resourceMapping.getMappingColumns': async () => (await suite.harness.resourceMapping(classic, 'getMappingColumns', { parameters: { object: 'Account', jobOperation: 'insert' } })).fields,
		'classic resourceMapping.getJobMappingColumns': async () => {
			const [job] = await one(classic, { resource: 'job', operation: 'create', object: 'Account', jobOperation: 'insert', contentType: 'CSV' });
			return (await suite.harness.resourceMapping(classic, 'getJobMappingColumns', { parameters: { resource: 'batch', operation: 'add', jobId: byId(String(job.json.id)) } })).fields;
		},

		'trigger loadOptions.getObjects': async () => await suite.harness.loadOptions(trigger, 'getObjects'),
		'trigger loadOptions.getQueryableFields': async () => await suite.harness.loadOptions(trigger, 'getQueryableFields', { parameters: { object: 'Account' } }),
		// The trigger has no operations: each job kind, with the results it can attach, and Only My Jobs.
		'trigger poll.ingest': async () => await poll({ jobKinds: ['ingest'], events: ['completed', 'failed', 'aborted'], attachFailedRecords: 'items', options: { includeFinishedBeforeActivation: true } }),
		'trigger poll.query': async () => await poll({ jobKinds: ['query'], attachQueryResults: 'items', options: { includeFinishedBeforeActivation: true } }),
		'trigger poll.classic': async () => await poll({ jobKinds: ['classic'], filters: { onlyMine: true }, options: { includeFinishedBeforeActivation: true } }),
	};
}
