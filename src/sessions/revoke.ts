import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { SESSION_ID_PATTERN, type SessionDeps, isActive, toSession } from './context.js';
import { emitSessionEvent } from './events.js';
import type { Session, SessionEndReason } from './types.js';

/** Reasons another domain may give {@link revokeAllSessionsForUser}. */
export const USER_WIDE_END_REASONS: ReadonlySet<SessionEndReason> = new Set<SessionEndReason>([
  'revoked',
  'password_reset',
  'password_change',
  'account_disabled',
  'account_deleted',
  'admin_revoke',
]);

/**
 * Ends one of the user's own sessions by its public id (the "sign out that device" button).
 * A session of another user, an unknown, malformed, ended or expired id all give the same
 * `session.not_found`, so ids of other users' sessions cannot be probed. Emits `session.end`
 * (reason `revoked`).
 *
 * @throws {GatehouseError} `session.not_found`; `storage.unavailable`
 * @example await gatehouse.sessions.revoke(user.id, 'ses_01J…', context);
 */
export async function revokeSession(deps: SessionDeps, userId: string, sessionId: string, context: RequestContext = {}): Promise<Session> {
  if (!SESSION_ID_PATTERN.test(sessionId)) throw new GatehouseError('session.not_found');
  const record = await deps.store.findById(sessionId);
  if (!record || record.userId !== userId || !isActive(record, deps.clock.now())) throw new GatehouseError('session.not_found');
  const ended = await deps.store.end(sessionId, 'revoked', deps.clock.now());
  if (!ended) throw new GatehouseError('session.not_found');
  emitSessionEvent(deps, 'session.end', ended, 'revoked', context);
  return toSession(ended);
}

/**
 * "Sign out everywhere else": ends every active session of the user except `currentSessionId`,
 * in one statement. Emits one `session.end` (reason `revoked_others`) per session ended.
 * Returns how many were ended.
 *
 * @throws {GatehouseError} `storage.unavailable`
 * @example const count = await gatehouse.sessions.revokeOthers(user.id, session.id, context);
 */
export async function revokeOtherSessions(deps: SessionDeps, userId: string, currentSessionId: string, context: RequestContext = {}): Promise<number> {
  const ended = await deps.store.endAllForUser(userId, 'revoked_others', deps.clock.now(), currentSessionId);
  for (const s of ended) emitSessionEvent(deps, 'session.end', s, 'revoked_others', context);
  return ended.length;
}

/**
 * Ends every active session of a user, for the accounts domain (password reset or change,
 * account disabled or deleted, the admin "revoke all sessions"). Emits one `session.end`
 * per session with `reason`. Returns how many were ended.
 *
 * @param reason one of {@link USER_WIDE_END_REASONS}
 * @throws {TypeError} for another reason (a programming mistake); {GatehouseError} `storage.unavailable`
 * @example await gatehouse.sessions.revokeAllForUser(user.id, 'password_reset');
 */
export async function revokeAllSessionsForUser(deps: SessionDeps, userId: string, reason: string, context: RequestContext = {}): Promise<number> {
  if (!USER_WIDE_END_REASONS.has(reason as SessionEndReason)) throw new TypeError(`unknown session end reason: ${reason}`);
  const ended = await deps.store.endAllForUser(userId, reason as SessionEndReason, deps.clock.now());
  for (const s of ended) emitSessionEvent(deps, 'session.end', s, reason, context.actor ? context : { ...context, actor: { type: 'system' } });
  return ended.length;
}
