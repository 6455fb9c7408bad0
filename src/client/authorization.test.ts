import { describe, expect, it } from 'vitest';
import { buildAuthorizationUrl, validateAuthorizationResponse } from './authorization.js';
import { checkMetadata, discoverAuthorizationServer, type AuthorizationServerMetadata } from './discovery.js';
import { AccessDeniedError, OAuthCallbackError, OAuthValidationError } from './errors.js';
import { computeCodeChallenge } from './pkce.js';

const metadata: AuthorizationServerMetadata = {
  issuer: 'https://as.example.com',
  authorization_endpoint: 'https://as.example.com/authorize?tenant=a',
  token_endpoint: 'https://as.example.com/token',
  authorization_response_iss_parameter_supported: true,
};
const client = { clientId: 'app', redirectUri: 'https://app.example.com/cb' };

describe('buildAuthorizationUrl', () => {
  it('sets response_type, client, redirect, scope, state, nonce, S256 PKCE and resources, keeping the endpoint query', () => {
    const { url, pending } = buildAuthorizationUrl(metadata, client, {
      scope: ['openid', 'api'],
      resource: ['https://api.example.com/', 'https://other.example.com/'],
      extraParams: { prompt: 'consent' },
    });
    const p = url.searchParams;
    expect(url.origin + url.pathname).toBe('https://as.example.com/authorize');
    expect(p.get('tenant')).toBe('a');
    expect(p.get('response_type')).toBe('code');
    expect(p.get('client_id')).toBe('app');
    expect(p.get('redirect_uri')).toBe(client.redirectUri);
    expect(p.get('scope')).toBe('openid api');
    expect(p.get('state')).toBe(pending.state);
    expect(p.get('nonce')).toBe(pending.nonce);
    expect(p.get('code_challenge')).toBe(computeCodeChallenge(pending.codeVerifier));
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.getAll('resource')).toEqual(['https://api.example.com/', 'https://other.example.com/']);
    expect(p.get('prompt')).toBe('consent');
    expect(p.has('code_verifier')).toBe(false);
    expect(pending.resource).toEqual(['https://api.example.com/', 'https://other.example.com/']);
  });

  it('sends no nonce without openid', () => {
    const { url, pending } = buildAuthorizationUrl(metadata, client, { scope: 'api' });
    expect(url.searchParams.has('nonce')).toBe(false);
    expect(pending.nonce).toBeUndefined();
  });

  it('refuses a resource with a fragment or not absolute (RFC 8707 §2), and overriding reserved parameters', () => {
    expect(() => buildAuthorizationUrl(metadata, client, { resource: 'https://api.example.com/#x' })).toThrow(TypeError);
    expect(() => buildAuthorizationUrl(metadata, client, { resource: '/relative' })).toThrow(TypeError);
    expect(() => buildAuthorizationUrl(metadata, client, { extraParams: { code_challenge_method: 'plain' } })).toThrow(TypeError);
  });
});

describe('validateAuthorizationResponse', () => {
  const pending = { state: 'expected-state' };
  const cb = (q: string) => `https://app.example.com/cb?${q}`;
  const iss = `iss=${encodeURIComponent(metadata.issuer)}`;

  it('returns the code when iss and state match', () => {
    expect(validateAuthorizationResponse(metadata, pending, cb(`code=abc&state=expected-state&${iss}`))).toBe('abc');
  });

  it('maps access_denied to AccessDeniedError and other errors to OAuthCallbackError with the server code', () => {
    const denied = catchError(() => validateAuthorizationResponse(metadata, pending, cb(`error=access_denied&error_description=nope&state=expected-state&${iss}`)));
    expect(denied).toBeInstanceOf(AccessDeniedError);
    expect(denied).toMatchObject({ code: 'access_denied', description: 'nope' });
    for (const code of ['invalid_request', 'invalid_scope', 'server_error', 'temporarily_unavailable', 'login_required']) {
      const err = catchError(() => validateAuthorizationResponse(metadata, pending, cb(`error=${code}&state=expected-state&${iss}`)));
      expect(err).toBeInstanceOf(OAuthCallbackError);
      expect(err).not.toBeInstanceOf(AccessDeniedError);
      expect(err).toMatchObject({ code });
    }
  });

  it('refuses a response with neither code nor error, or with a repeated code', () => {
    expect(catchError(() => validateAuthorizationResponse(metadata, pending, cb(`state=expected-state&${iss}`)))).toMatchObject({ code: 'invalid_callback' });
    expect(catchError(() => validateAuthorizationResponse(metadata, pending, cb(`code=a&code=b&state=expected-state&${iss}`)))).toMatchObject({ code: 'invalid_callback' });
  });

  it('accepts a response without iss when the server does not advertise RFC 9207, but checks iss when present', () => {
    const legacy = { ...metadata, authorization_response_iss_parameter_supported: false };
    expect(validateAuthorizationResponse(legacy, pending, new URLSearchParams('code=abc&state=expected-state'))).toBe('abc');
    expect(catchError(() => validateAuthorizationResponse(legacy, pending, new URLSearchParams('code=abc&state=expected-state&iss=https://evil.example')))).toMatchObject({ code: 'issuer_mismatch' });
  });
});

describe('discovery', () => {
  it('tries RFC 8414 (path inserted) first, then OpenID Connect discovery (path appended)', async () => {
    const seen: string[] = [];
    const doc = { ...metadata, issuer: 'https://as.example.com/tenant' };
    const result = await discoverAuthorizationServer('https://as.example.com/tenant', {
      fetch: (input) => {
        const url = String(input instanceof Request ? input.url : input);
        seen.push(url);
        return Promise.resolve(url.endsWith('/openid-configuration') ? Response.json(doc) : new Response('no', { status: 404 }));
      },
    });
    expect(seen).toEqual(['https://as.example.com/.well-known/oauth-authorization-server/tenant', 'https://as.example.com/tenant/.well-known/openid-configuration']);
    expect(result.issuer).toBe('https://as.example.com/tenant');
  });

  it('fails with discovery_failed when neither answers, and refuses metadata for another issuer or without S256', async () => {
    await expect(discoverAuthorizationServer('https://as.example.com', { fetch: () => Promise.resolve(new Response('', { status: 500 })) })).rejects.toMatchObject({ code: 'discovery_failed' });
    expect(catchError(() => checkMetadata({ ...metadata, issuer: 'https://evil.example' }, metadata.issuer))).toMatchObject({ code: 'invalid_metadata' });
    expect(catchError(() => checkMetadata({ ...metadata, code_challenge_methods_supported: ['plain'] }, metadata.issuer))).toMatchObject({ code: 'invalid_metadata' });
    expect(catchError(() => checkMetadata({ ...metadata, token_endpoint: 'http://as.example.com/token' }, metadata.issuer))).toMatchObject({ code: 'invalid_metadata' });
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof OAuthValidationError) && !(err instanceof OAuthCallbackError)) throw err;
    return err;
  }
  throw new Error('expected an error');
}
