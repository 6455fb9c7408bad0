import type { AuthEventInput, RequestContext } from '../core/events.js';
import type { SessionDeps } from './context.js';
import type { Session } from './types.js';

/**
 * Emits `session.create` or `session.end` for one session: the user as actor, the session's
 * public id (never its cookie value), and the request it came from when there was one.
 */
export function emitSessionEvent(
  deps: SessionDeps,
  type: 'session.create' | 'session.end',
  session: Pick<Session, 'id' | 'userId'>,
  reason: string,
  context: RequestContext = {},
  details?: AuthEventInput['details'],
): void {
  deps.audit.emit({
    type,
    outcome: 'success',
    reason,
    severity: 'info',
    actor: context.actor ?? { type: 'user', id: session.userId },
    target: { type: 'user', id: session.userId },
    credential: { kind: 'session', id: session.id, prefix: null },
    session: { id: session.id },
    ...(context.source ? { source: context.source } : {}),
    ...(context.http ? { http: context.http } : {}),
    ...(details ? { details } : {}),
  });
}
