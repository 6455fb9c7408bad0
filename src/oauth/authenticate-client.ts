import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { verifyClientSecret } from './client-secret.js';
import { AssertionRefused, JWT_BEARER_ASSERTION_TYPE, unverifiedAssertionIssuer, verifyClientAssertion } from './client-assertion.js';
import type { OAuthDeps } from './context.js';
import { emitOAuthEvent } from './events.js';
import { single, type OAuthRequest } from './parameters.js';
import { CLIENT_ID_PATTERN } from './read.js';
import type { OAuthClientRecord, TokenEndpointAuthMethod } from './types.js';

/** An authenticated client and how it authenticated. */
export interface AuthenticatedClient {
  client: OAuthClientRecord;
  method: TokenEndpointAuthMethod;
}

/**
 * RFC 6749 §2.3.1: `Authorization: Basic base64(urlencode(client_id) ":" urlencode(secret))`.
 * Returns undefined when no Basic header was sent, null when it is malformed.
 */
function parseBasic(header: string | undefined): { clientId: string; secret: string } | null | undefined {
  if (header === undefined) return undefined;
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  if (!match) return /^Basic(\s|$)/i.test(header) ? null : undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  try {
    // RFC 6749 §2.3.1: both parts are form-urlencoded before being joined.
    const decode = (s: string) => (s.includes('%') || s.includes('+') ? decodeURIComponent(s.replace(/\+/g, ' ')) : s);
    return { clientId: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    return null;
  }
}

/**
 * Authenticates the client of a token, revocation or introspection request (RFC 6749 §2.3):
 * exactly one of HTTP Basic, `client_secret` in the body, or a `private_key_jwt` assertion
 * (RFC 7523 §2.2); with none, a `client_id` alone identifies a public client (`none`). The
 * method must be the one the client registered. Secrets are compared in constant time.
 * Failures emit `oauth.client.authenticate` with the real reason and throw a generic
 * `oauth.invalid_client` (the reason goes to `detail` only).
 *
 * @throws {GatehouseError} `oauth.invalid_request` (several methods, mismatched `client_id`,
 *   an incomplete assertion); `oauth.invalid_client` (401); `storage.unavailable`
 */
export async function authenticateClient(deps: OAuthDeps, request: OAuthRequest, context: RequestContext): Promise<AuthenticatedClient> {
  const fail = (reason: string, clientId?: string): never => {
    emitOAuthEvent(deps, { type: 'oauth.client.authenticate', outcome: 'failure', reason, clientId: clientId && CLIENT_ID_PATTERN.test(clientId) ? clientId : undefined, context, severity: 'medium' });
    throw new GatehouseError('oauth.invalid_client', { detail: reason });
  };
  const invalidRequest = (reason: string, publicMessage: string): never => {
    emitOAuthEvent(deps, { type: 'oauth.client.authenticate', outcome: 'failure', reason, context });
    throw new GatehouseError('oauth.invalid_request', { publicMessage, detail: reason });
  };

  const basic = parseBasic(request.authorization);
  if (basic === null) fail('malformed_basic');
  if (request.authorization !== undefined && basic === undefined) invalidRequest('unsupported_authorization_scheme', 'Client authentication in the Authorization header must use the Basic scheme.');
  const bodyId = single(request, 'client_id');
  const bodySecret = single(request, 'client_secret');
  const assertion = single(request, 'client_assertion');
  const assertionType = single(request, 'client_assertion_type');
  const methods = [basic ? 'client_secret_basic' : undefined, bodySecret !== undefined ? 'client_secret_post' : undefined, assertion !== undefined || assertionType !== undefined ? 'private_key_jwt' : undefined].filter(
    (m): m is TokenEndpointAuthMethod => m !== undefined,
  );
  // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
  if (methods.length > 1) invalidRequest('multiple_auth_methods', 'Use exactly one client authentication method per request.');
  const method: TokenEndpointAuthMethod = methods[0] ?? 'none';
  if (method === 'private_key_jwt' && (assertion === undefined || assertionType !== JWT_BEARER_ASSERTION_TYPE)) {
    invalidRequest('bad_assertion_type', `client_assertion and client_assertion_type "${JWT_BEARER_ASSERTION_TYPE}" go together.`);
  }
  const clientId = basic ? basic.clientId : method === 'private_key_jwt' ? (bodyId ?? unverifiedAssertionIssuer(assertion!)) : bodyId;
  if (basic && bodyId !== undefined && bodyId !== basic.clientId) invalidRequest('client_id_mismatch', 'client_id does not match the authenticated client.');
  if (clientId === undefined) return fail('no_client_authentication');

  const client = CLIENT_ID_PATTERN.test(clientId) ? await deps.clients.findById(clientId) : null;
  if (!client) {
    // The same work as a known client, so a timing probe cannot tell the cases apart.
    if (method === 'client_secret_basic' || method === 'client_secret_post') verifyClientSecret(basic?.secret ?? bodySecret!, null);
    return fail('unknown_client', clientId);
  }
  if (client.tokenEndpointAuthMethod !== method) return fail(method === 'none' ? 'missing_client_authentication' : 'auth_method_mismatch', client.id);
  if (method === 'client_secret_basic' || method === 'client_secret_post') {
    if (!verifyClientSecret(basic?.secret ?? bodySecret!, client.secretHash)) fail('wrong_secret', client.id);
  } else if (method === 'private_key_jwt') {
    if (bodyId !== undefined && unverifiedAssertionIssuer(assertion!) !== bodyId) fail('assertion_iss_mismatch', client.id);
    try {
      await verifyClientAssertion(deps, client, assertion!);
    } catch (err) {
      if (err instanceof AssertionRefused) fail(err.reason, client.id);
      throw err;
    }
  }
  return { client, method };
}
