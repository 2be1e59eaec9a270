import { carriesTokenSafely } from '../../../nodes/shared/transport/secureUrl';

describe('carriesTokenSafely', () => {
	it('takes https anywhere and plain http only on loopback', () => {
		const safe = (url: string) => carriesTokenSafely(new URL(url));
		expect(['https://acme.my.salesforce.com', 'http://127.0.0.1:8765', 'http://127.8.0.1', 'http://localhost:1', 'http://[::1]:9'].filter((u) => !safe(u))).toEqual([]);
		expect(['http://acme.my.salesforce.com', 'http://203.0.113.7', 'ftp://127.0.0.1', 'http://localhost.evil.com', 'http://127.0.0.1.evil.com'].filter(safe)).toEqual([]);
	});
});
