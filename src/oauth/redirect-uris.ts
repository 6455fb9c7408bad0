import { GatehouseError } from '../core/errors/gatehouse-error.js';

/** Loopback hosts of RFC 8252 §7.3 (`localhost` is refused there, §8.3: it may resolve elsewhere). */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]']);

/**
 * Validates one redirect URI for registration (RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700 §4.1.3):
 *
 * - absolute, at most 2048 characters, no fragment (RFC 6749 §3.1.2), no `*` (no wildcards),
 *   no user-info;
 * - `https` with a host; or
 * - `http` only on a loopback IP literal (`127.0.0.1`, `[::1]`; RFC 8252 §7.3), whose port may
 *   differ at authorization time (see {@link redirectUriMatches}); or
 * - a private-use scheme for native apps (RFC 8252 §7.1): reverse-domain style, containing a
 *   dot (`com.example.app:/callback`); `javascript`, `data`, `file` and similar are refused.
 *
 * Returns the URI as given (it is matched by exact string comparison later).
 *
 * @throws {GatehouseError} `oauth.invalid_redirect_uri` naming the rule broken
 * @example validateRedirectUri('https://app.example.com/callback');
 */
export function validateRedirectUri(uri: unknown): string {
  const fail = (why: string): never => {
    throw new GatehouseError('oauth.invalid_redirect_uri', { publicMessage: `redirect_uris: ${why}` });
  };
  if (typeof uri !== 'string' || uri.length === 0 || uri.length > 2048) return fail('each must be a string of 1 to 2048 characters.');
  if (uri.includes('#')) return fail('a redirect URI must not contain a fragment (RFC 6749 §3.1.2).');
  if (uri.includes('*')) return fail('wildcards are not allowed; register every redirect URI exactly.');
  // eslint-disable-next-line no-control-regex -- refusing control characters and spaces
  if (/[\s\x00-\x1f\x7f]/.test(uri)) return fail('a redirect URI must not contain spaces or control characters.');
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return fail('each must be an absolute URI.');
  }
  if (url.username !== '' || url.password !== '') return fail('a redirect URI must not contain user information.');
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'https') {
    if (url.hostname === '') return fail('an https redirect URI needs a host.');
    return uri;
  }
  if (scheme === 'http') {
    if (!LOOPBACK_HOSTS.has(url.hostname)) return fail('http is allowed only for loopback IP literals 127.0.0.1 and [::1] (RFC 8252 §7.3); use https.');
    return uri;
  }
  // RFC 8252 §7.1: private-use URI schemes in reverse domain name notation.
  if (!/^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+$/.test(scheme)) return fail('a custom scheme must be a reverse domain name such as com.example.app (RFC 8252 §7.1).');
  return uri;
}

/**
 * Whether a redirect URI presented at authorization matches a registered one: exact string
 * comparison (RFC 9700 §4.1.3), except that for a registered `http` loopback URI the port may
 * differ (RFC 8252 §7.3): scheme, host, path and query must still be identical.
 *
 * @example redirectUriMatches('http://127.0.0.1/cb', 'http://127.0.0.1:51234/cb') // true
 */
export function redirectUriMatches(registered: string, presented: string): boolean {
  if (registered === presented) return true;
  let r: URL;
  let p: URL;
  try {
    r = new URL(registered);
    p = new URL(presented);
  } catch {
    return false;
  }
  if (r.protocol !== 'http:' || p.protocol !== 'http:' || !LOOPBACK_HOSTS.has(r.hostname)) return false;
  if (presented.includes('#') || p.username !== '' || p.password !== '') return false;
  return r.hostname === p.hostname && r.pathname === p.pathname && r.search === p.search;
}
