import type { RequestContext } from '../../core/events.js';
import type { OAuthDeps } from '../context.js';
import type { OAuthRequest } from '../parameters.js';
import type { OAuthClientRecord } from '../types.js';

/** RFC 6749 §5.1 successful token response (wire names). */
export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  /** Seconds. */
  expires_in: number;
  /** Space-separated granted scopes (RFC 6749 §3.3); present whenever any was granted. */
  scope?: string;
  refresh_token?: string;
  /** OpenID Connect ID token (OIDC Core §3.1.3.3): only from the `authorization_code` grant with `openid` granted. */
  id_token?: string;
}

/** What a grant handler gets: an authenticated client allowed to use the grant. */
export interface GrantContext {
  deps: OAuthDeps;
  client: OAuthClientRecord;
  request: OAuthRequest;
  context: RequestContext;
}

/**
 * One grant type of the token endpoint (as in oidc-provider `lib/actions/token.js`): its
 * `grant_type` value, the parameters it reads (documented in the metadata and docs), and the
 * handler that turns an authenticated request into a token response.
 */
export interface GrantHandler {
  grantType: string;
  parameters: readonly string[];
  handler(ctx: GrantContext): Promise<TokenResponse>;
}
