'use strict';
/**
 * The real n8n, driven from Node: the cached runtime (scripts/n8n-runtime.sh), an isolated user folder
 * with this package installed in it, credential and workflow import, `n8n execute`, and `n8n start`.
 * Shared by the end-to-end suite (test/e2e), `npm start` (scripts/start.js), `npm run demo`
 * (scripts/demo.js) and the screenshots (scripts/screenshots.js).
 */

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { emulatorCredentialData } = require('../../test/helpers/emulator');

const ROOT = path.resolve(__dirname, '../..');
const PACKAGE = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const CREDENTIAL_TYPE = 'salesforceBulkOAuth2Api';
const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------------
// processes

const children = new Set();

/**
 * Runs a command in its own process group; resolves with its exit code and output (never rejects on a
 * non-zero exit). On timeout the whole group is killed and the promise rejects. `onOutput` sees output
 * as it comes; the promise's `child` is the process. `uid`/`gid` run it as another user (PostgreSQL, as root).
 */
function run(command, args, { env = process.env, timeoutMs = 2 * MINUTE, stderrTo, onOutput, cwd = ROOT, uid, gid } = {}) {
	let child;
	const promise = new Promise((resolve, reject) => {
		child = spawn(command, args, { cwd, env, uid, gid, stdio: ['ignore', 'pipe', stderrTo ? 'inherit' : 'pipe'], detached: true });
		children.add(child);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => {
			stdout += d;
			onOutput?.(String(d));
		});
		child.stderr?.on('data', (d) => {
			stderr += d;
			onOutput?.(String(d));
		});
		const timer = setTimeout(() => {
			killGroup(child, 'SIGKILL');
			reject(new Error(`${path.basename(command)} ${args.slice(0, 2).join(' ')} timed out after ${timeoutMs} ms\n${tail(stdout + stderr)}`));
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			children.delete(child);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			children.delete(child);
			killGroup(child, 'SIGKILL'); // anything it left behind (n8n's task runner)
			resolve({ code, signal, stdout, stderr });
		});
	});
	promise.child = child;
	return promise;
}

function killGroup(child, signal) {
	try {
		process.kill(-child.pid, signal);
	} catch {
		// already gone
	}
}

/** Kills every process group this module started. */
function killAll() {
	for (const child of children) killGroup(child, 'SIGKILL');
}

const tail = (text, chars = 4000) => (text.length > chars ? `…${text.slice(-chars)}` : text);

function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, check, timeoutMs, everyMs = 500) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
		await sleep(everyMs);
	}
}

// ---------------------------------------------------------------------------------------------------
// runtime, build, package

/** Installs the pinned n8n once (about 9 minutes on 2 cores the first time); returns the runtime folder. */
async function ensureRuntime() {
	const result = await run('bash', [path.join(ROOT, 'scripts/n8n-runtime.sh')], { timeoutMs: 30 * MINUTE, stderrTo: 'inherit' });
	if (result.code !== 0) throw new Error(`scripts/n8n-runtime.sh failed (exit ${result.code})`);
	return result.stdout.trim().split('\n').pop();
}

/** `npm run build`, one at a time: the build empties dist/ first, and test files that build run side by side. */
async function build() {
	const lock = path.join(ROOT, '.cache', 'build.lock');
	fs.mkdirSync(path.dirname(lock), { recursive: true });
	const result = await run('flock', [lock, 'npm', 'run', 'build'], { timeoutMs: 5 * MINUTE });
	if (result.code !== 0) throw new Error(`npm run build failed:\n${tail(result.stdout + result.stderr)}`);
}

/**
 * Installs the built package (package.json + dist/) the way n8n loads it: as a community package in
 * <userFolder>/.n8n/nodes/node_modules (node types keep their published names), or with `loadAs: 'custom'`
 * as a custom extension in `customDir` (node types become CUSTOM.<name>). Returns the type name prefix.
 */
function installPackage({ userFolder, loadAs = 'package', customDir }) {
	const packageDir = loadAs === 'custom' ? path.join(customDir, PACKAGE.name) : path.join(userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE.name);
	fs.rmSync(packageDir, { recursive: true, force: true });
	fs.mkdirSync(packageDir, { recursive: true });
	fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(packageDir, 'package.json'));
	fs.cpSync(path.join(ROOT, 'dist'), path.join(packageDir, 'dist'), { recursive: true });
	return loadAs === 'custom' ? 'CUSTOM' : PACKAGE.name;
}

/** The caller's environment without npm's, jest's and any n8n settings of its own. */
function inheritedEnv() {
	const out = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(npm_|N8N_|DB_|JEST_)/.test(key) || ['NODE_OPTIONS', 'NODE_ENV', 'INIT_CWD'].includes(key)) continue;
		out[key] = value;
	}
	return out;
}

/** The settings every n8n we run gets: isolated, quiet, offline, on 127.0.0.1 only. */
function n8nSettings({ userFolder, files, encryptionKey, customDir }) {
	return {
		...inheritedEnv(),
		N8N_USER_FOLDER: userFolder,
		...(encryptionKey ? { N8N_ENCRYPTION_KEY: encryptionKey } : {}), // else n8n keeps its own in the user folder
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_EXPRESSION_ENGINE: 'legacy', // the default isolated-vm engine crashes on exit now and then
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry', // it fetches a server list from the internet at start
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LOG_LEVEL: 'info', // `execute --rawOutput` prints its result through the logger
		...(files ? { N8N_RESTRICT_FILE_ACCESS_TO: files } : {}),
		...(customDir ? { N8N_CUSTOM_EXTENSIONS: customDir } : {}),
	};
}

// ---------------------------------------------------------------------------------------------------
// one n8n installation

/**
 * An n8n user folder with this package installed. `tmp` holds scratch files (import files are written
 * there and removed). Call `await N8n.create({...})`.
 */
class N8n {
	/** `recordOutput(what, output)`, if given, receives the whole output of every n8n process once it ends. */
	static async create({ userFolder, tmp, files, loadAs = 'package', encryptionKey, skipBuild = false, log = () => {}, recordOutput }) {
		log('n8n runtime: scripts/n8n-runtime.sh (the first time installs n8n, about 9 minutes)');
		const runtime = await ensureRuntime();
		if (!skipBuild) {
			log('npm run build');
			await build();
		}
		const customDir = loadAs === 'custom' ? path.join(tmp, 'custom') : undefined;
		const typePrefix = installPackage({ userFolder, loadAs, customDir });
		return new N8n({ runtime, tmp, typePrefix, env: n8nSettings({ userFolder, files, encryptionKey, customDir }), recordOutput });
	}

	constructor({ runtime, tmp, typePrefix, env, recordOutput }) {
		this.recordOutput = recordOutput;
		this.runtime = runtime;
		this.bin = path.join(runtime, 'bin', 'n8n');
		this.tmp = tmp;
		this.typePrefix = typePrefix;
		this.env = env;
	}

	/** The n8n CLI under the runtime's Node 24, with fresh ports for everything it listens on. */
	async cli(args, options = {}) {
		const ports = { N8N_PORT: String(await freePort()), N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
		const result = await run(this.bin, args, { timeoutMs: 3 * MINUTE, ...options, env: { ...this.env, ...ports, ...options.env } });
		this.recordOutput?.(`n8n ${args.join(' ')}`, result.stdout + result.stderr);
		return result;
	}

	/** Imports credentials given with plain data (n8n encrypts them); the file holding secrets is removed. */
	async importCredentials(credentials) {
		const file = path.join(this.tmp, `credentials-${process.pid}.json`);
		fs.writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
		try {
			const result = await this.cli(['import:credentials', `--input=${file}`]);
			if (result.code !== 0) throw new Error(`n8n import:credentials failed (exit ${result.code})\n${tail(result.stdout)}`);
		} finally {
			fs.rmSync(file, { force: true });
		}
	}

	/**
	 * Imports workflow files, with node types renamed for the way the package is loaded and `rewrite`
	 * applied to each file's text. Returns { [workflow id]: source file }.
	 */
	async importWorkflows(sources, rewrite = (text) => text) {
		const dir = fs.mkdtempSync(path.join(this.tmp, 'workflows-'));
		const imported = {};
		try {
			for (const source of sources) {
				const workflow = JSON.parse(fs.readFileSync(source, 'utf8'));
				for (const node of workflow.nodes) {
					if (node.type.startsWith(`${PACKAGE.name}.`)) node.type = `${this.typePrefix}.${node.type.slice(PACKAGE.name.length + 1)}`;
				}
				fs.writeFileSync(path.join(dir, `${workflow.id}.json`), rewrite(JSON.stringify(workflow)));
				imported[workflow.id] = source;
			}
			const result = await this.cli(['import:workflow', '--separate', `--input=${dir}`]);
			if (result.code !== 0) throw new Error(`n8n import:workflow failed (exit ${result.code})\n${tail(result.stdout + result.stderr)}`);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
		return imported;
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`: the execution as n8n stored it, with helpers to read node
	 * outputs. Throws if the run failed, unless `expectFailure`.
	 */
	async execute(id, { expectFailure = false } = {}) {
		const { code, stdout, stderr } = await this.cli(['execute', `--id=${id}`, '--rawOutput']);
		// The result is pretty-printed JSON: its first and last lines are "{" and "}" alone.
		const start = stdout.indexOf('\n{\n');
		const end = stdout.indexOf('\n}', start);
		if (start < 0 || end < 0) throw new Error(`n8n execute --id=${id} printed no result (exit ${code})\n${tail(stdout + stderr)}`);
		const execution = JSON.parse(stdout.slice(start + 1, end + 2));
		const error = execution.data.resultData.error;
		if (!expectFailure && (code !== 0 || execution.status !== 'success')) {
			throw new Error(`Workflow ${id} ended ${execution.status} (exit ${code}): ${error ? `${error.node?.name ?? ''}: ${error.message}` : tail(stdout + stderr)}`);
		}
		const runData = execution.data.resultData.runData;
		return {
			code,
			execution,
			error,
			runData,
			output: stdout + stderr,
			/** Output items ({ json, binary, pairedItem }) of a node's first run, first output. */
			items(node) {
				if (!runData[node]) throw new Error(`Node "${node}" did not run in ${id}; ran: ${Object.keys(runData).join(', ')}`);
				const nodeRun = runData[node][0];
				if (nodeRun.error) throw new Error(`Node "${node}" failed in ${id}: ${nodeRun.error.message}`);
				return nodeRun.data.main[0] ?? [];
			},
			json(node) {
				return this.items(node).map((item) => item.json);
			},
		};
	}

	/**
	 * `n8n start` on `port` (a free one if not given). Resolves once /healthz/readiness answers; `stop()`
	 * ends it (SIGTERM, then SIGKILL after 30 s) and resolves with its output.
	 */
	async start({ port, onOutput, timeoutMs = 24 * 60 * MINUTE } = {}) {
		port ??= await freePort();
		const url = `http://127.0.0.1:${port}`;
		const done = run(this.bin, ['start'], {
			timeoutMs,
			onOutput,
			env: { ...this.env, N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(await freePort()) },
		});
		const { child } = done;
		done.then((result) => this.recordOutput?.('n8n start', result.stdout + result.stderr)).catch(() => undefined);
		let exited = false;
		done.finally(() => (exited = true)).catch(() => undefined);
		await until(
			`n8n start to answer on ${url}`,
			async () => {
				if (exited) throw new Error(`n8n start exited before it was ready:\n${tail((await done).stdout + (await done).stderr)}`);
				return (await fetch(`${url}/healthz/readiness`).catch(() => undefined))?.ok;
			},
			3 * MINUTE,
		);
		return {
			url,
			port,
			done,
			async stop() {
				killGroup(child, 'SIGTERM');
				const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 30_000);
				const result = await done.catch((error) => ({ stdout: String(error.message), stderr: '' }));
				clearTimeout(timer);
				return result;
			},
		};
	}
}

/** A credential of this package's type pointing at an emulator (refresh-token grant, its test client). */
function emulatorCredential(id, name, emulator) {
	return { id, name, type: CREDENTIAL_TYPE, data: emulatorCredentialData(emulator) };
}

module.exports = { ROOT, PACKAGE, CREDENTIAL_TYPE, MINUTE, N8n, build, emulatorCredential, run, killGroup, killAll, freePort, sleep, until, tail, ensureRuntime, installPackage, n8nSettings };
