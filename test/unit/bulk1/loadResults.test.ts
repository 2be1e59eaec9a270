// loadResults.ts (Bulk 1.0 batch data).
import { parseLoadResults, rowOutcome } from '../../../nodes/shared/bulk1/loadResults';

const NS = 'xmlns="http://www.force.com/2009/06/asyncapi/dataload"';
describe('parseLoadResults and rowOutcome', () => {
	const expected = [
		{ id: '001A', success: true, created: true, error: null },
		{ id: null, success: false, created: false, error: 'REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --' },
	];

	it('reads CSV, XML and JSON results to the same shape', () => {
		expect(parseLoadResults('CSV', '"Id","Success","Created","Error"\n"001A","true","true",""\n"","false","false","REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --"\n')).toEqual(expected);
		const xml = `<?xml version="1.0" encoding="UTF-8"?><results ${NS}>
 <result><id>001A</id><success>true</success><created>true</created></result>
 <result><errors><fields>Name</fields><message>Required fields are missing: [Name]</message><statusCode>REQUIRED_FIELD_MISSING</statusCode></errors><success>false</success><created>false</created></result>
</results>`;
		expect(parseLoadResults('XML', xml)).toEqual(expected);
		const json = JSON.stringify([
			{ success: true, created: true, id: '001A', errors: [] },
			{ success: false, created: false, id: null, errors: [{ statusCode: 'REQUIRED_FIELD_MISSING', message: 'Required fields are missing: [Name]', fields: ['Name'] }] },
		]);
		expect(parseLoadResults('JSON', json)).toEqual(expected);
	});

	it('names the outcome of each row', () => {
		expect(rowOutcome({ id: '001A', success: true, created: true, error: null }, 'upsert').status).toBe('created');
		expect(rowOutcome({ id: '001A', success: true, created: false, error: null }, 'upsert').status).toBe('updated');
		expect(rowOutcome({ id: '001A', success: true, created: false, error: null }, 'hardDelete').status).toBe('deleted');
		expect(rowOutcome({ id: null, success: false, created: false, error: 'DUPLICATE_VALUE:dup:--' }, 'insert')).toMatchObject({ status: 'failed', errorCode: 'DUPLICATE_VALUE' });
		expect(rowOutcome(undefined, 'insert', 'InvalidBatch : Simulated')).toEqual({ status: 'unprocessed', success: false, created: false, id: null, error: 'InvalidBatch : Simulated', errorCode: null });
	});
});
