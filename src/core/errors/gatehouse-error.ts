import { errorRegistry, type ErrorCode } from './registry.js';

/** Options for a {@link GatehouseError}. */
export interface GatehouseErrorOptions {
  /**
   * Private detail for logs and audit events (e.g. which check failed). Never sent to a
   * client, and never contains a secret.
   */
  detail?: string;
  /** The underlying error, logged but never sent. */
  cause?: unknown;
  /** Overrides the registry's public message with a more specific, still safe, one. */
  publicMessage?: string;
}

/**
 * The base class of every error Gatehouse reports to a caller. `code` is stable and public;
 * `status`, `title` and the default public message come from the registry.
 * `message` is the public message, so it is safe wherever it surfaces.
 *
 * @example
 * throw new GatehouseError('api_key.not_found');
 */
export class GatehouseError extends Error {
  override readonly name: string = 'GatehouseError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly title: string;
  readonly detail: string | undefined;

  constructor(code: ErrorCode, options: GatehouseErrorOptions = {}) {
    const entry = errorRegistry[code];
    super(options.publicMessage ?? entry.publicMessage, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = entry.status;
    this.title = entry.title;
    this.detail = options.detail;
  }
}

/** Thrown when a request exceeds a rate limit; carries the wait time for `Retry-After`. */
export class RateLimitedError extends GatehouseError {
  override readonly name: string = 'RateLimitedError';
  /** Whole seconds until the limit admits another request (≥ 1). */
  readonly retryAfterSeconds: number;
  /** The state of the exhausted limit, for the RateLimit header fields. */
  readonly rateLimit: RateLimitState;

  /** @param code a 429 code of the registry; subclasses name their own */
  constructor(rateLimit: RateLimitState, options: GatehouseErrorOptions = {}, code: 'rate_limit.exceeded' | 'auth.login_throttled' = 'rate_limit.exceeded') {
    super(code, options);
    this.rateLimit = rateLimit;
    this.retryAfterSeconds = Math.max(1, rateLimit.resetSeconds);
  }
}

/**
 * Thrown by the login route when the client address is throttled for credential stuffing
 * (`auth.login_throttled`, 429 with `Retry-After` and the RateLimit fields of policy
 * `login_ip`). Build it from `checkLogin`'s `ip_throttled` result.
 *
 * @example
 * if (!check.allowed && check.reason === 'ip_throttled') throw new LoginThrottledError(check.rateLimit);
 */
export class LoginThrottledError extends RateLimitedError {
  override readonly name: string = 'LoginThrottledError';

  constructor(rateLimit: RateLimitState, options: GatehouseErrorOptions = {}) {
    super(rateLimit, options, 'auth.login_throttled');
  }
}

/** Thrown when a valid credential lacks a required scope (RFC 6750 §3.1 `insufficient_scope`). */
export class InsufficientScopeError extends GatehouseError {
  override readonly name = 'InsufficientScopeError';
  /** The scopes the request required, space-separated as in RFC 6750 §3. */
  readonly scope: string;

  constructor(requiredScopes: readonly string[], options: GatehouseErrorOptions = {}) {
    super('auth.insufficient_scope', options);
    this.scope = requiredScopes.join(' ');
  }
}

/** A configuration mistake found at start-up. Never mapped to an HTTP response. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The state of one rate limit after a request was counted (or refused). */
export interface RateLimitState {
  /** The policy name used in the RateLimit-Policy header field, e.g. `"api_key"`. */
  policy: string;
  /** Requests allowed per window. */
  limit: number;
  /** Requests left in the current window. */
  remaining: number;
  /** Seconds (rounded up) until the current window resets. */
  resetSeconds: number;
  /** The window length in seconds. */
  windowSeconds: number;
}

/** True for a {@link GatehouseError} (across module copies, by shape). */
export function isGatehouseError(err: unknown): err is GatehouseError {
  return err instanceof GatehouseError;
}
