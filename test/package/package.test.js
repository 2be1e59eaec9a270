'use strict';
// The published package: what `npm pack` ships, what n8n's community package scanner says of it, the
// release workflows, and the README as the npm page shows it.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const YAML = require('yaml');
const { ROOT, PACKAGE, build, run } = require('../../scripts/lib/n8n');

/** What the tarball may hold: compiled code, codex and output-schema JSON, icons, README, licence. */
const ALLOWED = [
	/^package\.json$/,
	/^README\.md$/,
	/^LICENSE\.md$/,
	/^dist\/(nodes|credentials)\/.+\.js$/,
	/^dist\/nodes\/[^/]+\/[^/]+\.node\.json$/,
	/^dist\/nodes\/[^/]+\/__schema__\/v\d+\.\d+\.\d+\/[^/]+\/[^/]+\.json$/,
	/^dist\/(nodes|credentials)\/.+\.svg$/,
];

let files;
let tmp;
let unpacked;
beforeAll(async () => {
	await build();
	tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-bulk-pack-'));
	const packed = await run('npm', ['pack', '--json', '--pack-destination', tmp]);
	expect(packed.code).toBe(0);
	const [info] = JSON.parse(packed.stdout);
	files = info.files.map((f) => f.path).sort();
	const untar = await run('tar', ['xzf', path.join(tmp, info.filename), '-C', tmp]);
	expect(untar.code).toBe(0);
	unpacked = path.join(tmp, 'package');
}, 5 * 60_000);
afterAll(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

async function scan(folder, leg) {
	// Without jest's NODE_ENV=test, under which eslint-plugin-n8n-nodes-base calls every file "Test.node.ts".
	const { NODE_ENV, ...env } = process.env;
	const result = await run('node', [path.join(__dirname, 'scan.mjs'), folder, leg], { env, timeoutMs: 3 * 60_000 });
	expect(result.code).toBe(0);
	return JSON.parse(result.stdout.trim().split('\n').pop());
}

describe('npm pack', () => {
	it('ships only compiled code, codex and schema JSON, icons, README, licence and package.json', () => {
		expect(files.filter((f) => !ALLOWED.some((pattern) => pattern.test(f)))).toEqual([]);
		expect(files.some((f) => /\.(map|tsbuildinfo|ts)$/.test(f) || f === 'dist/package.json')).toBe(false);
	});

	it('ships every node and credential that package.json names, with its codex and icons', () => {
		for (const entry of [...PACKAGE.n8n.nodes, ...PACKAGE.n8n.credentials]) expect(files).toContain(entry);
		for (const node of PACKAGE.n8n.nodes) {
			expect(files).toContain(node.replace(/\.js$/, '.json'));
			expect(files.filter((f) => f.startsWith(path.dirname(node)) && f.endsWith('.svg')).length).toBeGreaterThanOrEqual(2);
		}
	});
});

describe("n8n's community package scanner", () => {
	it('passes the packed tarball (compiled code and package.json)', async () => {
		expect(await scan(unpacked, 'tarball')).toEqual({ passed: true });
	}, 3 * 60_000);

	it('passes the sources (nodes/, credentials/, package.json)', async () => {
		expect(await scan(ROOT, 'source')).toEqual({ passed: true });
	}, 3 * 60_000);

	it('would refuse a tarball with console output in it', async () => {
		const copy = path.join(tmp, 'planted');
		fs.cpSync(unpacked, copy, { recursive: true });
		const node = path.join(copy, PACKAGE.n8n.nodes[0]);
		fs.appendFileSync(node, '\nconsole.log("planted");\n');
		const result = await scan(copy, 'tarball');
		expect(result.passed).toBe(false);
		expect(result.details).toMatch(/no-console/);
	}, 3 * 60_000);
});

describe('release workflows', () => {
	const workflow = (name) => YAML.parse(fs.readFileSync(path.join(ROOT, '.github', 'workflows', name), 'utf8'));

	it('publish.yml publishes a version tag with provenance after the whole of CI', () => {
		const publish = workflow('publish.yml');
		expect(publish.on.push.tags).toEqual(['v*.*.*']);
		expect(publish.permissions).toMatchObject({ 'id-token': 'write', contents: 'read' });
		const steps = publish.jobs.publish.steps.map((s) => s.run ?? s.uses);
		const ci = steps.indexOf('bash .ci/run');
		const release = steps.findIndex((s) => /^npm publish --provenance\b/.test(s ?? ''));
		expect(ci).toBeGreaterThan(-1);
		expect(release).toBeGreaterThan(ci);
	});

	it('ci.yml runs .ci/run on pull requests', () => {
		const ci = workflow('ci.yml');
		expect(ci.on).toHaveProperty('pull_request');
		expect(ci.jobs.test.steps.map((s) => s.run)).toContain('bash .ci/run');
	});
});

describe('repository', () => {
	it('the README links only to absolute addresses, so that its pictures and links work on the npm page', () => {
		const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
		const targets = [...readme.matchAll(/\]\(([^)\s]+)/g)].map((m) => m[1]);
		expect(targets.length).toBeGreaterThan(10);
		expect(targets.filter((t) => !/^(https:\/\/|#)/.test(t))).toEqual([]);
	});

	it('repository, homepage and bugs name one GitHub repository; the author has an e-mail address', () => {
		const repo = PACKAGE.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
		expect(repo).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+$/);
		expect(PACKAGE.homepage.startsWith(repo)).toBe(true);
		expect(PACKAGE.bugs.url).toBe(`${repo}/issues`);
		expect(PACKAGE.author.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
	});

	it('no tracked file names an absolute path of a machine', async () => {
		const listed = await run('git', ['ls-files', '-z']);
		expect(listed.code).toBe(0);
		const offending = [];
		for (const file of listed.stdout.split('\0').filter(Boolean)) {
			if (file === 'package-lock.json' || /\.(png|svg|tgz)$/.test(file)) continue;
			const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
			for (const m of text.matchAll(/(?<![\w.~$}-])\/(work|farm|home|Users|root)\/[\w.-]+/g)) offending.push(`${file}: ${m[0]}`);
		}
		expect(offending).toEqual([]);
	});
});
