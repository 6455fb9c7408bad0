import { CLIENT_ASSERTION_ALGORITHMS } from './client-assertion.js';
import { OAUTH_PATHS, type OAuthDeps } from './context.js';
import { grantHandlers } from './grants/index.js';
import { signingAlgorithms } from '../jwt/types.js';

/** The OpenID Connect scopes Gatehouse understands (OIDC Core §3.1.2.1, §5.4); a client still needs them registered. */
const OIDC_SCOPES = ['openid', 'profile', 'email'];

/** Claims Gatehouse can put in ID tokens and UserInfo responses (OIDC Discovery §3 `claims_supported`). */
const OIDC_CLAIMS = ['sub', 'iss', 'aud', 'azp', 'exp', 'iat', 'auth_time', 'nonce', 'amr', 'at_hash', 'email', 'email_verified', 'name'];

/** RFC 8414 §2 authorization server metadata, wire names. */
export type AuthorizationServerMetadata = Record<string, string | boolean | readonly string[]>;

/**
 * The RFC 8414 metadata of what exists now: issuer (`server.publicUrl`), the authorization
 * endpoint (`response_type=code` only, PKCE methods, RFC 9207 `iss` in responses), token,
 * revocation and introspection endpoints, JWKS, the grant types with a handler, the client
 * authentication methods and assertion algorithms, `scopes_supported` (`openid`, `profile`,
 * `email` and `oauth.scopesSupported`), and the OpenID Connect Discovery fields (UserInfo,
 * subject types, ID token algorithms, claims, prompt values, RP-initiated logout).
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
    scopes_supported: [...new Set([...OIDC_SCOPES, ...(deps.config.scopesSupported ?? [])])],
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
    // OpenID Connect Discovery 1.0 §3 (also registered RFC 8414 metadata, so both documents agree).
    userinfo_endpoint: deps.issuer + OAUTH_PATHS.userinfo,
    end_session_endpoint: deps.issuer + OAUTH_PATHS.endSession,
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: [...signingAlgorithms],
    claims_supported: OIDC_CLAIMS,
    prompt_values_supported: ['none', 'login', 'consent'],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
  };
}

/**
 * The OpenID Connect Discovery 1.0 document (`/.well-known/openid-configuration`, §3): the
 * same content as the RFC 8414 document ({@link authorizationServerMetadata}), so the two can
 * never disagree.
 *
 * @example const discovery = gatehouse.oauth.openIdConfiguration();
 */
export function openIdConfiguration(deps: OAuthDeps): AuthorizationServerMetadata {
  return authorizationServerMetadata(deps);
}
