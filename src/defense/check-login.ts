import { GatehouseError, type RateLimitState } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import type { ReserveSlotResult } from '../rate-limit/store.js';
import { clientBucket } from './client-address.js';
import type { AttemptState, DefenseDeps } from './context.js';
import { deviceBucket, deviceId, identifierBucket, ipBucket, type BucketKeys } from './counter-keys.js';
import { alertEvent, lockEvent } from './events.js';
import { identifierHash, MAX_IDENTIFIER_LENGTH, normalizeIdentifier } from './identifier.js';
import type { CheckLoginInput, CheckLoginResult, LoginAttempt } from './types.js';
import { verifyDeviceCookie } from './verify-device-cookie.js';

/** The RateLimit-Policy name of the per-address login throttle. */
export const LOGIN_IP_POLICY = 'login_ip';

/**
 * Decides whether a login attempt may be evaluated and reserves its failure slots, in named
 * steps: validate the input; normalise and hash the identifier; verify a presented device
 * cookie; then either reserve one slot in the device cookie's own bucket, or one in the
 * client address's bucket and one in the identifier's. Each reservation is one atomic
 * counters operation (`CounterStore.reserveSlot`), so parallel attempts, on any number of
 * instances, can never evaluate more than the limit. See {@link DefenseService.checkLogin}.
 *
 * @throws {GatehouseError} `request.invalid` for a non-string or over-long identifier or ip
 * @throws {GatehouseError} `storage.unavailable` when the counters fail (fail closed)
 */
export async function checkLogin(deps: DefenseDeps, input: CheckLoginInput, context: RequestContext = {}): Promise<CheckLoginResult> {
  const { identifier, ip, deviceCookie } = input;
  if (typeof identifier !== 'string' || identifier.length > MAX_IDENTIFIER_LENGTH) {
    throw new GatehouseError('request.invalid', { detail: 'defense.checkLogin: identifier is not a string of at most 1024 characters' });
  }
  if (typeof ip !== 'string' || ip.length > 64) throw new GatehouseError('request.invalid', { detail: 'defense.checkLogin: ip is not a string of at most 64 characters' });
  const normalized = normalizeIdentifier(identifier);
  const idHash = identifierHash(deps.keys.identifierKey, normalized);
  const { lockout, ipThrottle, deviceCookies } = deps.config;
  const now = deps.clock.now();

  let deviceStatus: LoginAttempt['deviceCookie'] = 'none';
  if (typeof deviceCookie === 'string' && deviceCookie !== '') {
    const verified = verifyDeviceCookie(deviceCookie, normalized, deps.keys.cookieKeys, now, deviceCookies.maxAgeSeconds);
    if (verified.ok) {
      // A browser that signed in to this identifier before: its own bucket only, so failures
      // from elsewhere (and the address throttle) cannot lock it out.
      const device = deviceId(verified.claims.nonce);
      const keys = deviceBucket(device);
      const result = await reserve(deps, keys, lockout);
      if (!result.reserved) {
        if (result.lockedNow) {
          const facts = { ...lockout, lockedUntilMs: result.lockedUntilMs };
          const who = { identifierHash: idHash, deviceId: device, userId: verified.claims.userId };
          deps.audit.emit(lockEvent(context, { kind: 'device', ...who }, facts));
          deps.audit.emit(alertEvent(context, { reason: 'device_brute_force', ...who }, facts));
        }
        return { allowed: false, reason: 'locked', retryAfterSeconds: secondsUntil(result.lockedUntilMs, now) };
      }
      return { allowed: true, attempt: newAttempt(deps, { normalized, idHash, bucket: 'device', deviceStatus: 'valid', slots: [keys.key], context }) };
    }
    deviceStatus = 'invalid';
  }

  const client = clientBucket(ip, ipThrottle.ipv6PrefixLength);
  const ipKeys = ipBucket(client);
  const ipResult = await reserve(deps, ipKeys, ipThrottle);
  if (!ipResult.reserved) {
    if (ipResult.lockedNow) deps.audit.emit(alertEvent(context, { reason: 'credential_stuffing', client }, { ...ipThrottle, lockedUntilMs: ipResult.lockedUntilMs }));
    const retryAfterSeconds = secondsUntil(ipResult.lockedUntilMs, now);
    const rateLimit: RateLimitState = { policy: LOGIN_IP_POLICY, limit: ipThrottle.maxFailures, remaining: 0, resetSeconds: retryAfterSeconds, windowSeconds: ipThrottle.windowSeconds };
    return { allowed: false, reason: 'ip_throttled', retryAfterSeconds, rateLimit };
  }

  // A refused attempt keeps its address slot: trying locked accounts is still stuffing.
  const idKeys = identifierBucket(idHash);
  const idResult = await reserve(deps, idKeys, lockout);
  if (!idResult.reserved) {
    if (idResult.lockedNow) {
      const facts = { ...lockout, lockedUntilMs: idResult.lockedUntilMs };
      deps.audit.emit(lockEvent(context, { kind: 'identifier', identifierHash: idHash }, facts));
      deps.audit.emit(alertEvent(context, { reason: 'brute_force', identifierHash: idHash }, facts));
    }
    return { allowed: false, reason: 'locked', retryAfterSeconds: secondsUntil(idResult.lockedUntilMs, now) };
  }
  return { allowed: true, attempt: newAttempt(deps, { normalized, idHash, bucket: 'identifier', deviceStatus, slots: [ipKeys.key, idKeys.key], context }) };
}

function reserve(deps: DefenseDeps, keys: BucketKeys, policy: { maxFailures: number; windowSeconds: number; durationSeconds: number }): Promise<ReserveSlotResult> {
  return deps.counters.reserveSlot({ ...keys, limit: policy.maxFailures, windowMs: policy.windowSeconds * 1000, lockMs: policy.durationSeconds * 1000 });
}

/** Whole seconds from `nowMs` until `untilMs`, at least 1 (for Retry-After). */
function secondsUntil(untilMs: number, nowMs: number): number {
  return Math.max(1, Math.ceil((untilMs - nowMs) / 1000));
}

function newAttempt(
  deps: DefenseDeps,
  init: { normalized: string; idHash: string; bucket: LoginAttempt['bucket']; deviceStatus: LoginAttempt['deviceCookie']; slots: string[]; context: RequestContext },
): LoginAttempt {
  const state: AttemptState = { normalizedIdentifier: init.normalized, slots: init.slots, finalized: false, failureReason: undefined, context: init.context };
  const attempt: LoginAttempt = Object.freeze({
    identifierHash: init.idHash,
    bucket: init.bucket,
    deviceCookie: init.deviceStatus,
    get failureReason() {
      return state.failureReason;
    },
  });
  deps.attempts.set(attempt, state);
  return attempt;
}
