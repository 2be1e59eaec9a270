// node/loadOptions: the Object and External ID Field dropdowns, run as n8n runs a node's loadOptions method,
// against the emulator's describe calls.
import { sObjectLoadOptions } from '../../../nodes/shared/node/loadOptions';
import { ClientProbe } from '../../nodes/probe';
import { apiProbe } from '../apiProbe';

class DropdownProbe extends ClientProbe {
	methods = { loadOptions: sObjectLoadOptions };
}

const p = apiProbe();
const node = new DropdownProbe();
node.description.properties = [{ displayName: 'Object', name: 'object', type: 'string', default: '' }];

it('getObjects lists the objects that can be loaded or queried, by label, with their API names', async () => {
	let options: Array<{ name: string; value: string | number | boolean }> = [];
	const sent = await p.requestsOf(async () => {
		options = await p.s.harness.loadOptions(node, 'getObjects');
	});
	expect(options).toEqual(expect.arrayContaining([{ name: 'Account (Account)', value: 'Account' }, { name: expect.stringMatching(/\(Invoice__c\)$/), value: 'Invoice__c' }]));
	const names = options.map((o) => o.name);
	expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
	expect(sent.map((r) => r.path)).toEqual(['/services/data/v63.0/sobjects']);
});

it("getExternalIdFields lists the object's external ID fields, then Id last; nothing without an object", async () => {
	let options: Array<{ name: string; value: string | number | boolean }> = [];
	const sent = await p.requestsOf(async () => {
		options = await p.s.harness.loadOptions(node, 'getExternalIdFields', { parameters: { object: 'Account' } });
	});
	expect(options.at(-1)).toEqual({ name: 'Account ID (Id)', value: 'Id' }); // the Id field's label, as Salesforce's describe gives it
	expect(options.map((o) => o.value)).toEqual(expect.arrayContaining(['Legacy_Id__c']));
	expect(options.map((o) => o.value).filter((v) => v === 'Name')).toEqual([]);
	expect(sent.map((r) => r.path)).toEqual(['/services/data/v63.0/sobjects/Account/describe']);
	const none = await p.requestsOf(async () => expect(await p.s.harness.loadOptions(node, 'getExternalIdFields', { parameters: { object: ' ' } })).toEqual([]));
	expect(none).toEqual([]);
});
