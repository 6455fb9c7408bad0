/**
 * Authentication method references (RFC 8176): how the user proved who they are in this
 * session. `pwd` is a password; later factors add `otp`, `hwk`, `mfa` …
 */
export type AuthMethod = 'pwd' | 'otp' | 'hwk' | 'swk' | 'mfa';

/** Why a session ended. Bounded machine codes for `session.end` events. */
export type SessionEndReason =
  | 'logout'
  | 'idle_timeout'
  | 'absolute_timeout'
  | 'revoked'
  | 'revoked_others'
  | 'evicted'
  | 'replaced'
  | 'rotated'
  | 'password_reset'
  | 'password_change'
  | 'account_disabled'
  | 'account_deleted'
  | 'admin_revoke';

/**
 * A sign-in session as Gatehouse shows it: everything but the hash of its secret.
 * Times are epoch milliseconds. The `id` is public (it names the session in lists, events
 * and `DELETE /auth/sessions/:id`); the secret that authenticates is only in the cookie.
 */
export interface Session {
  /** Public id, `ses_` + 26 characters, time-sortable. Not a credential. */
  id: string;
  userId: string;
  createdAt: number;
  /** When the user last proved their identity (the sign-in this session descends from). */
  authenticatedAt: number;
  /** Last use as recorded (writes are throttled, see `sessions.lastSeenUpdateSeconds`). */
  lastSeenAt: number;
  /** The session ends at this time unless used before it (sliding). */
  idleExpiresAt: number;
  /** The session ends at this time however active it is. */
  absoluteExpiresAt: number;
  endedAt: number | null;
  endReason: SessionEndReason | null;
  /** The client address at sign-in (honours `server.trustProxy`). */
  ip: string | null;
  /** The client's User-Agent at sign-in, at most 512 characters. */
  userAgent: string | null;
  /** 1 after one factor (password), 2 after a second factor. */
  authLevel: number;
  /** The methods used, in order (RFC 8176). */
  amr: AuthMethod[];
}

/** A stored session: the public view plus the SHA-256 of the cookie secret. Never leaves the core. */
export interface SessionRecord extends Session {
  /** Lower-case hex SHA-256 of the cookie value. */
  tokenHash: string;
}
