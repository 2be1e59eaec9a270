// batchRecords.ts (Bulk 1.0 batch data).
import { parseRecords } from '../../../nodes/shared/bulk1/batchRecords';
import { NO_RECORDS } from '../../../nodes/shared/bulk1/dataFormat';

const NS = 'xmlns="http://www.force.com/2009/06/asyncapi/dataload"';
const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

describe('parseRecords', () => {
	it('reads query result sets of the three formats without type metadata', () => {
		expect(parseRecords('CSV', '"Id","Name","Owner.Name"\n"001A","Acme","Ann"\n')).toEqual([{ Id: '001A', Name: 'Acme', Owner: { Name: 'Ann' } }]);
		expect(parseRecords('CSV', NO_RECORDS)).toEqual([]);
		const xml = `<?xml version="1.0" encoding="UTF-8"?><queryResult ${NS} ${XSI}>
 <records xsi:type="sObject"><type>Account</type><Id xsi:nil="true"/><Name>Acme</Name><NumberOfEmployees>5</NumberOfEmployees>
  <Owner xsi:type="sObject"><type>User</type><Id xsi:nil="true"/><Name>Ann</Name></Owner><Parent xsi:nil="true"/></records>
</queryResult>`;
		expect(parseRecords('XML', xml)).toEqual([{ Name: 'Acme', NumberOfEmployees: '5', Owner: { Name: 'Ann' }, Parent: null }]);
		expect(parseRecords('XML', xml, { typed: true })[0].NumberOfEmployees).toBe(5);
		const json = '[ {\n  "attributes" : { "type" : "Account" },\n  "Name" : "Acme",\n  "Owner" : { "attributes" : { "type" : "User" }, "Name" : "Ann" }\n} ]';
		expect(parseRecords('JSON', json)).toEqual([{ Name: 'Acme', Owner: { Name: 'Ann' } }]);
	});
});
