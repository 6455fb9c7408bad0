import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import type { OAuthDeps } from './context.js';
import { emitOAuthEvent } from './events.js';

/** A remembered consent as the user sees it. Times are epoch milliseconds. */
export interface Consent {
  clientId: string;
  /** The client's `client_name`; null when the client was deleted since. */
  clientName: string | null;
  /** Every scope agreed to for the client, sorted. */
  scopes: string[];
  createdAt: number;
  updatedAt: number;
}

/**
 * The clients a user has authorized, newest decision first (`GET /auth/consents`).
 *
 * @throws {GatehouseError} `storage.unavailable`
 * @example const consents = await gatehouse.oauth.consents.list(session.userId);
 */
export async function listConsents(deps: OAuthDeps, userId: string): Promise<Consent[]> {
  const records = await deps.grants.listConsents(userId);
  const out: Consent[] = [];
  for (const r of records) {
    const client = await deps.clients.findById(r.clientId);
    out.push({ clientId: r.clientId, clientName: client?.name ?? null, scopes: r.scopes, createdAt: r.createdAt, updatedAt: r.updatedAt });
  }
  return out;
}

/**
 * Revokes a user's consent to a client (`DELETE /auth/consents/{client_id}`): the next
 * authorization asks again, and every refresh-token family the client holds for the user is
 * revoked with its live access tokens. Emits `oauth.consent` (`revoke`).
 *
 * @throws {GatehouseError} `oauth.consent_not_found` (404); `storage.unavailable`
 * @example await gatehouse.oauth.consents.revoke(session.userId, 'cli_01JD…');
 */
export async function revokeConsent(deps: OAuthDeps, userId: string, clientId: string, context: RequestContext = {}): Promise<void> {
  if (clientId.length > 64 || !(await deps.grants.deleteConsent(userId, clientId))) throw new GatehouseError('oauth.consent_not_found');
  const revoked = await deps.tokens.revokeForSubject(userId, 'consent_revoked', context, { clientId });
  emitOAuthEvent(deps, { type: 'oauth.consent', outcome: 'success', reason: 'revoke', clientId, context: { actor: { type: 'user', id: userId }, ...context }, details: { user_id: userId, families_revoked: revoked } });
}
