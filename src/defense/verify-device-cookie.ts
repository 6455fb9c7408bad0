import { timingSafeEqual } from 'node:crypto';
import { DEVICE_COOKIE_FORMAT, deviceCookieMac, type DeviceCookieClaims } from './device-cookie-mac.js';
import type { DeviceCookieKey } from './keys.js';

/** Longest cookie value looked at; anything longer is malformed without further work. */
const MAX_COOKIE_LENGTH = 256;

/** How far in the future, in seconds, an issue time may lie (clock skew between instances). */
const ISSUED_AT_SKEW_SECONDS = 60;

/** Outcome of {@link verifyDeviceCookie}. The problem is for events only, never for the client. */
export type DeviceCookieVerification =
  | { ok: true; claims: DeviceCookieClaims }
  | { ok: false; problem: 'malformed' | 'unknown_key' | 'bad_signature' | 'expired' | 'not_yet_valid' };

/**
 * Checks a presented device cookie against the identifier of this attempt: its shape, the
 * key id (current or a previous key, so rotation keeps cookies working), the MAC (compared
 * with `crypto.timingSafeEqual`), and its age. A cookie issued for another identifier, by
 * another key, tampered with, expired or dated in the future is not ok.
 *
 * @param value the raw cookie value (untrusted)
 * @param normalizedIdentifier the attempt's identifier, normalised
 * @param nowMs the injected clock's time, epoch milliseconds
 * @param maxAgeSeconds the cookie lifetime (`defense.deviceCookies.maxAgeSeconds`)
 */
export function verifyDeviceCookie(
  value: string,
  normalizedIdentifier: string,
  keys: readonly DeviceCookieKey[],
  nowMs: number,
  maxAgeSeconds: number,
): DeviceCookieVerification {
  if (typeof value !== 'string' || value.length > MAX_COOKIE_LENGTH) return { ok: false, problem: 'malformed' };
  const match = DEVICE_COOKIE_FORMAT.exec(value);
  if (!match) return { ok: false, problem: 'malformed' };
  const [, kid, userId, nonce, issuedAt, mac] = match as unknown as [string, string, string, string, string, string];
  const key = keys.find((k) => k.kid === kid);
  if (!key) return { ok: false, problem: 'unknown_key' };
  const claims: DeviceCookieClaims = { userId, nonce, issuedAtSeconds: Number(issuedAt) };
  const expected = deviceCookieMac(key.key, kid, claims, normalizedIdentifier);
  const presented = Buffer.from(mac, 'base64url');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return { ok: false, problem: 'bad_signature' };
  const nowSeconds = Math.floor(nowMs / 1000);
  if (claims.issuedAtSeconds > nowSeconds + ISSUED_AT_SKEW_SECONDS) return { ok: false, problem: 'not_yet_valid' };
  if (nowSeconds - claims.issuedAtSeconds >= maxAgeSeconds) return { ok: false, problem: 'expired' };
  return { ok: true, claims };
}
