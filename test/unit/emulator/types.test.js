'use strict';
// The emulator is plain JavaScript typed with JSDoc; tsc checks it (test/emulator/tsconfig.json), and the
// TypeScript tests take its types from there instead of describing it by hand (test/nodes/setup.ts).

const path = require('node:path');
const { spawnSync } = require('node:child_process');

it('tsc finds no type error in the emulator', () => {
	const tsc = require.resolve('typescript/bin/tsc');
	const result = spawnSync(process.execPath, [tsc, '-p', path.join(__dirname, '..', '..', 'emulator', 'tsconfig.json')], { encoding: 'utf8' });
	expect(result.stdout + result.stderr).toBe('');
	expect(result.status).toBe(0);
}, 120_000);
