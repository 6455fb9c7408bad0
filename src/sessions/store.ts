import type { SessionEndReason, SessionRecord } from './types.js';

/** The per-user limit {@link SessionStore.create} enforces. */
export interface SessionLimit {
  /** Most active sessions the user may have, the new one included. */
  maxPerUser: number;
  /** `evict_oldest` ends the oldest active sessions to make room; `refuse` creates nothing. */
  onLimit: 'evict_oldest' | 'refuse';
}

/** Outcome of {@link SessionStore.create}. */
export type SessionCreateResult =
  | { created: true; /** Sessions ended (reason `evicted`) to make room, oldest first. */ evicted: SessionRecord[] }
  | { created: false };

/**
 * The storage port of the sessions domain: a narrow interface, implemented for SQLite and
 * PostgreSQL in `storage/sql/session-store.ts` and checked by
 * `storage/conformance/session-store.suite.ts`. Times are epoch milliseconds. A session is
 * *active* at `now` when `endedAt` is null and both `idleExpiresAt` and `absoluteExpiresAt`
 * are later than `now`. Every method rejects with `GatehouseError('storage.unavailable')`
 * when the database cannot be reached.
 */
export interface SessionStore {
  /**
   * Inserts `record` while enforcing the per-user limit, atomically: counting the user's
   * active sessions and inserting (and, under `evict_oldest`, ending the oldest active ones
   * with reason `evicted`) happen as one serialised step per user, so parallel sign-ins can
   * never leave more than `maxPerUser` active sessions. Under `refuse` nothing is written
   * when the user already has `maxPerUser` active sessions.
   */
  create(record: SessionRecord, limit: SessionLimit, now: number): Promise<SessionCreateResult>;
  /** Looks a session up by the hash of its cookie secret (an index lookup), ended or not. */
  findByHash(tokenHash: string): Promise<SessionRecord | null>;
  findById(id: string): Promise<SessionRecord | null>;
  /** The user's active sessions at `now`, oldest first. */
  listActive(userId: string, now: number): Promise<SessionRecord[]>;
  /**
   * Records use: sets `lastSeenAt` and `idleExpiresAt` on a session that has not ended,
   * only if `lastSeenAt` moves forward. Returns whether a row changed.
   */
  touch(id: string, lastSeenAt: number, idleExpiresAt: number): Promise<boolean>;
  /**
   * Ends one session that has not ended yet (compare-and-set on `endedAt IS NULL`). Returns
   * the session as ended by this call, or null when it does not exist or had already ended
   * (so exactly one caller reports each ending).
   */
  end(id: string, reason: SessionEndReason, now: number): Promise<SessionRecord | null>;
  /**
   * Ends every active session of `userId` except `exceptId`, in one statement. Returns the
   * sessions this call ended.
   */
  endAllForUser(userId: string, reason: SessionEndReason, now: number, exceptId?: string): Promise<SessionRecord[]>;
  /**
   * Deletes sessions that ended, or expired, before `before`. Returns how many rows went.
   * Housekeeping only: no authentication decision depends on it.
   */
  deleteInactiveBefore(before: number): Promise<number>;
}
