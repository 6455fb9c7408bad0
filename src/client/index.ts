/**
 * `gatehouse/client`: an OAuth 2.0 / OpenID Connect client helper for backends-for-frontends,
 * usable with Gatehouse or any compliant authorization server. See docs/client.md.
 */
export { createOAuthClient, type CallbackResult, type OAuthClient, type OAuthClientOptions } from './client.js';
export {
  buildAuthorizationUrl,
  validateAuthorizationResponse,
  type AuthorizationRequest,
  type AuthorizationRequestOptions,
  type PendingAuthorization,
} from './authorization.js';
export { discoverAuthorizationServer, type AuthorizationServerMetadata, type FetchLike } from './discovery.js';
export { computeCodeChallenge, generateNonce, generatePkcePair, generateState, type PkcePair, type RandomBytes } from './pkce.js';
export { requestToken, revokeToken, type ClientCredentials, type TokenEndpointAuthMethod, type TokenResponse } from './token-endpoint.js';
export { validateIdToken, type IdTokenClaims, type IdTokenExpectations } from './id-token.js';
export { createMemoryTokenStore, type StoredTokens, type TokenStore } from './token-store.js';
export {
  AccessDeniedError,
  NotSignedInError,
  OAuthCallbackError,
  OAuthClientError,
  OAuthValidationError,
  RefreshTokenExpiredError,
  TokenEndpointError,
  type OAuthValidationErrorCode,
} from './errors.js';
