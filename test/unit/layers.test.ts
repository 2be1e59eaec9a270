/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: reads the sources */
/**
 * The layers of nodes/shared/ as folders, lowest first: a file may import its own folder and the folders
 * below it, never one above or beside it, and never a node. This test reads every import under nodes/ so
 * the layering cannot rot unnoticed.
 */
import * as fs from 'fs';
import * as path from 'path';

const NODES = path.join(__dirname, '../../nodes');
const SHARED = path.join(NODES, 'shared');

/** Rank of each shared folder: a file may import ranks below its own, or its own folder. */
const LAYERS: Record<string, number> = { codecs: 0, transport: 1, api: 2, bulk1: 3, bulk2: 3, node: 4 };

interface Import {
	from: string;
	to: string;
	typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return entry.name === '__schema__' ? [] : sourceFiles(full);
		return entry.name.endsWith('.ts') ? [full] : [];
	});
}

/** Every `import … from '…'`, `export … from '…'` and `import('…')` of a file. */
export function importsOf(file: string, text = fs.readFileSync(file, 'utf8')): Import[] {
	const found: Import[] = [];
	const statement = /^\s*(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms;
	for (let m = statement.exec(text); m; m = statement.exec(text)) found.push({ from: file, to: m[3], typeOnly: m[2] !== undefined });
	const dynamic = /\bimport\(\s*'([^']+)'\s*\)/g;
	for (let m = dynamic.exec(text); m; m = dynamic.exec(text)) found.push({ from: file, to: m[1], typeOnly: false });
	return found;
}

/** The shared folder a file is in, or undefined for a node's file. */
function layerOf(file: string): string | undefined {
	const rel = path.relative(SHARED, file);
	return rel.startsWith('..') ? undefined : rel.split(path.sep)[0];
}

const rel = (file: string) => path.relative(NODES, file);

/** What is wrong with one import, or undefined. */
export function violation({ from, to, typeOnly }: Import): string | undefined {
	if (!to.startsWith('.')) {
		if (to !== 'n8n-workflow') return `${rel(from)} imports the package "${to}": nodes may depend on n8n-workflow only`;
		if (layerOf(from) === 'codecs' && !typeOnly) return `${rel(from)} (codecs) uses n8n-workflow at run time: codecs know nothing of n8n`;
		return undefined;
	}
	const target = path.resolve(path.dirname(from), to);
	const fromLayer = layerOf(from);
	const toLayer = layerOf(target);
	if (fromLayer !== undefined) {
		if (!(fromLayer in LAYERS)) return `${rel(from)} is in nodes/shared/ but not in a layer folder (${Object.keys(LAYERS).join(', ')})`;
		if (toLayer === undefined) return `${rel(from)} (shared) imports the node file ${rel(target)}`;
		if (toLayer === fromLayer) return undefined;
		if (!(toLayer in LAYERS) || LAYERS[toLayer] >= LAYERS[fromLayer]) {
			return `${rel(from)} (${fromLayer}) imports ${rel(target)} (${toLayer}), which is not below it`;
		}
		return undefined;
	}
	if (toLayer !== undefined) return undefined;
	const nodeOf = (file: string) => rel(file).split(path.sep)[0];
	// A node file may extend another node's class (the same node under a second type name); nothing else crosses nodes.
	const nodeClass = from.endsWith('.node.ts') && /\.node$/.test(target);
	if (nodeOf(from) !== nodeOf(target) && !nodeClass) return `${rel(from)} imports ${rel(target)}, a file of another node: share it through nodes/shared/`;
	if (from.endsWith('.operation.ts') && /\.operation(\.ts)?$/.test(target)) {
		return `${rel(from)} imports the operation ${rel(target)}: shared parameters and helpers belong in a file that is not an operation`;
	}
	return undefined;
}

describe('import layers', () => {
	const files = sourceFiles(NODES);

	it('finds the sources and their imports', () => {
		expect(files.length).toBeGreaterThan(40);
		const shared = files.filter((f) => layerOf(f) !== undefined);
		expect(new Set(shared.map(layerOf))).toEqual(new Set(Object.keys(LAYERS)));
		expect(files.flatMap((f) => importsOf(f)).length).toBeGreaterThan(200);
	});

	it('every import under nodes/ points down the layers', () => {
		const problems = files.flatMap((f) => importsOf(f)).map(violation).filter((v) => v !== undefined);
		expect(problems).toEqual([]);
	});

	it('catches an import that points up, sideways or into a node', () => {
		const inShared = (layer: string) => path.join(SHARED, layer, 'x.ts');
		const v2 = path.join(NODES, 'SalesforceBulk2/actions/ingestJob/x.operation.ts');
		expect(violation({ from: inShared('codecs'), to: '../transport/request', typeOnly: false })).toMatch(/not below it/);
		expect(violation({ from: inShared('bulk1'), to: '../bulk2/load', typeOnly: true })).toMatch(/not below it/);
		expect(violation({ from: inShared('node'), to: '../../SalesforceBulk2/actions/common', typeOnly: false })).toMatch(/node file/);
		expect(violation({ from: inShared('codecs'), to: 'n8n-workflow', typeOnly: false })).toMatch(/codecs know nothing/);
		expect(violation({ from: v2, to: './create.operation', typeOnly: false })).toMatch(/imports the operation/);
		expect(violation({ from: v2, to: '../../../SalesforceBulkClassic/actions/common', typeOnly: false })).toMatch(/another node/);
		const alias = path.join(NODES, 'SalesforceBulk2Trigger/SalesforceBulk2Trigger.node.ts');
		expect(violation({ from: alias, to: '../SalesforceBulkTrigger/SalesforceBulkTrigger.node', typeOnly: false })).toBeUndefined();
		expect(violation({ from: alias, to: '../SalesforceBulkTrigger/jobs', typeOnly: false })).toMatch(/another node/);
		expect(violation({ from: inShared('api'), to: '../codecs/csv', typeOnly: false })).toBeUndefined();
		expect(violation({ from: v2, to: '../../../shared/node/items', typeOnly: false })).toBeUndefined();
	});

	it('reads multi-line, type-only and re-export statements', () => {
		const text = "import {\n\ta,\n\tb,\n} from './one';\nimport type { C } from './two';\nexport { d } from './three';\nconst x = import('./four');";
		expect(importsOf('f.ts', text)).toEqual([
			{ from: 'f.ts', to: './one', typeOnly: false },
			{ from: 'f.ts', to: './two', typeOnly: true },
			{ from: 'f.ts', to: './three', typeOnly: false },
			{ from: 'f.ts', to: './four', typeOnly: false },
		]);
	});
});
