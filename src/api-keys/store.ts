import type { ApiKeyRateLimit, ApiKeyRecord } from './types.js';

/** Fields an update may change. `undefined` leaves a field as it is. */
export interface ApiKeyPatch {
  name?: string;
  metadata?: Record<string, unknown>;
  scopes?: string[];
  rateLimit?: ApiKeyRateLimit | null;
  expiresAt?: number | null;
}

/** One page of keys, newest first. */
export interface ApiKeyPage {
  items: ApiKeyRecord[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/**
 * The storage port of the API-key domain: a narrow interface, implemented for SQLite and
 * PostgreSQL in `storage/sql/api-key-store.ts` and checked by
 * `storage/conformance/api-key-store.suite.ts`. Times are epoch milliseconds.
 * Every method rejects with `GatehouseError('storage.unavailable')` when the database
 * cannot be reached.
 */
export interface ApiKeyStore {
  /** Inserts a new key. Atomic. The hash is unique. */
  insert(record: ApiKeyRecord): Promise<void>;
  /** Looks a key up by the hash of its secret (an index lookup). */
  findByHash(hash: string): Promise<ApiKeyRecord | null>;
  findById(id: string): Promise<ApiKeyRecord | null>;
  /** Keys newest first, keyset-paginated by id. */
  list(options: { ownerId?: string; includeRevoked?: boolean; limit: number; cursor?: string }): Promise<ApiKeyPage>;
  /**
   * Applies `patch` to a key that is not revoked and not expired at `now`; a patch that changes
   * `expiresAt` also requires that the key has no successor (a rotated key's grace period is
   * final). Returns the updated key, or null when absent or not eligible. Atomic: the checks
   * and the write are one statement.
   */
  update(id: string, patch: ApiKeyPatch, now: number): Promise<ApiKeyRecord | null>;
  /**
   * Sets `revokedAt` on a key that is not revoked yet. Returns the key after the call (so a
   * second revocation returns the first revocation's time), or null if absent. Atomic.
   */
  revoke(id: string, now: number): Promise<ApiKeyRecord | null>;
  /**
   * Rotation in one transaction: if `oldId` exists, is not revoked, has no successor and has
   * not expired at `now`, inserts `successor` (with `rotatedFromId = oldId`), sets the old key's
   * `rotatedToId` and lowers its `expiresAt` to `oldExpiresAt` (never raises it). The successor's
   * name, owner, scopes, metadata, rate limit and environment are copied from the old row as
   * locked by the transaction (overriding those in `successor`), so an update that commits
   * while the rotation is being prepared is never lost. Returns the updated old key, or null
   * when the old key was not eligible (nothing is written then).
   */
  rotate(oldId: string, successor: ApiKeyRecord, oldExpiresAt: number, now: number): Promise<ApiKeyRecord | null>;
  /** Records last-use times in one batch; a time never moves backwards. */
  touchLastUsed(entries: ReadonlyArray<{ id: string; lastUsedAt: number }>): Promise<void>;
  /**
   * Atomically claims a one-time flag (e.g. `bootstrap_admin_key`). Returns true for exactly
   * one caller across all processes sharing the database.
   */
  claimOnce(name: string, now: number): Promise<boolean>;
  /**
   * Registers a listener for changes made by other writers (another process or instance),
   * so in-process caches can drop stale entries. Implementations may also report this
   * process's own writes (PostgreSQL's NOTIFY reaches the writer too); that is harmless. The listener gets the changed key ids, or
   * `'all'` when the store cannot tell which. Returns an unsubscribe function.
   */
  onExternalChange(listener: (keyIds: readonly string[] | 'all') => void): () => void;
  /**
   * Cheap, synchronous check for external changes, called before every cached read;
   * implementations that learn of changes by push make it a no-op.
   */
  pollExternalChanges(): void;
}
