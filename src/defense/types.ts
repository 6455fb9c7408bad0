import type { RateLimitState } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';

/**
 * The brute-force and credential-stuffing defence of password login (`docs/defense.md`).
 *
 * The login route calls {@link DefenseService.checkLogin} before it verifies the password,
 * then exactly one of {@link DefenseService.recordFailure} or
 * {@link DefenseService.recordSuccess} with the attempt it got back.
 */
export interface DefenseService {
  /**
   * Decides whether a login attempt may be evaluated, and if so atomically reserves one
   * failure slot in each bucket the attempt counts against (the source IP's and the
   * identifier's, or the device cookie's own bucket when a valid device cookie for this
   * identifier is presented). The slot stays counted as a failure unless
   * {@link recordSuccess} releases it, so at most `threshold` attempts per bucket are ever
   * evaluated within one window, however many run in parallel or on how many instances.
   *
   * - `ip_throttled`: the source address (IPv6: its /64 by default) made more than
   *   `defense.ipThrottle.maxFailures` failed logins within the window; answer 429 with
   *   `Retry-After: retryAfterSeconds`.
   * - `locked`: the identifier (or the device cookie's bucket) is locked; answer exactly as
   *   for a wrong password (the password is not checked).
   *
   * The identifier is normalised like account e-mails (trim, NFKC, lower case) and counted
   * whether or not an account exists, so a lockout reveals nothing. It never appears in
   * counters or events: a keyed hash ({@link hashIdentifier}) does.
   *
   * @param input.identifier the submitted e-mail (untrusted; at most 1024 characters)
   * @param input.ip the client address as the HTTP edge determined it (`request.ip`, which
   *   honours `server.trustProxy`)
   * @param input.deviceCookie the raw value of the `__Host-gatehouse_device` cookie, if any;
   *   invalid, expired, tampered or foreign cookies are ignored
   * @param context request details for the `account.lock` / `alert.raise` events
   * @throws {GatehouseError} `storage.unavailable` when the counters cannot be reached (fail closed)
   * @throws {GatehouseError} `request.invalid` for an identifier or ip that is not a string of the allowed size
   * @example
   * const check = await gatehouse.defense.checkLogin({ identifier: email, ip: request.ip, deviceCookie: request.cookies[DEVICE_COOKIE_NAME] });
   * if (!check.allowed && check.reason === 'ip_throttled') throw new LoginThrottledError(check.rateLimit);
   */
  /**
   * Counts one request from `ip` to the unauthenticated account flows (sign-up, e-mail
   * verification, password reset) against `defense.accountFlows`.
   *
   * @throws {RateLimitedError} `rate_limit.exceeded` (429 with Retry-After) over the limit
   * @throws {GatehouseError} `storage.unavailable` when the counters cannot be reached
   */
  limitAccountFlow(ip: string): Promise<void>;

  checkLogin(input: CheckLoginInput, context?: RequestContext): Promise<CheckLoginResult>;

  /**
   * Finalises an attempt whose credentials were wrong (or whose account is unknown,
   * disabled or otherwise refused). The failure slot reserved by {@link checkLogin} stays
   * counted; nothing is written. `reason` is a bounded machine code (`[a-z][a-z0-9_]*`, at
   * most 64 characters) kept on the attempt for the caller's own `auth.login` event.
   *
   * @throws {TypeError} for an attempt not made by this service, or already finalised
   */
  recordFailure(attempt: LoginAttempt, reason: string): Promise<void>;

  /**
   * Finalises a successful attempt: releases its reserved failure slots (a success is not a
   * failure) and returns a freshly signed device cookie binding this browser to the
   * identifier and `userId`, to be set with HttpOnly, Secure, SameSite=Lax, Path=/ and
   * Max-Age `maxAgeSeconds`. Releasing is best effort: if the counters are unreachable the
   * slots stay counted (the safe direction) and the login still succeeds.
   *
   * @param userId the authenticated user's id (`[A-Za-z0-9_-]{1,64}`)
   * @throws {TypeError} for an attempt not made by this service, already finalised, or a malformed userId
   */
  recordSuccess(attempt: LoginAttempt, userId: string): Promise<{ deviceCookie: DeviceCookie }>;

  /**
   * The keyed hash of a normalised identifier as it appears in counters and events
   * (`idh_` + 32 hex characters), so an operator can find the events of one e-mail address
   * without the log ever holding it.
   *
   * @example gatehouse.defense.hashIdentifier('Alice@Example.com') // 'idh_3f…'
   */
  hashIdentifier(identifier: string): string;
}

/** Input of {@link DefenseService.checkLogin}. */
export interface CheckLoginInput {
  /** The submitted login name (an e-mail address). */
  identifier: string;
  /** The client IP address (`request.ip`). */
  ip: string;
  /** The raw device-cookie value, if the browser sent one. */
  deviceCookie?: string | undefined;
}

/** Outcome of {@link DefenseService.checkLogin}. */
export type CheckLoginResult =
  | { allowed: true; attempt: LoginAttempt }
  | {
      allowed: false;
      reason: 'ip_throttled';
      retryAfterSeconds: number;
      /** The exhausted policy (`login_ip`), for `new LoginThrottledError(rateLimit)` and its RateLimit headers. */
      rateLimit: RateLimitState;
    }
  | { allowed: false; reason: 'locked'; retryAfterSeconds: number };

/**
 * One admitted login attempt, holding its reserved failure slots. Made only by
 * {@link DefenseService.checkLogin}; finalise it exactly once.
 */
export interface LoginAttempt {
  /** Keyed hash of the normalised identifier (`idh_…`), for the caller's events. */
  readonly identifierHash: string;
  /** Which failure bucket the attempt counts against: the shared one, or a device cookie's own. */
  readonly bucket: 'identifier' | 'device';
  /** What the presented device cookie turned out to be (`none` when absent). */
  readonly deviceCookie: 'none' | 'valid' | 'invalid';
  /** The reason given to {@link DefenseService.recordFailure}, once it was called. */
  readonly failureReason: string | undefined;
}

/** A device cookie to set on the response after a successful login. */
export interface DeviceCookie {
  /** `__Host-gatehouse_device` */
  name: string;
  /** The signed value (cookie-safe characters only). */
  value: string;
  /** Lifetime, in seconds (`defense.deviceCookies.maxAgeSeconds`). */
  maxAgeSeconds: number;
}

/** The name of the device cookie (the `__Host-` prefix requires Secure, Path=/ and no Domain). */
export const DEVICE_COOKIE_NAME = '__Host-gatehouse_device';
