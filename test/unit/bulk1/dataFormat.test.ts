// dataFormat.ts (Bulk 1.0 batch data).
import { detectFormat } from '../../../nodes/shared/bulk1/dataFormat';

describe('detectFormat', () => {
	it('tells zip, XML, JSON and CSV apart from the first bytes', () => {
		expect(detectFormat(Buffer.from('PK\u0003\u0004rest'))).toBe('ZIP');
		expect(detectFormat('\uFEFF  <?xml version="1.0"?><sObjects/>')).toBe('XML');
		expect(detectFormat('\n[{"Name":"x"}]')).toBe('JSON');
		expect(detectFormat('Name,Phone\nA,1\n')).toBe('CSV');
		expect(detectFormat('   ')).toBeUndefined();
	});
});
