import type { AccountTokenPurpose, AccountTokenRecord, UserRecord, UserStatus } from './types.js';

/** Fields an update may change. `undefined` leaves a field as it is. */
export interface UserPatch {
  /** Both e-mail fields change together. */
  email?: { display: string; normalized: string };
  emailVerified?: boolean;
  name?: string | null;
  status?: UserStatus;
}

/** One page of users, newest first. */
export interface UserPage {
  items: UserRecord[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

/** The result of a write that may collide with another account's e-mail address. */
export type UserWriteResult = { ok: true; user: UserRecord } | { ok: false; reason: 'not_found' | 'email_taken' };

/**
 * The storage port of the accounts domain: a narrow interface, implemented for SQLite and
 * PostgreSQL in `storage/sql/account-store.ts` and checked by
 * `storage/conformance/account-store.suite.ts`. Times are epoch milliseconds. Tokens are
 * stored and looked up by their SHA-256 only. Every method rejects with
 * `GatehouseError('storage.unavailable')` when the database cannot be reached.
 */
export interface AccountStore {
  /**
   * Inserts a new user. Atomic: the normalised e-mail is unique, so of two concurrent inserts
   * with one address exactly one returns `ok: true`; the other returns `email_taken` and
   * writes nothing.
   */
  insertUser(record: UserRecord): Promise<UserWriteResult>;
  findUserById(id: string): Promise<UserRecord | null>;
  /** Looks a user up by the normalised e-mail (an index lookup). */
  findUserByEmail(emailNormalized: string): Promise<UserRecord | null>;
  /** Users newest first, keyset-paginated by id. */
  listUsers(options: { limit: number; cursor?: string; status?: UserStatus }): Promise<UserPage>;
  /**
   * Applies `patch` and sets `updatedAt = now`. When the e-mail changes, every outstanding
   * token of the user is consumed in the same transaction (a link mailed to the old address
   * stops working). Atomic; `email_taken` when another user holds the new address (nothing
   * is written then), `not_found` when the user does not exist.
   */
  updateUser(id: string, patch: UserPatch, now: number): Promise<UserWriteResult>;
  /**
   * Sets a new password hash, `passwordChangedAt = updatedAt = now`, and consumes every
   * outstanding password-reset token of the user, in one transaction. Returns the user, or
   * null when absent.
   */
  setPasswordHash(id: string, passwordHash: string, now: number): Promise<UserRecord | null>;
  /**
   * Compare-and-set of the password hash without changing `passwordChangedAt`: replaces it
   * only if it still equals `expectedHash` (used to upgrade a hash made under older argon2
   * parameters at login, so a concurrent password change is never overwritten). Returns
   * whether it was replaced. Atomic.
   */
  rehashPassword(id: string, expectedHash: string, newHash: string): Promise<boolean>;
  /** Deletes a user and, by cascade, the user's tokens. Returns false when absent. Atomic. */
  deleteUser(id: string): Promise<boolean>;
  /**
   * Stores a new token and deletes the user's tokens that expired before `now`, in one
   * transaction. The hash is the primary key.
   */
  insertToken(record: AccountTokenRecord, now: number): Promise<void>;
  /** Reads a token by hash, consumed or not; null when absent. Never changes it. */
  findToken(hash: string): Promise<AccountTokenRecord | null>;
  /**
   * Consumes an e-mail verification token and marks the address verified, in one
   * transaction: a compare-and-set that succeeds only when the token exists with purpose
   * `email_verification`, is unconsumed, `expiresAt > now`, and its `email` still equals the
   * user's normalised e-mail. Then sets `emailVerified = true`, `updatedAt = now`. Of
   * concurrent calls with one token exactly one gets the user; the others, and every replay,
   * get null (nothing is written then).
   */
  consumeEmailVerification(hash: string, now: number): Promise<UserRecord | null>;
  /**
   * Completes a password reset in one transaction: a compare-and-set that consumes the
   * `password_reset` token if it is unconsumed, `expiresAt > now`, and its `email` still
   * equals the user's normalised e-mail, then sets the password hash,
   * `passwordChangedAt = updatedAt = now`, `emailVerified = true` (the link proved control of
   * the mailbox) and consumes every other outstanding reset token of the user. Of concurrent
   * calls with one token exactly one gets the user; the others, and every replay, get null
   * (nothing is written then).
   */
  consumePasswordReset(hash: string, passwordHash: string, now: number): Promise<UserRecord | null>;
  /** Consumes (sets `consumedAt = now` on) every outstanding token of a user for `purpose`. Returns how many. */
  consumeAllTokens(userId: string, purpose: AccountTokenPurpose, now: number): Promise<number>;
}
