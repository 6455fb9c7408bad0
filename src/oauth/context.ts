import type { Clock } from '../core/clock.js';
import type { GatehouseConfig } from '../core/config/schema.js';
import type { RandomSource } from '../core/crypto/random.js';
import type { AuditLog } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { TokenService } from '../jwt/service.js';
import type { JwtVerifier } from '../jwt/verifier/verifier.js';
import type { CounterStore } from '../rate-limit/store.js';
import type { OAuthGrantStore } from './grant-store.js';
import type { OAuthClientStore } from './store.js';
import type { OAuthClient, OAuthClientRecord } from './types.js';

/** What the OAuth service is built from (see `createOAuthService`). */
export interface OAuthServiceOptions {
  clients: OAuthClientStore;
  /** Authorization codes (hashed) and remembered consents. */
  grants: OAuthGrantStore;
  /** Issues, revokes and checks tokens (`gatehouse.tokens`). */
  tokens: TokenService;
  /** Single use of client-assertion `jti`s (`setIfAbsent`). */
  counters: CounterStore;
  audit: AuditLog;
  clock: Clock;
  random: RandomSource;
  config: GatehouseConfig['oauth'];
  jwt: GatehouseConfig['jwt'];
  /** The accounts the OpenID Connect `/userinfo` endpoint reads (`gatehouse.accounts`). */
  users: OAuthUserDirectory;
  /** `server.publicUrl`: the issuer, and the base of every endpoint URL. */
  issuer: string;
  logger: Logger;
}

/** A user as `/userinfo` shows it (OIDC Core §5.1 standard claims Gatehouse holds). */
export interface OAuthUserInfoSource {
  id: string;
  email: string;
  emailVerified: boolean;
  name: string | null;
  /** Only `active` users get claims. */
  status: string;
}

/** Reads users for `/userinfo`: null when the user does not exist; rejects when storage is down. */
export interface OAuthUserDirectory {
  find(userId: string): Promise<OAuthUserInfoSource | null>;
}

/** What every OAuth operation is built from: the options and the service's in-process caches. */
export interface OAuthDeps extends OAuthServiceOptions {
  /** Client-assertion verifiers by client id, rebuilt when the client changes (`updatedAt`). */
  assertionVerifiers: Map<string, { updatedAt: number; verifier: JwtVerifier }>;
  /** The verifier of Gatehouse's own access tokens, rebuilt when the JWKS changes (its ETag). */
  ownTokens: { etag: string; verifier: JwtVerifier } | undefined;
}

/** Endpoint paths, relative to the issuer. */
export const OAUTH_PATHS = Object.freeze({
  authorization: '/oauth2/authorize',
  consent: '/oauth2/authorize/consent',
  token: '/oauth2/token',
  revocation: '/oauth2/revoke',
  introspection: '/oauth2/introspect',
  jwks: '/.well-known/jwks.json',
  metadata: '/.well-known/oauth-authorization-server',
  openIdConfiguration: '/.well-known/openid-configuration',
  userinfo: '/userinfo',
  endSession: '/oauth2/end_session',
  endSessionConfirm: '/oauth2/end_session/confirm',
});

/** The public view of a record: everything but the secret's hash. */
export function toOAuthClient(record: OAuthClientRecord): OAuthClient {
  const { secretHash, ...view } = record;
  return { ...view, hasSecret: secretHash !== null };
}

/** The default `aud` of access tokens: `jwt.accessToken.audience`, else the issuer. */
export function defaultAudience(deps: OAuthDeps): string {
  return deps.jwt.accessToken.audience ?? deps.issuer;
}
