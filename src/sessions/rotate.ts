import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import type { SessionDeps } from './context.js';
import { createSession, type CreatedSession } from './create.js';
import { emitSessionEvent } from './events.js';
import type { AuthMethod } from './types.js';
import { validateSession } from './validate.js';

/** The privilege change {@link rotateSession} records. */
export interface SessionPrivilegeChange {
  /** Methods proved now, appended to the session's `amr` (duplicates dropped). */
  addAmr: readonly AuthMethod[];
  /** The new authentication level (never lowered). */
  authLevel: number;
}

/**
 * Replaces a valid session with a new one at a privilege change (a second factor, a
 * re-authentication): a new id and a new secret (OWASP: renew the session id on any
 * privilege level change, so an id fixed or observed before the change is worthless after
 * it), the same user, the combined `amr`, the higher level, and an absolute expiry no later
 * than the old one's. The old session ends first (reason `rotated`), then the new one is
 * made, so a one-session limit never refuses the rotation.
 *
 * @throws {GatehouseError} `session.invalid` when `presented` is not a valid session; `storage.unavailable`
 * @example const { token } = await gatehouse.sessions.rotate(cookieValue, { addAmr: ['otp'], authLevel: 2 }, context);
 */
export async function rotateSession(deps: SessionDeps, presented: string, change: SessionPrivilegeChange, context: RequestContext = {}): Promise<CreatedSession> {
  const current = await validateSession(deps, presented, { context });
  if (!current.valid) throw new GatehouseError('session.invalid', { detail: `rotate: ${current.reason}` });
  const old = current.session;
  const ended = await deps.store.end(old.id, 'rotated', deps.clock.now());
  if (!ended) throw new GatehouseError('session.invalid', { detail: 'rotate: ended concurrently' });
  const created = await createSession(
    deps,
    { userId: old.userId, amr: [...new Set([...old.amr, ...change.addAmr])], authLevel: Math.max(old.authLevel, change.authLevel), absoluteExpiresAt: old.absoluteExpiresAt },
    context,
  );
  emitSessionEvent(deps, 'session.end', ended, 'rotated', context, { replaced_by: created.session.id });
  return created;
}
