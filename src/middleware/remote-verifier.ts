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

type VerifyResponse =
  | ({ valid: true; ratelimit: RateLimitJson } & ApiKeyJson)
  | { valid: false; code: ApiKeyVerifyCode; ratelimit?: RateLimitJson; required_scopes?: string[] };

/**
 * Verifies API keys by calling a Gatehouse server's `POST /v1/keys/verify`, for services
 * that do not share Gatehouse's database. Fails closed: a network error, timeout or
 * non-200 answer rejects with `auth.verifier_unavailable` (the middleware answers 503),
 * never with a successful verification.
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
        });
      } catch (err) {
        throw new GatehouseError('auth.verifier_unavailable', { detail: 'remote verify: request failed', cause: err });
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        const why =
          response.status === 429
            ? 'the verifier key itself is rate-limited: give it a higher rate_limit'
            : response.status === 401 || response.status === 403
              ? 'the verifier key is invalid or lacks the keys:verify scope'
              : 'the server failed';
        throw new GatehouseError('auth.verifier_unavailable', { detail: `remote verify: HTTP ${response.status}: ${why}` });
      }
      const body = (await response.json()) as VerifyResponse;
      if (body.valid) {
        const { valid: _v, ratelimit, ...keyJson } = body;
        return { valid: true, key: deserializeApiKey(keyJson), rateLimit: deserializeRateLimit(ratelimit) };
      }
      return {
        valid: false,
        code: body.code,
        ...(body.ratelimit ? { rateLimit: deserializeRateLimit(body.ratelimit) } : {}),
        ...(body.required_scopes ? { requiredScopes: body.required_scopes } : {}),
      };
    },
  };
}
