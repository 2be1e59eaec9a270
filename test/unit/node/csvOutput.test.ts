/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: node streams */
// node/csvOutput: result pages (each with its header) read into items, typed or as text, with a limit.
// Writing files goes through n8n's binary store and is tested with the nodes (test/nodes, test/e2e, test/queue).
import { Readable } from 'node:stream';

import { csvFormat, csvItems, onePage, type Page } from '../../../nodes/shared/node/csvOutput';

async function* pages(...bodies: Page[]): AsyncGenerator<Page> {
	for (const body of bodies) yield body;
}

describe('csvItems', () => {
	const first = Buffer.from('"Id","Name","NumberOfEmployees"\n"001A","Acme","12"\n"001B","","0"\n');
	const second = Readable.from([Buffer.from('"Id","Name","NumberOfEmployees"\n"001C","Glo'), Buffer.from('bex","x"\n')]);

	it('reads every page by its own header; values stay text', async () => {
		expect(await csvItems(pages(first, second), { lineEnding: 'LF' }, false)).toEqual([
			{ Id: '001A', Name: 'Acme', NumberOfEmployees: '12' },
			{ Id: '001B', Name: '', NumberOfEmployees: '0' },
			{ Id: '001C', Name: 'Globex', NumberOfEmployees: 'x' },
		]);
	});

	it('typed: numbers and empty values become numbers and null', async () => {
		expect(await csvItems(onePage(first), { lineEnding: 'LF' }, true)).toEqual([
			{ Id: '001A', Name: 'Acme', NumberOfEmployees: 12 },
			{ Id: '001B', Name: null, NumberOfEmployees: 0 },
		]);
	});

	it('stops at the limit, and reads pages split into chunks', async () => {
		expect(await csvItems(pages([first.subarray(0, 40), first.subarray(40)]), { lineEnding: 'LF' }, false, 1)).toEqual([{ Id: '001A', Name: 'Acme', NumberOfEmployees: '12' }]);
	});

	it("reads the job's delimiter and line ending", async () => {
		const format = csvFormat({ id: '750A', object: 'Account', operation: 'query', state: 'JobComplete', columnDelimiter: 'SEMICOLON', lineEnding: 'CRLF' });
		expect(await csvItems(onePage(Buffer.from('Id;Name\r\n001A;"A;B"\r\n')), format, false)).toEqual([{ Id: '001A', Name: 'A;B' }]);
	});
});
