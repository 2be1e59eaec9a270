'use strict';
/**
 * The last stored execution of a workflow, read from n8n's own database (SQLite) rather than from `n8n execute
 * --rawOutput`: a run with 100,000 items prints more than n8n flushes to a pipe before it exits. Runs under the
 * runtime's Node 24 (node:sqlite) with n8n's own `flatted`, and writes one compact row per output item of a node.
 */
const path = require('node:path');

const { run } = require('../../scripts/lib/n8n');

const READER = `
const { DatabaseSync } = require('node:sqlite');
const [, flatted, database, workflowId, node, outFile] = process.argv;
const { parse } = require(flatted);
const db = new DatabaseSync(database, { readOnly: true });
const row = db.prepare('SELECT e.id, e.status, d.data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id WHERE e.workflowId = ? ORDER BY e.id DESC LIMIT 1').get(workflowId);
const runData = parse(row.data).resultData.runData;
const items = runData[node][0].data.main.flat();
const rows = items.map((item) => [item.pairedItem?.item, item.json.status, item.json.success, item.json.jobId, item.json.id, item.json.record?.LastName, item.json.errorCode, item.json.error]);
require('node:fs').writeFileSync(outFile, JSON.stringify({ status: row.status, rows }));
`;

/** [{ status, rows: [pairedItem, status, success, jobId, id, LastName, errorCode, error][] }] of `node` in the last run of `workflowId`. */
async function storedRun(n8n, userFolder, workflowId, node, outFile) {
	const nodeBin = path.join(n8n.runtime, 'node', 'node_modules', 'node', 'bin', 'node');
	const flatted = path.join(n8n.runtime, 'n8n', 'node_modules', 'flatted');
	const database = path.join(userFolder, '.n8n', 'database.sqlite');
	const result = await run(nodeBin, ['--no-warnings', '-e', READER, flatted, database, workflowId, node, outFile], { timeoutMs: 5 * 60_000 });
	if (result.code !== 0) throw new Error(`reading the stored execution of ${workflowId} failed (exit ${result.code}): ${result.stderr}`);
	return JSON.parse(require('node:fs').readFileSync(outFile, 'utf8'));
}

module.exports = { storedRun };
