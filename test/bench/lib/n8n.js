'use strict';
// The node as n8n runs it: the built package (dist/) inside the shared test harness, i.e. n8n-core's real
// execution contexts, HTTP helpers and binary data service, with a credential pointing at an emulator.

const path = require('node:path');
const { HARNESS_DIR } = require('./ts');

const DIST = path.join(__dirname, '../../../dist');

async function n8nNode({ emulator, binaryMode = 'filesystem' }) {
	const { createHarness } = require(HARNESS_DIR);
	const { SalesforceBulkOAuth2Api } = require(path.join(DIST, 'credentials/SalesforceBulkOAuth2Api.credentials.js'));
	const { SalesforceBulk2 } = require(path.join(DIST, 'nodes/SalesforceBulk2/SalesforceBulk2.node.js'));
	const { clientId, clientSecret, refreshToken } = emulator.credentials;
	const harness = await createHarness({
		credentialTypes: [new SalesforceBulkOAuth2Api()],
		credentials: {
			salesforceBulkOAuth2Api: { environment: 'custom', customLoginUrl: emulator.url, grantType: 'refreshToken', clientId, clientSecret, refreshToken, apiVersion: '63.0' },
		},
		binaryMode,
	});
	return { harness, node: new SalesforceBulk2() };
}

/** A stream of a binary the node wrote to n8n's binary store (the harness's active BinaryDataService). */
async function binaryStream(binaryData) {
	const { Container } = require(path.join(HARNESS_DIR, 'runtime.js'));
	const { BinaryDataService } = require('n8n-core');
	return await Container.get(BinaryDataService).getAsStream(binaryData.id);
}

/**
 * A file as an input binary in the harness's filesystem binary store, as a previous node would have left
 * it: the bytes are copied by the kernel, so setting up a 300 MB input costs this process no memory.
 */
async function placeBinaryFile(harness, file, fileName, mimeType) {
	const fs = require('node:fs');
	const placeholder = await harness.prepareBinary(Buffer.from(' '), fileName, mimeType);
	const { Container } = require(path.join(HARNESS_DIR, 'runtime.js'));
	const { BinaryDataService } = require('n8n-core');
	const target = path.join(Container.get(BinaryDataService).config.localStoragePath, placeholder.id.replace(/^filesystem-v2:/, ''));
	fs.copyFileSync(file, target);
	const bytes = fs.statSync(target).size;
	return { ...placeholder, bytes, fileSize: `${(bytes / 1e6).toFixed(1)} MB` };
}

module.exports = { n8nNode, binaryStream, placeBinaryFile, DIST };
