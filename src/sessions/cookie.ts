import { ConfigError } from '../core/errors/gatehouse-error.js';
import type { GatehouseConfig } from '../core/config/schema.js';

/** The session cookie's name with `Secure` (the `__Host-` prefix: Secure, Path=/, no Domain, RFC 6265bis §4.1.3.2). */
export const SECURE_SESSION_COOKIE_NAME = '__Host-gatehouse_session';
/** The session cookie's name on plain-HTTP loopback development setups (no prefix: it would need `Secure`). */
export const DEV_SESSION_COOKIE_NAME = 'gatehouse_session';

/** How the session cookie is set: always HttpOnly, SameSite=Lax, Path=/, no Domain, no Max-Age. */
export interface SessionCookieSettings {
  name: string;
  /** Whether the cookie carries `Secure` (then its name has the `__Host-` prefix). */
  secure: boolean;
  /** The one warning to log at start when the development switch is in effect. */
  warning?: string;
}

/** True for `localhost`, `*.localhost`, 127.0.0.0/8 and `::1`. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** `server.publicUrl`, or `http://<host>:<port>` when unset (the bound port when `port` is 0 and `boundPort` is given). */
export function publicOrigin(server: GatehouseConfig['server'], boundPort?: number): string {
  if (server.publicUrl) return new URL(server.publicUrl).origin;
  const host = server.host.includes(':') ? `[${server.host}]` : server.host;
  return `http://${host}:${boundPort ?? server.port}`;
}

/**
 * The origins a cookie-authenticated request may come from (CSRF defence): the origin of
 * `server.publicUrl`; when it is unset and the server binds a loopback address, also the
 * same port under `localhost`, `127.0.0.1` and `[::1]` (one machine, several names).
 */
export function allowedOrigins(server: GatehouseConfig['server'], boundPort?: number): string[] {
  const primary = publicOrigin(server, boundPort);
  if (server.publicUrl || !isLoopbackHost(server.host)) return [primary];
  const port = boundPort ?? server.port;
  return [...new Set([primary, `http://localhost:${port}`, `http://127.0.0.1:${port}`, `http://[::1]:${port}`])];
}

/**
 * Decides the session cookie from `sessions.cookie.secure` and the server's address:
 *
 * - `true`: `__Host-gatehouse_session` with `Secure`;
 * - `false`: `gatehouse_session` without `Secure`, allowed only when `server.host` and the
 *   host of `server.publicUrl` are both loopback (plain HTTP never leaves the machine), with
 *   a warning to log once;
 * - `auto` (default): as `false` when the public URL is plain `http` on loopback with a
 *   loopback bind (so `npm start` on http://127.0.0.1:8080 works in any browser), else `true`.
 *
 * @throws {ConfigError} for `secure: false` on a non-loopback host
 */
export function resolveSessionCookie(config: Pick<GatehouseConfig, 'server' | 'sessions'>): SessionCookieSettings {
  const setting = config.sessions.cookie.secure;
  const url = new URL(publicOrigin(config.server));
  const loopback = isLoopbackHost(config.server.host) && isLoopbackHost(url.hostname);
  if (setting === true || (setting === 'auto' && !(loopback && url.protocol === 'http:'))) {
    return { name: SECURE_SESSION_COOKIE_NAME, secure: true };
  }
  if (!loopback) {
    throw new ConfigError(
      'Invalid configuration: sessions.cookie.secure: false is allowed only when server.host and the server.publicUrl host are loopback (127.0.0.1, ::1, localhost); use HTTPS and secure: true',
    );
  }
  return {
    name: DEV_SESSION_COOKIE_NAME,
    secure: false,
    warning: `development mode: the session cookie is "${DEV_SESSION_COOKIE_NAME}" without Secure because ${url.origin} is plain HTTP on loopback; serve Gatehouse over HTTPS (server.publicUrl https://…) anywhere else`,
  };
}
