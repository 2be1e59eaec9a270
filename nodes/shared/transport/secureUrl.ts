/**
 * Whether the access token may go to a URL: https, or plain http to a loopback host (a local emulator), so
 * the token never travels in clear text. The one rule for the credential's URLs and the requests' targets.
 */
export function carriesTokenSafely(url: URL): boolean {
	// An IPv4 literal 127.x.y.z, not a name that merely starts with 127. (127.0.0.1.example.com resolves anywhere).
	const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(url.hostname);
	return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
}
