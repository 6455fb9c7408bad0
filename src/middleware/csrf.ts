/**
 * CSRF defence for state-changing requests a browser may send with cookies (OWASP CSRF
 * Prevention Cheat Sheet: verify the origin with standard headers, plus a synchronizer token).
 * Framework-independent; used by Gatehouse's own routes and by the session middleware.
 */

/** Methods that never change state (RFC 9110 §9.2.1); they pass without checks. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Input of {@link checkCsrf}. */
export interface CsrfCheckInput {
  method: string;
  /** The `Origin` request header, if any. */
  origin: string | undefined;
  /** The `Sec-Fetch-Site` request header, if any. */
  secFetchSite: string | undefined;
  /** The synchronizer token the request carries (`X-CSRF-Token` header or `_csrf` form field), if any. */
  token: string | undefined;
  /** The origins allowed to send the request, e.g. `['https://auth.example.com']`. */
  allowedOrigins: readonly string[];
  /** Checks a presented token in constant time (e.g. `sessions.verifyCsrf(cookie, token)`). */
  verifyToken: (token: string) => boolean;
}

/** Outcome of {@link checkCsrf}; `reason` is for logs and events only. */
export type CsrfCheckResult = { ok: true } | { ok: false; reason: 'foreign_origin' | 'cross_site_fetch' | 'missing_token' | 'wrong_token' };

/**
 * Decides whether a request may change state:
 *
 * 1. safe methods pass;
 * 2. with an `Origin` header naming an origin, it must be exactly one of `allowedOrigins`;
 * 3. without one (or with `Origin: null`), `Sec-Fetch-Site: cross-site` or `same-site` is refused (a sibling subdomain
 *    is not this origin);
 * 4. otherwise the request must carry the synchronizer token.
 *
 * Browsers send `Origin` on every cross-origin request and on same-origin POSTs, so (2)
 * decides most browser requests; (4) covers `Origin: null` (pages with `Referrer-Policy:
 * no-referrer`, as Gatehouse's own, and sandboxed frames), old browsers and non-browser clients.
 *
 * @example
 * const r = checkCsrf({ method, origin, secFetchSite, token, allowedOrigins: ['https://app.example.com'], verifyToken: (t) => sessions.verifyCsrf(cookie, t) });
 * if (!r.ok) throw new GatehouseError('csrf.rejected', { detail: r.reason });
 */
export function checkCsrf(input: CsrfCheckInput): CsrfCheckResult {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return { ok: true };
  // `Origin: null` is what a browser sends for a form on a page with `Referrer-Policy:
  // no-referrer` (Gatehouse's own pages) and from sandboxed frames: it names no origin, so the
  // request must prove itself with the token, like one without Origin.
  if (input.origin !== undefined && input.origin !== 'null') {
    return input.allowedOrigins.includes(input.origin) ? { ok: true } : { ok: false, reason: 'foreign_origin' };
  }
  const site = input.secFetchSite?.toLowerCase();
  if (site === 'cross-site' || site === 'same-site') return { ok: false, reason: 'cross_site_fetch' };
  if (input.token === undefined || input.token === '') return { ok: false, reason: 'missing_token' };
  return input.verifyToken(input.token) ? { ok: true } : { ok: false, reason: 'wrong_token' };
}

/** The header a script or CLI sends the synchronizer token in. */
export const CSRF_HEADER = 'x-csrf-token';
/** The form field a server-rendered form carries the synchronizer token in. */
export const CSRF_FIELD = '_csrf';

/** The token a request carries: the `X-CSRF-Token` header, else a `_csrf` string field of a parsed form body. */
export function presentedCsrfToken(header: string | string[] | undefined, body: unknown): string | undefined {
  if (typeof header === 'string') return header;
  if (Array.isArray(header)) return undefined;
  if (typeof body === 'object' && body !== null && CSRF_FIELD in body) {
    const value = (body as Record<string, unknown>)[CSRF_FIELD];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

/**
 * The value of cookie `name` in a `Cookie` header (RFC 6265 §5.4: `name=value` pairs
 * separated by `; `), or undefined. When the name repeats, the first value (the one with
 * the longest path, as browsers order them) is taken. Values are not URL-decoded: Gatehouse's
 * cookies use only base64url characters.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      let value = part.slice(eq + 1).trim();
      if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      return value;
    }
  }
  return undefined;
}
