import { type SessionDeps, toSession } from './context.js';
import type { Session } from './types.js';

/** One entry of {@link listSessions}: a session and whether it is the one making the request. */
export interface SessionListItem extends Session {
  current: boolean;
}

/**
 * Lists a user's active sessions, newest first, flagging `currentSessionId` as `current`.
 * Never contains a cookie value or a hash.
 *
 * @throws {GatehouseError} `storage.unavailable`
 * @example const items = await gatehouse.sessions.list(user.id, session.id);
 */
export async function listSessions(deps: SessionDeps, userId: string, currentSessionId?: string): Promise<SessionListItem[]> {
  const records = await deps.store.listActive(userId, deps.clock.now());
  return records
    .map((r) => ({ ...toSession(r), current: r.id === currentSessionId }))
    .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
}
