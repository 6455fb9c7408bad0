import type { OAuthClientRecord } from './types.js';

/** Fields an update may change. `undefined` leaves a field as it is. */
export interface OAuthClientPatch {
  name?: string;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  grantTypes?: OAuthClientRecord['grantTypes'];
  responseTypes?: string[];
  tokenEndpointAuthMethod?: OAuthClientRecord['tokenEndpointAuthMethod'];
  scopes?: string[];
  jwks?: OAuthClientRecord['jwks'];
  /** A new secret hash (`null` removes the secret), with `secretUpdatedAt`. */
  secretHash?: string | null;
  secretUpdatedAt?: number | null;
}

/** One page of clients, newest first. */
export interface OAuthClientPage {
  items: OAuthClientRecord[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * The storage port of the OAuth domain's clients: a narrow interface, implemented for SQLite
 * and PostgreSQL in `storage/sql/oauth-client-store.ts` and checked by
 * `storage/conformance/oauth-client-store.suite.ts`. Times are epoch milliseconds. Every
 * method rejects with `GatehouseError('storage.unavailable')` when the database is down.
 */
export interface OAuthClientStore {
  /** Inserts a new client. Atomic. */
  insert(record: OAuthClientRecord): Promise<void>;
  /** One client by `client_id` (a primary-key lookup: the token endpoint's hot path). */
  findById(id: string): Promise<OAuthClientRecord | null>;
  /** Clients newest first, keyset-paginated by id. */
  list(options: { limit: number; cursor?: string }): Promise<OAuthClientPage>;
  /**
   * Applies `patch` and sets `updatedAt = now` in one statement. Returns the client after the
   * write, or null when it does not exist.
   */
  update(id: string, patch: OAuthClientPatch, now: number): Promise<OAuthClientRecord | null>;
  /** Deletes a client. Returns the deleted record, or null when absent. Atomic. */
  delete(id: string): Promise<OAuthClientRecord | null>;
}
