'use strict';
// Runs one case in a fresh Node process (see ../case.js) and returns the figures it printed.

const path = require('node:path');
const { spawn } = require('node:child_process');

const CASE = path.join(__dirname, '../case.js');

function runCase(file, name, params, { nodeArgs = [], env = {} } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--expose-gc', ...nodeArgs, CASE, file, name, JSON.stringify(params)], {
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, ...env },
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		child.on('error', reject);
		child.on('exit', (code) => {
			const line = out.split('\n').find((l) => l.startsWith('@@result '));
			if (code !== 0 || !line) return reject(new Error(`${file}.${name} failed (exit ${code}):\n${err.slice(-4000)}${out.slice(-2000)}`));
			resolve(JSON.parse(line.slice('@@result '.length)));
		});
	});
}

module.exports = { runCase };
