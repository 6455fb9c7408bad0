import { authorizationCodeGrant } from './authorization-code.js';
import { clientCredentialsGrant } from './client-credentials.js';
import { refreshTokenGrant } from './refresh-token.js';
import type { GrantHandler } from './types.js';

export type { GrantContext, GrantHandler, TokenResponse } from './types.js';

/** The grant types the token endpoint serves, by `grant_type` (RFC 6749 §4.1.3, §4.4, §6). */
export const grantHandlers: ReadonlyMap<string, GrantHandler> = new Map([authorizationCodeGrant, refreshTokenGrant, clientCredentialsGrant].map((g) => [g.grantType, g]));
