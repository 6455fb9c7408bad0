/** The lifecycle state of an account. Only `active` accounts can sign in. */
export type UserStatus = 'active' | 'disabled' | 'locked';

/** Every {@link UserStatus}, for validation. */
export const USER_STATUSES: readonly UserStatus[] = ['active', 'disabled', 'locked'];

/**
 * A user account as Gatehouse shows it: everything but the password hash.
 * Times are milliseconds since the epoch.
 */
export interface User {
  /** Public id, `usr_` + 26 characters, time-sortable. */
  id: string;
  /** The e-mail address as the user typed it (trimmed), for display and for sending mail. */
  email: string;
  /**
   * The unique, case-insensitive lookup key: the trimmed address after Unicode NFKC and
   * lower-casing (see `normalizeEmail`).
   */
  emailNormalized: string;
  emailVerified: boolean;
  /** Display name; null when none was given. */
  name: string | null;
  status: UserStatus;
  createdAt: number;
  updatedAt: number;
  /** When the password was last set (creation, change or reset). */
  passwordChangedAt: number;
}

/** A stored user: the public view plus the argon2id PHC string of the password. Never leaves the core. */
export interface UserRecord extends User {
  /** `$argon2id$v=19$m=…,t=…,p=…$salt$hash`. */
  passwordHash: string;
}

/** What a single-use account token is for. */
export type AccountTokenPurpose = 'email_verification' | 'password_reset';

/** A stored single-use account token: only the SHA-256 of the token is kept. */
export interface AccountTokenRecord {
  /** Lower-case hex SHA-256 of the raw token; the primary key. */
  hash: string;
  purpose: AccountTokenPurpose;
  userId: string;
  /**
   * For e-mail verification: the normalised address the token was sent to. A token only
   * verifies the address it was mailed to, so a later e-mail change invalidates it.
   */
  email: string | null;
  createdAt: number;
  expiresAt: number;
  /** Set when the token was used (or superseded); a token with `consumedAt` never works again. */
  consumedAt: number | null;
}

/** Why {@link AuthenticateResult} refused a login. Private: events and logs only, never the response. */
export type AuthenticateFailureReason = 'unknown_user' | 'wrong_password' | 'disabled' | 'locked';

/**
 * The outcome of `AccountService.authenticate`. The reason is for the auth event only: the
 * response to the user must be the same for every failure.
 */
export type AuthenticateResult =
  | { ok: true; user: User }
  | { ok: false; reason: AuthenticateFailureReason; userId: string | null };

/**
 * The port through which accounts revoke sessions (after a password reset or change, on
 * disable and delete, and on the admin "revoke all sessions"). Implemented by the sessions
 * domain; accounts never touch session storage.
 */
export interface SessionRevoker {
  /**
   * Ends every session of `userId`. `reason` is a bounded machine code for the session events
   * (`password_reset`, `password_change`, `account_disabled`, `account_deleted`, `admin_revoke`).
   * Returns how many sessions were ended.
   */
  revokeAllForUser(userId: string, reason: string): Promise<number>;
}
