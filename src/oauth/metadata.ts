import { CLIENT_ASSERTION_ALGORITHMS } from './client-assertion.js';
import { OAUTH_PATHS, type OAuthDeps } from './context.js';
import { grantHandlers } from './grants/index.js';

/** RFC 8414 §2 authorization server metadata, wire names. */
export type AuthorizationServerMetadata = Record<string, string | boolean | readonly string[]>;

/**
 * The RFC 8414 metadata of what exists now: issuer (`server.publicUrl`), the authorization
 * endpoint (`response_type=code` only, PKCE methods, RFC 9207 `iss` in responses), token,
 * revocation and introspection endpoints, JWKS, the grant types with a handler, the client
 * authentication methods and assertion algorithms, and `scopes_supported` when configured.
 *
 * @example const metadata = gatehouse.oauth.metadata();
 */
export function authorizationServerMetadata(deps: OAuthDeps): AuthorizationServerMetadata {
  const confidential = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
  return {
    issuer: deps.issuer,
    token_endpoint: deps.issuer + OAUTH_PATHS.token,
    authorization_endpoint: deps.issuer + OAUTH_PATHS.authorization,
    jwks_uri: deps.issuer + OAUTH_PATHS.jwks,
    ...(deps.config.scopesSupported ? { scopes_supported: [...deps.config.scopesSupported] } : {}),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    code_challenge_methods_supported: deps.config.pkce.allowPlain ? ['S256', 'plain'] : ['S256'],
    authorization_response_iss_parameter_supported: true,
    grant_types_supported: [...grantHandlers.keys()],
    token_endpoint_auth_methods_supported: [...confidential, 'none'],
    token_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGORITHMS,
    revocation_endpoint: deps.issuer + OAUTH_PATHS.revocation,
    revocation_endpoint_auth_methods_supported: [...confidential, 'none'],
    revocation_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGORITHMS,
    introspection_endpoint: deps.issuer + OAUTH_PATHS.introspection,
    introspection_endpoint_auth_methods_supported: confidential,
    introspection_endpoint_auth_signing_alg_values_supported: CLIENT_ASSERTION_ALGORITHMS,
  };
}
