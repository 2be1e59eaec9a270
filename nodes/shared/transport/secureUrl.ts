/**
 * Whether the access token may go to a URL: https, or plain http to a loopback host (a local emulator), so
 * the token never travels in clear text. The one rule for the credential's URLs and the requests' targets.
 */
export function carriesTokenSafely(url: URL): boolean {
	const loopback = url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\./.test(url.hostname);
	return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
}
