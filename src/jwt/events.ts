import type { AuthEventInput, RequestContext } from '../core/events.js';
import type { TokenDeps } from './context.js';
import type { RefreshTokenFamily, SigningKey } from './types.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function withContext(event: AuthEventInput, context: RequestContext): AuthEventInput {
  if (context.actor) event.actor = context.actor;
  if (context.source) event.source = context.source;
  if (context.http) event.http = context.http;
  return event;
}

/** `signing_key.create|activate|retire|remove`: the key by `kid` (public), its algorithm and times. */
export function emitSigningKeyEvent(
  deps: Pick<TokenDeps, 'audit'>,
  type: 'signing_key.create' | 'signing_key.activate' | 'signing_key.retire' | 'signing_key.remove',
  key: Pick<SigningKey, 'kid' | 'alg' | 'generation' | 'activatesAt' | 'retiresAt'>,
  context: RequestContext = { actor: { type: 'system' } },
  reason = 'ok',
): void {
  deps.audit.emit(
    withContext(
      {
        type,
        outcome: 'success',
        reason,
        severity: 'info',
        actor: { type: 'system' },
        target: { type: 'signing_key', id: key.kid },
        details: { alg: key.alg, generation: key.generation, activates_at: iso(key.activatesAt), retires_at: iso(key.retiresAt) },
      },
      context,
    ),
  );
}

/** What a token event says about the family and token it concerns. */
export interface TokenEventFacts {
  family?: Pick<RefreshTokenFamily, 'id' | 'subject' | 'clientId' | 'sessionId'>;
  /** The refresh token's public id (`rt_…`), never its value. */
  refreshTokenId?: string;
  /** The access token's `jti`. */
  jti?: string;
  details?: AuthEventInput['details'];
}

/** `token.issue|refresh|revoke`: ids only (family, refresh token id, `jti`), never a token. */
export function emitTokenEvent(
  deps: Pick<TokenDeps, 'audit'>,
  type: 'token.issue' | 'token.refresh' | 'token.revoke',
  outcome: 'success' | 'failure',
  reason: string,
  facts: TokenEventFacts,
  context: RequestContext = {},
): void {
  const event: AuthEventInput = { type, outcome, reason, severity: outcome === 'success' ? 'info' : 'low' };
  if (facts.family) {
    event.actor = { type: 'user', id: facts.family.subject };
    event.target = { type: 'user', id: facts.family.subject };
    event.client = { id: facts.family.clientId };
    if (facts.family.sessionId) event.session = { id: facts.family.sessionId };
  }
  if (facts.refreshTokenId) event.credential = { kind: 'refresh_token', id: facts.refreshTokenId, prefix: null };
  else if (facts.jti) event.credential = { kind: 'access_token', id: facts.jti, prefix: null };
  const details: NonNullable<AuthEventInput['details']> = { ...facts.details };
  if (facts.family) {
    details.family_id = facts.family.id;
    details.client_id = facts.family.clientId;
  }
  if (facts.jti) details.jti = facts.jti;
  if (Object.keys(details).length > 0) event.details = details;
  deps.audit.emit(withContext(event, context));
}

/** `alert.raise` (`refresh_token_reuse`, severity high): a used refresh token came back; its family is revoked. */
export function emitReuseAlert(deps: Pick<TokenDeps, 'audit'>, family: RefreshTokenFamily, refreshTokenId: string, usedAt: number, context: RequestContext): void {
  deps.audit.emit(
    withContext(
      {
        type: 'alert.raise',
        outcome: 'failure',
        reason: 'refresh_token_reuse',
        severity: 'high',
        actor: { type: 'user', id: family.subject },
        target: { type: 'user', id: family.subject },
        credential: { kind: 'refresh_token', id: refreshTokenId, prefix: null },
        ...(family.sessionId ? { session: { id: family.sessionId } } : {}),
        details: { family_id: family.id, client_id: family.clientId, used_at: iso(usedAt), action: 'family_revoked' },
      },
      context,
    ),
  );
}
