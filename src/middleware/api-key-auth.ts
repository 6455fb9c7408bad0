import type { IncomingMessage } from 'node:http';
import type { VerifyApiKeyOptions, VerifyApiKeyResult } from '../api-keys/verify.js';
import type { ApiKey } from '../api-keys/types.js';
import type { RateLimitState } from '../core/errors/gatehouse-error.js';
import { InsufficientScopeError, RateLimitedError, GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { errorResponse, rateLimitHeaders, unauthorizedResponse, type HttpErrorResponse } from '../http/errors.js';

/**
 * Anything that verifies API keys: the in-process service (`gatehouse.apiKeys`) or a remote
 * Gatehouse (`createRemoteApiKeyVerifier`).
 */
export interface ApiKeyVerifier {
  verify(key: string, options?: VerifyApiKeyOptions): Promise<VerifyApiKeyResult>;
  /** Optional synchronous answer when no I/O is needed (the in-process service has it). */
  verifyNow?(key: string, options?: VerifyApiKeyOptions): VerifyApiKeyResult | Promise<VerifyApiKeyResult>;
}

/** What a successful API-key authentication puts on the request. */
export interface ApiKeyAuthResult {
  apiKey: ApiKey;
  rateLimit: RateLimitState;
}

/** Reads one request header (lower-case name); arrays for repeated headers. */
export type HeaderReader = (name: string) => string | string[] | undefined;

/** The credential headers, which must each appear at most once. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'x-api-key']);

/**
 * A {@link HeaderReader} over a Node request that sees repeated credential headers. Node's
 * `headers` keeps only the first `Authorization` and joins repeated `X-API-Key` values with
 * commas, so two credentials would pass as one. The credential headers are therefore read
 * from `rawHeaders` (every line as sent; without building `headersDistinct`, which copies
 * every header of the request), falling back to `headersDistinct` (Node ≥ 18.3); a repeat
 * arrives as an array (refused by {@link extractApiKey}).
 */
export function nodeHeaderReader(
  req: Pick<IncomingMessage, 'headers'> & { rawHeaders?: readonly string[]; headersDistinct?: IncomingMessage['headersDistinct'] },
): HeaderReader {
  return (name) => {
    if (!CREDENTIAL_HEADERS.has(name)) return req.headers[name];
    if (req.rawHeaders !== undefined) {
      const values = rawHeaderValues(req.rawHeaders, name);
      return values === undefined || values.length > 1 ? values : values[0];
    }
    if (req.headersDistinct === undefined) return req.headers[name];
    const values = req.headersDistinct[name];
    if (values === undefined) return undefined;
    return values.length === 1 ? values[0] : values;
  };
}

/** Every value of header `name` (lower case) in Node's `rawHeaders` (name, value, name, value …). */
export function rawHeaderValues(rawHeaders: readonly string[], name: string): string[] | undefined {
  let values: string[] | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const header = rawHeaders[i]!;
    if (header.length === name.length && header.toLowerCase() === name) (values ??= []).push(rawHeaders[i + 1] ?? '');
  }
  return values;
}

/** Outcome of {@link authenticateApiKey}: the identity and headers to add, or the response to send. */
export type ApiKeyAuthOutcome =
  | { ok: true; auth: ApiKeyAuthResult; headers: Record<string, string> }
  | {
      ok: false;
      response: HttpErrorResponse;
      /** The verifier's failure behind a 5xx response, for the operational log (never sent). */
      error?: unknown;
    };

/**
 * Where the key is: `Authorization: Bearer <key>` or `X-API-Key: <key>`.
 * `none` when neither header is present (or Authorization uses another scheme);
 * `conflict` when the request uses both ways with different keys, or repeats a header
 * (RFC 6750 §2: one method only).
 */
export function extractApiKey(readHeader: HeaderReader): { kind: 'none' } | { kind: 'key'; key: string } | { kind: 'conflict' } {
  const authorization = readHeader('authorization');
  const xApiKey = readHeader('x-api-key');
  if (Array.isArray(authorization) || Array.isArray(xApiKey)) return { kind: 'conflict' };
  let bearer: string | undefined;
  if (authorization !== undefined) {
    const match = /^Bearer[ ]+(\S*)[ ]*$/i.exec(authorization);
    if (match) bearer = match[1] ?? '';
    else if (/^Bearer(\s|$)/i.test(authorization)) bearer = '';
  }
  if (bearer !== undefined && xApiKey !== undefined && bearer !== xApiKey.trim()) return { kind: 'conflict' };
  const key = bearer ?? xApiKey?.trim();
  return key === undefined ? { kind: 'none' } : { kind: 'key', key };
}

/**
 * Framework-independent API-key authentication: extracts the key, verifies it with the
 * required scopes, and turns the result into either the identity plus `RateLimit` headers,
 * or the RFC 6750 / RFC 9457 response to send (401 identical for every invalid key,
 * 403 `insufficient_scope`, 429 with `Retry-After`, 400 for two conflicting credentials,
 * 503 when the verifier is unavailable: fail closed).
 */
export async function authenticateApiKey(
  verifier: ApiKeyVerifier,
  readHeader: HeaderReader,
  options: { scopes?: readonly string[]; context?: RequestContext; requestId: string },
): Promise<ApiKeyAuthOutcome> {
  return authenticateApiKeyNow(verifier, readHeader, options);
}

/**
 * {@link authenticateApiKey}, answered synchronously when the verifier can answer without I/O
 * (see `ApiKeyVerifier.verifyNow`); otherwise the same promise. Never throws: a verifier
 * failure becomes a 503 outcome carrying the error.
 */
export function authenticateApiKeyNow(
  verifier: ApiKeyVerifier,
  readHeader: HeaderReader,
  options: { scopes?: readonly string[]; context?: RequestContext; requestId: string },
): ApiKeyAuthOutcome | Promise<ApiKeyAuthOutcome> {
  const extracted = extractApiKey(readHeader);
  if (extracted.kind === 'none') return { ok: false, response: unauthorizedResponse(false) };
  if (extracted.kind === 'conflict') return { ok: false, response: errorResponse(new GatehouseError('auth.invalid_request'), options.requestId) };
  const verifyOptions: VerifyApiKeyOptions = {};
  if (options.scopes) verifyOptions.scopes = options.scopes;
  if (options.context) verifyOptions.context = options.context;
  let result: VerifyApiKeyResult | Promise<VerifyApiKeyResult>;
  try {
    result = verifier.verifyNow ? verifier.verifyNow(extracted.key, verifyOptions) : verifier.verify(extracted.key, verifyOptions);
  } catch (err) {
    return failed(err, options.requestId);
  }
  if (result instanceof Promise) {
    return result.then(
      (settled) => toOutcome(settled, options),
      (err: unknown) => failed(err, options.requestId),
    );
  }
  return toOutcome(result, options);
}

function failed(err: unknown, requestId: string): ApiKeyAuthOutcome {
  return { ok: false, response: errorResponse(err, requestId), error: err };
}

function toOutcome(result: VerifyApiKeyResult, options: { scopes?: readonly string[]; requestId: string }): ApiKeyAuthOutcome {
  if (result.valid) return { ok: true, auth: { apiKey: result.key, rateLimit: result.rateLimit }, headers: rateLimitHeaders(result.rateLimit) };
  switch (result.code) {
    case 'INSUFFICIENT_SCOPE':
      return { ok: false, response: errorResponse(new InsufficientScopeError(result.requiredScopes ?? options.scopes ?? []), options.requestId) };
    case 'RATE_LIMITED':
      return {
        ok: false,
        response: errorResponse(
          new RateLimitedError(result.rateLimit ?? { policy: 'api_key', limit: 0, remaining: 0, resetSeconds: 1, windowSeconds: 1 }),
          options.requestId,
        ),
      };
    default:
      return { ok: false, response: unauthorizedResponse(true) };
  }
}
