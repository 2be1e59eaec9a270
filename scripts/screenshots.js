#!/usr/bin/env node
'use strict';
/**
 * `npm run screenshots`: the pictures in docs/images/, taken from the real n8n editor that `npm start`
 * brings up (emulator, owner, credential, examples), driven by playwright-core in Debian's Chromium.
 * Needs `apt-get install chromium` (CHROMIUM=/path/to/chrome for another one). Writes PNGs only.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ROOT, freePort, killAll } = require('./lib/n8n');
const { startStack, OWNER } = require('./start');

const OUT = path.join(ROOT, 'docs', 'images');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// Chromium as root in a sandbox with a closed network: no sandbox, no GPU, no calls home.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const log = (message) => process.stdout.write(`${message}\n`);

async function main() {
	const { chromium } = require('playwright-core');
	if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM`);
	fs.mkdirSync(OUT, { recursive: true });
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-sf-bulk-shots-'));
	let stack;
	let browser;
	try {
		log('starting the emulator and n8n…');
		stack = await startStack({ dataDir, port: await freePort(), emulatorPort: await freePort(), quiet: true });
		const base = stack.server.url;
		browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
		const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
		const shot = async (name, target = page, clip) => {
			await page.waitForTimeout(600); // let animations settle
			await target.screenshot({ path: path.join(OUT, `${name}.png`), clip });
			log(`  docs/images/${name}.png`);
		};
		// A workflow: only the part of the canvas that has nodes on it.
		const shotCanvas = async (name) => shot(name, page, await nodesArea(page));

		await page.goto(`${base}/signin`);
		await page.getByLabel('Email').fill(OWNER.email);
		await page.getByLabel('Password').fill(OWNER.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		await page.waitForURL((url) => !url.pathname.includes('signin'));
		await dismissPopups(page);

		await page.goto(`${base}/home/workflows`);
		await page.getByText('Salesforce Bulk V2: load and export accounts').first().waitFor();
		await shot('workflows');

		// The credential form.
		await page.goto(`${base}/home/credentials`);
		await page.getByText('Salesforce Bulk (emulator)').first().click();
		const modal = page.getByRole('dialog');
		await modal.getByText('Custom Login URL').first().waitFor();
		await shot('credential', modal);
		await page.keyboard.press('Escape');

		// The V2 seed scenario, its node panels, then a run.
		await openWorkflow(page, base, 'sfBulkV2Seed');
		await shotCanvas('v2-workflow');
		for (const [node, name] of [
			['Create Job', 'v2-create-job'],
			['Upload Data', 'v2-upload-data'],
			['Get Failed Results', 'v2-get-failed-results'],
			['Export Accounts to File', 'v2-run-query'],
		]) {
			await openNode(page, node);
			await shot(name);
			await closeNode(page);
		}
		// The canvas pane sits over the button for the pointer; a DOM click reaches it.
		await page.locator('[data-test-id^="execute-workflow-button"]').first().dispatchEvent('click');
		await page.getByText(/Workflow executed successfully/i).first().waitFor({ timeout: 120_000 });
		await shotCanvas('v2-executed');
		await openNode(page, 'Get Failed Results');
		await page.getByText('sf__Error').first().waitFor();
		await shot('v2-failed-results-output');
		await closeNode(page);

		// Classic and the trigger.
		await openWorkflow(page, base, 'sfBulkClassicSeed');
		await shotCanvas('classic-workflow');
		await openNode(page, 'Export Accounts (PK Chunking)');
		await shot('classic-pk-chunking');
		await closeNode(page);
		await openWorkflow(page, base, 'sfBulkHandleResult');
		await openNode(page, 'When a Bulk Job Finishes');
		await shot('trigger');
		await closeNode(page);

		// The three nodes in the nodes panel.
		await page.locator('[data-test-id="node-creator-plus-button"]').first().dispatchEvent('click');
		const search = page.locator('[data-test-id="node-creator-search-bar"] input, input[placeholder*="Search"]').first();
		await search.waitFor();
		await search.fill('Salesforce Bulk');
		await page.getByText('Salesforce Bulk V2').first().waitFor();
		await shot('nodes-panel');
	} finally {
		await browser?.close();
		await stack?.stop();
		killAll();
		fs.rmSync(dataDir, { recursive: true, force: true });
	}
}

async function dismissPopups(page) {
	for (const label of [/Skip/i, /Got it/i, /Close/i]) {
		const button = page.getByRole('button', { name: label });
		if (await button.count()) await button.first().click().catch(() => undefined);
	}
}

async function openWorkflow(page, base, id) {
	await page.goto(`${base}/workflow/${id}`);
	await page.locator('.vue-flow__node').first().waitFor();
	await page.getByRole('button', { name: /Zoom to fit|Fit view/i }).first().click().catch(() => undefined);
	await page.mouse.move(0, 0);
}

async function nodesArea(page, margin = 48) {
	const boxes = (await page.locator('.vue-flow__node').evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().toJSON())));
	const left = Math.max(0, Math.min(...boxes.map((b) => b.left)) - margin);
	const top = Math.max(0, Math.min(...boxes.map((b) => b.top)) - margin);
	const right = Math.max(...boxes.map((b) => b.right)) + margin;
	const bottom = Math.max(...boxes.map((b) => b.bottom)) + margin + 24; // node labels sit below the box
	return { x: left, y: top, width: right - left, height: bottom - top };
}

async function openNode(page, name) {
	await page.locator('.vue-flow__node', { hasText: name }).first().dblclick();
	await page.locator('[data-test-id="ndv"]').first().waitFor();
}

async function closeNode(page) {
	await page.keyboard.press('Escape');
	await page.locator('[data-test-id="ndv"]').first().waitFor({ state: 'hidden' });
}

main().catch((error) => {
	process.stderr.write(`${error.stack || error.message}\n`);
	process.exit(1);
});
