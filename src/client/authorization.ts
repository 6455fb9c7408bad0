import { createHash, timingSafeEqual } from 'node:crypto';
import type { AuthorizationServerMetadata } from './discovery.js';
import { AccessDeniedError, OAuthCallbackError, OAuthValidationError } from './errors.js';
import { generateNonce, generatePkcePair, generateState, type RandomBytes } from './pkce.js';

/** What to ask for in one authorization request. */
export interface AuthorizationRequestOptions {
  /** Scopes (RFC 6749 §3.3); include `openid` for an ID token and `offline_access` where the server wants it for refresh tokens. */
  scope?: string[] | string;
  /** RFC 8707 resource indicators: absolute URIs without a fragment, one `resource` parameter each. */
  resource?: string[] | string;
  /** Other parameters (`prompt`, `login_hint`, `acr_values` …). They cannot override the ones the helper sets. */
  extraParams?: Record<string, string>;
}

/**
 * The secrets of one pending authorization request. Keep them **server-side** in the user's
 * pre-login session (never in a cookie the browser can read) until the callback, then
 * discard them: they are single use.
 */
export interface PendingAuthorization {
  state: string;
  /** Present when `openid` was requested. */
  nonce?: string | undefined;
  codeVerifier: string;
  redirectUri: string;
  /** The requested scope, space-separated, to know whether an ID token is required. */
  scope?: string | undefined;
  /** The RFC 8707 resources asked for, sent again at the token endpoint. */
  resource?: string[] | undefined;
}

/** The result of {@link buildAuthorizationUrl}. */
export interface AuthorizationRequest {
  /** Redirect the browser here (HTTP 303). */
  url: URL;
  /** Store server-side until the callback. */
  pending: PendingAuthorization;
}

const reservedParams = new Set(['response_type', 'client_id', 'redirect_uri', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'resource']);

/**
 * Builds an authorization request (RFC 6749 §4.1.1) with `response_type=code`, a fresh `state`,
 * an S256 PKCE challenge (RFC 7636 §4.3), a `nonce` when `openid` is in the scope (OpenID
 * Connect Core §3.1.2.1), the scopes and the RFC 8707 `resource` indicators.
 *
 * @throws TypeError for a `resource` that is not an absolute URI without a fragment (RFC 8707 §2),
 *   or an `extraParams` key the helper sets itself.
 * @example
 * const { url, pending } = buildAuthorizationUrl(metadata, { clientId: 'app', redirectUri: 'https://app.example.com/callback' }, { scope: ['openid', 'offline_access'] });
 */
export function buildAuthorizationUrl(
  metadata: AuthorizationServerMetadata,
  client: { clientId: string; redirectUri: string },
  options: AuthorizationRequestOptions = {},
  randomBytes?: RandomBytes,
): AuthorizationRequest {
  const scope = Array.isArray(options.scope) ? options.scope.join(' ') : options.scope;
  const resource = options.resource === undefined ? undefined : Array.isArray(options.resource) ? options.resource : [options.resource];
  for (const r of resource ?? []) {
    let url: URL;
    try {
      url = new URL(r);
    } catch {
      throw new TypeError('resource must be an absolute URI (RFC 8707 §2)');
    }
    if (url.hash !== '' || r.includes('#')) throw new TypeError('resource must not include a fragment (RFC 8707 §2)');
  }
  const pkce = generatePkcePair(randomBytes);
  const state = generateState(randomBytes);
  const wantsOpenId = scope?.split(' ').includes('openid') ?? false;
  const nonce = wantsOpenId ? generateNonce(randomBytes) : undefined;

  const url = new URL(metadata.authorization_endpoint);
  const params = url.searchParams;
  params.set('response_type', 'code');
  params.set('client_id', client.clientId);
  params.set('redirect_uri', client.redirectUri);
  if (scope !== undefined && scope !== '') params.set('scope', scope);
  params.set('state', state);
  if (nonce !== undefined) params.set('nonce', nonce);
  params.set('code_challenge', pkce.codeChallenge);
  params.set('code_challenge_method', pkce.codeChallengeMethod);
  for (const r of resource ?? []) params.append('resource', r);
  for (const [key, value] of Object.entries(options.extraParams ?? {})) {
    if (reservedParams.has(key)) throw new TypeError(`extraParams may not set ${key}`);
    params.set(key, value);
  }
  return {
    url,
    pending: { state, nonce, codeVerifier: pkce.codeVerifier, redirectUri: client.redirectUri, scope, resource },
  };
}

/**
 * Checks an authorization response (the redirect to `redirect_uri`) and returns its `code`.
 * In order:
 * 1. `iss` (RFC 9207 §2.4): must equal the issuer when present, and must be present when the
 *    server advertises `authorization_response_iss_parameter_supported`;
 * 2. `state` equals the pending one, compared in constant time (RFC 6749 §10.12);
 * 3. an `error` becomes {@link AccessDeniedError} or {@link OAuthCallbackError} (RFC 6749 §4.1.2.1);
 * 4. `code` must be present.
 *
 * @param callback the full callback URL, or its query parameters.
 * @throws OAuthValidationError `issuer_mismatch`, `state_mismatch`, `invalid_callback`;
 *   AccessDeniedError; OAuthCallbackError.
 */
export function validateAuthorizationResponse(
  metadata: AuthorizationServerMetadata,
  pending: Pick<PendingAuthorization, 'state'>,
  callback: URL | URLSearchParams | string,
): string {
  const params = callback instanceof URLSearchParams ? callback : new URL(callback).searchParams;
  const single = (name: string): string | undefined => {
    const values = params.getAll(name);
    if (values.length > 1) throw new OAuthValidationError('invalid_callback', `callback repeats the ${name} parameter`);
    return values[0];
  };

  const iss = single('iss');
  if (iss !== undefined ? iss !== metadata.issuer : metadata.authorization_response_iss_parameter_supported === true) {
    throw new OAuthValidationError('issuer_mismatch', 'callback iss is missing or differs from the issuer (RFC 9207)');
  }
  const state = single('state');
  if (state === undefined || !constantTimeEqual(state, pending.state)) {
    throw new OAuthValidationError('state_mismatch', 'callback state is missing or does not match');
  }
  const error = single('error');
  if (error !== undefined) {
    const description = single('error_description');
    const uri = single('error_uri');
    throw error === 'access_denied' ? new AccessDeniedError(description, uri) : new OAuthCallbackError(error, description, uri);
  }
  const code = single('code');
  if (code === undefined || code === '') throw new OAuthValidationError('invalid_callback', 'callback has neither code nor error');
  return code;
}

/** Compares two strings in time independent of where they differ (and of their lengths, via SHA-256). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb);
}
