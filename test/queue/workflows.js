'use strict';
/**
 * The queue-mode suite's workflows, each started by a webhook on main (as production workflows are) and
 * run by a worker. The shipped examples are used as they are, with their manual trigger turned into a
 * webhook under the same name.
 */

const fs = require('node:fs');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const { ROOT, PACKAGE } = require('../../scripts/lib/n8n');

const CREDENTIAL = { id: 'sfBulkEmulator', name: 'Salesforce Bulk (emulator)' }; // the examples' credential
const credentials = { salesforceBulkOAuth2Api: CREDENTIAL };
const V2 = `${PACKAGE.name}.salesforceBulk2`;
const CLASSIC = `${PACKAGE.name}.salesforceBulkClassic`;
const TRIGGER = `${PACKAGE.name}.salesforceBulkTrigger`;
const PANEL_TRIGGER = `${PACKAGE.name}.salesforceBulk2Trigger`; // the same trigger under the name the nodes panel offers

/** A POST webhook that answers with the last node's items once the worker is done. */
function webhook(name, hookPath) {
	return {
		id: `${hookPath}-hook`,
		name,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 300],
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'lastNode', responseData: 'allEntries', options: {} },
	};
}

/** A workflow of nodes in a row. */
function chain(id, name, nodes) {
	nodes.forEach((node, i) => {
		node.id ??= `${id}-${i}`;
		node.position ??= [220 * i, 300];
	});
	const connections = {};
	for (let i = 0; i + 1 < nodes.length; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { id, name, nodes, connections, settings: { executionOrder: 'v1' }, active: false };
}

const code = (name, jsCode, mode = 'runOnceForAllItems') => ({ name, type: 'n8n-nodes-base.code', typeVersion: 2, parameters: { mode, jsCode } });

/** A shipped example with its manual trigger replaced by a webhook of the same name. */
function example(file, id, hookPath) {
	const workflow = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'));
	const trigger = workflow.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger');
	Object.assign(trigger, webhook(trigger.name, hookPath), { id: trigger.id, position: trigger.position, name: trigger.name });
	return { ...workflow, id, name: `queue: ${workflow.name}` };
}

/** A shipped trigger example with its last node (which writes to disk) replaced by `last`. */
function triggerExample(file, id, last) {
	const workflow = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'));
	const [from, to] = Object.entries(workflow.connections).map(([name, c]) => [name, c.main[0][0].node])[0];
	const replaced = workflow.nodes.find((n) => n.name === to);
	const nodes = workflow.nodes.map((n) => (n === replaced ? { ...last, id: n.id, position: n.position } : n));
	return { ...workflow, id, name: `queue: ${workflow.name}`, nodes, connections: { [from]: { main: [[{ node: last.name, type: 'main', index: 0 }]] } } };
}

/** Counts the rows (lines after the header) and bytes of every binary file of the input items, in n8n. */
const COUNT_FILES = `
const files = [];
for (let i = 0; i < $input.all().length; i++) {
	const item = $input.all()[i];
	const buffer = await this.helpers.getBinaryDataBuffer(i, 'data');
	let lines = 0;
	for (let at = buffer.indexOf(10); at !== -1; at = buffer.indexOf(10, at + 1)) lines++;
	const header = buffer.subarray(0, buffer.indexOf(10)).toString('utf8');
	files.push({ fileName: item.binary.data.fileName, id: item.binary.data.id, bytes: buffer.length, rows: lines - 1, header });
}
return [{ json: { files, rows: files.reduce((n, f) => n + f.rows, 0) } }];
`;

/** The items the Load Records workflow sends: every 100th has no Name (REQUIRED_FIELD_MISSING). */
const makeAccounts = (count) => `
const out = [];
for (let i = 0; i < ${count}; i++) out.push({ json: { Name: i % 100 === 0 ? '' : 'Q Load ' + i, AccountNumber: 'QL-' + i } });
return out;
`;

const SUMMARY = `
const counts = {};
for (const item of $input.all()) counts[item.json.status] = (counts[item.json.status] || 0) + 1;
return [{ json: { items: $input.all().length, counts } }];
`;

function workflows({ loadRows, exportQuery, exportFileMb, pkQuery, pkChunkSize, fileRows }) {
	return {
		v2Example: example('salesforce-bulk-v2-load-and-export.json', 'qV2Example', 'q-v2-example'),
		classicExample: example('salesforce-bulk-classic.json', 'qClassicExample', 'q-classic-example'),
		load: chain('qLoad', 'queue: Load Records with failures paired back', [
			webhook('Webhook', 'q-load'),
			code('Accounts', makeAccounts(loadRows)),
			{ name: 'Load Accounts', type: V2, typeVersion: 1, credentials, parameters: { resource: 'ingestJob', operation: 'loadRecords', object: 'Account', ingestOperation: 'insert', inputDataType: 'items', fieldsToSend: 'all', options: {} } },
			code('Summary', SUMMARY),
		]),
		export: chain('qExport', 'queue: export to files in the database binary store, counted in n8n', [
			webhook('Webhook', 'q-export'),
			{ name: 'Export', type: V2, typeVersion: 1.1, credentials, parameters: { resource: 'queryJob', operation: 'runQuery', query: exportQuery, outputAs: 'binary', binaryPropertyName: 'data', fileName: 'leads.csv', splitFiles: 'size', maxFileSizeMb: exportFileMb, options: {} } },
			code('Count Rows', COUNT_FILES),
		]),
		pk: chain('qPkChunk', 'queue: Classic PK-chunked export, counted in n8n', [
			webhook('Webhook', 'q-pk'),
			{ name: 'PK Chunked Export', type: CLASSIC, typeVersion: 1, credentials, parameters: { resource: 'job', operation: 'runQuery', query: pkQuery, contentType: 'CSV', pkChunking: true, chunkSize: pkChunkSize, outputAs: 'binary', fileName: 'contacts.csv' } },
			code('Count Rows', COUNT_FILES),
		]),
		fileLoad: chain('qFileLoad', 'queue: Load Records from a CSV file in the database binary store', [
			webhook('Webhook', 'q-file-load'),
			code('Invoices', `const out = []; for (let i = 0; i < ${fileRows}; i++) out.push({ json: { Name: 'Q File ' + i, Legacy_Id__c: 'QF-' + i, Amount__c: i % 7 === 0 ? 'lots' : String(i) } }); return out;`),
			{ name: 'To CSV File', type: 'n8n-nodes-base.convertToFile', typeVersion: 1.1, parameters: { operation: 'csv', binaryPropertyName: 'data', options: { fileName: 'invoices.csv' } } },
			{ name: 'Load File', type: V2, typeVersion: 1, credentials, parameters: { resource: 'ingestJob', operation: 'loadRecords', object: 'Invoice__c', ingestOperation: 'insert', inputDataType: 'binary', binaryPropertyName: 'data', options: {} } },
			code('Summary', SUMMARY),
		]),
		trigger: chain('qTrigger', 'queue: trigger on main, executions on workers', [
			{
				name: 'When a Bulk Job Finishes',
				type: TRIGGER,
				typeVersion: 1,
				credentials,
				parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, events: ['completed', 'failed', 'aborted'], jobKinds: ['ingest'], filters: { objects: ['Case'] }, options: {} },
			},
			code('Fired', 'return $input.all().map((item) => ({ json: { id: item.json.id, state: item.json.state, processed: item.json.numberRecordsProcessed } }));'),
		]),
		changes: chain('qChanges', 'queue: changed Accounts, each change once across polls and restarts', [
			{
				name: 'When Accounts Change',
				type: PANEL_TRIGGER,
				typeVersion: 1,
				credentials,
				parameters: {
					pollTimes: { item: [{ mode: 'everyMinute' }] },
					triggerOn: 'changedRecords',
					object: 'Account',
					fieldsMode: 'list',
					fields: ['Name'],
					where: "Name LIKE 'Q Changes%'",
					includeDeleted: true,
					startFrom: 'now',
					recordOptions: {},
				},
			},
			code('Fired', 'return $input.all().map((item) => ({ json: { Id: item.json.Id, Name: item.json.Name, deleted: item.json.deleted, stamp: item.json.SystemModstamp } }));'),
		]),
		nightly: triggerExample('salesforce-bulk-trigger-3-nightly-sync.json', 'qNightly', code('Count Rows', COUNT_FILES)),
	};
}

module.exports = { workflows, CREDENTIAL };
