import type { RefreshTokenFamily, RefreshTokenRecord, SigningKeyRecord, SigningKeyState } from './types.js';

/**
 * The storage port of signing keys, implemented for SQLite and PostgreSQL in
 * `storage/sql/signing-key-store.ts` and checked by `storage/conformance/signing-key-store.suite.ts`.
 * Times are epoch milliseconds. Every method rejects with `GatehouseError('storage.unavailable')`
 * when the database cannot be reached.
 */
export interface SigningKeyStore {
  /** Every key, oldest generation first; removed keys only when `includeRemoved`. */
  list(options?: { includeRemoved?: boolean }): Promise<SigningKeyRecord[]>;
  /**
   * Inserts `record` as the next generation, and in the same transaction sets `retiresAt` of the
   * previous generation (if any) to `record.activatesAt`. Atomic compare-and-set across
   * instances: `generation` is unique, so when several instances insert the same generation
   * exactly one succeeds (true) and the others change nothing (false).
   */
  insertNext(record: SigningKeyRecord): Promise<boolean>;
  /**
   * Records a state change: sets `recordedState` to `to` only if it is still `from`
   * (compare-and-set, so of several instances exactly one gets true and announces it).
   * Moving to `removed` also erases the encrypted private key in the same statement.
   */
  advanceState(kid: string, from: SigningKeyState, to: SigningKeyState, now: number): Promise<boolean>;
}

/** A token found by hash, with its family. */
export interface RefreshTokenLookup {
  token: RefreshTokenRecord;
  family: RefreshTokenFamily;
}

/**
 * The storage port of refresh tokens (only SHA-256 hashes of them), implemented in
 * `storage/sql/refresh-token-store.ts` and checked by `storage/conformance/refresh-token-store.suite.ts`.
 */
export interface RefreshTokenStore {
  /** Inserts a new family and its first token in one transaction. */
  createFamily(family: RefreshTokenFamily, first: RefreshTokenRecord): Promise<void>;
  /** One index lookup by the token's hash; the family comes with it. */
  findByHash(hash: string): Promise<RefreshTokenLookup | null>;
  /**
   * Rotation, one compare-and-set: marks token `oldId` used at `now` (recording `successor.id`
   * and `successorBlob`) only if it is unused, unexpired at `now` and its family is not revoked,
   * and inserts `successor`, in one transaction. Returns true when this call rotated it; false
   * (nothing written) when another call got there first or it is no longer eligible. Of any
   * number of concurrent calls for one token, across instances, exactly one gets true.
   */
  rotate(oldId: string, successor: RefreshTokenRecord, successorBlob: string, now: number): Promise<boolean>;
  /**
   * Revokes a family if it is not revoked yet (compare-and-set). Returns the family as
   * revoked by this call, or null when it was absent or already revoked.
   */
  revokeFamily(familyId: string, reason: string, now: number): Promise<RefreshTokenFamily | null>;
  /** Revokes every unrevoked, unexpired family of `subject` (only those of `clientId` when given); returns the ids revoked. */
  revokeFamiliesOfSubject(subject: string, reason: string, now: number, clientId?: string): Promise<string[]>;
  /** The `jti` and expiry of access tokens issued in a family that are still live at `now`. */
  liveAccessTokens(familyId: string, now: number): Promise<Array<{ jti: string; expiresAt: number }>>;
  /** Erases the encrypted successors of tokens used at or before `usedAtOrBefore` (their leeway is over). Returns the count. */
  clearSuccessors(usedAtOrBefore: number): Promise<number>;
  /** Deletes families (and their tokens) that expired before `before`. Returns the count of families. */
  deleteExpired(before: number): Promise<number>;
}
