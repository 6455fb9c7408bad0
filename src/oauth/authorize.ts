import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { oauthErrorOf, type ErrorCode } from '../core/errors/registry.js';
import type { RequestContext } from '../core/events.js';
import { AUTHORIZATION_CODE_LIFETIME_MS, generateAuthorizationCode, hashAuthorizationCode } from './authorization-code.js';
import type { OAuthDeps } from './context.js';
import { emitOAuthEvent } from './events.js';
import { grantedAudience, grantedScopes } from './grants/client-credentials.js';
import { isWellFormedChallenge, type CodeChallengeMethod } from './pkce.js';
import { redirectUriMatches } from './redirect-uris.js';
import type { OAuthClientRecord } from './types.js';

/** The query parameters of an authorization request, each with every value sent. */
export type AuthorizationParameters = Readonly<Record<string, readonly string[]>>;

/** The signed-in user an authorization is for: from the session the browser presented. */
export interface AuthorizationSession {
  userId: string;
  sessionId: string;
  /** When the user authenticated, epoch milliseconds (`auth_time`). */
  authTime: number;
  /** RFC 8176 methods of the session. */
  amr: string[];
}

/** An authorization request that passed every check (RFC 6749 §4.1.1, RFC 7636 §4.3). */
export interface AuthorizationRequest {
  client: OAuthClientRecord;
  /** Where the response goes: the presented `redirect_uri`, or the only registered one when omitted. */
  redirectUri: string;
  /** `redirect_uri` as sent, or null when omitted (the token request must then match, RFC 6749 §4.1.3). */
  redirectUriParameter: string | null;
  scopes: string[];
  /** `state`, returned unchanged (RFC 6749 §4.1.2). */
  state: string | undefined;
  nonce: string | null;
  codeChallenge: string | null;
  codeChallengeMethod: CodeChallengeMethod | null;
  /** OIDC Core §3.1.2.1 `prompt` values (`none`, `login`, `consent`); empty when absent. */
  prompt: string[];
  /** OIDC Core §3.1.2.1 `max_age`, seconds; null when absent. */
  maxAgeSeconds: number | null;
  /** RFC 8707 `resource` values (each on `oauth.resources`), bound to the code; empty when none. */
  resources: string[];
}

/**
 * What the authorization endpoint does next:
 *
 * - `error_page`: the client or redirect URI cannot be trusted (unknown `client_id`, an
 *   unregistered `redirect_uri`): show an error page, **never redirect** (RFC 6749 §4.1.2.1,
 *   RFC 9700 §4.11);
 * - `redirect`: to the client's redirect URI with `code` or `error`, always with `state` (when
 *   sent) and `iss` (RFC 9207);
 * - `login`: no signed-in user, or (`fresh`) one who must sign in again (`prompt=login`, or a
 *   sign-in older than `max_age`): send the browser to the sign-in page and back;
 * - `consent`: ask the user (the consent page), then {@link decideConsent}.
 */
export type AuthorizationOutcome =
  | { kind: 'error_page'; error: GatehouseError }
  | { kind: 'redirect'; location: string }
  | { kind: 'login'; fresh: boolean }
  | { kind: 'consent'; request: AuthorizationRequest };

/** Parameters that must not repeat (RFC 6749 §3.1). */
const SINGLE = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'prompt', 'max_age'];
const MAX_NONCE = 512;
/** OIDC Core §3.1.2.1 `prompt` values served; `select_account` is refused (one account per browser session). */
const PROMPTS = new Set(['none', 'login', 'consent']);

/** An error after the redirect URI is trusted: answered by redirect. */
class RedirectError extends Error {
  constructor(
    readonly error: GatehouseError,
    readonly redirectUri: string,
    readonly state: string | undefined,
  ) {
    super(error.message);
  }
}

const one = (params: AuthorizationParameters, name: string): string | undefined => {
  const values = params[name]?.filter((v) => v !== '');
  return values === undefined || values.length === 0 ? undefined : values[0];
};

function fail(code: ErrorCode, detail: string, publicMessage?: string): GatehouseError {
  return new GatehouseError(code, { detail, ...(publicMessage ? { publicMessage } : {}) });
}

/**
 * The redirect URI with the response parameters added to its query (RFC 6749 §4.1.2, the
 * query component kept), and `iss` (RFC 9207 §2).
 */
export function buildRedirect(redirectUri: string, issuer: string, parameters: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) url.searchParams.set(name, value);
  url.searchParams.set('iss', issuer);
  return url.href;
}

/** RFC 6749 §4.1.2.1 error redirect: `error`, `error_description`, `state`, `iss`. */
function errorRedirect(deps: OAuthDeps, e: RedirectError): string {
  const error = e.error.status >= 500 ? 'server_error' : (oauthErrorOf(e.error.code) ?? 'invalid_request');
  return buildRedirect(e.redirectUri, deps.issuer, { error, error_description: e.error.status >= 500 ? 'The server could not process the request.' : e.error.message, state: e.state });
}

/**
 * Step 1, the checks before anything may be redirected: `client_id` names a client registered
 * for `authorization_code`, and `redirect_uri` is one of its registered URIs (exact match;
 * loopback port variance, RFC 8252 §7.3) or omitted with exactly one registered.
 */
async function trustedRedirect(deps: OAuthDeps, params: AuthorizationParameters): Promise<{ client: OAuthClientRecord; redirectUri: string; redirectUriParameter: string | null }> {
  for (const name of ['client_id', 'redirect_uri']) {
    if ((params[name]?.filter((v) => v !== '').length ?? 0) > 1) throw fail('oauth.invalid_request', `repeated_${name}`, `The ${name} parameter must not be repeated.`);
  }
  const clientId = one(params, 'client_id');
  if (clientId === undefined) throw fail('oauth.invalid_request', 'missing_client_id', 'The client_id parameter is required.');
  const client = clientId.length <= 64 ? await deps.clients.findById(clientId) : null;
  if (!client) throw fail('oauth.invalid_request', 'unknown_client', 'The client_id is not a registered client.');
  const presented = one(params, 'redirect_uri');
  if (presented === undefined) {
    if (client.redirectUris.length !== 1) throw fail('oauth.invalid_request', 'missing_redirect_uri', 'The redirect_uri parameter is required.');
    return { client, redirectUri: client.redirectUris[0]!, redirectUriParameter: null };
  }
  if (presented.length > 2048 || !client.redirectUris.some((r) => redirectUriMatches(r, presented))) {
    throw fail('oauth.invalid_request', 'redirect_uri_not_registered', 'The redirect_uri is not registered for this client.');
  }
  return { client, redirectUri: presented, redirectUriParameter: presented };
}

/** Step 2, the checks answered by redirect: grant registered, parameters, response type, PKCE, scope. */
function checkRequest(deps: OAuthDeps, params: AuthorizationParameters, client: OAuthClientRecord): Omit<AuthorizationRequest, 'client' | 'redirectUri' | 'redirectUriParameter' | 'state'> {
  for (const name of SINGLE) {
    if ((params[name]?.filter((v) => v !== '').length ?? 0) > 1) throw fail('oauth.invalid_request', 'repeated_parameter', `The ${name} parameter must not be repeated.`);
  }
  if (!client.grantTypes.includes('authorization_code')) throw fail('oauth.unauthorized_client', 'grant_not_registered', 'The client is not registered for the authorization code grant.');
  const responseType = one(params, 'response_type');
  if (responseType === undefined) throw fail('oauth.invalid_request', 'missing_response_type', 'The response_type parameter is required.');
  // RFC 6749 §4.1 only: no implicit (RFC 9700 §2.1.2), no hybrid.
  if (responseType !== 'code') throw fail('oauth.unsupported_response_type', 'unsupported_response_type');
  if (one(params, 'request') !== undefined || one(params, 'request_uri') !== undefined) throw fail('oauth.invalid_request', 'request_object_unsupported', 'Request objects are not supported.');

  const challenge = one(params, 'code_challenge');
  const method = one(params, 'code_challenge_method');
  let codeChallengeMethod: CodeChallengeMethod | null = null;
  if (challenge === undefined) {
    if (method !== undefined) throw fail('oauth.invalid_request', 'method_without_challenge', 'code_challenge_method was sent without code_challenge.');
    // RFC 9700 §2.1.1: PKCE for public clients always; for all by default.
    const publicClient = client.tokenEndpointAuthMethod === 'none';
    if (publicClient || deps.config.pkce.required === 'all_clients') throw fail('oauth.invalid_request', 'pkce_required', 'The code_challenge parameter is required (PKCE, RFC 7636).');
  } else {
    // RFC 7636 §4.3: the method defaults to plain when omitted.
    const asked = method ?? 'plain';
    if (asked === 'S256') codeChallengeMethod = 'S256';
    else if (asked === 'plain' && deps.config.pkce.allowPlain) codeChallengeMethod = 'plain';
    else throw fail('oauth.invalid_request', asked === 'plain' ? 'pkce_plain_refused' : 'pkce_method_unsupported', 'Only code_challenge_method=S256 is supported.');
    if (!isWellFormedChallenge(challenge, codeChallengeMethod)) throw fail('oauth.invalid_request', 'malformed_code_challenge', 'The code_challenge is malformed (RFC 7636 §4.2).');
  }

  const nonce = one(params, 'nonce') ?? null;
  if (nonce !== null && nonce.length > MAX_NONCE) throw fail('oauth.invalid_request', 'nonce_too_long', `The nonce must be at most ${MAX_NONCE} characters.`);
  const scopes = grantedScopes(client.scopes, one(params, 'scope'));
  const prompt = [...new Set((one(params, 'prompt') ?? '').split(' ').filter((p) => p !== ''))];
  if (!prompt.every((p) => PROMPTS.has(p))) throw fail('oauth.invalid_request', 'prompt_unsupported', 'The prompt parameter has an unsupported value.');
  // OIDC Core §3.1.2.1: `none` with any other value is an error.
  if (prompt.includes('none') && prompt.length > 1) throw fail('oauth.invalid_request', 'prompt_none_combined', 'prompt=none must not be combined with other values.');
  // RFC 8707 §2: validated against the token endpoint's allow-list, then bound to the code.
  const resources = [...new Set(params.resource?.filter((v) => v !== '') ?? [])];
  if (resources.length > 0) grantedAudience(deps.config.resources, resources, deps.issuer);
  const maxAge = one(params, 'max_age');
  if (maxAge !== undefined && !/^\d{1,9}$/.test(maxAge)) throw fail('oauth.invalid_request', 'malformed_max_age', 'max_age must be a non-negative integer number of seconds.');
  return { scopes, nonce, codeChallenge: challenge ?? null, codeChallengeMethod, prompt, maxAgeSeconds: maxAge === undefined ? null : Number(maxAge), resources };
}

/**
 * Validates an authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, RFC 9700 §2.1) as named
 * steps: the trusted redirect first ({@link trustedRedirect}: failures are `error_page`), then
 * every other check ({@link checkRequest}: failures redirect). Emits `oauth.authorize` failures
 * with the real reason.
 */
async function validateRequest(deps: OAuthDeps, params: AuthorizationParameters, context: RequestContext): Promise<{ ok: true; request: AuthorizationRequest } | { ok: false; outcome: AuthorizationOutcome }> {
  let trusted: Awaited<ReturnType<typeof trustedRedirect>>;
  try {
    trusted = await trustedRedirect(deps, params);
  } catch (err) {
    if (!(err instanceof GatehouseError) || err.status >= 500) throw err;
    const clientId = one(params, 'client_id');
    emitOAuthEvent(deps, { type: 'oauth.authorize', outcome: 'failure', reason: err.detail ?? 'invalid_request', clientId: err.detail === 'unknown_client' ? undefined : clientId?.slice(0, 64), context, severity: 'medium' });
    return { ok: false, outcome: { kind: 'error_page', error: err } };
  }
  const state = params.state?.find((v) => v !== '');
  try {
    return { ok: true, request: { client: trusted.client, redirectUri: trusted.redirectUri, redirectUriParameter: trusted.redirectUriParameter, state, ...checkRequest(deps, params, trusted.client) } };
  } catch (err) {
    if (!(err instanceof GatehouseError) || err.status >= 500) throw err;
    emitOAuthEvent(deps, { type: 'oauth.authorize', outcome: 'failure', reason: err.detail ?? err.code.replace(/^oauth\./, ''), clientId: trusted.client.id, context });
    return { ok: false, outcome: { kind: 'redirect', location: errorRedirect(deps, new RedirectError(err, trusted.redirectUri, state)) } };
  }
}

/** Issues a code for an approved request (stored as SHA-256, 60 s, bound to everything the token request must match) and builds the success redirect. Emits `oauth.authorize` success. */
async function issueCode(deps: OAuthDeps, request: AuthorizationRequest, session: AuthorizationSession, context: RequestContext): Promise<string> {
  const code = generateAuthorizationCode(deps.random);
  const now = deps.clock.now();
  await deps.grants.insertCode({
    codeHash: hashAuthorizationCode(code),
    clientId: request.client.id,
    userId: session.userId,
    sessionId: session.sessionId,
    redirectUri: request.redirectUriParameter,
    scopes: request.scopes,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    nonce: request.nonce,
    authTime: session.authTime,
    amr: session.amr,
    createdAt: now,
    expiresAt: now + AUTHORIZATION_CODE_LIFETIME_MS,
    consumedAt: null,
    replayedAt: null,
    familyId: null,
    resources: request.resources,
  });
  // Housekeeping on the (rare) authorization path instead of a timer: used codes are kept as
  // long as a refresh family issued from them may live, so a late replay still revokes it.
  const retentionMs = deps.jwt.refreshToken.lifetimeSeconds * 1000;
  await deps.grants.deleteExpiredCodes(now - retentionMs).catch((err: unknown) => deps.logger.warn({ err }, 'deleting expired authorization codes failed; will retry'));
  emitOAuthEvent(deps, {
    type: 'oauth.authorize',
    outcome: 'success',
    reason: 'ok',
    clientId: request.client.id,
    context: { actor: { type: 'user', id: session.userId }, ...context },
    details: { user_id: session.userId, session_id: session.sessionId, scope: request.scopes, pkce: request.codeChallengeMethod ?? 'none' },
  });
  return buildRedirect(request.redirectUri, deps.issuer, { code, state: request.state });
}

/** Whether the user's remembered consent covers every scope asked for. */
async function consentCovers(deps: OAuthDeps, userId: string, request: AuthorizationRequest): Promise<boolean> {
  const consent = await deps.grants.findConsent(userId, request.client.id);
  return consent !== null && request.scopes.every((s) => consent.scopes.includes(s));
}

/**
 * `GET /oauth2/authorize` (RFC 6749 §4.1.1, OIDC Core §3.1.2) as named steps: validate the
 * request (error page or error redirect), ask for sign-in without a session (or a fresh one
 * for `prompt=login` or a sign-in older than `max_age`), skip the consent page when a
 * remembered consent covers the scopes (issuing the code at once; `prompt=consent` always
 * asks), else ask for consent. With `prompt=none` nothing is shown: `login_required` or
 * `consent_required` by redirect instead.
 *
 * @param params the query parameters, every value of each
 * @param session the signed-in user, or null
 * @throws {GatehouseError} `storage.unavailable` (the route answers 503: fail closed)
 * @example
 * const outcome = await gatehouse.oauth.authorize({ client_id: ['cli_…'], response_type: ['code'], … }, session);
 */
export async function authorize(deps: OAuthDeps, params: AuthorizationParameters, session: AuthorizationSession | null, context: RequestContext = {}): Promise<AuthorizationOutcome> {
  const validated = await validateRequest(deps, params, context);
  if (!validated.ok) return validated.outcome;
  const { request } = validated;
  const silent = request.prompt.includes('none');
  // OIDC Core §3.1.2.1 `prompt=none`: never show a page; answer by redirect instead.
  const refuseSilently = (code: 'oauth.login_required' | 'oauth.consent_required', reason: string): AuthorizationOutcome => {
    emitOAuthEvent(deps, { type: 'oauth.authorize', outcome: 'failure', reason, clientId: request.client.id, context });
    return { kind: 'redirect', location: errorRedirect(deps, new RedirectError(fail(code, reason), request.redirectUri, request.state)) };
  };
  if (session === null) return silent ? refuseSilently('oauth.login_required', 'login_required') : { kind: 'login', fresh: false };
  // `max_age` (OIDC Core §3.1.2.1): the sign-in must be at most that old, else a fresh one.
  const tooOld = request.maxAgeSeconds !== null && deps.clock.now() - session.authTime > request.maxAgeSeconds * 1000;
  if (tooOld) return silent ? refuseSilently('oauth.login_required', 'max_age_exceeded') : { kind: 'login', fresh: true };
  if (request.prompt.includes('login')) return { kind: 'login', fresh: true };
  if (!request.prompt.includes('consent') && (await consentCovers(deps, session.userId, request))) {
    return { kind: 'redirect', location: await issueCode(deps, request, session, context) };
  }
  if (silent) return refuseSilently('oauth.consent_required', 'consent_required');
  return { kind: 'consent', request };
}

/**
 * The user's answer on the consent page. The authorization request (carried in the form) is
 * validated again in full; then `deny` redirects with `access_denied` (RFC 6749 §4.1.2.1) and
 * `allow` remembers the consent (the union of the scopes agreed to so far for this client)
 * and redirects with a code. Emits `oauth.consent` (`grant` / `deny`).
 *
 * @throws {GatehouseError} `storage.unavailable`
 * @example const outcome = await gatehouse.oauth.decideConsent(params, session, 'allow');
 */
export async function decideConsent(deps: OAuthDeps, params: AuthorizationParameters, session: AuthorizationSession, decision: 'allow' | 'deny', context: RequestContext = {}): Promise<AuthorizationOutcome> {
  const validated = await validateRequest(deps, params, context);
  if (!validated.ok) return validated.outcome;
  const { request } = validated;
  const userContext: RequestContext = { actor: { type: 'user', id: session.userId }, ...context };
  const details = { user_id: session.userId, scope: request.scopes };
  if (decision === 'deny') {
    emitOAuthEvent(deps, { type: 'oauth.consent', outcome: 'failure', reason: 'deny', clientId: request.client.id, context: userContext, details });
    const denied = new RedirectError(fail('oauth.access_denied', 'user_denied'), request.redirectUri, request.state);
    emitOAuthEvent(deps, { type: 'oauth.authorize', outcome: 'failure', reason: 'access_denied', clientId: request.client.id, context: userContext });
    return { kind: 'redirect', location: errorRedirect(deps, denied) };
  }
  const now = deps.clock.now();
  const existing = await deps.grants.findConsent(session.userId, request.client.id);
  const scopes = [...new Set([...(existing?.scopes ?? []), ...request.scopes])].sort();
  await deps.grants.saveConsent({ userId: session.userId, clientId: request.client.id, scopes, createdAt: existing?.createdAt ?? now, updatedAt: now });
  emitOAuthEvent(deps, { type: 'oauth.consent', outcome: 'success', reason: 'grant', clientId: request.client.id, context: userContext, details });
  return { kind: 'redirect', location: await issueCode(deps, request, session, context) };
}
