import type { AuthEventInput, AuthEventType, RequestContext } from '../core/events.js';
import type { ApiKeyDeps } from './context.js';

/** What a management event says about the key it changed. */
interface ManagementEvent {
  type: Extract<AuthEventType, 'api_key.create' | 'api_key.update' | 'api_key.rotate' | 'api_key.revoke'>;
  context: RequestContext;
  /** The key the action changed. */
  targetId: string;
  /** The key named in `credential` (the new key for create and rotate, else the target). */
  key: { id: string; prefix: string; start: string };
  reason?: string;
  details?: AuthEventInput['details'];
}

/**
 * Emits the one event of a successful create, update, rotate or revoke: actor, target,
 * credential (id and display prefix, never the secret), and the request it came from.
 */
export function emitManagementEvent(deps: ApiKeyDeps, e: ManagementEvent): void {
  const { context } = e;
  deps.audit.emit({
    type: e.type,
    outcome: 'success',
    reason: e.reason ?? 'ok',
    severity: 'info',
    ...(context.actor ? { actor: context.actor } : {}),
    target: { type: 'api_key', id: e.targetId },
    credential: { kind: 'api_key', id: e.key.id, prefix: `${e.key.prefix}_${e.key.start}` },
    ...(context.source ? { source: context.source } : {}),
    ...(context.http ? { http: context.http } : {}),
    ...(e.details ? { details: e.details } : {}),
  });
}

/** RFC 3339 for an epoch-milliseconds time in event details; null stays null. */
export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
