import { OAuthValidationError } from './errors.js';

/** The metadata fields the helper uses (RFC 8414 §2, OpenID Connect Discovery §3); other members are kept. */
export interface AuthorizationServerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri?: string;
  revocation_endpoint?: string;
  end_session_endpoint?: string;
  code_challenge_methods_supported?: string[];
  token_endpoint_auth_methods_supported?: string[];
  /** RFC 9207 §3: when `true`, every authorization response carries `iss`. */
  authorization_response_iss_parameter_supported?: boolean;
  id_token_signing_alg_values_supported?: string[];
  [member: string]: unknown;
}

/** The `fetch` the helper calls; defaults to the global one. */
export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<Response>;

/**
 * Fetches the authorization server's metadata: first RFC 8414 §3.1
 * (`/.well-known/oauth-authorization-server` inserted before the issuer's path), then OpenID
 * Connect Discovery §4 (`/.well-known/openid-configuration` appended to the issuer). The
 * document's `issuer` must equal `issuer` exactly (RFC 8414 §3.3), and it must name an
 * `authorization_endpoint` and a `token_endpoint` (absolute `https` URLs, or `http` on a
 * loopback host for development).
 *
 * @throws OAuthValidationError `discovery_failed` (neither document could be fetched) or
 *   `invalid_metadata`.
 * @example
 * const metadata = await discoverAuthorizationServer('https://auth.example.com');
 */
export async function discoverAuthorizationServer(
  issuer: string,
  options: { fetch?: FetchLike; timeoutSeconds?: number } = {},
): Promise<AuthorizationServerMetadata> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = (options.timeoutSeconds ?? 10) * 1000;
  const issuerUrl = new URL(issuer);
  const path = issuerUrl.pathname === '/' ? '' : issuerUrl.pathname.replace(/\/$/, '');
  const candidates = [
    new URL(`/.well-known/oauth-authorization-server${path}`, issuerUrl.origin),
    new URL(`${path}/.well-known/openid-configuration`, issuerUrl.origin),
  ];
  let lastCause: unknown;
  for (const url of candidates) {
    let response: Response;
    try {
      response = await doFetch(url, { headers: { accept: 'application/json' }, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      lastCause = err;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      lastCause = new Error(`HTTP ${response.status} from ${url.href}`);
      continue;
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (err) {
      throw new OAuthValidationError('invalid_metadata', 'authorization server metadata is not JSON', { cause: err });
    }
    return checkMetadata(body, issuer);
  }
  throw new OAuthValidationError('discovery_failed', 'could not fetch authorization server metadata', { cause: lastCause });
}

/**
 * Validates a metadata document (from discovery or given by the app) against the expected issuer.
 *
 * @throws OAuthValidationError `invalid_metadata`.
 */
export function checkMetadata(body: unknown, issuer: string): AuthorizationServerMetadata {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OAuthValidationError('invalid_metadata', 'authorization server metadata is not a JSON object');
  }
  const m = body as Record<string, unknown>;
  if (m.issuer !== issuer) {
    throw new OAuthValidationError('invalid_metadata', 'metadata issuer differs from the configured issuer (RFC 8414 §3.3)');
  }
  for (const endpoint of ['authorization_endpoint', 'token_endpoint'] as const) {
    if (typeof m[endpoint] !== 'string' || !isAllowedEndpoint(m[endpoint])) {
      throw new OAuthValidationError('invalid_metadata', `metadata ${endpoint} is missing or not an https URL`);
    }
  }
  for (const endpoint of ['jwks_uri', 'revocation_endpoint', 'end_session_endpoint'] as const) {
    if (m[endpoint] !== undefined && (typeof m[endpoint] !== 'string' || !isAllowedEndpoint(m[endpoint]))) {
      throw new OAuthValidationError('invalid_metadata', `metadata ${endpoint} is not an https URL`);
    }
  }
  const methods = m.code_challenge_methods_supported;
  if (methods !== undefined && (!Array.isArray(methods) || !methods.includes('S256'))) {
    // RFC 9700 §2.1.1: the helper only does S256 PKCE.
    throw new OAuthValidationError('invalid_metadata', 'server does not support the S256 PKCE method');
  }
  return m as AuthorizationServerMetadata;
}

function isAllowedEndpoint(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  // RFC 8252 §8.3 loopback literals, and localhost, for local development only.
  return url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname);
}
