import { constantTimeEqual, hashSecret } from '../core/crypto/hash.js';
import type { RateLimitState } from '../core/errors/gatehouse-error.js';
import type { AuthEventInput, RequestContext } from '../core/events.js';
import { type ApiKeyDeps, freezeApiKey, toApiKey } from './context.js';
import { makeCachedKey, type CachedKey } from './cache.js';
import type { ConsumeResult } from '../rate-limit/store.js';
import { parseApiKey } from './format.js';
import type { ApiKey, ApiKeyVerifyCode } from './types.js';

/** Options of {@link verifyApiKey}. */
export interface VerifyApiKeyOptions {
  /** Scopes the key must all hold. Checked before the rate limit is consumed. */
  scopes?: readonly string[];
  /** Request details for the audit event. */
  context?: RequestContext;
}

/** Outcome of {@link verifyApiKey}. */
export type VerifyApiKeyResult =
  | { valid: true; key: ApiKey; rateLimit: RateLimitState }
  | {
      valid: false;
      /** Public outcome code (see `POST /v1/keys/verify`). */
      code: ApiKeyVerifyCode;
      /** Present for `RATE_LIMITED`. */
      rateLimit?: RateLimitState;
      /** Present for `INSUFFICIENT_SCOPE`: the scopes that were required. */
      requiredScopes?: readonly string[];
    };

/** The RateLimit-Policy name for per-key limits. */
export const API_KEY_RATE_LIMIT_POLICY = 'api_key';

/**
 * Verifies a presented API key, in named steps: shape and checksum (no storage lookup);
 * hash; cached record or one index lookup; constant-time hash comparison; revocation;
 * expiry; required scopes; then one unit of the key's rate limit. Emits exactly one
 * `api_key.verify` event carrying the real reason; the caller gets only a public code.
 * The hot path (a cached key) does no I/O: `last_used_at` is written in batches.
 *
 * @param presented the untrusted string from the request
 * @throws {GatehouseError} `storage.unavailable` when the lookup or the counters fail (fail closed)
 * @example
 * const result = await gatehouse.apiKeys.verify(key, { scopes: ['orders:read'] });
 * if (!result.valid) return reply.code(401).send();
 */
export async function verifyApiKey(deps: ApiKeyDeps, presented: string, options: VerifyApiKeyOptions = {}): Promise<VerifyApiKeyResult> {
  return verifyApiKeyNow(deps, presented, options);
}

/**
 * {@link verifyApiKey}, answered synchronously when it needs no I/O: the key's record is in
 * the verified-key cache and the counters live in process (or the key fails before either is
 * needed). Otherwise returns the promise {@link verifyApiKey} would. Same checks, same event.
 * For hot paths that can skip a promise per request (the HTTP middleware).
 *
 * @throws {GatehouseError} `storage.unavailable` (thrown or rejected) when storage or counters fail
 */
export function verifyApiKeyNow(deps: ApiKeyDeps, presented: string, options: VerifyApiKeyOptions = {}): VerifyApiKeyResult | Promise<VerifyApiKeyResult> {
  const context = options.context ?? EMPTY_CONTEXT;
  const parsed = parseApiKey(presented, deps.prefixList);
  if (!parsed.ok) {
    emitFailure(deps, context, 'malformed', null, { check: parsed.problem });
    return { valid: false, code: 'NOT_FOUND' };
  }

  const hash = hashSecret(presented, deps.pepper);
  const { cache, store } = deps;
  store.pollExternalChanges();
  const cached = cache?.get(hash, deps.clock.now());
  if (cached) return checkKey(deps, context, options, hash, parsed.prefix, cached);
  return lookup(deps, hash).then((entry) => checkKey(deps, context, options, hash, parsed.prefix, entry));
}

const EMPTY_CONTEXT: RequestContext = Object.freeze({});


async function lookup(deps: ApiKeyDeps, hash: string): Promise<CachedKey | undefined> {
  const { cache, store } = deps;
  const generation = cache?.generation ?? 0;
  const record = await store.findByHash(hash);
  if (!record) return undefined;
  const view = freezeApiKey(toApiKey(record));
  const now = deps.clock.now();
  return cache ? cache.set(record, view, now, generation) : makeCachedKey(record, view, now);
}

/** Everything after the lookup: hash comparison, revocation, expiry, scopes, rate limit. */
function checkKey(
  deps: ApiKeyDeps,
  context: RequestContext,
  options: VerifyApiKeyOptions,
  hash: string,
  prefix: string,
  entry: CachedKey | undefined,
): VerifyApiKeyResult | Promise<VerifyApiKeyResult> {
  if (!entry || !constantTimeEqual(entry.record.hash, hash)) {
    emitFailure(deps, context, 'not_found', { kind: 'api_key', id: null, prefix });
    return { valid: false, code: 'NOT_FOUND' };
  }

  const { record, credential } = entry;
  const now = deps.clock.now();
  if (record.revokedAt !== null) {
    emitFailure(deps, context, 'revoked', credential);
    return { valid: false, code: 'REVOKED' };
  }
  if (record.expiresAt !== null && now >= record.expiresAt) {
    emitFailure(deps, context, record.rotatedToId ? 'rotation_grace_ended' : 'expired', credential);
    return { valid: false, code: 'EXPIRED' };
  }
  const required = options.scopes;
  if (required && required.length > 0) {
    for (const scope of required) {
      if (!record.scopes.includes(scope)) {
        emitFailure(deps, context, 'insufficient_scope', credential, { required_scopes: [...required] });
        return { valid: false, code: 'INSUFFICIENT_SCOPE', requiredScopes: required };
      }
    }
  }

  const policy = record.rateLimit ?? deps.config.defaultRateLimit;
  const request = { key: entry.rateLimitKey, limit: policy.limit, windowMs: policy.windowSeconds * 1000 };
  const { counters } = deps;
  if (counters.consumeNow) return admit(deps, context, entry, policy, now, counters.consumeNow(request));
  return counters.consume(request).then((consumed) => admit(deps, context, entry, policy, now, consumed));
}

/** The rate-limit verdict, the `last_used_at` note and the event. */
function admit(
  deps: ApiKeyDeps,
  context: RequestContext,
  entry: CachedKey,
  policy: { limit: number; windowSeconds: number },
  now: number,
  consumed: ConsumeResult,
): VerifyApiKeyResult {
  const rateLimit: RateLimitState = {
    policy: API_KEY_RATE_LIMIT_POLICY,
    limit: policy.limit,
    remaining: consumed.remaining,
    resetSeconds: Math.ceil(consumed.resetMs / 1000),
    windowSeconds: policy.windowSeconds,
  };
  if (!consumed.allowed) {
    emitFailure(deps, context, 'rate_limited', entry.credential, undefined, rateLimit, 'medium');
    return { valid: false, code: 'RATE_LIMITED', rateLimit };
  }

  deps.lastUsed.record(entry.record.id, now);
  const success = event(context, 'success', 'ok', 'info', entry.credential, undefined, rateLimit);
  success.actor = entry.actor;
  deps.audit.emit(success);
  return { valid: true, key: entry.view, rateLimit };
}

function emitFailure(
  deps: ApiKeyDeps,
  context: RequestContext,
  reason: string,
  credential: AuthEventInput['credential'] | null,
  details?: AuthEventInput['details'],
  rateLimit?: RateLimitState,
  severity: AuthEventInput['severity'] = 'low',
): void {
  deps.audit.emit(event(context, 'failure', reason, severity, credential ?? { kind: 'api_key', id: null, prefix: null }, details, rateLimit));
}

function event(
  context: RequestContext,
  outcome: 'success' | 'failure',
  reason: string,
  severity: AuthEventInput['severity'],
  credential: NonNullable<AuthEventInput['credential']>,
  details?: AuthEventInput['details'],
  rateLimit?: RateLimitState,
): AuthEventInput {
  const e: AuthEventInput = { type: 'api_key.verify', outcome, reason, severity, credential };
  if (credential.id) e.actor = { type: 'api_key', id: credential.id };
  if (context.source) e.source = context.source;
  if (context.http) e.http = context.http;
  if (rateLimit) e.ratelimit = { policy: rateLimit.policy, limit: rateLimit.limit, remaining: rateLimit.remaining, reset_s: rateLimit.resetSeconds };
  if (details) e.details = details;
  return e;
}
