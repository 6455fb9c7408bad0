import { attemptState, type DefenseDeps } from './context.js';
import { DEVICE_USER_ID } from './device-cookie-mac.js';
import { signDeviceCookie } from './sign-device-cookie.js';
import { DEVICE_COOKIE_NAME, type DeviceCookie, type LoginAttempt } from './types.js';

/**
 * Finalises a successful attempt: gives back the failure slots {@link checkLogin} reserved
 * (best effort: when the counters fail, the slots stay counted, the safe direction, and the
 * login still succeeds) and signs a fresh device cookie for this browser, identifier and
 * user with the current key and a new 128-bit nonce. See {@link DefenseService.recordSuccess}.
 *
 * @throws {TypeError} for a foreign or already finalised attempt, or a malformed userId
 */
export async function recordSuccess(deps: DefenseDeps, attempt: LoginAttempt, userId: string): Promise<{ deviceCookie: DeviceCookie }> {
  if (typeof userId !== 'string' || !DEVICE_USER_ID.test(userId)) throw new TypeError('recordSuccess: userId must match [A-Za-z0-9_-]{1,64}');
  const state = attemptState(deps, attempt, 'recordSuccess');
  state.finalized = true;
  const results = await Promise.allSettled(state.slots.map((key) => deps.counters.decrement(key)));
  if (results.some((r) => r.status === 'rejected')) {
    deps.logger.warn({ identifier_hash: attempt.identifierHash }, 'defense: could not release failure slots after a successful login; they expire with their window');
  }
  const [signingKey] = deps.keys.cookieKeys;
  if (!signingKey) throw new TypeError('recordSuccess: no device-cookie key');
  const nonce = Buffer.from(deps.random.bytes(16)).toString('base64url');
  const issuedAtSeconds = Math.floor(deps.clock.now() / 1000);
  const value = signDeviceCookie(signingKey, { userId, nonce, issuedAtSeconds }, state.normalizedIdentifier);
  return { deviceCookie: { name: DEVICE_COOKIE_NAME, value, maxAgeSeconds: deps.config.deviceCookies.maxAgeSeconds } };
}
