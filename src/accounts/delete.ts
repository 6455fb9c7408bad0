import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import type { AccountDeps } from './context.js';
import { emitAccountEvent } from './events.js';
import { findUserRecord } from './read.js';
import type { SessionRevocationReason } from './revoke-sessions.js';

/**
 * Deletes a user, its tokens and (first) all its sessions. Emits `account.delete`.
 *
 * @throws {GatehouseError} `account.not_found`; `storage.unavailable`
 * @example await gatehouse.accounts.delete('usr_01J…');
 */
export async function deleteUser(deps: AccountDeps, id: string, context: RequestContext = {}): Promise<void> {
  const user = await findUserRecord(deps, id);
  // Sessions first: if this fails, the account still exists and the call can be repeated.
  const sessionsEnded = await deps.sessions.revokeAllForUser(user.id, 'account_deleted' satisfies SessionRevocationReason);
  if (!(await deps.store.deleteUser(user.id))) throw new GatehouseError('account.not_found');
  emitAccountEvent(deps, { type: 'account.delete', context, userId: user.id, details: { sessions_revoked: sessionsEnded } });
}
