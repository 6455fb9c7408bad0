import type { RequestContext } from '../core/events.js';
import { type SessionDeps, toSession } from './context.js';
import { emitSessionEvent } from './events.js';
import { hashSessionToken, isWellFormedSessionToken } from './token.js';
import type { Session, SessionEndReason } from './types.js';

/**
 * Ends the session a cookie value belongs to (sign-out, or the old session replaced at a new
 * sign-in). Emits `session.end` with `reason` when this call ended it. Idempotent: an unknown,
 * malformed or already ended value returns null and changes nothing.
 *
 * @throws {GatehouseError} `storage.unavailable`
 * @example await gatehouse.sessions.end(cookieValue, 'logout', context);
 */
export async function endSession(deps: SessionDeps, presented: string, reason: SessionEndReason, context: RequestContext = {}): Promise<Session | null> {
  if (!isWellFormedSessionToken(presented)) return null;
  const record = await deps.store.findByHash(hashSessionToken(presented));
  if (!record || record.endedAt !== null) return null;
  const ended = await deps.store.end(record.id, reason, deps.clock.now());
  if (!ended) return null;
  emitSessionEvent(deps, 'session.end', ended, reason, context);
  return toSession(ended);
}
