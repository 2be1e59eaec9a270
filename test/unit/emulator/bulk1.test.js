'use strict';
// Bulk API 1.0 of the emulator, over real HTTP: jobs and batches in CSV, XML and JSON, serial mode,
// queries and PK chunking, binary attachments, error answers, and jsforce's bulk client against it.

const AdmZip = require('adm-zip');
const jsforce = require('jsforce');
const { startEmulator } = require('../../emulator');
const { seedRecords } = require('../../emulator/seed');
const { accessToken } = require('../../helpers/emulator');

const NS = 'http://www.force.com/2009/06/asyncapi/dataload';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>';

let emulator;
let token;
let base;

const newToken = () => accessToken(emulator);

beforeAll(async () => {
	emulator = await startEmulator({ jobDelayMs: 30 });
	base = `${emulator.url}/services/async/63.0`;
	token = await newToken();
});

afterAll(async () => {
	await emulator.close();
});

/** One request; returns status, Content-Type and the body as text (and parsed JSON when it is JSON). */
async function call(method, path, { body, type, headers = {} } = {}) {
	const res = await fetch(`${base}/${path}`, {
		method,
		headers: { 'X-SFDC-Session': token, ...(type ? { 'Content-Type': type } : {}), ...headers },
		body,
	});
	const text = await res.text();
	const contentType = res.headers.get('content-type');
	return { status: res.status, type: contentType, text, json: contentType === 'application/json' ? JSON.parse(text) : undefined };
}

/** Text of every <name> element (flat XML, no attributes on these). */
function tags(xml, name) {
	return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]);
}

function tag(xml, name) {
	return tags(xml, name)[0];
}

function jobXml(fields) {
	return `<?xml version="1.0" encoding="UTF-8"?><jobInfo xmlns="${NS}">${Object.entries(fields).map(([k, v]) => `<${k}>${v}</${k}>`).join('')}</jobInfo>`;
}

async function createXmlJob(fields, headers) {
	const res = await call('POST', 'job', { body: jobXml(fields), type: 'application/xml; charset=UTF-8', headers });
	expect(res.status).toBe(201);
	return tag(res.text, 'id');
}

async function createJsonJob(fields, headers) {
	const res = await call('POST', 'job', { body: JSON.stringify(fields), type: 'application/json', headers });
	expect(res.status).toBe(201);
	return res.json.id;
}

async function addBatch(jobId, body, type) {
	const res = await call('POST', `job/${jobId}/batch`, { body, type });
	expect(res.status).toBe(201);
	return res.json ? res.json.id : tag(res.text, 'id');
}

async function setState(jobId, state, json = false) {
	return json
		? call('POST', `job/${jobId}`, { body: JSON.stringify({ state }), type: 'application/json' })
		: call('POST', `job/${jobId}`, { body: `<jobInfo xmlns="${NS}"><state>${state}</state></jobInfo>`, type: 'application/xml' });
}

/** Polls a batch until it leaves Queued/InProgress (or reaches `until`); returns its state. */
async function waitBatch(jobId, batchId, until = ['Completed', 'Failed', 'NotProcessed']) {
	for (let i = 0; i < 200; i++) {
		const res = await call('GET', `job/${jobId}/batch/${batchId}`);
		const state = res.json ? res.json.state : tag(res.text, 'state');
		if (until.includes(state)) return res;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	throw new Error(`batch ${batchId} did not reach ${until}`);
}

async function waitAll(jobId) {
	for (let i = 0; i < 300; i++) {
		const list = await call('GET', `job/${jobId}/batch`);
		const states = list.json ? list.json.batchInfo.map((b) => b.state) : tags(list.text, 'state');
		if (states.length && states.every((s) => !['Queued', 'InProgress'].includes(s))) return list;
		await new Promise((resolve) => setTimeout(resolve, 10));
	}
	throw new Error(`job ${jobId} did not finish`);
}

function accountsNamed(prefix) {
	return [...emulator.org.table('Account').values()].filter((r) => String(r.Name).startsWith(prefix));
}

describe('CSV jobs', () => {
	test('create, add a batch, results in input order with the failed row, close', async () => {
		const created = await call('POST', 'job', { body: jobXml({ operation: 'insert', object: 'account', contentType: 'CSV' }), type: 'application/xml; charset=UTF-8' });
		expect(created.status).toBe(201);
		expect(created.type).toBe('application/xml');
		expect(created.text.startsWith(`${XML_HEAD}<jobInfo\n   xmlns="${NS}">\n <id>750`)).toBe(true);
		const jobId = tag(created.text, 'id');
		expect(tag(created.text, 'object')).toBe('Account');
		// No batches yet: the real service self-closes the list.
		expect((await call('GET', `job/${jobId}/batch`)).text).toBe(`${XML_HEAD}<batchInfoList\n   xmlns="${NS}" />`);
		expect(tag(created.text, 'state')).toBe('Open');
		expect(tag(created.text, 'apiVersion')).toBe('63.0');
		expect(tag(created.text, 'numberBatchesTotal')).toBe('0');
		// Element order as recorded from Salesforce.
		const order = [...created.text.matchAll(/^ <(\w+)>/gm)].map((m) => m[1]);
		expect(order).toEqual([
			'id', 'operation', 'object', 'createdById', 'createdDate', 'systemModstamp', 'state', 'concurrencyMode', 'contentType',
			'numberBatchesQueued', 'numberBatchesInProgress', 'numberBatchesCompleted', 'numberBatchesFailed', 'numberBatchesTotal',
			'numberRecordsProcessed', 'numberRetries', 'apiVersion', 'numberRecordsFailed', 'totalProcessingTime', 'apiActiveProcessingTime', 'apexProcessingTime',
		]);
		expect(tag(created.text, 'createdDate')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);

		const csv = 'Name,Industry,NumberOfEmployees\nCSV-1,Energy,10\n,Retail,20\n"CSV-3, Inc",,30\n';
		const added = await call('POST', `job/${jobId}/batch`, { body: csv, type: 'text/csv; charset=UTF-8' });
		expect(added.status).toBe(201);
		expect(tag(added.text, 'state')).toBe('Queued');
		expect(tag(added.text, 'jobId')).toBe(jobId);
		const batchId = tag(added.text, 'id');
		expect(batchId).toMatch(/^751/);

		const info = await waitBatch(jobId, batchId);
		expect(tag(info.text, 'state')).toBe('Completed');
		expect(tag(info.text, 'numberRecordsProcessed')).toBe('3');
		expect(tag(info.text, 'numberRecordsFailed')).toBe('1');

		const result = await call('GET', `job/${jobId}/batch/${batchId}/result`);
		expect(result.status).toBe(200);
		expect(result.type).toBe('text/csv');
		const [first, third] = [accountsNamed('CSV-1')[0], accountsNamed('CSV-3')[0]];
		expect(first.Industry).toBe('Energy');
		expect(third.Name).toBe('CSV-3, Inc');
		expect(third.NumberOfEmployees).toBe(30);
		expect(result.text).toBe(
			'"Id","Success","Created","Error"\n' +
				`"${first.Id}","true","true",""\n` +
				'"","false","false","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"\n' +
				`"${third.Id}","true","true",""\n`,
		);

		const request = await call('GET', `job/${jobId}/batch/${batchId}/request`);
		expect(request.text).toBe(csv);
		expect(request.type).toBe('text/csv; charset=UTF-8');

		const closed = await setState(jobId, 'Closed');
		expect(closed.status).toBe(200);
		expect(tag(closed.text, 'state')).toBe('Closed');
		expect(tag(closed.text, 'numberBatchesCompleted')).toBe('1');
		expect(tag(closed.text, 'numberBatchesTotal')).toBe('1');
		expect(tag(closed.text, 'numberRecordsProcessed')).toBe('3');
		expect(tag(closed.text, 'numberRecordsFailed')).toBe('1');

		const list = await call('GET', `job/${jobId}/batch`);
		expect(list.text.startsWith(`${XML_HEAD}<batchInfoList\n   xmlns="${NS}">\n <batchInfo>\n  <id>${batchId}</id>\n  <jobId>${jobId}</jobId>\n  <state>Completed</state>`)).toBe(true);

		// The job shows in the Bulk 2.0 job list as a Classic job.
		const v2 = await fetch(`${emulator.url}/services/data/v63.0/jobs/ingest`, { headers: { Authorization: `Bearer ${token}` } });
		const listed = (await v2.json()).records.find((j) => j.id === jobId);
		expect(listed).toMatchObject({ jobType: 'Classic', object: 'Account', operation: 'insert', state: 'UploadComplete' });
	});

	test('update and delete by Id; a batch with an unknown column fails', async () => {
		const target = emulator.org.insertSystem('Account', { Name: 'CSV-upd' });
		const updateJob = await createXmlJob({ operation: 'update', object: 'Account', contentType: 'CSV' });
		const b1 = await addBatch(updateJob, `Id,Name\n${target.Id},CSV-updated\n`, 'text/csv');
		const b2 = await addBatch(updateJob, 'Id,Foo\n001000000000000AAA,x\n', 'text/csv');
		await waitBatch(updateJob, b1);
		expect(target.Name).toBe('CSV-updated');
		const failed = await waitBatch(updateJob, b2);
		expect(tag(failed.text, 'state')).toBe('Failed');
		expect(tag(failed.text, 'stateMessage')).toBe('InvalidBatch : Field name not found : Foo');
		const noResults = await call('GET', `job/${updateJob}/batch/${b2}/result`);
		expect(noResults.status).toBe(400);
		expect(tag(noResults.text, 'exceptionCode')).toBe('InvalidBatch');
		expect(tag(noResults.text, 'exceptionMessage')).toBe('Records not found for this batch');
		const job = await call('GET', `job/${updateJob}`);
		expect(tag(job.text, 'numberBatchesCompleted')).toBe('1');
		expect(tag(job.text, 'numberBatchesFailed')).toBe('1');

		const deleteJob = await createXmlJob({ operation: 'delete', object: 'Account', contentType: 'CSV' });
		const b3 = await addBatch(deleteJob, `Id\n${target.Id}\n`, 'text/csv');
		await waitBatch(deleteJob, b3);
		expect(target.IsDeleted).toBe(true);
		expect((await call('GET', `job/${deleteJob}/batch/${b3}/result`)).text).toBe(`"Id","Success","Created","Error"\n"${target.Id}","true","false",""\n`);
	});
});

describe('XML jobs', () => {
	test('sObjects with nil and relationship fields; XML results in input order', async () => {
		const parent = emulator.org.insertSystem('Account', { Name: 'XML-parent', Legacy_Id__c: 'XML-P1' });
		const jobId = await createXmlJob({ operation: 'insert', object: 'Account', contentType: 'XML' });
		const body =
			`<?xml version="1.0" encoding="UTF-8"?><sObjects xmlns="${NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
			'<sObject><Name>XML-1 &amp; Co</Name><Phone xsi:nil="true"/><Parent><Legacy_Id__c>XML-P1</Legacy_Id__c></Parent></sObject>' +
			'<sObject><Industry>Energy</Industry></sObject>' +
			'<sObject><Name>XML-3</Name><NumberOfEmployees>12</NumberOfEmployees></sObject>' +
			'</sObjects>';
		const batchId = await addBatch(jobId, body, 'application/xml; charset=UTF-8');
		await waitBatch(jobId, batchId);
		const [one] = accountsNamed('XML-1');
		const [three] = accountsNamed('XML-3');
		expect(one.Name).toBe('XML-1 & Co');
		expect(one.ParentId).toBe(parent.Id);
		expect(three.NumberOfEmployees).toBe(12);

		const result = await call('GET', `job/${jobId}/batch/${batchId}/result`);
		expect(result.type).toBe('application/xml');
		expect(result.text).toBe(
			`${XML_HEAD}<results\n   xmlns="${NS}">\n` +
				` <result>\n  <id>${one.Id}</id>\n  <success>true</success>\n  <created>true</created>\n </result>\n` +
				' <result>\n  <errors>\n   <fields>Name</fields>\n   <message>Required fields are missing: [Name]</message>\n   <statusCode>REQUIRED_FIELD_MISSING</statusCode>\n  </errors>\n  <success>false</success>\n  <created>false</created>\n </result>\n' +
				` <result>\n  <id>${three.Id}</id>\n  <success>true</success>\n  <created>true</created>\n </result>\n` +
				'</results>',
		);
	});

	test('malformed XML data fails the batch', async () => {
		const jobId = await createXmlJob({ operation: 'insert', object: 'Account', contentType: 'XML' });
		const batchId = await addBatch(jobId, '<sObjects><sObject><Name>x</sObject>', 'application/xml');
		const info = await waitBatch(jobId, batchId);
		expect(tag(info.text, 'state')).toBe('Failed');
		expect(tag(info.text, 'stateMessage')).toMatch(/^InvalidBatch : Failed to parse XML\. Found invalid XML\./);
	});
});

describe('JSON jobs', () => {
	test('upsert by external ID answers in JSON, results in input order', async () => {
		const existing = emulator.org.insertSystem('Account', { Name: 'JSON-old', Legacy_Id__c: 'JSON-1' });
		const created = await call('POST', 'job', {
			body: JSON.stringify({ operation: 'upsert', object: 'Account', contentType: 'JSON', externalIdFieldName: 'legacy_id__c' }),
			type: 'application/json',
		});
		expect(created.status).toBe(201);
		expect(created.type).toBe('application/json');
		// Keys in alphabetical order and apiVersion a number, as Salesforce prints them.
		expect(Object.keys(created.json)).toEqual([...Object.keys(created.json)].sort());
		expect(created.text).toContain('"apiVersion":63.0,');
		expect(created.json).toMatchObject({
			assignmentRuleId: null,
			concurrencyMode: 'Parallel',
			contentType: 'JSON',
			externalIdFieldName: 'Legacy_Id__c',
			fastPathEnabled: false,
			numberBatchesTotal: 0,
			object: 'Account',
			operation: 'upsert',
			state: 'Open',
		});
		expect(created.json.createdDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000\+0000$/);
		const jobId = created.json.id;

		const records = [
			{ Legacy_Id__c: 'JSON-1', Name: 'JSON-updated', AnnualRevenue: 5 },
			{ Legacy_Id__c: 'JSON-2', Name: 'JSON-new', Active__c: true },
			{ Legacy_Id__c: 'JSON-3', Industry: 'Energy' },
		];
		const added = await call('POST', `job/${jobId}/batch`, { body: JSON.stringify(records), type: 'application/json' });
		expect(added.status).toBe(201);
		expect(added.json).toMatchObject({ jobId, state: 'Queued', stateMessage: null, numberRecordsProcessed: 0 });
		const done = await waitBatch(jobId, added.json.id);
		expect(done.json).toMatchObject({ state: 'Completed', numberRecordsProcessed: 3, numberRecordsFailed: 1 });

		const result = await call('GET', `job/${jobId}/batch/${added.json.id}/result`);
		expect(result.type).toBe('application/json');
		const [fresh] = accountsNamed('JSON-new');
		expect(existing.Name).toBe('JSON-updated');
		expect(existing.AnnualRevenue).toBe(5);
		expect(fresh.Active__c).toBe(true);
		expect(result.json).toEqual([
			{ success: true, created: false, id: existing.Id, errors: [] },
			{ success: true, created: true, id: fresh.Id, errors: [] },
			{ success: false, created: false, id: null, errors: [{ fields: ['Name'], message: 'Required fields are missing: [Name]', statusCode: 'REQUIRED_FIELD_MISSING' }] },
		]);

		const list = await call('GET', `job/${jobId}/batch`);
		expect(list.json.batchInfo.map((b) => b.id)).toEqual([added.json.id]);
		const closed = await setState(jobId, 'Closed', true);
		expect(closed.json).toMatchObject({ state: 'Closed', numberBatchesCompleted: 1, numberRecordsProcessed: 3, numberRecordsFailed: 1 });

		// Errors of a JSON job are JSON too.
		const late = await call('POST', `job/${jobId}/batch`, { body: '[]', type: 'application/json' });
		expect(late.status).toBe(400);
		expect(late.json).toEqual({ exceptionCode: 'InvalidJobState', exceptionMessage: `Job ${jobId} is not open: its state is Closed` });
	});
});

describe('concurrency', () => {
	afterEach(() => {
		emulator.options.holdJobs = false;
	});

	async function states(jobId) {
		const list = await call('GET', `job/${jobId}/batch`);
		return tags(list.text, 'state');
	}

	async function until(check) {
		for (let i = 0; i < 200; i++) {
			if (await check()) return;
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		throw new Error('condition not met');
	}

	test('a Serial job runs one batch at a time, in order', async () => {
		emulator.options.holdJobs = true;
		const jobId = await createXmlJob({ operation: 'insert', object: 'Account', concurrencyMode: 'Serial', contentType: 'CSV' });
		const b1 = await addBatch(jobId, 'Name\nSER-1\n', 'text/csv');
		const b2 = await addBatch(jobId, 'Name\nSER-2\n', 'text/csv');
		await until(async () => (await states(jobId))[0] === 'InProgress');
		await new Promise((resolve) => setTimeout(resolve, 40));
		expect(await states(jobId)).toEqual(['InProgress', 'Queued']);
		const job = await call('GET', `job/${jobId}`);
		expect(tag(job.text, 'concurrencyMode')).toBe('Serial');
		expect(tag(job.text, 'numberBatchesInProgress')).toBe('1');
		expect(tag(job.text, 'numberBatchesQueued')).toBe('1');

		// Closing the job does not stop its batches.
		expect(tag((await setState(jobId, 'Closed')).text, 'state')).toBe('Closed');
		expect(emulator.jobs.finish(jobId)).toBe(true);
		expect(accountsNamed('SER-').map((r) => r.Name)).toEqual(['SER-1']);
		await until(async () => (await states(jobId)).join() === 'Completed,InProgress');
		expect(emulator.jobs.finish(jobId)).toBe(true);
		expect(await states(jobId)).toEqual(['Completed', 'Completed']);
		expect(accountsNamed('SER-').map((r) => r.Name)).toEqual(['SER-1', 'SER-2']);
		expect(tag((await call('GET', `job/${jobId}/batch/${b2}`)).text, 'state')).toBe('Completed');
		expect(tag((await call('GET', `job/${jobId}/batch/${b1}`)).text, 'state')).toBe('Completed');
	});

	test('a Parallel job runs its queued batches together; results wait until done; abort stops the rest', async () => {
		emulator.options.holdJobs = true;
		const jobId = await createXmlJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
		const b1 = await addBatch(jobId, 'Name\nPAR-1\n', 'text/csv');
		await addBatch(jobId, 'Name\nPAR-2\n', 'text/csv');
		await until(async () => (await states(jobId)).join() === 'InProgress,InProgress');
		const early = await call('GET', `job/${jobId}/batch/${b1}/result`);
		expect(early.status).toBe(400);
		expect(tag(early.text, 'exceptionCode')).toBe('InvalidBatch');
		expect(tag(early.text, 'exceptionMessage')).toBe('Batch not completed');

		const aborted = await setState(jobId, 'Aborted');
		expect(aborted.status).toBe(200);
		expect(tag(aborted.text, 'state')).toBe('Aborted');
		expect(await states(jobId)).toEqual(['NotProcessed', 'NotProcessed']);
		expect(tags((await call('GET', `job/${jobId}/batch`)).text, 'stateMessage')).toEqual(['Job aborted', 'Job aborted']);
		emulator.jobs.finish(jobId);
		expect(accountsNamed('PAR-')).toEqual([]);
		const again = await setState(jobId, 'Closed');
		expect(again.status).toBe(400);
		expect(tag(again.text, 'exceptionCode')).toBe('InvalidJobState');
	});
});

describe('query jobs', () => {
	let ids;

	beforeAll(() => {
		ids = ['Q-1', 'Q-2', 'Q-3'].map((Name, i) => emulator.org.insertSystem('Account', { Name, Industry: i === 1 ? null : 'Energy', NumberOfEmployees: i + 1 }).Id);
	});

	async function runQuery(contentType, soql, operation = 'query') {
		const jobId = contentType === 'JSON' ? await createJsonJob({ operation, object: 'Account', contentType }) : await createXmlJob({ operation, object: 'Account', contentType });
		const type = { CSV: 'text/csv', XML: 'application/xml', JSON: 'application/json' }[contentType];
		const batchId = await addBatch(jobId, soql, `${type}; charset=UTF-8`);
		const info = await waitBatch(jobId, batchId);
		return { jobId, batchId, info };
	}

	const SOQL = "SELECT Id, Name, Industry, NumberOfEmployees FROM Account WHERE Name LIKE 'Q-%' ORDER BY Name";

	test('CSV: result-list then the result set with every field quoted', async () => {
		const { jobId, batchId, info } = await runQuery('CSV', SOQL);
		expect(tag(info.text, 'state')).toBe('Completed');
		expect(tag(info.text, 'numberRecordsProcessed')).toBe('3');
		const list = await call('GET', `job/${jobId}/batch/${batchId}/result`);
		expect(list.type).toBe('application/xml');
		const [resultId] = tags(list.text, 'result');
		expect(list.text).toBe(`${XML_HEAD}<result-list\n   xmlns="${NS}">\n <result>${resultId}</result>\n</result-list>`);
		expect(resultId).toMatch(/^752/);
		const set = await call('GET', `job/${jobId}/batch/${batchId}/result/${resultId}`);
		expect(set.type).toBe('text/csv');
		expect(set.text).toBe(
			'"Id","Name","Industry","NumberOfEmployees"\n' + `"${ids[0]}","Q-1","Energy","1"\n` + `"${ids[1]}","Q-2","","2"\n` + `"${ids[2]}","Q-3","Energy","3"\n`,
		);
		const request = await call('GET', `job/${jobId}/batch/${batchId}/request`);
		expect(request.text).toBe(SOQL);
	});

	test('XML: queryResult records with type, Id slot and nil fields', async () => {
		const { jobId, batchId } = await runQuery('XML', "SELECT Id, Name, Industry, Owner.Name FROM Account WHERE Name = 'Q-2'");
		const list = await call('GET', `job/${jobId}/batch/${batchId}/result`);
		const set = await call('GET', `job/${jobId}/batch/${batchId}/result/${tag(list.text, 'result')}`);
		expect(set.type).toBe('application/xml');
		expect(set.text).toBe(
			`${XML_HEAD}<queryResult\n   xmlns="${NS}"\n   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n` +
				' <records xsi:type="sObject">\n  <type>Account</type>\n' +
				`  <Id>${ids[1]}</Id>\n  <Id>${ids[1]}</Id>\n  <Name>Q-2</Name>\n  <Industry xsi:nil="true"/>\n` +
				'  <Owner xsi:type="sObject">\n   <type>User</type>\n   <Id xsi:nil="true"/>\n   <Name>Bulk User</Name>\n  </Owner>\n' +
				' </records>\n</queryResult>',
		);
	});

	test('JSON: result-list and records with attributes', async () => {
		const { jobId, batchId, info } = await runQuery('JSON', SOQL);
		expect(info.json.state).toBe('Completed');
		const list = await call('GET', `job/${jobId}/batch/${batchId}/result`);
		expect(list.json).toHaveLength(1);
		expect(list.text).toBe(`["${list.json[0]}"]`);
		expect(list.json[0]).toMatch(/^752[A-Za-z0-9]{12}$/);
		const set = await call('GET', `job/${jobId}/batch/${batchId}/result/${list.json[0]}`);
		expect(set.type).toBe('application/json');
		// Laid out as recorded from Salesforce (Jackson's pretty printer).
		expect(set.text.startsWith(`[ {\n  "attributes" : {\n    "type" : "Account",\n    "url" : "/services/data/v63.0/sobjects/Account/${ids[0]}"\n  },\n  "Id" : "${ids[0]}",\n`)).toBe(true);
		expect(set.text.endsWith('\n} ]')).toBe(true);
		expect(set.json).toEqual(
			ids.map((Id, i) => ({
				attributes: { type: 'Account', url: `/services/data/v63.0/sobjects/Account/${Id}` },
				Id,
				Name: `Q-${i + 1}`,
				Industry: i === 1 ? null : 'Energy',
				NumberOfEmployees: i + 1,
			})),
		);
	});

	test('JSON prints dates as epoch milliseconds and null parents as null; an XML jobInfo request gets XML back', async () => {
		const created = await call('POST', 'job', { body: jobXml({ operation: 'query', object: 'Account', contentType: 'JSON' }), type: 'application/xml' });
		expect(created.type).toBe('application/xml');
		expect(tag(created.text, 'contentType')).toBe('JSON');
		const jobId = tag(created.text, 'id');
		const list = await call('GET', `job/${jobId}/batch`);
		expect(list.json).toEqual({ batchInfo: [] });
		const batchId = await addBatch(jobId, "SELECT Name, CreatedDate, Parent.Name FROM Account WHERE Name = 'Q-1'", 'application/json');
		await waitBatch(jobId, batchId);
		const resultId = (await call('GET', `job/${jobId}/batch/${batchId}/result`)).json[0];
		const set = await call('GET', `job/${jobId}/batch/${batchId}/result/${resultId}`);
		const record = emulator.org.find(ids[0]).record;
		expect(set.json).toEqual([
			{ attributes: { type: 'Account', url: `/services/data/v63.0/sobjects/Account/${ids[0]}` }, Name: 'Q-1', CreatedDate: Date.parse(record.CreatedDate), Parent: null },
		]);
	});

	test('big results split into several result sets; queryAll includes deleted rows', async () => {
		emulator.options.v1ResultRows = 2;
		try {
			const { jobId, batchId } = await runQuery('CSV', SOQL);
			const list = await call('GET', `job/${jobId}/batch/${batchId}/result`);
			const resultIds = tags(list.text, 'result');
			expect(resultIds).toHaveLength(2);
			const bodies = [];
			for (const id of resultIds) bodies.push((await call('GET', `job/${jobId}/batch/${batchId}/result/${id}`)).text);
			expect(bodies[0]).toBe(`"Id","Name","Industry","NumberOfEmployees"\n"${ids[0]}","Q-1","Energy","1"\n"${ids[1]}","Q-2","","2"\n`);
			expect(bodies[1]).toBe(`"Id","Name","Industry","NumberOfEmployees"\n"${ids[2]}","Q-3","Energy","3"\n`);
		} finally {
			delete emulator.options.v1ResultRows;
		}
		const deleted = emulator.org.insertSystem('Account', { Name: 'QD-1', IsDeleted: true });
		const soql = "SELECT Id FROM Account WHERE Name = 'QD-1'";
		const live = await runQuery('CSV', soql);
		const liveSet = await call('GET', `job/${live.jobId}/batch/${live.batchId}/result/${tag((await call('GET', `job/${live.jobId}/batch/${live.batchId}/result`)).text, 'result')}`);
		expect(liveSet.text).toBe('Records not found for this query');
		const all = await runQuery('CSV', soql, 'queryAll');
		const allSet = await call('GET', `job/${all.jobId}/batch/${all.batchId}/result/${tag((await call('GET', `job/${all.jobId}/batch/${all.batchId}/result`)).text, 'result')}`);
		expect(allSet.text).toBe(`"Id"\n"${deleted.Id}"\n`);
	});

	test('bad SOQL fails the batch with MALFORMED_QUERY', async () => {
		const { info } = await runQuery('CSV', 'SELECT FROM Account');
		expect(tag(info.text, 'state')).toBe('Failed');
		expect(tag(info.text, 'stateMessage')).toMatch(/^InvalidBatch : Failed to process query: MALFORMED_QUERY: /);
	});
});

describe('PK chunking', () => {
	let invoiceIds;

	beforeAll(() => {
		seedRecords(emulator.org, 'Invoice__c', 25);
		invoiceIds = [...emulator.org.table('Invoice__c').keys()];
	});

	async function chunkedQuery(header) {
		const jobId = await createXmlJob({ operation: 'query', object: 'Invoice__c', contentType: 'CSV' }, { 'Sforce-Enable-PKChunking': header });
		const original = await addBatch(jobId, 'SELECT Id, Name FROM Invoice__c', 'text/csv');
		const list = await waitAll(jobId);
		const batchIds = tags(list.text, 'id');
		const states = tags(list.text, 'state');
		const rows = [];
		for (const [k, batchId] of batchIds.entries()) {
			if (states[k] !== 'Completed') continue;
			const resultList = await call('GET', `job/${jobId}/batch/${batchId}/result`);
			for (const resultId of tags(resultList.text, 'result')) {
				const set = await call('GET', `job/${jobId}/batch/${batchId}/result/${resultId}`);
				const lines = set.text.trim().split('\n');
				expect(lines[0]).toBe('"Id","Name"');
				rows.push(lines.slice(1).map((l) => l.split(',')[0].replace(/"/g, '')));
			}
		}
		return { jobId, original, batchIds, states, rows };
	}

	test('chunkSize=10 splits 25 records into three chunk batches that together return every row', async () => {
		const { jobId, original, batchIds, states, rows } = await chunkedQuery('chunkSize=10');
		expect(batchIds[0]).toBe(original);
		expect(states).toEqual(['NotProcessed', 'Completed', 'Completed', 'Completed']);
		expect(rows.map((r) => r.length)).toEqual([10, 10, 5]);
		expect(rows.flat()).toEqual(invoiceIds);
		const job = await call('GET', `job/${jobId}`);
		expect(tag(job.text, 'numberBatchesTotal')).toBe('4');
		expect(tag(job.text, 'numberBatchesCompleted')).toBe('3');
		expect(tag(job.text, 'numberRecordsProcessed')).toBe('25');
		const originalResult = await call('GET', `job/${jobId}/batch/${original}/result`);
		expect(originalResult.status).toBe(400);
	});

	test('startRow starts the first chunk at that ID', async () => {
		const { states, rows } = await chunkedQuery(`chunkSize=10; startRow=${invoiceIds[10].slice(0, 15)}`);
		expect(states).toEqual(['NotProcessed', 'Completed', 'Completed']);
		expect(rows.flat()).toEqual(invoiceIds.slice(10));
	});

	test('invalid chunking headers are refused', async () => {
		const cases = [
			[{ operation: 'query', object: 'Invoice__c' }, 'chunkSize=300000', /^Invalid chunk size: 300000/],
			[{ operation: 'query', object: 'Attachment' }, 'true', /^Entity 'Attachment' is not supported by PK Chunking$/],
			[{ operation: 'insert', object: 'Account' }, 'true', /only supported for query/],
			[{ operation: 'query', object: 'Account' }, 'chunkSize=10; startRow=nope', /^Invalid startRow: nope/],
		];
		for (const [fields, header, message] of cases) {
			const res = await call('POST', 'job', { body: jobXml({ ...fields, contentType: 'CSV' }), type: 'application/xml', headers: { 'Sforce-Enable-PKChunking': header } });
			expect(res.status).toBe(400);
			expect(tag(res.text, 'exceptionCode')).toBe('InvalidJob');
			expect(tag(res.text, 'exceptionMessage')).toMatch(message);
		}
	});
});

describe('binary attachments', () => {
	function zipOf(files) {
		const zip = new AdmZip();
		for (const [name, content] of Object.entries(files)) zip.addFile(name, Buffer.from(content));
		return zip.toBuffer();
	}

	test('ZIP_CSV: #paths become the Body; a missing or escaping file fails its row', async () => {
		const parent = emulator.org.insertSystem('Account', { Name: 'ZIP-parent' });
		const jobId = await createXmlJob({ operation: 'insert', object: 'Attachment', contentType: 'ZIP_CSV' });
		const request = `Name,ParentId,Body\nhello.txt,${parent.Id},#files/hello.txt\nmissing.txt,${parent.Id},#files/none.txt\nescape.txt,${parent.Id},#../secret.txt\nlogo.bin,${parent.Id},#logo.bin\n`;
		const zip = zipOf({ 'request.txt': request, 'files/hello.txt': 'Hello, attachment', 'logo.bin': Buffer.from([0, 1, 2, 255]) });
		const batchId = await addBatch(jobId, zip, 'zip/csv');
		const info = await waitBatch(jobId, batchId);
		expect(tag(info.text, 'state')).toBe('Completed');
		expect(tag(info.text, 'numberRecordsFailed')).toBe('2');

		const stored = [...emulator.org.table('Attachment').values()].filter((a) => a.ParentId === parent.Id);
		expect(stored.map((a) => a.Name)).toEqual(['hello.txt', 'logo.bin']);
		expect(stored[0].Body.toString()).toBe('Hello, attachment');
		expect(stored[0].BodyLength).toBe(17);
		expect([...stored[1].Body]).toEqual([0, 1, 2, 255]);

		const result = await call('GET', `job/${jobId}/batch/${batchId}/result`);
		expect(result.type).toBe('text/csv');
		const lines = result.text.trim().split('\n');
		expect(lines[0]).toBe('"Id","Success","Created","Error"');
		expect(lines[1]).toBe(`"${stored[0].Id}","true","true",""`);
		expect(lines[2]).toMatch(/^"","false","false","INVALID_FIELD:The binary file referenced by #files\/none\.txt can't be found in the zip file or is a directory:Body --"$/);
		expect(lines[3]).toMatch(/^"","false","false","INVALID_FIELD:.*#\.\.\/secret\.txt.*:Body --"$/);
		expect(lines[4]).toBe(`"${stored[1].Id}","true","true",""`);
		const sent = await fetch(`${base}/job/${jobId}/batch/${batchId}/request`, { headers: { 'X-SFDC-Session': token } });
		expect(sent.headers.get('content-type')).toBe('zip/csv');
		expect(Buffer.from(await sent.arrayBuffer()).equals(zip)).toBe(true);
	});

	test('ZIP_JSON answers JSON; a zip without its request file fails the batch', async () => {
		const parent = emulator.org.insertSystem('Account', { Name: 'ZIPJ-parent' });
		const jobId = await createJsonJob({ operation: 'insert', object: 'Attachment', contentType: 'ZIP_JSON' });
		const zip = zipOf({ 'request.json': JSON.stringify([{ Name: 'a.txt', ParentId: parent.Id, Body: '#a.txt' }]), 'a.txt': 'AAA' });
		const added = await call('POST', `job/${jobId}/batch`, { body: zip, type: 'zip/json' });
		expect(added.status).toBe(201);
		expect(added.json.state).toBe('Queued');
		await waitBatch(jobId, added.json.id);
		const result = await call('GET', `job/${jobId}/batch/${added.json.id}/result`);
		const [attachment] = [...emulator.org.table('Attachment').values()].filter((a) => a.ParentId === parent.Id);
		expect(attachment.Body.toString()).toBe('AAA');
		expect(result.json).toEqual([{ success: true, created: true, id: attachment.Id, errors: [] }]);

		const bad = await call('POST', `job/${jobId}/batch`, { body: zipOf({ 'other.json': '[]' }), type: 'zip/json' });
		const failed = await waitBatch(jobId, bad.json.id);
		expect(failed.json.state).toBe('Failed');
		expect(failed.json.stateMessage).toBe("InvalidBatch : The request.json file can't be found in the zip file");

		const files = { 'request.json': '[]' };
		for (let i = 0; i < 1001; i++) files[`f${i}.txt`] = 'x';
		const crowded = await call('POST', `job/${jobId}/batch`, { body: zipOf(files), type: 'zip/json' });
		const refused = await waitBatch(jobId, crowded.json.id);
		expect(refused.json.stateMessage).toBe('InvalidBatch : The zip file contains 1002 files; the maximum is 1000');
	});
});

describe('errors', () => {
	test('wrong batch content type, closed job, unknown batch and job', async () => {
		const jobId = await createXmlJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
		const wrong = await call('POST', `job/${jobId}/batch`, { body: '<sObjects/>', type: 'application/xml' });
		expect(wrong.status).toBe(400);
		expect(wrong.type).toBe('application/xml');
		expect(wrong.text).toBe(
			`${XML_HEAD}<error\n   xmlns="${NS}">\n <exceptionCode>InvalidBatch</exceptionCode>\n` +
				' <exceptionMessage>Content type of batch (application/xml) does not match job content type (text/csv)</exceptionMessage>\n</error>',
		);
		const unknownBatch = await call('GET', `job/${jobId}/batch/751000000000000AAA`);
		expect(unknownBatch.status).toBe(400);
		expect(tag(unknownBatch.text, 'exceptionCode')).toBe('InvalidBatch');
		const unknownJob = await call('GET', 'job/750000000000000AAA');
		expect(unknownJob.status).toBe(400);
		expect(tag(unknownJob.text, 'exceptionCode')).toBe('InvalidJob');
		expect(tag(unknownJob.text, 'exceptionMessage')).toBe('Unable to find job: 750000000000000AAA');

		expect((await setState(jobId, 'Closed')).status).toBe(200);
		const closed = await call('POST', `job/${jobId}/batch`, { body: 'Name\nx\n', type: 'text/csv' });
		expect(closed.status).toBe(400);
		expect(tag(closed.text, 'exceptionCode')).toBe('InvalidJobState');
		const reclose = await setState(jobId, 'Closed');
		expect(reclose.status).toBe(400);
		expect(tag(reclose.text, 'exceptionCode')).toBe('InvalidJobState');
		const reopen = await setState(jobId, 'Open');
		expect(tag(reopen.text, 'exceptionCode')).toBe('InvalidJobState');
	});

	test('invalid job definitions', async () => {
		const cases = [
			['<jobInfo><operation>insert</operation><object>Account', 'InvalidXML', /^Failed to parse XML\. Found invalid XML\./],
			[jobXml({ operation: 'insert', object: 'Nope__c' }), 'InvalidJob', /^Unable to find object: Nope__c$/],
			[jobXml({ operation: 'INSERT', object: 'Account' }), 'InvalidJob', /^Invalid operation: INSERT$/],
			[jobXml({ operation: 'insert', object: 'Account', contentType: 'PDF' }), 'InvalidJob', /^Invalid content type: PDF$/],
			[jobXml({ operation: 'upsert', object: 'Account' }), 'InvalidJob', /^External ID was blank for Account/],
			[jobXml({ operation: 'upsert', object: 'Account', externalIdFieldName: 'Name' }), 'InvalidJob', /does not match an External ID/],
		];
		for (const [body, code, message] of cases) {
			const res = await call('POST', 'job', { body, type: 'application/xml' });
			expect(res.status).toBe(400);
			expect(tag(res.text, 'exceptionCode')).toBe(code);
			expect(tag(res.text, 'exceptionMessage')).toMatch(message);
		}
		const json = await call('POST', 'job', { body: '{"operation":', type: 'application/json' });
		expect(json.status).toBe(400);
		expect(json.json.exceptionCode).toBe('ClientInputError');
	});

	test('empty, oversized and injected-failure batches fail with Salesforce messages', async () => {
		const jobId = await createXmlJob({ operation: 'insert', object: 'Lead', contentType: 'CSV' });
		const empty = await addBatch(jobId, '', 'text/csv');
		const headerOnly = await addBatch(jobId, 'LastName,Company\n', 'text/csv');
		const tooMany = await addBatch(jobId, `LastName,Company\n${'L,C\n'.repeat(10001)}`, 'text/csv');
		emulator.faults.failJobs({ object: 'Lead', message: 'InvalidBatch : Processing failed', afterRows: 1 });
		const injected = await addBatch(jobId, 'LastName,Company\nINJ-1,C\nINJ-2,C\n', 'text/csv');
		for (const [batchId, message] of [
			[empty, 'InvalidBatch : Records not found for this batch'],
			[headerOnly, 'InvalidBatch : Records not found for this batch'],
			[tooMany, 'InvalidBatch : Exceeded number of records: 10001. Number of records should be less than or equal to 10000'],
			[injected, 'InvalidBatch : Processing failed'],
		]) {
			const info = await waitBatch(jobId, batchId);
			expect(tag(info.text, 'state')).toBe('Failed');
			expect(tag(info.text, 'stateMessage')).toBe(message);
		}
		const partial = await call('GET', `job/${jobId}/batch/${injected}/result`);
		expect(partial.text.trim().split('\n')).toHaveLength(2); // header and the one processed row
		expect([...emulator.org.table('Lead').values()].map((l) => l.LastName)).toEqual(['INJ-1']);
	});

	test('missing or expired session → 400 InvalidSessionId (XML, or JSON for JSON requests)', async () => {
		const jobId = await createXmlJob({ operation: 'insert', object: 'Account', contentType: 'CSV' });
		const missing = await fetch(`${base}/job/${jobId}`);
		expect(missing.status).toBe(400);
		expect(await missing.text()).toBe(
			`${XML_HEAD}<error\n   xmlns="${NS}">\n <exceptionCode>InvalidSessionId</exceptionCode>\n <exceptionMessage>Invalid session id</exceptionMessage>\n</error>`,
		);
		const bearer = await fetch(`${base}/job/${jobId}`, { headers: { Authorization: `Bearer ${token}` } });
		expect(bearer.status).toBe(200);

		emulator.oauth.expireAll();
		try {
			const expired = await call('GET', `job/${jobId}`);
			expect(expired.status).toBe(400);
			expect(expired.type).toBe('application/xml');
			expect(tag(expired.text, 'exceptionCode')).toBe('InvalidSessionId');
			expect(tag(expired.text, 'exceptionMessage')).toBe('Invalid session id');
			const asJson = await call('POST', 'job', { body: JSON.stringify({ operation: 'insert', object: 'Account' }), type: 'application/json' });
			expect(asJson.status).toBe(400);
			expect(asJson.json).toEqual({ exceptionCode: 'InvalidSessionId', exceptionMessage: 'Invalid session id' });
		} finally {
			token = await newToken();
		}
		expect((await call('GET', `job/${jobId}`)).status).toBe(200);
	});
});

describe('jsforce', () => {
	test('bulk.load (insert with a failing row, upsert, delete) and bulk.query work against the emulator', async () => {
		const before = new Set(emulator.jobs.jobs.keys());
		const conn = new jsforce.Connection({ instanceUrl: emulator.url, accessToken: token, version: '63.0' });
		conn.bulk.pollInterval = 20;
		conn.bulk.pollTimeout = 20000;

		const inserted = await conn.bulk.load('Account', 'insert', [{ Name: 'JSF-1', Legacy_Id__c: 'JSF-L1' }, { Industry: 'Energy' }, { Name: 'JSF-3' }]);
		expect(inserted.map((r) => r.success)).toEqual([true, false, true]);
		expect(inserted[1].errors).toEqual(['REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --']);
		const [one] = accountsNamed('JSF-1');
		expect(inserted[0].id).toBe(one.Id);

		const upserted = await conn.bulk.load('Account', 'upsert', { extIdField: 'Legacy_Id__c' }, [
			{ Legacy_Id__c: 'JSF-L1', Name: 'JSF-1b' },
			{ Legacy_Id__c: 'JSF-L2', Name: 'JSF-2' },
		]);
		expect(upserted.map((r) => [r.success, r.created])).toEqual([
			[true, false],
			[true, true],
		]);
		expect(one.Name).toBe('JSF-1b');

		const stream = await conn.bulk.query("SELECT Id, Name FROM Account WHERE Name LIKE 'JSF-%' ORDER BY Name");
		const rows = await new Promise((resolve, reject) => {
			const out = [];
			stream.on('record', (record) => out.push(record));
			stream.on('end', () => resolve(out));
			stream.on('error', reject);
		});
		expect(rows.map((r) => r.Name)).toEqual(['JSF-1b', 'JSF-2', 'JSF-3']);
		expect(rows[0].Id).toBe(one.Id);

		const deleted = await conn.bulk.load('Account', 'delete', [{ Id: one.Id }]);
		expect(deleted).toEqual([{ id: one.Id, success: true, created: false, errors: [] }]);
		expect(one.IsDeleted).toBe(true);

		// jsforce closes each job after reading its results without waiting: let those requests land.
		const created = [...emulator.jobs.jobs.values()].filter((job) => !before.has(job.id));
		expect(created.map((job) => [job.api, job.operation])).toEqual([
			['v1', 'insert'],
			['v1', 'upsert'],
			['v1', 'query'],
			['v1', 'delete'],
		]);
		for (let i = 0; i < 200 && created.some((job) => job.state !== 'Closed'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
		expect(created.map((job) => job.state)).toEqual(['Closed', 'Closed', 'Closed', 'Closed']);
	});
});
