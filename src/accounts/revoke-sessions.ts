import type { AccountDeps } from './context.js';
import { findUserRecord } from './read.js';

/** Why a user's sessions are being ended, as passed to {@link SessionRevoker}. */
export type SessionRevocationReason = 'password_reset' | 'password_change' | 'account_disabled' | 'account_deleted' | 'admin_revoke';

/**
 * Ends every session of an existing user (the admin "sign out everywhere"). The sessions
 * domain emits one `session.end` per session.
 *
 * @returns how many sessions were ended
 * @throws {GatehouseError} `account.not_found`; `storage.unavailable`
 * @example await gatehouse.accounts.revokeSessions('usr_01J…');
 */
export async function revokeUserSessions(deps: AccountDeps, id: string): Promise<number> {
  const user = await findUserRecord(deps, id);
  return deps.sessions.revokeAllForUser(user.id, 'admin_revoke' satisfies SessionRevocationReason);
}
