// Shared by node tests: an emulator, and a harness whose credential points at it.
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { SalesforceBulkOAuth2Api } from '../../credentials/SalesforceBulkOAuth2Api.credentials';
import { createHarness, type Harness } from '../harness';

export interface Emulator {
	url: string;
	close(): Promise<void>;
	credentials: { clientId: string; clientSecret: string; refreshToken: string; username: string; password: string; securityToken: string; privateKeyPem: string };
	oauth: { expireAll(): void; revokeRefreshToken(): void; issued: number };
	faults: { add(...rules: IDataObject[]): void; clear(): void; failJobs(failure: IDataObject): void; fired: IDataObject[] };
	stats: { requests: number; byRoute: Record<string, number> };
	options: IDataObject;
	org: {
		table(name: string): Map<string, IDataObject>;
		find(id: string): { record: IDataObject } | undefined;
		insertSystem(object: string, values: IDataObject): IDataObject;
		user: IDataObject;
	};
	jobs: { finish(id: string): boolean };
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmulator } = require('../emulator') as { startEmulator(options?: IDataObject): Promise<Emulator> };

export const CREDENTIAL = 'salesforceBulkOAuth2Api';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const helpers = require('../helpers/emulator') as {
	emulatorCredentialData(emulator: Emulator, extra?: ICredentialDataDecryptedObject): ICredentialDataDecryptedObject;
	accessToken(emulator: Emulator, grant?: 'refresh_token' | 'client_credentials'): Promise<string>;
};

/** This package's credential pointing at the emulator (test/helpers/emulator.js). */
export const emulatorCredential = helpers.emulatorCredentialData;

/** An access token of the emulator's test client, for calls made beside the node (test/helpers/emulator.js). */
export const accessToken = helpers.accessToken;

export interface Setup {
	emulator: Emulator;
	harness: Harness;
	close(): Promise<void>;
}

export async function setup(emulatorOptions: IDataObject = {}, harnessOptions: { binaryMode?: 'filesystem' | 'default' } = {}): Promise<Setup> {
	const emulator = await startEmulator({ jobDelayMs: 30, ...emulatorOptions });
	const harness = await createHarness({
		credentialTypes: [new SalesforceBulkOAuth2Api()],
		credentials: { [CREDENTIAL]: emulatorCredential(emulator) },
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
