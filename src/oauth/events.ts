import type { AuthEventInput, AuthEventType, RequestContext } from '../core/events.js';
import type { OAuthDeps } from './context.js';

/** Emits one OAuth event with the request's context; never a secret, token or assertion. */
export function emitOAuthEvent(
  deps: OAuthDeps,
  e: {
    type: Extract<AuthEventType, `oauth.${string}` | 'token.issue' | 'token.revoke' | 'token.introspect'>;
    outcome: 'success' | 'failure';
    reason: string;
    clientId?: string | undefined;
    context: RequestContext;
    credential?: AuthEventInput['credential'];
    details?: AuthEventInput['details'];
    severity?: AuthEventInput['severity'];
  },
): void {
  const { context } = e;
  deps.audit.emit({
    type: e.type,
    outcome: e.outcome,
    reason: e.reason,
    severity: e.severity ?? (e.outcome === 'success' ? 'info' : 'low'),
    ...(context.actor ? { actor: context.actor } : {}),
    ...(e.type.startsWith('oauth.client.') && e.type !== 'oauth.client.authenticate' && e.clientId ? { target: { type: 'oauth_client', id: e.clientId } } : {}),
    ...(e.credential ? { credential: e.credential } : {}),
    ...(e.clientId ? { client: { id: e.clientId } } : {}),
    ...(context.source ? { source: context.source } : {}),
    ...(context.http ? { http: context.http } : {}),
    ...(e.details ? { details: e.details } : {}),
  });
}
