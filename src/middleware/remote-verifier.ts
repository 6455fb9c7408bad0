import type { ApiKeyVerifyCode } from '../api-keys/types.js';
import type { VerifyApiKeyOptions, VerifyApiKeyResult } from '../api-keys/verify.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { deserializeApiKey, deserializeRateLimit, type ApiKeyJson, type RateLimitJson } from '../http/serialize.js';
import type { ApiKeyVerifier } from './api-key-auth.js';

/** Options of {@link createRemoteApiKeyVerifier}. */
export interface RemoteApiKeyVerifierOptions {
  /** Base URL of the Gatehouse server, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** This service's own Gatehouse key, with scope `keys:verify`. Give it a rate limit that fits your traffic. */
  apiKey: string;
  /** Per-call timeout in milliseconds. Default 2000. */
  timeoutMs?: number;
  /** Injected fetch (tests). Default: global fetch. */
  fetch?: typeof fetch;
}

const VERIFY_CODES: ReadonlySet<string> = new Set<ApiKeyVerifyCode>(['NOT_FOUND', 'EXPIRED', 'REVOKED', 'INSUFFICIENT_SCOPE', 'RATE_LIMITED']);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isStringOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isTime = (v: unknown): v is string => isString(v) && Number.isFinite(Date.parse(v));
const isTimeOrNull = (v: unknown): v is string | null => v === null || isTime(v);

function isRateLimitJson(v: unknown): v is RateLimitJson {
  return isObject(v) && isString(v.policy) && isNumber(v.limit) && isNumber(v.remaining) && isNumber(v.reset) && isNumber(v.window_seconds);
}

/** The key part of a successful answer: every field `serializeApiKey` writes, each of its type. */
function isApiKeyJson(v: Record<string, unknown>): boolean {
  const rl = v.rate_limit;
  return (
    isString(v.id) &&
    v.id.length > 0 &&
    isString(v.name) &&
    isString(v.prefix) &&
    isString(v.start) &&
    v.start.startsWith(`${v.prefix}_`) &&
    (v.environment === 'live' || v.environment === 'test') &&
    isStringOrNull(v.owner_id) &&
    isStringArray(v.scopes) &&
    isObject(v.metadata) &&
    (rl === null || (isObject(rl) && isNumber(rl.limit) && isNumber(rl.window_seconds))) &&
    isTime(v.created_at) &&
    isTime(v.updated_at) &&
    isTimeOrNull(v.expires_at) &&
    isTimeOrNull(v.revoked_at) &&
    isTimeOrNull(v.last_used_at) &&
    isStringOrNull(v.rotated_from_id) &&
    isStringOrNull(v.rotated_to_id)
  );
}

function unavailable(detail: string, cause?: unknown): GatehouseError {
  return new GatehouseError('auth.verifier_unavailable', { detail: `remote verify: ${detail}`, ...(cause === undefined ? {} : { cause }) });
}

/**
 * Reads a verification answer, trusting nothing: a success needs `valid: true` (the boolean)
 * and a complete key with its rate-limit state; a refusal needs `valid: false` and a known
 * code. Anything else is a verifier fault, never a verdict.
 */
function parseVerifyResponse(body: unknown): VerifyApiKeyResult {
  if (!isObject(body)) throw unavailable('answer is not a JSON object');
  if (body.valid === true) {
    const { valid: _valid, ratelimit, ...keyJson } = body;
    if (!isRateLimitJson(ratelimit) || !isApiKeyJson(keyJson)) throw unavailable('malformed success answer');
    return { valid: true, key: deserializeApiKey(keyJson as unknown as ApiKeyJson), rateLimit: deserializeRateLimit(ratelimit) };
  }
  if (body.valid === false) {
    const { code, ratelimit, required_scopes: requiredScopes } = body;
    if (!isString(code) || !VERIFY_CODES.has(code)) throw unavailable('malformed refusal: unknown code');
    if (ratelimit !== undefined && !isRateLimitJson(ratelimit)) throw unavailable('malformed refusal: ratelimit');
    if (requiredScopes !== undefined && !isStringArray(requiredScopes)) throw unavailable('malformed refusal: required_scopes');
    return {
      valid: false,
      code: code as ApiKeyVerifyCode,
      ...(ratelimit !== undefined ? { rateLimit: deserializeRateLimit(ratelimit) } : {}),
      ...(requiredScopes !== undefined ? { requiredScopes } : {}),
    };
  }
  throw unavailable('answer has no boolean "valid"');
}

/**
 * Verifies API keys by calling a Gatehouse server's `POST /v1/keys/verify`, for services
 * that do not share Gatehouse's database. Fails closed: a network error, timeout, redirect,
 * non-200 answer, or an answer that is not JSON of the expected shape rejects with
 * `auth.verifier_unavailable` (the middleware answers 503), never with a successful
 * verification. Only `"valid": true` (the boolean) with a complete key counts as success.
 *
 * @example
 * const verifier = createRemoteApiKeyVerifier({ baseUrl: 'http://127.0.0.1:8080', apiKey: process.env.GATEHOUSE_VERIFY_KEY! });
 */
export function createRemoteApiKeyVerifier(options: RemoteApiKeyVerifierOptions): ApiKeyVerifier {
  const url = new URL('/v1/keys/verify', options.baseUrl).toString();
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 2000;
  return {
    async verify(key: string, verifyOptions: VerifyApiKeyOptions = {}): Promise<VerifyApiKeyResult> {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ key: key.slice(0, 1024), ...(verifyOptions.scopes ? { scopes: verifyOptions.scopes } : {}) }),
          signal: AbortSignal.timeout(timeoutMs),
          // A redirect would send the request, and this service's own key with it, elsewhere,
          // and let whoever answers there decide what is valid.
          redirect: 'error',
        });
      } catch (err) {
        throw unavailable('request failed', err);
      }
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        const why =
          response.status === 429
            ? 'the verifier key itself is rate-limited: give it a higher rate_limit'
            : response.status === 401 || response.status === 403
              ? 'the verifier key is invalid or lacks the keys:verify scope'
              : 'the server failed';
        throw new GatehouseError('auth.verifier_unavailable', { detail: `remote verify: HTTP ${response.status}: ${why}` });
      }
      const contentType = response.headers.get('content-type') ?? '';
      if (!/^application\/json\s*(;|$)/i.test(contentType)) {
        await response.body?.cancel().catch(() => undefined);
        throw unavailable('answer is not application/json');
      }
      let body: unknown;
      try {
        body = JSON.parse(await response.text());
      } catch {
        // No cause: the parser's message quotes the body, which might echo the presented key.
        throw unavailable('answer is not valid JSON');
      }
      return parseVerifyResponse(body);
    },
  };
}
