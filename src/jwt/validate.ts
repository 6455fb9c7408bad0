import { GatehouseError } from '../core/errors/gatehouse-error.js';

const invalid = (publicMessage: string) => new GatehouseError('request.invalid', { publicMessage });

/** Visible ASCII without space (RFC 6749 §A.1 `client_id` is VSCHAR; we exclude space). */
const PRINTABLE = /^[\x21-\x7e]+$/;
/** RFC 6749 §3.3 scope-token: %x21 / %x23-5B / %x5D-7E. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** A `sub`: 1 to 255 printable characters. */
export function validateSubject(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255 || !PRINTABLE.test(value)) throw invalid('subject must be 1 to 255 visible ASCII characters.');
  return value;
}

/** A `client_id`: 1 to 255 printable characters. */
export function validateClientId(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 255 || !PRINTABLE.test(value)) throw invalid('client_id must be 1 to 255 visible ASCII characters.');
  return value;
}

/** `aud`: one or up to 16 non-empty strings (resource indicators, RFC 8707), each ≤ 2048 characters. */
export function validateAudience(value: unknown): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || list.length > 16) throw invalid('audience must be a string or 1 to 16 strings.');
  for (const a of list) if (typeof a !== 'string' || a.length === 0 || a.length > 2048 || !PRINTABLE.test(a)) throw invalid('each audience must be 1 to 2048 visible ASCII characters.');
  return [...new Set(list as string[])];
}

/** Scopes: at most 64 RFC 6749 §3.3 scope tokens, each ≤ 128 characters; duplicates dropped. */
export function validateScopes(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 64) throw invalid('scopes must be an array of at most 64 scope tokens.');
  for (const s of value) if (typeof s !== 'string' || s.length === 0 || s.length > 128 || !SCOPE_TOKEN.test(s)) throw invalid('each scope must be an RFC 6749 scope token of 1 to 128 characters.');
  return [...new Set(value as string[])];
}

/** `amr` values (RFC 8176): at most 8 short tokens. */
export function validateAmr(value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 8) throw invalid('amr must be an array of at most 8 values.');
  for (const m of value) if (typeof m !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(m)) throw invalid('each amr value must be 1 to 32 letters, digits, "-" or "_".');
  return value as string[];
}

/** A lifetime in whole seconds from 1 to `max`. */
export function validateLifetime(value: unknown, max: number, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) throw invalid(`${name} must be an integer from 1 to ${max}.`);
  return value;
}

/** A `jti` as Gatehouse issues them and as the revocation endpoint accepts: 1 to 128 base64url characters. */
export const JTI_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** Registered and protocol claims that `claims` may never set or override. */
const RESERVED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'client_id', 'scope', 'auth_time', 'amr', 'typ', 'cnf', 'act', 'may_act']);

/** Additional claims: a JSON object of at most 4 KiB serialised, with no registered claim name. */
export function validateAdditionalClaims(value: unknown): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('claims must be a JSON object.');
  for (const name of Object.keys(value)) if (RESERVED_CLAIMS.has(name)) throw invalid(`claims must not set the registered claim "${name}".`);
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    throw invalid('claims must be JSON.');
  }
  if (Buffer.byteLength(text) > 4096) throw invalid('claims must be at most 4 KiB as JSON.');
  return JSON.parse(text) as Record<string, unknown>;
}
