#!/usr/bin/env node
'use strict';
/**
 * `npm run start:queue`: n8n as production runs it — main + 2 workers in queue mode on their own PostgreSQL
 * and Redis (free loopback ports, a temporary folder), binary data in the database (the queue-mode
 * default), this package installed in every process, the emulator, the credential and the example
 * workflows. Ctrl-C stops everything; nothing is kept.
 *
 *   npm run start:queue                      editor on a free port (N8N_PORT=5678 to choose), 2 workers
 *   npm run start:queue -- --workers 3       more workers (QUEUE_CONCURRENCY: executions per worker, default 5)
 *
 * Needs PostgreSQL 15 (initdb, postgres) and redis-server; see README, "Running at scale".
 */

const fs = require('node:fs');
const path = require('node:path');

const { ROOT, PACKAGE } = require('./lib/n8n');
const { startQueueStack } = require('./lib/queue');
const { ensureOwner, OWNER } = require('./start');

const log = (message) => process.stdout.write(`${message}\n`);

async function main() {
	const at = process.argv.indexOf('--workers');
	const workers = at > 0 ? Number(process.argv[at + 1]) : 2;
	if (!Number.isInteger(workers) || workers < 1) throw new Error('--workers wants a whole number ≥ 1');
	log(`n8n-nodes-salesforce-bulk ${PACKAGE.version}: n8n ${PACKAGE.config.n8nVersion} in queue mode (main + ${workers} workers, PostgreSQL, Redis) and the Salesforce emulator`);
	const examples = fs
		.readdirSync(path.join(ROOT, 'examples'))
		.filter((f) => f.endsWith('.json'))
		.map((f) => JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8')));
	const stack = await startQueueStack({
		workers,
		concurrency: Number(process.env.QUEUE_CONCURRENCY) || 5,
		workflows: examples,
		emulatorOptions: { seed: { Account: 25, Contact: 40 } },
		mainPort: Number(process.env.N8N_PORT) || undefined,
		log: (m) => log(`· ${m}`),
	});
	let stopping = false;
	const stop = async (code = 0) => {
		if (stopping) return;
		stopping = true;
		log('\nstopping n8n, the workers, Redis, PostgreSQL and the emulator…');
		await stack.stop();
		process.exit(code);
	};
	process.on('SIGINT', () => stop(0));
	process.on('SIGTERM', () => stop(0));
	await ensureOwner(stack.url);
	log('');
	log(`  n8n editor   ${stack.url.replace('127.0.0.1', 'localhost')}   (main; executions run on ${workers} workers)`);
	log(`  login        ${OWNER.email} / ${OWNER.password}`);
	log(`  credential   "Salesforce Bulk (emulator)" → the emulator at ${stack.emulator.url}`);
	log(`  PostgreSQL   127.0.0.1:${stack.pg.port}  (database n8n, user n8n, no password)`);
	log(`  Redis        127.0.0.1:${stack.redis.port}`);
	log(`  workers      ${stack.workers.map((w) => `${w.name} pid ${w.pid}`).join(', ')}`);
	log('');
	log('Ctrl-C stops everything.');
	// Any of the processes ending by itself ends the whole stack.
	const ended = await Promise.race([stack.main.done, ...stack.workers.map((w) => w.done)].map((p) => p.catch((error) => ({ code: 1, stdout: error.message, stderr: '' }))));
	if (!stopping) {
		process.stderr.write(`an n8n process stopped by itself (exit ${ended.code}):\n${String(ended.stdout).slice(-3000)}${String(ended.stderr).slice(-3000)}\n`);
		await stop(1);
	}
}

main().catch((error) => {
	process.stderr.write(`${error.message}\n`);
	process.exit(1);
});
