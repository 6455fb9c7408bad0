/**
 * An authorization code as stored (RFC 6749 §4.1.2): never the code itself, only its SHA-256.
 * Times are epoch milliseconds.
 */
export interface AuthorizationCodeRecord {
  /** Lower-case hex SHA-256 of the code (the primary key). */
  codeHash: string;
  clientId: string;
  /** The user who authorized (`sub` of the tokens). */
  userId: string;
  /** The sign-in session the code was issued from (for events; tokens are not bound to it). */
  sessionId: string;
  /** The `redirect_uri` of the authorization request as sent, or null when it was omitted (RFC 6749 §4.1.3). */
  redirectUri: string | null;
  /** The granted scopes. */
  scopes: string[];
  /** RFC 7636 `code_challenge`, or null when the request had none. */
  codeChallenge: string | null;
  /** `S256`, or `plain` when `oauth.pkce.allowPlain`; null without a challenge. */
  codeChallengeMethod: 'S256' | 'plain' | null;
  /** OIDC `nonce`, kept for the ID token; null when absent. */
  nonce: string | null;
  /** When the user authenticated (the session's `authenticatedAt`). */
  authTime: number;
  /** RFC 8176 methods of the session. */
  amr: string[];
  createdAt: number;
  /** `createdAt` + 60 s: the code is refused from this time on. */
  expiresAt: number;
  /** When it was exchanged; null while unused. */
  consumedAt: number | null;
  /** When a second exchange was attempted; null if never. */
  replayedAt: number | null;
  /** The refresh-token family issued from it (revoked on replay); null until tokens are issued. */
  familyId: string | null;
  /** RFC 8707 `resource` values of the authorization request (the access token's `aud`); empty when none. */
  resources: string[];
}

/** A user's remembered consent to a client: the scopes agreed to so far. Times are epoch milliseconds. */
export interface ConsentRecord {
  userId: string;
  clientId: string;
  /** Every scope the user agreed to for this client, sorted, without repeats. */
  scopes: string[];
  createdAt: number;
  updatedAt: number;
}

/**
 * The storage port of the authorization-code flow: codes (only their SHA-256) and remembered
 * consents. A narrow interface implemented for SQLite and PostgreSQL in
 * `storage/sql/oauth-grant-store.ts` and checked by `storage/conformance/oauth-grant-store.suite.ts`.
 * Every method rejects with `GatehouseError('storage.unavailable')` when the database is down.
 */
export interface OAuthGrantStore {
  /** Inserts a new, unused code. */
  insertCode(record: AuthorizationCodeRecord): Promise<void>;
  /** One code by hash (a primary-key lookup), used or not; null when unknown. */
  findCode(codeHash: string): Promise<AuthorizationCodeRecord | null>;
  /**
   * Single use, one compare-and-set: sets `consumedAt = now` only if the code is unused and
   * `now < expiresAt`. Returns true when this call consumed it; false (nothing written) when it
   * was already used, expired or unknown. Of any number of concurrent calls for one code,
   * across instances, exactly one gets true.
   */
  consumeCode(codeHash: string, now: number): Promise<boolean>;
  /**
   * Records a replay: sets `replayedAt = now` if not set yet. Returns the code as it is after
   * the write (with the `familyId` to revoke), or null when unknown. Atomic.
   */
  recordReplay(codeHash: string, now: number): Promise<AuthorizationCodeRecord | null>;
  /**
   * Records the family issued from a consumed code, only if no replay was recorded meanwhile
   * (compare-and-set on `replayedAt IS NULL`). False means a replay came between consumption and
   * issuance: the caller revokes the family it just issued.
   */
  attachFamily(codeHash: string, familyId: string): Promise<boolean>;
  /** Deletes codes that expired before `before`. Returns the count. */
  deleteExpiredCodes(before: number): Promise<number>;

  /** The consent of `userId` to `clientId`, or null. */
  findConsent(userId: string, clientId: string): Promise<ConsentRecord | null>;
  /** Inserts or replaces the consent of `record.userId` to `record.clientId` (one statement, atomic). */
  saveConsent(record: ConsentRecord): Promise<void>;
  /** Every consent of a user, newest update first (at most 1000). */
  listConsents(userId: string): Promise<ConsentRecord[]>;
  /** Deletes a consent. True when one was deleted. */
  deleteConsent(userId: string, clientId: string): Promise<boolean>;
}
