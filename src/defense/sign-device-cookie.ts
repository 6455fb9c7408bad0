import { DEVICE_USER_ID, deviceCookieMac, type DeviceCookieClaims } from './device-cookie-mac.js';
import type { DeviceCookieKey } from './keys.js';

/**
 * Signs a device cookie value `v1.<kid>.<userId>.<nonce>.<iat>.<mac>` (HMAC-SHA256, base64url)
 * that binds a browser to a user and the normalised identifier it signed in with.
 *
 * @throws {TypeError} for a user id outside `[A-Za-z0-9_-]{1,64}`, a nonce that is not 22
 *   base64url characters, or a negative or fractional issue time
 * @example
 * signDeviceCookie(keys.cookieKeys[0], { userId: 'usr_1', nonce, issuedAtSeconds: 1767225600 }, 'alice@example.com')
 */
export function signDeviceCookie(key: DeviceCookieKey, claims: DeviceCookieClaims, normalizedIdentifier: string): string {
  if (!DEVICE_USER_ID.test(claims.userId)) throw new TypeError('signDeviceCookie: userId must match [A-Za-z0-9_-]{1,64}');
  if (!/^[A-Za-z0-9_-]{22}$/.test(claims.nonce)) throw new TypeError('signDeviceCookie: nonce must be 22 base64url characters');
  if (!Number.isSafeInteger(claims.issuedAtSeconds) || claims.issuedAtSeconds < 0) throw new TypeError('signDeviceCookie: issuedAtSeconds must be a non-negative integer');
  const mac = deviceCookieMac(key.key, key.kid, claims, normalizedIdentifier).toString('base64url');
  return `v1.${key.kid}.${claims.userId}.${claims.nonce}.${claims.issuedAtSeconds}.${mac}`;
}
