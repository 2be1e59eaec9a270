'use strict';
/**
 * The secret grep of the end-to-end suite: what an emulator knows that n8n, its logs, its database and the
 * files it writes must never show — the credential's secrets and every access token the emulator issued.
 */

const fs = require('node:fs');
const path = require('node:path');

/** PEM body lines shorter than this are not searched alone (a short last line could occur by chance). */
const MIN_PEM_LINE = 16;

/**
 * Every secret of an emulator as { name, value }: client secret, refresh token, password, security token
 * (and both together, as the username-password grant sends them), the private key (whole, and each base64
 * line of its body, so a JSON-escaped PEM is found too), and each access token it issued — whole, and its
 * part after the `!` (found even when the `!` is URL-encoded).
 */
function emulatorSecrets(emulator, label) {
	const c = emulator.credentials;
	const secrets = [
		['clientSecret', c.clientSecret],
		['refreshToken', c.refreshToken],
		['password', c.password],
		['securityToken', c.securityToken],
		['password + securityToken', c.password + c.securityToken],
		['privateKeyPem', c.privateKeyPem.trim()],
	];
	c.privateKeyPem
		.split(/\r?\n/)
		.filter((line) => line.length >= MIN_PEM_LINE && !line.startsWith('-----'))
		.forEach((line, i) => secrets.push([`privateKeyPem line ${i + 1}`, line]));
	let n = 0;
	for (const token of emulator.oauth.tokens.keys()) {
		n++;
		secrets.push([`access token #${n}`, token]);
		secrets.push([`access token #${n} (after "!")`, token.slice(token.indexOf('!') + 1)]);
	}
	for (const [name, value] of secrets) {
		if (typeof value !== 'string' || value.length < 8) throw new Error(`${label} ${name}: not a secret worth searching for (${JSON.stringify(value)})`);
	}
	return secrets.map(([name, value]) => ({ name: `${label} ${name}`, value }));
}

/** How many access tokens the secrets hold. */
const accessTokens = (secrets) => secrets.filter((s) => /access token #\d+$/.test(s.name)).length;

/**
 * Every file under `dir` as { name, content: Buffer }, binary ones (the n8n database) included, but those
 * under a `skip` folder (relative paths).
 */
function filesUnder(dir, skip = []) {
	const out = [];
	for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (!entry.isFile()) continue;
		const file = path.join(entry.parentPath ?? entry.path, entry.name);
		const name = path.relative(dir, file);
		if (skip.some((folder) => name.startsWith(folder + path.sep))) continue;
		out.push({ name, content: fs.readFileSync(file) });
	}
	return out;
}

/** "<secret> in <source>" for each secret found in each source (text or Buffer, searched byte for byte). */
function findSecrets(sources, secrets) {
	const hits = [];
	for (const { name, content } of sources) {
		const bytes = Buffer.isBuffer(content) ? content : Buffer.from(String(content), 'utf8');
		for (const secret of secrets) if (bytes.includes(secret.value, 0, 'utf8')) hits.push(`${secret.name} in ${name}`);
	}
	return hits;
}

module.exports = { emulatorSecrets, accessTokens, filesUnder, findSecrets };
