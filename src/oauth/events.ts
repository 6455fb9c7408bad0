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
  // Built member by member (no spread of temporary objects): this runs once per token issued.
  const event: AuthEventInput = { type: e.type, outcome: e.outcome, reason: e.reason, severity: e.severity ?? (e.outcome === 'success' ? 'info' : 'low') };
  if (context.actor) event.actor = context.actor;
  if (e.type.startsWith('oauth.client.') && e.type !== 'oauth.client.authenticate' && e.clientId) event.target = { type: 'oauth_client', id: e.clientId };
  if (e.credential) event.credential = e.credential;
  if (e.clientId) event.client = { id: e.clientId };
  if (context.source) event.source = context.source;
  if (context.http) event.http = context.http;
  if (e.details) event.details = e.details;
  deps.audit.emit(event);
}
