// Shared by node tests: an emulator, and a harness whose credential points at it.
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { SalesforceBulkOAuth2Api } from '../../credentials/SalesforceBulkOAuth2Api.credentials';
import { startEmulator } from '../emulator';
import { createHarness, type Harness } from '../harness';
import { emulatorCredentialData } from '../helpers/emulator';

/** An access token of the emulator's test client, for calls made beside the node (test/helpers/emulator.js). */
export { accessToken } from '../helpers/emulator';

/** The emulator as test/emulator/index.js builds it: its types come from its JSDoc, checked by tsc (test/unit/emulator/types.test.js). */
export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export const CREDENTIAL = 'salesforceBulkOAuth2Api';

/** This package's credential pointing at the emulator (test/helpers/emulator.js). */
export { emulatorCredentialData as emulatorCredential };

export interface Setup {
	emulator: Emulator;
	harness: Harness;
	close(): Promise<void>;
}

export async function setup(emulatorOptions: IDataObject = {}, harnessOptions: { binaryMode?: 'filesystem' | 'default' } = {}): Promise<Setup> {
	const emulator = await startEmulator({ jobDelayMs: 30, ...emulatorOptions });
	const harness = await createHarness({
		credentialTypes: [new SalesforceBulkOAuth2Api()],
		credentials: { [CREDENTIAL]: emulatorCredentialData(emulator) },
		...harnessOptions,
	});
	return {
		emulator,
		harness,
		async close() {
			await harness.close();
			await emulator.close();
		},
	};
}

/** Emulator admin calls (faults, config) over HTTP, as a test in another process would make them. */
export async function admin(emulator: Emulator, what: string, body: unknown = {}): Promise<unknown> {
	const res = await fetch(`${emulator.url}/__emulator/${what}`, { method: 'POST', body: JSON.stringify(body) });
	return await res.json();
}

/**
 * Polls `probe` every 20 ms until it gives a value (anything but undefined or false) and returns that value;
 * fails, naming `what`, after `tries` polls.
 */
export async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, tries = 300): Promise<T> {
	for (let k = 0; k < tries; k++) {
		const value = await probe();
		if (value !== undefined && value !== false) return value;
		await sleep(20);
	}
	throw new Error(`${what} did not happen`);
}
