'use strict';
// The TypeScript test harness (test/harness/*.ts) for plain Node: transpiled once with the typescript
// devDependency (no type check; jest and tsc do that) into test/bench/.harness/, so the measured
// children load plain JavaScript and not the compiler. The nodes under test come from the built dist/,
// as n8n loads them.

const fs = require('node:fs');
const path = require('node:path');

const SOURCE = path.join(__dirname, '../../harness');
const OUT = path.join(__dirname, '../.harness');

/** Transpiles the harness (except its own tests); returns the folder to require it from. */
function buildHarness() {
	const ts = require('typescript');
	fs.rmSync(OUT, { recursive: true, force: true });
	fs.mkdirSync(OUT, { recursive: true });
	for (const file of fs.readdirSync(SOURCE)) {
		if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
		const { outputText } = ts.transpileModule(fs.readFileSync(path.join(SOURCE, file), 'utf8'), {
			// Comments dropped: their eslint directives name rules the repo's lint does not load for this folder.
			compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, removeComments: true },
			fileName: file,
		});
		fs.writeFileSync(path.join(OUT, file.replace(/\.ts$/, '.js')), outputText);
	}
	return OUT;
}

module.exports = { buildHarness, HARNESS_DIR: OUT };
