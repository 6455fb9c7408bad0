import { clientCredentialsGrant } from './client-credentials.js';
import type { GrantHandler } from './types.js';

export type { GrantContext, GrantHandler, TokenResponse } from './types.js';

/**
 * The grant types the token endpoint serves, by `grant_type`. `authorization_code` and
 * `refresh_token` plug in here as further {@link GrantHandler}s when they are built.
 */
export const grantHandlers: ReadonlyMap<string, GrantHandler> = new Map([[clientCredentialsGrant.grantType, clientCredentialsGrant]]);
