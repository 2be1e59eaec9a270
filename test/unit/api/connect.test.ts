// api/connect: the three API clients of a node run, at the credential's API version.
import { apiProbe } from '../apiProbe';
import { CREDENTIAL, emulatorCredential } from '../../nodes/setup';

const p = apiProbe();

it("every client uses the credential's API version, written with or without the v", async () => {
	for (const [written, version] of [['v62.0', '62.0'], ['61.0', '61.0']]) {
		p.s.harness.setCredential(CREDENTIAL, emulatorCredential(p.s.emulator, { apiVersion: written }));
		const sent = await p.requestsOf(async () => {
			const out = await p.run(async (sf) => {
				await sf.rest.describeGlobal();
				await sf.bulk2.createIngestJob({ object: 'Account', operation: 'insert' });
				await sf.bulk1.createJob({ object: 'Account', operation: 'insert' });
				return { apiVersion: sf.apiVersion, versions: [sf.rest.apiVersion, sf.bulk1.apiVersion, sf.bulk2.apiVersion] };
			});
			expect(out).toEqual({ apiVersion: version, versions: [version, version, version] });
		});
		expect(sent.map((r) => r.path)).toEqual([`/services/data/v${version}/sobjects`, `/services/data/v${version}/jobs/ingest`, `/services/async/${version}/job`]);
	}
	p.s.harness.setCredential(CREDENTIAL, emulatorCredential(p.s.emulator));
});
