import { randomBytes } from 'node:crypto';
import type {} from '@fastify/cookie';
import type { FastifyReply } from 'fastify';
import { DEVICE_COOKIE_NAME, type DeviceCookie } from '../defense/types.js';
import type { SessionCookieSettings } from '../sessions/cookie.js';
import { readCookie } from '../middleware/csrf.js';

/*
 * The cookies Gatehouse's browser routes set. Set-Cookie goes through @fastify/cookie
 * (registered, parsing hook off, in the browser scope of `server.ts`); reading uses
 * `readCookie` on the raw header, so no request pays for parsing cookies it never reads.
 */

/** Sets the session cookie: HttpOnly, SameSite=Lax, Path=/, no Domain, no Max-Age (ends with the browser); `Secure` unless the development switch is on. */
export function setSessionCookie(reply: FastifyReply, settings: SessionCookieSettings, token: string): void {
  void reply.setCookie(settings.name, token, { path: '/', httpOnly: true, secure: settings.secure, sameSite: 'lax' });
}

/** Removes the session cookie from the browser (same name and attributes, expired). */
export function clearSessionCookie(reply: FastifyReply, settings: SessionCookieSettings): void {
  void reply.clearCookie(settings.name, { path: '/', httpOnly: true, secure: settings.secure, sameSite: 'lax' });
}

/**
 * The device cookie's name, following the session cookie's `Secure` decision: the defence's
 * `__Host-gatehouse_device` (which browsers accept only with `Secure`), or
 * `gatehouse_device` under the plain-HTTP loopback development switch.
 */
export function deviceCookieName(settings: SessionCookieSettings): string {
  return settings.secure ? DEVICE_COOKIE_NAME : 'gatehouse_device';
}

/** Sets the defence's device cookie: HttpOnly, SameSite=Lax, Path=/, Max-Age from the defence; `Secure` unless the development switch is on. */
export function setDeviceCookie(reply: FastifyReply, settings: SessionCookieSettings, cookie: DeviceCookie): void {
  void reply.setCookie(deviceCookieName(settings), cookie.value, { path: '/', httpOnly: true, secure: settings.secure, sameSite: 'lax', maxAge: cookie.maxAgeSeconds });
}

/** The login form's CSRF cookie name, following the session cookie's `Secure` decision. */
export function loginCsrfCookieName(settings: SessionCookieSettings): string {
  return settings.secure ? '__Host-gatehouse_login_csrf' : 'gatehouse_login_csrf';
}

const LOGIN_CSRF_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The login form's anti-CSRF value (double submit: the same random value in an HttpOnly,
 * SameSite=Strict cookie and in the form's `_csrf` field, compared in constant time). The
 * value the browser already holds is kept, so several open login tabs all work; otherwise a
 * new 256-bit value is made and set.
 */
export function ensureLoginCsrf(reply: FastifyReply, cookieHeader: string | undefined, settings: SessionCookieSettings): string {
  const name = loginCsrfCookieName(settings);
  const existing = readCookie(cookieHeader, name);
  if (existing !== undefined && LOGIN_CSRF_PATTERN.test(existing)) return existing;
  const value = randomBytes(32).toString('base64url');
  void reply.setCookie(name, value, { path: '/', httpOnly: true, secure: settings.secure, sameSite: 'strict' });
  return value;
}

/** The login CSRF value the browser holds, when well-formed. */
export function presentedLoginCsrf(cookieHeader: string | undefined, settings: SessionCookieSettings): string | undefined {
  const value = readCookie(cookieHeader, loginCsrfCookieName(settings));
  return value !== undefined && LOGIN_CSRF_PATTERN.test(value) ? value : undefined;
}

/**
 * A `return_to` that is safe to redirect to after sign-in: a path on this origin only
 * (`/…`, not `//host` or `/\host`, which browsers read as another host), no control
 * characters, at most 2048 characters. Anything else gives `fallback` (open-redirect defence).
 */
export function safeReturnTo(value: unknown, fallback = '/login'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return fallback;
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  try {
    const url = new URL(value, 'http://gatehouse.invalid');
    if (url.origin !== 'http://gatehouse.invalid') return fallback;
    const normalized = url.pathname + url.search + url.hash;
    // Removing dot-segments can make a path-relative value network-relative (`/.//evil.example`
    // becomes `//evil.example`): check the result too, since that is what the browser follows.
    if (normalized.startsWith('//') || normalized.startsWith('/\\')) return fallback;
    return normalized;
  } catch {
    return fallback;
  }
}
