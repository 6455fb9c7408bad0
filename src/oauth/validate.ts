import { createPublicKey } from 'node:crypto';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { validateRedirectUri } from './redirect-uris.js';
import { registrableGrantTypes, tokenEndpointAuthMethods, type ClientJwks, type OAuthGrantType, type TokenEndpointAuthMethod } from './types.js';

const invalid = (publicMessage: string): GatehouseError => new GatehouseError('oauth.invalid_client_metadata', { publicMessage });

/** RFC 6749 §3.3 scope-token: printable ASCII except space, `"` and `\`. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]{1,128}$/;

/** `client_name`: 1 to 200 characters, no control characters. */
export function validateClientName(name: unknown): string {
  // eslint-disable-next-line no-control-regex -- refusing control characters
  if (typeof name !== 'string' || name.trim() === '' || name.length > 200 || /[\x00-\x1f\x7f]/.test(name)) throw invalid('client_name must be 1 to 200 characters without control characters.');
  return name;
}

/** Scopes as an array of RFC 6749 §3.3 tokens: at most 64, no duplicates. */
export function validateClientScopes(scopes: unknown): string[] {
  if (!Array.isArray(scopes) || scopes.length > 64 || !scopes.every((s) => typeof s === 'string' && SCOPE_TOKEN.test(s))) {
    throw invalid('scope must be at most 64 space-separated scope tokens (RFC 6749 §3.3).');
  }
  return [...new Set(scopes as string[])];
}

/** `grant_types`: a non-empty subset of the registrable grant types, without duplicates. */
export function validateGrantTypes(grantTypes: unknown): OAuthGrantType[] {
  if (!Array.isArray(grantTypes) || grantTypes.length === 0 || !grantTypes.every((g) => registrableGrantTypes.includes(g as OAuthGrantType))) {
    throw invalid(`grant_types must be a non-empty list of ${registrableGrantTypes.join(', ')}.`);
  }
  return [...new Set(grantTypes as OAuthGrantType[])];
}

/** `token_endpoint_auth_method`: one of {@link tokenEndpointAuthMethods}. */
export function validateAuthMethod(method: unknown): TokenEndpointAuthMethod {
  if (!tokenEndpointAuthMethods.includes(method as TokenEndpointAuthMethod)) throw invalid(`token_endpoint_auth_method must be one of ${tokenEndpointAuthMethods.join(', ')}.`);
  return method as TokenEndpointAuthMethod;
}

/** `redirect_uris`: at most 20, each valid (see `validateRedirectUri`), no duplicates. */
export function validateRedirectUris(uris: unknown): string[] {
  if (!Array.isArray(uris) || uris.length > 20) throw new GatehouseError('oauth.invalid_redirect_uri', { publicMessage: 'redirect_uris must be a list of at most 20 URIs.' });
  return [...new Set(uris.map(validateRedirectUri))];
}

/**
 * `post_logout_redirect_uris` (OpenID Connect RP-Initiated Logout 1.0 §3.1): the same rules as
 * `redirect_uris` (exact, no fragment or wildcard, https or loopback http or a private-use scheme).
 *
 * @throws {GatehouseError} `oauth.invalid_redirect_uri`
 */
export function validatePostLogoutRedirectUris(uris: unknown): string[] {
  try {
    return validateRedirectUris(uris);
  } catch (err) {
    if (err instanceof GatehouseError) throw new GatehouseError('oauth.invalid_redirect_uri', { publicMessage: `post_logout_${err.message}` });
    throw err;
  }
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

/**
 * `jwks` (RFC 7591 §2): a public JWK Set of 1 to 10 asymmetric keys (RSA ≥ 2048 bits, EC, OKP),
 * each importable, none with a private member, at most 16 KiB serialised.
 */
export function validateClientJwks(jwks: unknown): ClientJwks {
  if (typeof jwks !== 'object' || jwks === null || !Array.isArray((jwks as { keys?: unknown }).keys)) throw invalid('jwks must be a JWK Set: {"keys": [...]}.');
  const keys = (jwks as { keys: unknown[] }).keys;
  if (keys.length === 0 || keys.length > 10 || JSON.stringify(jwks).length > 16_384) throw invalid('jwks must hold 1 to 10 keys and at most 16 KiB.');
  const out: Record<string, unknown>[] = [];
  for (const key of keys) {
    if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid('every jwks key must be a JWK object.');
    const jwk = key as Record<string, unknown>;
    if (!['RSA', 'EC', 'OKP'].includes(jwk.kty as string)) throw invalid('jwks keys must be public RSA, EC or OKP keys.');
    if (PRIVATE_MEMBERS.some((m) => m in jwk)) throw invalid('jwks must hold public keys only (no private members).');
    try {
      const imported = createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
      if (imported.asymmetricKeyType === 'rsa' && (imported.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new Error('short RSA key');
    } catch {
      throw invalid('a jwks key is not a usable public key (RSA keys need at least 2048 bits).');
    }
    out.push({ ...jwk });
  }
  return { keys: out };
}

/** The consistency rules between metadata values (RFC 7591 §2.1, RFC 6749 §2.1). */
export function checkClientConsistency(c: {
  grantTypes: readonly OAuthGrantType[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  redirectUris: readonly string[];
  jwks: ClientJwks | null;
}): void {
  if (c.grantTypes.includes('authorization_code') && c.redirectUris.length === 0) {
    throw new GatehouseError('oauth.invalid_redirect_uri', { publicMessage: 'redirect_uris: at least one is required for the authorization_code grant.' });
  }
  // RFC 6749 §4.4: client_credentials is for confidential clients only.
  if (c.tokenEndpointAuthMethod === 'none' && c.grantTypes.includes('client_credentials')) throw invalid('a public client (token_endpoint_auth_method "none") cannot use client_credentials.');
  if (c.tokenEndpointAuthMethod === 'private_key_jwt' && c.jwks === null) throw invalid('private_key_jwt needs the client\'s public keys in jwks.');
  if (c.tokenEndpointAuthMethod !== 'private_key_jwt' && c.jwks !== null) throw invalid('jwks is only used with token_endpoint_auth_method "private_key_jwt".');
}

/** `response_types` follow `grant_types` (RFC 7591 §2.1): `code` exactly when `authorization_code` is registered. */
export function responseTypesFor(grantTypes: readonly OAuthGrantType[], requested: unknown): string[] {
  const expected = grantTypes.includes('authorization_code') ? ['code'] : [];
  if (requested === undefined) return expected;
  if (!Array.isArray(requested) || requested.length !== expected.length || !requested.every((r) => expected.includes(r as string))) {
    throw invalid(`response_types must be ${JSON.stringify(expected)} for these grant_types (only "code" is supported, with authorization_code).`);
  }
  return expected;
}

/** Whether an auth method authenticates with a client secret. */
export const usesSecret = (method: TokenEndpointAuthMethod): boolean => method === 'client_secret_basic' || method === 'client_secret_post';
