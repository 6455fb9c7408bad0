import { errorRegistry, oauthErrorOf, type ErrorCode } from '../core/errors/registry.js';
import { GatehouseError, InsufficientScopeError, RateLimitedError, type RateLimitState } from '../core/errors/gatehouse-error.js';

/**
 * The only mapping from errors to HTTP. Pure functions, shared by Gatehouse's own server
 * (`http/`) and the middleware users put in front of their services (`middleware/`).
 *
 * - Bearer/API-key protected resources: RFC 6750 §3 `WWW-Authenticate` challenges;
 * - everything else: RFC 9457 problem details with a stable `code`.
 */

/** Base of the `type` URI of every problem; each code is documented in docs/errors.md. */
export const PROBLEM_TYPE_BASE = 'https://gatehouse.dev/errors/';
/** The realm in challenges. */
export const REALM = 'gatehouse';
/** RFC 9457 media type. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
/** The IETF RateLimit draft's problem type for an exhausted quota. */
const QUOTA_EXCEEDED_TYPE = 'https://iana.org/assignments/http-problem-types#quota-exceeded';

/** An HTTP response ready to send: status, headers and a JSON body. */
export interface HttpErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

/** An RFC 9457 body for a registered code. `instance` is omitted when undefined. */
export function problemBody(code: ErrorCode, detail?: string, instance?: string): Record<string, unknown> {
  const entry = errorRegistry[code];
  const body: Record<string, unknown> = {
    type: PROBLEM_TYPE_BASE + code,
    title: entry.title,
    status: entry.status,
    detail: detail ?? entry.publicMessage,
    code,
  };
  if (instance !== undefined) body.instance = instance;
  return body;
}

/** `RateLimit-Policy` and `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers), as Structured Field Lists. */
export function rateLimitHeaders(state: RateLimitState): Record<string, string> {
  return {
    'ratelimit-policy': `"${state.policy}";q=${state.limit};w=${state.windowSeconds}`,
    ratelimit: `"${state.policy}";r=${state.remaining};t=${state.resetSeconds}`,
  };
}

/**
 * The one response for every failed API-key authentication: missing, malformed, unknown,
 * expired and revoked keys get the same body (no `instance`, so it is byte-identical).
 * A missing credential gets a bare challenge (RFC 6750 §3.1); a presented but invalid one
 * gets `error="invalid_token"`.
 */
export function unauthorizedResponse(credentialPresented: boolean): HttpErrorResponse {
  const challenge = credentialPresented
    ? `Bearer realm="${REALM}", error="invalid_token", error_description="The API key is missing, malformed, unknown, expired or revoked"`
    : `Bearer realm="${REALM}"`;
  return {
    status: 401,
    headers: { 'www-authenticate': challenge, 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' },
    body: problemBody('api_key.invalid'),
  };
}

/** Converts any thrown value into a response. 5xx bodies are generic; the cause is logged by the caller. */
export function errorResponse(err: unknown, requestId: string): HttpErrorResponse {
  const gh = toGatehouseError(err);
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE };
  const body = problemBody(gh.code, gh.status >= 500 ? undefined : gh.message, `urn:gatehouse:request:${requestId}`);
  if (gh.code === 'api_key.invalid') return unauthorizedResponse(true);
  if (gh instanceof InsufficientScopeError) {
    headers['www-authenticate'] = `Bearer realm="${REALM}", error="insufficient_scope", scope="${gh.scope}"`;
    body.scope = gh.scope;
  }
  if (gh.code === 'auth.invalid_request') headers['www-authenticate'] = `Bearer realm="${REALM}", error="invalid_request"`;
  if (gh instanceof RateLimitedError) {
    Object.assign(headers, rateLimitHeaders(gh.rateLimit), { 'retry-after': String(gh.retryAfterSeconds) });
    body.type = QUOTA_EXCEEDED_TYPE;
    body['violated-policies'] = [gh.rateLimit.policy];
  }
  if (gh.status === 503) headers['retry-after'] = '5';
  if (gh.status === 401 || gh.status === 403 || gh.status === 429) headers['cache-control'] = 'no-store';
  return { status: gh.status, headers, body };
}

interface FrameworkError {
  code?: string;
  statusCode?: number;
  validation?: unknown;
  validationContext?: unknown;
  message?: string;
}

/** Maps framework and unknown errors onto registered codes. */
export function toGatehouseError(err: unknown): GatehouseError {
  if (err instanceof GatehouseError) return err;
  const e = (err ?? {}) as FrameworkError;
  if (e.validation) return new GatehouseError('request.invalid', { publicMessage: validationMessage(e), cause: err });
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new GatehouseError('request.body_too_large', { cause: err });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new GatehouseError('request.unsupported_media_type', { cause: err });
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_MAX_PARAM_LENGTH':
      // Their messages quote the URL, whose query may carry a key: never pass them on.
      return new GatehouseError('request.invalid', { publicMessage: 'The request URL is not valid.', cause: err });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new GatehouseError('request.malformed_body', { cause: err });
  }
  if (err instanceof SyntaxError) return new GatehouseError('request.malformed_body', { cause: err });
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return new GatehouseError('request.invalid', { cause: err });
  return new GatehouseError('internal', { cause: err });
}

/**
 * Property names a validation message repeats: a field name of letters and underscores, at most
 * 32 characters, and only in a JSON body (a POST, never a shareable link whose query would put
 * attacker-chosen words on Gatehouse's pages). Anything else (a key, token or password pasted as
 * a name has digits or is longer; control or bidi characters could forge the message) is
 * reported without its name.
 */
const NAMEABLE_PROPERTY = /^[A-Za-z][A-Za-z_]{0,31}$/;

/**
 * The public message of a schema validation failure. An unknown property is named (AJV's
 * `params.additionalProperty`: `body has an unknown property "scope".`) when it is a plain
 * field name in a JSON body, since AJV's own "must NOT have additional properties" leaves the caller guessing;
 * other failures keep AJV's message, which names the field and the rule. Values are never
 * repeated.
 */
function validationMessage(e: FrameworkError): string {
  const first: unknown = Array.isArray(e.validation) ? e.validation[0] : undefined;
  const property = unknownPropertyOf(first);
  if (property !== undefined) {
    const context = typeof e.validationContext === 'string' && /^[a-z]{1,16}$/.test(e.validationContext) ? e.validationContext : 'body';
    const path = (first as { instancePath?: unknown }).instancePath;
    // The instance path is made of schema-defined property names (the failing object's place).
    const where = `${context}${typeof path === 'string' && /^(\/[A-Za-z0-9_]{1,64}){0,8}$/.test(path) ? path : ''}`;
    return context === 'body' && NAMEABLE_PROPERTY.test(property) ? `${where} has an unknown property "${property}".` : `${where} has an unknown property (its name is not repeated).`;
  }
  return safeValidationMessage(e.message);
}

/** The caller-chosen name of an AJV `additionalProperties` failure, if that is what it is. */
function unknownPropertyOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { keyword, params } = error as { keyword?: unknown; params?: { additionalProperty?: unknown } };
  if (keyword !== 'additionalProperties' || typeof params?.additionalProperty !== 'string') return undefined;
  return params.additionalProperty;
}

/** AJV messages name the field and the rule, never the value; still, cap their length. */
function safeValidationMessage(message: string | undefined): string {
  const m = (message ?? 'The request is not valid.').slice(0, 300);
  return m.endsWith('.') ? m : `${m}.`;
}

/**
 * The RFC 6749 §5.2 error response of the OAuth endpoints (`/oauth2/*`): JSON
 * `{ error, error_description }` with `Cache-Control: no-store` and `Pragma: no-cache`. A
 * failed client authentication is 401, with `WWW-Authenticate: Basic` when the client tried
 * the Authorization header (§5.2). Framework errors (wrong media type, bad body) are
 * `invalid_request`; the private `detail` never leaves; 5xx keep the generic problem body.
 */
export function oauthErrorResponse(err: unknown, requestId: string, basicAttempted: boolean): HttpErrorResponse {
  let gh = toGatehouseError(err);
  if (gh.status < 500 && oauthErrorOf(gh.code) === undefined) gh = new GatehouseError('oauth.invalid_request', { publicMessage: gh.message, cause: err });
  const error = oauthErrorOf(gh.code);
  if (error === undefined) {
    // A 5xx (storage or signing unavailable) is problem+json, and no-store like every answer here (RFC 6749 §5.1).
    const response = errorResponse(gh, requestId);
    return { ...response, headers: { ...response.headers, 'cache-control': 'no-store', pragma: 'no-cache' } };
  }
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', pragma: 'no-cache' };
  if (gh.code === 'oauth.invalid_client' && basicAttempted) headers['www-authenticate'] = `Basic realm="${REALM}"`;
  // RFC 6750 §3 at the bearer-protected UserInfo endpoint; no credential at all: a bare challenge (§3.1).
  if (gh.code === 'oauth.invalid_token') {
    if (gh.detail === 'no_token') return { status: 401, headers: { ...headers, 'www-authenticate': `Bearer realm="${REALM}"` }, body: {} };
    headers['www-authenticate'] = `Bearer realm="${REALM}", error="invalid_token"`;
  }
  if (gh.code === 'oauth.insufficient_scope') headers['www-authenticate'] = `Bearer realm="${REALM}", error="insufficient_scope", scope="openid"`;
  return { status: gh.status, headers, body: { error, error_description: gh.message } };
}
