'use strict';
/**
 * A queue-mode n8n that starts itself: its own PostgreSQL (initdb + postgres of Debian's PostgreSQL 15) and
 * Redis (redis-server) on free loopback ports in a temporary folder, n8n main (`n8n start`) and workers
 * (`n8n worker`) sharing one encryption key, with this package installed in every process's user folder
 * the way a self-hosted user installs it (<user folder>/.n8n/nodes/node_modules: published node type names),
 * the emulator and the credential. Binary data stays in n8n's queue-mode default: the database.
 *
 * Used by `npm run start:queue` (scripts/start-queue.js), the queue-mode suite (test/queue) and
 * `npm run bench` (queue workloads). `stop()` ends everything it started; so does process exit.
 */

const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const { ROOT, MINUTE, N8n, emulatorCredential, run, killGroup, killAll, freePort, until, tail, ensureRuntime, build, installPackage, n8nSettings } = require('./n8n');

// Whatever ends this process (an uncaught error, a failed test run) takes our process groups with it.
process.once('exit', killAll);

const ENCRYPTION_KEY = 'queue-mode-fixed-encryption-key-for-tests-only';
const DB = { user: 'n8n', database: 'n8n' };

// ---------------------------------------------------------------------------------------------------
// the binaries

// Debian's PostgreSQL 15 first, then any other installed version (GitHub's Ubuntu runners ship 16).
const debianVersions = () => {
	try {
		return fs
			.readdirSync('/usr/lib/postgresql')
			.filter((v) => v !== '15')
			.sort((a, b) => Number(b) - Number(a))
			.map((v) => `/usr/lib/postgresql/${v}/bin`);
	} catch {
		return [];
	}
};
const PG_DIRS = () => ['/usr/lib/postgresql/15/bin', ...debianVersions(), '/usr/local/pgsql/bin', '/opt/homebrew/opt/postgresql@15/bin', '/usr/local/opt/postgresql@15/bin'];

function onPath(name) {
	for (const dir of (process.env.PATH || '').split(path.delimiter)) {
		const file = path.join(dir, name);
		if (dir && fs.existsSync(file)) return file;
	}
	return undefined;
}

/**
 * Where initdb/postgres and redis-server are; throws one line saying what to install if one is missing.
 * PG_BIN and REDIS_SERVER override the search.
 */
function findTools(env = process.env) {
	const pgDirs = env.PG_BIN ? [env.PG_BIN] : [...PG_DIRS(), path.dirname(onPath('initdb') || '/nonexistent/initdb')];
	const pgBin = pgDirs.find((dir) => ['initdb', 'postgres', 'pg_isready', 'createdb'].every((b) => fs.existsSync(path.join(dir, b))));
	const redisServer = env.REDIS_SERVER || onPath('redis-server') || ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server'].find((f) => fs.existsSync(f));
	const missing = [];
	if (!pgBin) missing.push('PostgreSQL 15 server (initdb, postgres): `apt-get install postgresql-15` on Debian/Ubuntu, `brew install postgresql@15` on macOS, or set PG_BIN to its bin folder');
	if (!redisServer) missing.push('Redis (redis-server): `apt-get install redis-server` on Debian/Ubuntu, `brew install redis` on macOS, or set REDIS_SERVER to the binary');
	if (missing.length) throw new Error(`Queue mode needs ${missing.join('; and ')}.`);
	return { pgBin, redisServer };
}

// ---------------------------------------------------------------------------------------------------
// PostgreSQL and Redis

/** The user PostgreSQL runs as: ourselves, or when we are root (initdb refuses root) `postgres` or `nobody`. */
function postgresUser() {
	if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {};
	for (const name of ['postgres', 'nobody']) {
		try {
			const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
			const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
			return { uid, gid };
		} catch {
			// no such user
		}
	}
	throw new Error('Running as root: PostgreSQL needs an unprivileged user (postgres or nobody), and neither exists.');
}

/** A throw-away PostgreSQL cluster on 127.0.0.1:<free port>, trust authentication, no durability. */
async function startPostgres({ pgBin, log = () => {} }) {
	const user = postgresUser();
	// Its own folder right under the temp dir: the unprivileged user must reach it.
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-sf-bulk-pg-'));
	if (user.uid !== undefined) fs.chownSync(dir, user.uid, user.gid);
	const data = path.join(dir, 'data');
	const asUser = { ...user, cwd: dir, env: { PATH: process.env.PATH, LANG: 'C', LC_ALL: 'C' } };
	const init = await run(path.join(pgBin, 'initdb'), ['-D', data, '-U', DB.user, '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...asUser, timeoutMs: 2 * MINUTE });
	if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}):\n${tail(init.stdout + init.stderr)}`);
	const port = await freePort();
	const settings = ['listen_addresses=127.0.0.1', `unix_socket_directories=${dir}`, 'fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=100'];
	const server = run(path.join(pgBin, 'postgres'), ['-D', data, '-p', String(port), ...settings.flatMap((s) => ['-c', s])], { ...asUser, timeoutMs: 24 * 60 * MINUTE });
	let exited = false;
	server.finally(() => (exited = true)).catch(() => undefined);
	await until(
		`PostgreSQL on 127.0.0.1:${port}`,
		async () => {
			if (exited) throw new Error(`postgres exited at start:\n${tail((await server).stdout + (await server).stderr)}`);
			return (await run(path.join(pgBin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', DB.user], { cwd: dir, timeoutMs: 10_000 })).code === 0;
		},
		MINUTE,
		200,
	);
	const created = await run(path.join(pgBin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', DB.user, DB.database], { cwd: dir, timeoutMs: MINUTE });
	if (created.code !== 0) throw new Error(`createdb failed: ${tail(created.stdout + created.stderr)}`);
	log(`PostgreSQL on 127.0.0.1:${port} (${dir})`);
	return {
		port,
		dir,
		env: { DB_TYPE: 'postgresdb', DB_POSTGRESDB_HOST: '127.0.0.1', DB_POSTGRESDB_PORT: String(port), DB_POSTGRESDB_DATABASE: DB.database, DB_POSTGRESDB_USER: DB.user, DB_POSTGRESDB_PASSWORD: '' },
		async stop() {
			killGroup(server.child, 'SIGINT'); // fast shutdown
			const timer = setTimeout(() => killGroup(server.child, 'SIGKILL'), 10_000);
			await server.catch(() => undefined);
			clearTimeout(timer);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** Answers true once Redis says PONG. */
function redisPing(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		let answer = '';
		socket.setTimeout(2000, () => socket.destroy());
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (d) => {
			answer += d;
			if (answer.includes('\r\n')) {
				socket.end();
				resolve(answer.startsWith('+PONG'));
			}
		});
		socket.on('error', () => resolve(false));
		socket.on('close', () => resolve(false));
	});
}

/** A Redis on 127.0.0.1:<free port>, nothing persisted. */
async function startRedis({ redisServer, dir, log = () => {} }) {
	const port = await freePort();
	fs.mkdirSync(dir, { recursive: true });
	const server = run(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'yes'], { cwd: dir, timeoutMs: 24 * 60 * MINUTE });
	let exited = false;
	server.finally(() => (exited = true)).catch(() => undefined);
	await until(
		`Redis on 127.0.0.1:${port}`,
		async () => {
			if (exited) throw new Error(`redis-server exited at start:\n${tail((await server).stdout + (await server).stderr)}`);
			return await redisPing(port);
		},
		MINUTE,
		100,
	);
	log(`Redis on 127.0.0.1:${port}`);
	return {
		port,
		env: { QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(port) },
		async stop() {
			killGroup(server.child, 'SIGTERM');
			const timer = setTimeout(() => killGroup(server.child, 'SIGKILL'), 10_000);
			await server.catch(() => undefined);
			clearTimeout(timer);
		},
	};
}

// ---------------------------------------------------------------------------------------------------
// n8n processes

/** Peak and current resident memory (MiB) of a process, from /proc (Linux). */
function memoryOf(pid) {
	try {
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
		return { peakMiB: kb('VmHWM') / 1024, rssMiB: kb('VmRSS') / 1024 };
	} catch {
		return { peakMiB: NaN, rssMiB: NaN };
	}
}

/** The pids of a process's children (n8n's task runner is a child of main and of each worker). */
function childPids(pid) {
	try {
		return fs
			.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
			.trim()
			.split(/\s+/)
			.filter(Boolean)
			.map(Number);
	} catch {
		return [];
	}
}

/** One long-running n8n process (`start` or `worker`) with its output kept for reading. */
function spawnN8n(bin, args, env, { name, onOutput }) {
	const proc = { name, output: '' };
	proc.done = run(bin, args, {
		env,
		timeoutMs: 24 * 60 * MINUTE,
		onOutput: (text) => {
			proc.output += text;
			onOutput?.(name, text);
		},
	});
	proc.child = proc.done.child;
	proc.pid = proc.child.pid; // bin/n8n execs node: this is n8n's own process
	proc.exited = false;
	proc.done.finally(() => (proc.exited = true)).catch(() => undefined);
	proc.memory = () => memoryOf(proc.pid);
	proc.runnerPids = () => childPids(proc.pid);
	proc.stop = async () => {
		killGroup(proc.child, 'SIGTERM'); // n8n finishes (or hands back) what it runs, then exits
		const timer = setTimeout(() => killGroup(proc.child, 'SIGKILL'), 30_000);
		await proc.done.catch(() => undefined);
		clearTimeout(timer);
	};
	return proc;
}

async function waitReady(proc, url) {
	await until(
		`${proc.name} to answer on ${url}`,
		async () => {
			if (proc.exited) throw new Error(`${proc.name} exited before it was ready:\n${tail(proc.output)}`);
			return (await fetch(url).catch(() => undefined))?.ok;
		},
		3 * MINUTE,
		250,
	);
}

// ---------------------------------------------------------------------------------------------------
// the stack

/** The editor's REST API as the owner. */
async function rest(stack, method, pathname, body) {
	const res = await fetch(`${stack.url}${pathname}`, {
		method,
		headers: { Cookie: stack.cookie, ...(body ? { 'Content-Type': 'application/json' } : {}) },
		body: body ? JSON.stringify(body) : undefined,
	});
	if (!res.ok) throw new Error(`n8n ${method} ${pathname}: HTTP ${res.status} ${(await res.text()).slice(0, 500)}`);
	return (await res.json()).data;
}

/** Publishes (activates) the workflow's current version, as the editor's Publish button does. */
async function publishWorkflow(stack, id) {
	const { versionId } = await rest(stack, 'GET', `/rest/workflows/${id}`);
	const workflow = await rest(stack, 'POST', `/rest/workflows/${id}/activate`, { versionId });
	if (!workflow.activeVersionId) throw new Error(`n8n did not publish workflow ${id}`);
}

/**
 * Starts PostgreSQL, Redis, the emulator (unless `emulator` is given), imports the credential
 * `credential` ({ id, name }) and the `workflows` (objects; `publish` lists those to activate), then n8n
 * main and `workers` workers. Returns the stack; call `stop()`.
 */
async function startQueueStack({
	workers = 2,
	concurrency = 5,
	tmp,
	emulator,
	emulatorOptions = {},
	credential = { id: 'sfBulkEmulator', name: 'Salesforce Bulk (emulator)' },
	workflows = [],
	publish = [],
	skipBuild = false,
	mainPort,
	env: extraEnv = {},
	workerEnv = {},
	log = () => {},
	onOutput,
} = {}) {
	const tools = findTools();
	const ownTmp = !tmp;
	tmp ??= fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-sf-bulk-queue-'));
	const stack = { tmp, processes: [], workers: [], stopped: false };
	const stoppers = [];
	stack.stop = async () => {
		if (stack.stopped) return;
		stack.stopped = true;
		for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
		if (ownTmp && process.env.QUEUE_KEEP !== '1') fs.rmSync(tmp, { recursive: true, force: true });
	};
	try {
		log('n8n runtime: scripts/n8n-runtime.sh (the first time installs n8n, about 6 minutes)');
		const runtime = await ensureRuntime();
		if (!skipBuild) {
			log('npm run build');
			await build();
		}
		const [pg, redis] = await Promise.all([startPostgres({ pgBin: tools.pgBin, log }), startRedis({ redisServer: tools.redisServer, dir: path.join(tmp, 'redis'), log })]);
		stoppers.push(pg.stop, redis.stop);
		stack.pg = pg;
		stack.redis = redis;
		if (!emulator) {
			const { startEmulator } = require('../../test/emulator');
			emulator = await startEmulator({ jobDelayMs: 300, ...emulatorOptions });
			stoppers.push(() => emulator.close());
			log(`emulator on ${emulator.url}`);
		}
		stack.emulator = emulator;

		// What every process shares: the database, the queue, the key. Binary data mode is left to n8n's
		// queue-mode default (database), as in a default production install.
		const shared = {
			...pg.env,
			...redis.env,
			EXECUTIONS_MODE: 'queue',
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true', // editor runs go to the workers too
			N8N_RUNNERS_ENABLED: 'true',
			...extraEnv,
		};
		const files = path.join(tmp, 'files');
		fs.mkdirSync(files, { recursive: true });
		stack.files = files;
		const userFolder = (name) => path.join(tmp, name);

		// main: the package in its user folder's nodes/ (what "npm install" in ~/.n8n/nodes does)
		const typePrefix = installPackage({ userFolder: userFolder('main') });
		const mainEnv = { ...n8nSettings({ userFolder: userFolder('main'), files, encryptionKey: ENCRYPTION_KEY }), ...shared };
		const main = new N8n({ runtime, tmp, typePrefix, env: mainEnv });
		stack.n8n = main;
		const bin = main.bin;

		log('importing the credential and the workflows');
		await main.importCredentials([emulatorCredential(credential.id, credential.name, emulator)]);
		if (workflows.length) {
			const dir = fs.mkdtempSync(path.join(tmp, 'wf-'));
			const sources = workflows.map((w) => {
				const file = path.join(dir, `${w.id}.json`);
				fs.writeFileSync(file, JSON.stringify(w));
				return file;
			});
			await main.importWorkflows(sources);
		}

		// workers first: main hands executions to them as soon as it is up
		const workerEnvs = [];
		const startWorker = async (i) => {
			const proc = spawnN8n(bin, ['worker', `--concurrency=${concurrency}`], workerEnvs[i].env, { name: `worker${i + 1}`, onOutput });
			proc.healthUrl = workerEnvs[i].healthUrl;
			stack.workers[i] = proc;
			await waitReady(proc, `${proc.healthUrl}/healthz/readiness`);
			return proc;
		};
		for (let i = 0; i < workers; i++) {
			const folder = userFolder(`worker${i + 1}`);
			installPackage({ userFolder: folder });
			const healthPort = await freePort();
			const env = {
				...n8nSettings({ userFolder: folder, files, encryptionKey: ENCRYPTION_KEY }),
				...shared,
				...workerEnv,
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_PORT: String(await freePort()),
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			};
			workerEnvs.push({ env, healthUrl: `http://127.0.0.1:${healthPort}` });
		}
		stoppers.push(async () => {
			for (const worker of stack.workers) await worker.stop();
		});
		const workerStarts = workerEnvs.map((_, i) => startWorker(i));
		/** A fresh process for worker i (0-based): its peak memory counts from zero again. */
		stack.restartWorker = async (i) => {
			await stack.workers[i].stop();
			return await startWorker(i);
		};

		const port = mainPort ?? (await freePort());
		const mainProcEnv = { ...mainEnv, N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
		stack.url = `http://127.0.0.1:${port}`;
		stack.startMain = async () => {
			const proc = spawnN8n(bin, ['start'], mainProcEnv, { name: 'main', onOutput });
			stack.main = proc;
			await waitReady(proc, `${stack.url}/healthz/readiness`);
			return proc;
		};
		stoppers.push(() => stack.main?.stop() ?? Promise.resolve());
		await Promise.all([stack.startMain(), ...workerStarts]);
		// The owner account, and the workflows published the way the editor does it (their triggers and
		// webhooks start on main from then on, and again at each start of main).
		const { ensureOwner, login } = require('../start');
		await ensureOwner(stack.url);
		stack.cookie = await login(stack.url);
		for (const id of publish) await publishWorkflow(stack, id);
		/** Stops main (workers and the rest keep running), then starts it again on the same port. */
		stack.restartMain = async () => {
			await stack.main.stop();
			await stack.startMain();
		};
		log(`n8n main on ${stack.url}, ${workers} worker(s) (concurrency ${concurrency})`);
		return stack;
	} catch (error) {
		await stack.stop();
		throw error;
	}
}

module.exports = { startQueueStack, rest, publishWorkflow, findTools, startPostgres, startRedis, memoryOf, childPids, ENCRYPTION_KEY, ROOT };
