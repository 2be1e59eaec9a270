// api/restApi: the REST describe calls behind the dropdowns, and the credential's user, over HTTP.
import { credentialUserId } from '../../../nodes/shared/api/restApi';
import { apiProbe } from '../apiProbe';

const p = apiProbe();

it('describeGlobal lists the sObjects from /sobjects', async () => {
	let names: string[] = [];
	const sent = await p.requestsOf(async () => {
		names = (await p.run(async ({ rest }) => ({ names: (await rest.describeGlobal()).map((o) => o.name) }))).names as string[];
	});
	expect(names).toEqual(expect.arrayContaining(['Account', 'Contact', 'Invoice__c']));
	expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /services/data/v63.0/sobjects']);
});

it('describe asks for one object, its name encoded, and returns its fields', async () => {
	let out: Record<string, unknown> = {};
	const sent = await p.requestsOf(async () => {
		out = await p.run(async ({ rest }) => {
			const account = await rest.describe('Account');
			return { name: account.name, external: account.fields.filter((f) => f.externalId).map((f) => f.name) };
		});
	});
	expect(out).toEqual({ name: 'Account', external: expect.arrayContaining(['Legacy_Id__c']) });
	expect(sent.map((r) => r.path)).toEqual(['/services/data/v63.0/sobjects/Account/describe']);
	const error = await p.failure(async ({ rest }) => ({ d: (await rest.describe('No Such/Object')).name }));
	expect(error.context).toMatchObject({ statusCode: 404 });
});

it("credentialUserId reads the user's ID from /services/oauth2/userinfo", async () => {
	let id = '';
	const sent = await p.requestsOf(async () => {
		id = String((await p.run(async (_sf, ctx) => ({ id: await credentialUserId(ctx, 'Created by Me') }))).id);
	});
	expect(id).toMatch(/^005\w{12}/);
	expect(id).toBe(p.s.emulator.oauth.userinfo().user_id);
	expect(sent.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /services/oauth2/userinfo']);
});
