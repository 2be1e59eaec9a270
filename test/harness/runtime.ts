/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node built-ins */
// Test-only code (never shipped). Boots the parts of n8n-core the node contexts pull from its DI
// container: InstanceSettings (in a temp n8n folder, not ~/.n8n), the Logger, the ErrorReporter
// and a BinaryDataService per harness ('filesystem' in a temp dir, or 'default' = in memory).

import { BinaryDataConfig, BinaryDataService, ErrorReporter, InstanceSettings } from 'n8n-core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

type Constructor<T> = abstract new (...args: never[]) => T;

/** The part of @n8n/di's Container the harness uses. */
interface DiContainer {
	get<T>(type: Constructor<T>): T;
	set<T>(type: Constructor<T>, instance: T): void;
}

/**
 * n8n-core resolves `@n8n/di` (and `@n8n/config`, `@n8n/backend-common`) from its own
 * node_modules, which may hold other versions than the top-level ones; each copy has its own
 * registry. Load them the way n8n-core does so that `Container` is the one n8n-core's code uses.
 */
const coreRequire = createRequire(require.resolve('n8n-core'));
export const Container = (coreRequire('@n8n/di') as { Container: DiContainer }).Container;
const { InstanceSettingsConfig } = coreRequire('@n8n/config') as {
	InstanceSettingsConfig: Constructor<{ n8nFolder: string; userHome: string; encryptionKey: string }>;
};
const { Logger } = coreRequire('@n8n/backend-common') as { Logger: Constructor<object> };

export type BinaryMode = 'filesystem' | 'default';

let n8nFolder: string | undefined;
let openHarnesses = 0;

/** Once per module registry (= per jest test file): point n8n's instance folder at a temp dir. */
function bootInstance(): void {
	if (n8nFolder !== undefined) return;
	n8nFolder = mkdtempSync(join(tmpdir(), 'n8n-harness-instance-'));
	const config = Container.get(InstanceSettingsConfig);
	config.n8nFolder = n8nFolder;
	config.userHome = n8nFolder;
	config.encryptionKey = randomBytes(24).toString('base64');
	Container.get(InstanceSettings); // creates <n8nFolder>/config now, while the folder exists
}

export interface Runtime {
	binaryDataService: BinaryDataService;
	dir: string;
	/** Makes this harness's BinaryDataService the one n8n-core's helpers get from the container. */
	activate(): void;
	close(): void;
}

export async function startRuntime(binaryMode: BinaryMode): Promise<Runtime> {
	bootInstance();
	openHarnesses++;
	const dir = mkdtempSync(join(tmpdir(), 'n8n-harness-'));
	const base = Container.get(BinaryDataConfig);
	const config = Object.assign(Object.create(Object.getPrototypeOf(base) as object) as BinaryDataConfig, base, {
		mode: binaryMode,
		localStoragePath: join(dir, 'storage'),
	});
	const binaryDataService = new BinaryDataService(
		config,
		Container.get(ErrorReporter),
		Container.get(Logger) as ConstructorParameters<typeof BinaryDataService>[2],
	);
	await binaryDataService.init();
	let closed = false;
	return {
		binaryDataService,
		dir,
		activate: () => Container.set(BinaryDataService, binaryDataService),
		close: () => {
			if (closed) return;
			closed = true;
			rmSync(dir, { recursive: true, force: true });
			openHarnesses--;
			if (openHarnesses === 0 && n8nFolder !== undefined) {
				// InstanceSettings has read its file; nothing reads the folder again.
				rmSync(n8nFolder, { recursive: true, force: true });
			}
		},
	};
}
