import type { AuthEvent } from '../core/events.js';

/**
 * Field names whose values never appear in an event line. Events are built from ids only;
 * this list is a second guard in case a caller slips a secret into `details`.
 */
export const REDACTED_FIELDS: ReadonlySet<string> = new Set([
  'key', 'password', 'token', 'secret', 'authorization', 'cookie', 'hash',
  'access_token', 'refresh_token', 'client_secret', 'code', 'code_verifier', 'pepper',
]);

/** The value written instead of a redacted one. */
export const REDACTED = '[REDACTED]';

const fragments = new WeakMap<object, string>();

/**
 * JSON of an immutable sub-object (credential, actor, service), computed once per object.
 * Verification passes the same frozen objects for a cached key, so the hot path serialises
 * only the fields that change per request.
 */
function fragment(value: object): string {
  if (!Object.isFrozen(value)) return JSON.stringify(value);
  let json = fragments.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    fragments.set(value, json);
  }
  return json;
}

/**
 * Whether `value` may hold a member named like a secret (at any depth up to 8). Allocates
 * nothing. Anything but plain objects and arrays (class instances, objects with `toJSON`) counts
 * as "may", so it takes the redacting copy as before.
 */
function needsRedaction(value: unknown, depth = 0): boolean {
  if (typeof value !== 'object' || value === null || depth > 8) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (needsRedaction(value[i], depth + 1)) return true;
    return false;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || 'toJSON' in value) return true;
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    if (REDACTED_FIELDS.has(k.toLowerCase()) || needsRedaction((value as Record<string, unknown>)[k], depth + 1)) return true;
  }
  return false;
}

function redact(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null || depth > 8) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // Functions are never data; an own `toJSON` would let JSON.stringify replace the redacted copy.
    if (typeof v === 'function') continue;
    out[k] = REDACTED_FIELDS.has(k.toLowerCase()) ? REDACTED : redact(v, depth + 1);
  }
  return out;
}

/**
 * One event as one JSON line (with the trailing newline), fields in the documented order.
 * `details` passes through the redaction guard; every other member has a fixed shape of
 * ids, codes and numbers.
 */
export function serializeEvent(e: AuthEvent): string {
  let line = `{"schema":"${e.schema}","id":${JSON.stringify(e.id)},"ts":"${e.ts}","type":"${e.type}","outcome":"${e.outcome}","reason":${JSON.stringify(e.reason)},"severity":"${e.severity}"`;
  if (e.actor) line += `,"actor":${fragment(e.actor)}`;
  if (e.target) line += `,"target":${JSON.stringify(e.target)}`;
  if (e.credential) line += `,"credential":${fragment(e.credential)}`;
  if (e.session) line += `,"session":{"id":${JSON.stringify(e.session.id)}}`;
  if (e.client) line += `,"client":{"id":${JSON.stringify(e.client.id)}}`;
  if (e.source) line += `,"source":${JSON.stringify(e.source)}`;
  if (e.http) line += `,"http":${JSON.stringify(e.http)}`;
  if (e.ratelimit) {
    const r = e.ratelimit;
    line += `,"ratelimit":{"policy":${JSON.stringify(r.policy)},"limit":${r.limit},"remaining":${r.remaining},"reset_s":${r.reset_s}}`;
  }
  line += `,"service":${fragment(e.service)}`;
  // Details are built from ids and codes; the copy that redacts is made only when needed.
  if (e.details) line += `,"details":${JSON.stringify(needsRedaction(e.details) ? redact(e.details) : e.details)}`;
  return `${line}}\n`;
}
