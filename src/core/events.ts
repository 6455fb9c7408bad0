/**
 * The closed vocabulary of auth event types, `<domain>.<action>`. Documented with their
 * OCSF/ECS mapping in `docs/events.md`. New types are added here and there, never renamed.
 */
export const authEventTypes = [
  'api_key.verify',
  'api_key.create',
  'api_key.update',
  'api_key.rotate',
  'api_key.revoke',
  'account.create',
  'account.update',
  'account.delete',
  'account.disable',
  'account.enable',
  'account.password_change',
  'account.password_reset',
  'account.email_verify',
  'auth.login',
  'auth.logout',
  'session.create',
  'session.end',
  'account.lock',
  'alert.raise',
  'token.issue',
  'token.refresh',
  'token.revoke',
  'signing_key.create',
  'signing_key.activate',
  'signing_key.retire',
  'signing_key.remove',
  'token.introspect',
  'oauth.client.create',
  'oauth.client.update',
  'oauth.client.delete',
  'oauth.client.secret_rotate',
  'oauth.client.authenticate',
  'oauth.authorize',
  'oauth.consent',
  'oauth.id_token.issue',
  'oauth.userinfo',
  'oauth.end_session',
] as const;

/** One of {@link authEventTypes}. */
export type AuthEventType = (typeof authEventTypes)[number];

/** `info` for routine successes, `low`/`medium` for failures, `high`/`critical` for alerts. */
export type AuthEventSeverity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/**
 * Where a request came from, and which HTTP exchange carried it. Passed by the edges
 * (HTTP, CLI) into domain calls so events can say it; domains never read HTTP themselves.
 */
export interface RequestContext {
  source?: { ip?: string; user_agent?: string };
  http?: { method: string; route: string; request_id: string };
  /** Who performs a management action (e.g. the admin key's id), for create/rotate/revoke. */
  actor?: { type: 'api_key' | 'user' | 'cli' | 'system'; id?: string };
}

/**
 * One auth event, one JSON object per line. Never carries a secret: only ids and the
 * display prefix of a key (`start`). Shape after `reference/ecosystem.md` §1.5; see
 * `docs/events.md`.
 */
export interface AuthEvent {
  schema: 'gatehouse.event/1';
  /** Unique, sortable within one process. */
  id: string;
  /** RFC 3339 UTC timestamp with milliseconds. */
  ts: string;
  type: AuthEventType;
  outcome: 'success' | 'failure';
  /** Bounded machine code: `ok`, `not_found`, `expired`, `revoked`, `malformed`, … */
  reason: string;
  severity: AuthEventSeverity;
  actor?: { type: string; id?: string };
  target?: { type: string; id: string };
  credential?: { kind: 'api_key' | 'password' | 'session' | 'refresh_token' | 'access_token'; id: string | null; prefix: string | null };
  /** The session the event is about or was made in: its public id (`ses_…`), never the cookie value. */
  session?: { id: string };
  /** The OAuth client the event is about or that made the request: its public `client_id`, never its secret. */
  client?: { id: string };
  source?: { ip?: string; user_agent?: string };
  http?: { method: string; route: string; request_id: string };
  ratelimit?: { policy: string; limit: number; remaining: number; reset_s: number };
  service: { name: 'gatehouse'; version: string; instance: string };
  details?: Record<string, string | number | boolean | null | string[]>;
}

/** What a domain supplies; the audit log fills `schema`, `id`, `ts` and `service`. */
export type AuthEventInput = Omit<AuthEvent, 'schema' | 'id' | 'ts' | 'service'>;

/** The port every domain emits auth events through. */
export interface AuditLog {
  /** Records one event. Must not throw and must not block on I/O. */
  emit(event: AuthEventInput): void;
  /** Flushes buffered events (at shutdown). */
  flush(): Promise<void>;
}
