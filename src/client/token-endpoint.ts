import type { AuthorizationServerMetadata, FetchLike } from './discovery.js';
import { OAuthValidationError, TokenEndpointError } from './errors.js';

/** How the client authenticates at the token endpoint (RFC 6749 §2.3.1, OAuth 2.0 Dynamic Client Registration §2). */
export type TokenEndpointAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** The client's credentials. */
export interface ClientCredentials {
  clientId: string;
  /** Required for `client_secret_basic` and `client_secret_post`; absent for public clients (`none`). */
  clientSecret?: string | undefined;
  /** Default `client_secret_basic` with a secret, `none` without. */
  tokenEndpointAuthMethod?: TokenEndpointAuthMethod | undefined;
}

/** A successful token response (RFC 6749 §5.1), checked. */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  /** Lifetime of the access token in **seconds** from the response. */
  expires_in?: number | undefined;
  refresh_token?: string | undefined;
  scope?: string | undefined;
  id_token?: string | undefined;
}

/**
 * POSTs a grant to the token endpoint (RFC 6749 §3.2) with client authentication, and
 * checks the answer: 200 → {@link TokenResponse}; RFC 6749 §5.2 error → {@link TokenEndpointError}.
 *
 * @throws TokenEndpointError, OAuthValidationError `invalid_token_response` or `request_failed`.
 */
export async function requestToken(
  metadata: AuthorizationServerMetadata,
  client: ClientCredentials,
  grant: Record<string, string | string[] | undefined>,
  options: { fetch?: FetchLike; timeoutSeconds?: number } = {},
): Promise<TokenResponse> {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(grant)) {
    if (value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  const response = await postForm(metadata.token_endpoint, client, body, options);
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    json = undefined;
  }
  if (response.status !== 200) {
    const error = isObject(json) && typeof json.error === 'string' ? json.error : 'invalid_response';
    const description = isObject(json) && typeof json.error_description === 'string' ? json.error_description : undefined;
    throw new TokenEndpointError(error, response.status, description);
  }
  return checkTokenResponse(json);
}

/**
 * Revokes a token (RFC 7009 §2.1) at `revocationEndpoint`, authenticating as for the token endpoint.
 *
 * @throws TokenEndpointError when the server answers other than 200 (RFC 7009 §2.2.1),
 *   OAuthValidationError `request_failed`.
 */
export async function revokeToken(
  revocationEndpoint: string,
  client: ClientCredentials,
  token: string,
  tokenTypeHint: 'refresh_token' | 'access_token' | undefined,
  options: { fetch?: FetchLike; timeoutSeconds?: number } = {},
): Promise<void> {
  const body = new URLSearchParams({ token });
  if (tokenTypeHint !== undefined) body.set('token_type_hint', tokenTypeHint);
  const response = await postForm(revocationEndpoint, client, body, options);
  await response.body?.cancel();
  if (response.status !== 200) throw new TokenEndpointError('invalid_response', response.status);
}

async function postForm(
  endpoint: string,
  client: ClientCredentials,
  body: URLSearchParams,
  options: { fetch?: FetchLike; timeoutSeconds?: number },
): Promise<Response> {
  const headers = new Headers({ accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' });
  const method = client.tokenEndpointAuthMethod ?? (client.clientSecret === undefined ? 'none' : 'client_secret_basic');
  switch (method) {
    case 'client_secret_basic':
      // RFC 6749 §2.3.1: each part form-urlencoded before base64.
      headers.set('authorization', `Basic ${Buffer.from(`${formEncode(client.clientId)}:${formEncode(requireSecret(client))}`).toString('base64')}`);
      break;
    case 'client_secret_post':
      body.set('client_id', client.clientId);
      body.set('client_secret', requireSecret(client));
      break;
    case 'none':
      body.set('client_id', client.clientId);
      break;
  }
  try {
    return await (options.fetch ?? fetch)(endpoint, {
      method: 'POST',
      headers,
      body,
      redirect: 'error',
      signal: AbortSignal.timeout((options.timeoutSeconds ?? 10) * 1000),
    });
  } catch (err) {
    throw new OAuthValidationError('request_failed', 'request to the authorization server failed', { cause: err });
  }
}

function checkTokenResponse(json: unknown): TokenResponse {
  const fail = (why: string): never => {
    throw new OAuthValidationError('invalid_token_response', `token response ${why}`);
  };
  if (!isObject(json)) return fail('is not a JSON object');
  if (typeof json.access_token !== 'string' || json.access_token === '') return fail('has no access_token');
  // RFC 6749 §7.1: token_type is case-insensitive; only Bearer (RFC 6750) is supported.
  if (typeof json.token_type !== 'string' || json.token_type.toLowerCase() !== 'bearer') return fail('token_type is not Bearer');
  const optionalString = (name: string): string | undefined => {
    const v = json[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' || v === '') return fail(`${name} is not a string`);
    return v;
  };
  let expiresIn: number | undefined;
  if (json.expires_in !== undefined && json.expires_in !== null) {
    if (typeof json.expires_in !== 'number' || !Number.isFinite(json.expires_in) || json.expires_in < 0) return fail('expires_in is not a number');
    expiresIn = json.expires_in;
  }
  return {
    access_token: json.access_token,
    token_type: 'Bearer',
    expires_in: expiresIn,
    refresh_token: optionalString('refresh_token'),
    scope: optionalString('scope'),
    id_token: optionalString('id_token'),
  };
}

function requireSecret(client: ClientCredentials): string {
  if (client.clientSecret === undefined || client.clientSecret === '') {
    throw new TypeError(`token endpoint auth method ${client.tokenEndpointAuthMethod ?? 'client_secret_basic'} needs a clientSecret`);
  }
  return client.clientSecret;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
