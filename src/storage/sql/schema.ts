import type { Generated } from 'kysely';

/** Kysely table types. Times are epoch milliseconds (BIGINT); JSON columns are TEXT. */
export interface ApiKeysTable {
  id: string;
  name: string;
  owner_id: string | null;
  metadata: string;
  scopes: string;
  environment: string;
  prefix: string;
  start: string;
  hash: string;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
  rate_limit_limit: number | null;
  rate_limit_window_seconds: number | null;
  rotated_from_id: string | null;
  rotated_to_id: string | null;
}

export interface MetaTable {
  name: string;
  created_at: number;
}

/** Migration `0002_accounts`. `email_verified` is 0 or 1. */
export interface UsersTable {
  id: string;
  email: string;
  email_normalized: string;
  email_verified: number;
  name: string | null;
  status: string;
  password_hash: string;
  password_changed_at: number;
  created_at: number;
  updated_at: number;
}

/** Migration `0002_accounts`: single-use e-mail verification and password-reset tokens, by SHA-256. */
export interface AccountTokensTable {
  hash: string;
  purpose: string;
  user_id: string;
  email: string | null;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
}

/** Migration `0003_sessions`. `token_hash` is the SHA-256 of the cookie value; `amr` is a JSON array. */
export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: number;
  authenticated_at: number;
  last_seen_at: number;
  idle_expires_at: number;
  absolute_expires_at: number;
  ended_at: number | null;
  end_reason: string | null;
  ip: string | null;
  user_agent: string | null;
  auth_level: number;
  amr: string;
}

/** Migration `0004_defense`: generated server secrets, by name (base64url values). */
export interface ServerSecretsTable {
  name: string;
  value: string;
  created_at: number;
}

/**
 * Migration `0005_jwt`: JWT signing keys. `public_jwk` is the public JWK as JSON; `private_key`
 * the AES-256-GCM blob of the PKCS#8 private key (see `jwt/key-encryption.ts`), null once the
 * key is removed from the JWKS. `state` is the last state announced by an event.
 */
export interface SigningKeysTable {
  kid: string;
  generation: number;
  alg: string;
  public_jwk: string;
  private_key: string | null;
  created_at: number;
  activates_at: number;
  retires_at: number | null;
  state: string;
  state_changed_at: number;
}

/** Migration `0005_jwt`: one row per refresh-token family (one sign-in). JSON arrays in `scope`, `audience`, `amr`. */
export interface RefreshTokenFamiliesTable {
  id: string;
  subject: string;
  client_id: string;
  scope: string;
  audience: string;
  auth_time: number | null;
  amr: string;
  session_id: string | null;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
  revoke_reason: string | null;
}

/**
 * Migration `0005_jwt`: refresh tokens by SHA-256. `successor_blob` is the successor tokens
 * encrypted under a key derived from this token, kept only for the reuse leeway.
 */
export interface RefreshTokensTable {
  id: string;
  token_hash: string;
  family_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  successor_id: string | null;
  successor_blob: string | null;
  access_jti: string | null;
  access_expires_at: number | null;
}

/**
 * Migration `0006_oauth_clients`: registered OAuth clients. JSON arrays in `redirect_uris`,
 * `grant_types`, `response_types`, `scope`; `jwks` is the client's public JWK Set as JSON
 * (`private_key_jwt`) or null; `secret_hash` the SHA-256 of the client secret (null for
 * clients that have none).
 */
export interface OAuthClientsTable {
  id: string;
  name: string;
  redirect_uris: string;
  /** Migration `0008_oidc`: JSON array, default `[]`. */
  post_logout_redirect_uris: Generated<string>;
  grant_types: string;
  response_types: string;
  token_endpoint_auth_method: string;
  scope: string;
  jwks: string | null;
  secret_hash: string | null;
  created_at: number;
  updated_at: number;
  secret_updated_at: number | null;
}

/**
 * Migration `0007_oauth_grants`: authorization codes by SHA-256 (`scope` and `amr` as JSON
 * arrays), with the refresh-token family issued from each (`family_id`, revoked on replay).
 */
export interface OAuthAuthorizationCodesTable {
  code_hash: string;
  client_id: string;
  user_id: string;
  session_id: string;
  redirect_uri: string | null;
  scope: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  nonce: string | null;
  auth_time: number;
  amr: string;
  created_at: number;
  expires_at: number;
  consumed_at: number | null;
  replayed_at: number | null;
  family_id: string | null;
  /** Migration `0008_oidc`: the RFC 8707 `resource` values of the request, JSON array, default `[]`. */
  resource: Generated<string>;
}

/** Migration `0007_oauth_grants`: remembered consents, one row per user and client; `scope` a sorted JSON array. */
export interface OAuthConsentsTable {
  user_id: string;
  client_id: string;
  scope: string;
  created_at: number;
  updated_at: number;
}

export interface Database {
  api_keys: ApiKeysTable;
  gatehouse_meta: MetaTable;
  users: UsersTable;
  account_tokens: AccountTokensTable;
  sessions: SessionsTable;
  server_secrets: ServerSecretsTable;
  signing_keys: SigningKeysTable;
  refresh_token_families: RefreshTokenFamiliesTable;
  refresh_tokens: RefreshTokensTable;
  oauth_clients: OAuthClientsTable;
  oauth_authorization_codes: OAuthAuthorizationCodesTable;
  oauth_consents: OAuthConsentsTable;
}
