import type { AuthEventInput, AuthEventSeverity, AuthEventType, RequestContext } from '../core/events.js';
import type { AccountDeps } from './context.js';

/** One account event. Never carries an e-mail address, a body, a token or a password. */
export interface AccountEvent {
  type: Extract<AuthEventType, `account.${string}`>;
  context: RequestContext;
  /** The user acted on; omitted when there is none (an unknown address, a bad token). */
  userId?: string | null;
  outcome?: 'success' | 'failure';
  reason?: string;
  severity?: AuthEventSeverity;
  details?: AuthEventInput['details'];
}

/** Emits one account event with actor, target and the request it came from. */
export function emitAccountEvent(deps: Pick<AccountDeps, 'audit'>, e: AccountEvent): void {
  const { context } = e;
  const outcome = e.outcome ?? 'success';
  deps.audit.emit({
    type: e.type,
    outcome,
    reason: e.reason ?? 'ok',
    severity: e.severity ?? (outcome === 'success' ? 'info' : 'low'),
    ...(context.actor ? { actor: context.actor } : {}),
    ...(e.userId ? { target: { type: 'user', id: e.userId } } : {}),
    ...(context.source ? { source: context.source } : {}),
    ...(context.http ? { http: context.http } : {}),
    ...(e.details ? { details: e.details } : {}),
  });
}
