'use strict';
// OAuth 2.0 as Salesforce's token endpoint does it: refresh_token, client_credentials, password and
// JWT bearer grants; access tokens that expire; userinfo.

const crypto = require('node:crypto');
const { HttpError } = require('./http');

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function oauthError(status, error, description) {
	return new HttpError(status, { error, error_description: description });
}

function base64url(buffer) {
	return Buffer.from(buffer).toString('base64url');
}

class OAuth {
	/**
	 * @param {object} o
	 * @param {() => string} o.baseUrl  the emulator's URL (login host and instance URL)
	 * @param {object} o.org            the Org (its orgId and user)
	 * @param {number} [o.tokenTtlMs]   access token lifetime
	 * @param {() => number} [o.clock]
	 */
	constructor({ baseUrl, org, tokenTtlMs = 2 * 60 * 60 * 1000, clock = Date.now }) {
		this.baseUrl = baseUrl;
		this.org = org;
		this.tokenTtlMs = tokenTtlMs;
		this.clock = clock;
		this.tokens = new Map(); // access token → { expiresAt }
		const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
		this.publicKey = publicKey;
		this.client = {
			clientId: `3MVG9${base64url(crypto.randomBytes(30)).replace(/[-_]/g, 'x')}`,
			clientSecret: crypto.randomBytes(32).toString('hex').toUpperCase(),
			refreshToken: `5Aep861${base64url(crypto.randomBytes(48)).replace(/[-_]/g, 'z')}`,
			username: org.user.Username,
			password: `Pw-${crypto.randomBytes(6).toString('hex')}`,
			securityToken: crypto.randomBytes(12).toString('base64url').replace(/[-_]/g, 'Q').slice(0, 24),
			privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		};
		this.revokedRefreshTokens = new Set();
		this.issued = 0;
	}

	/** POST /services/oauth2/token (form-encoded). */
	token(form) {
		const grant = form.get('grant_type');
		switch (grant) {
			case 'refresh_token':
				this.checkClient(form, false);
				if (form.get('refresh_token') !== this.client.refreshToken || this.revokedRefreshTokens.has(form.get('refresh_token'))) {
					throw oauthError(400, 'invalid_grant', 'expired access/refresh token');
				}
				return this.issue();
			case 'client_credentials':
				this.checkClient(form, true);
				return this.issue();
			case 'password':
				this.checkClient(form, true);
				// Loopback counts as a trusted IP range: the security token may be appended or left out.
				const password = form.get('password');
				if (form.get('username') !== this.client.username || (password !== this.client.password && password !== this.client.password + this.client.securityToken)) {
					throw oauthError(400, 'invalid_grant', 'authentication failure');
				}
				return this.issue();
			case JWT_GRANT:
				this.checkAssertion(form.get('assertion'));
				return this.issue();
			default:
				throw oauthError(400, 'unsupported_grant_type', 'grant type not supported');
		}
	}

	checkClient(form, secretRequired) {
		if (form.get('client_id') !== this.client.clientId) throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
		const secret = form.get('client_secret');
		if ((secretRequired || secret !== null) && secret !== this.client.clientSecret) {
			throw oauthError(400, 'invalid_client', 'invalid client credentials');
		}
	}

	checkAssertion(assertion) {
		const parts = String(assertion || '').split('.');
		if (parts.length !== 3) throw oauthError(400, 'invalid_grant', 'invalid assertion');
		let header;
		let claims;
		try {
			header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
			claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
		} catch {
			throw oauthError(400, 'invalid_grant', 'invalid assertion');
		}
		const signed = crypto.verify('RSA-SHA256', Buffer.from(`${parts[0]}.${parts[1]}`), this.publicKey, Buffer.from(parts[2], 'base64url'));
		if (header.alg !== 'RS256' || !signed) throw oauthError(400, 'invalid_grant', 'invalid assertion');
		if (claims.iss !== this.client.clientId) throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
		const audiences = ['https://login.salesforce.com', 'https://test.salesforce.com', this.baseUrl()];
		if (!audiences.includes(String(claims.aud).replace(/\/$/, ''))) throw oauthError(400, 'invalid_grant', 'audience is invalid');
		if (typeof claims.exp !== 'number' || claims.exp * 1000 < this.clock()) throw oauthError(400, 'invalid_grant', 'expired authorization code');
		if (claims.sub !== this.client.username) throw oauthError(400, 'invalid_grant', 'user hasn\'t approved this consumer');
	}

	issue() {
		const issuedAt = this.clock();
		const accessToken = `${this.org.orgId.slice(0, 15)}!${base64url(crypto.randomBytes(72))}`;
		this.tokens.set(accessToken, { expiresAt: issuedAt + this.tokenTtlMs });
		this.issued++;
		const id = `${this.baseUrl()}/id/${this.org.orgId}/${this.org.user.Id}`;
		return {
			access_token: accessToken,
			signature: crypto.createHmac('sha256', this.client.clientSecret).update(id + issuedAt).digest('base64'),
			scope: 'api refresh_token',
			instance_url: this.baseUrl(),
			id,
			token_type: 'Bearer',
			issued_at: String(issuedAt),
		};
	}

	/** True when the token was issued here and has not expired. */
	valid(token) {
		const entry = token && this.tokens.get(token);
		return Boolean(entry && entry.expiresAt > this.clock());
	}

	/** Fault switch: every access token issued so far expires now. */
	expireAll() {
		for (const entry of this.tokens.values()) entry.expiresAt = 0;
	}

	revokeRefreshToken() {
		this.revokedRefreshTokens.add(this.client.refreshToken);
	}

	userinfo() {
		const user = this.org.user;
		return {
			sub: `${this.baseUrl()}/id/${this.org.orgId}/${user.Id}`,
			user_id: user.Id,
			organization_id: this.org.orgId,
			preferred_username: user.Username,
			nickname: 'bulk.user',
			name: user.Name,
			email: user.Email,
			email_verified: true,
			user_type: 'STANDARD',
			active: true,
			language: 'en_US',
			locale: 'en_US',
			utcOffset: 0,
			urls: { rest: `${this.baseUrl()}/services/data/v{version}/` },
		};
	}
}

module.exports = { OAuth, JWT_GRANT };
