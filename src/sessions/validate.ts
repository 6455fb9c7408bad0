import { constantTimeEqual } from '../core/crypto/hash.js';
import type { RequestContext } from '../core/events.js';
import { type SessionDeps, toSession } from './context.js';
import { emitSessionEvent } from './events.js';
import { deriveCsrfToken, hashSessionToken, isWellFormedSessionToken } from './token.js';
import type { Session } from './types.js';

/** Options of {@link validateSession}. */
export interface ValidateSessionOptions {
  /** Request details for the `session.end` event of a session found expired. */
  context?: RequestContext;
}

/** Why a presented session was refused. In-process only; callers answer every one alike (401). */
export type SessionInvalidReason = 'malformed' | 'not_found' | 'ended' | 'idle_timeout' | 'absolute_timeout';

/** Outcome of {@link validateSession}. */
export type SessionValidationResult =
  | {
      valid: true;
      session: Session;
      /** The session's CSRF synchronizer token (see `deriveCsrfToken`). */
      csrfToken: string;
    }
  | { valid: false; reason: SessionInvalidReason };

/**
 * Validates a session cookie value, in named steps: shape (no storage lookup for a malformed
 * or tampered value); SHA-256; one index lookup by hash; constant-time hash comparison;
 * ended; absolute timeout; idle timeout; then, at most once per
 * `sessions.lastSeenUpdateSeconds`, records the use (sliding the idle expiry). A session
 * found past a timeout is ended in storage and reported once as `session.end`
 * (`idle_timeout` or `absolute_timeout`).
 *
 * @param presented the untrusted cookie value
 * @throws {GatehouseError} `storage.unavailable` (fail closed)
 * @example
 * const result = await gatehouse.sessions.validate(cookieValue);
 * if (!result.valid) return reply.code(401).send();
 */
export async function validateSession(deps: SessionDeps, presented: string, options: ValidateSessionOptions = {}): Promise<SessionValidationResult> {
  if (!isWellFormedSessionToken(presented)) return { valid: false, reason: 'malformed' };
  const hash = hashSessionToken(presented);
  const record = await deps.store.findByHash(hash);
  if (!record || !constantTimeEqual(record.tokenHash, hash)) return { valid: false, reason: 'not_found' };
  if (record.endedAt !== null) return { valid: false, reason: 'ended' };

  const now = deps.clock.now();
  const timeout = now >= record.absoluteExpiresAt ? 'absolute_timeout' : now >= record.idleExpiresAt ? 'idle_timeout' : undefined;
  if (timeout) {
    const ended = await deps.store.end(record.id, timeout, now);
    if (ended) emitSessionEvent(deps, 'session.end', ended, timeout, options.context ?? {});
    return { valid: false, reason: timeout };
  }

  const session = toSession(record);
  if (now - record.lastSeenAt >= deps.config.lastSeenUpdateSeconds * 1000) {
    const idleExpiresAt = now + deps.config.idleTimeoutSeconds * 1000;
    if (await deps.store.touch(record.id, now, idleExpiresAt)) {
      session.lastSeenAt = now;
      session.idleExpiresAt = idleExpiresAt;
    }
  }
  return { valid: true, session, csrfToken: deriveCsrfToken(presented) };
}
