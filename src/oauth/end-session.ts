import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import { signingAlgorithms } from '../jwt/types.js';
import { JwtVerificationError } from '../jwt/verifier/errors.js';
import { createJwtVerifier } from '../jwt/verifier/verifier.js';
import type { OAuthDeps } from './context.js';
import { emitOAuthEvent } from './events.js';
import { redirectUriMatches } from './redirect-uris.js';

/** The parameters of a logout request (query or form), each with every value sent. */
export type EndSessionParameters = Readonly<Record<string, readonly string[]>>;

/** A logout request that passed every check (OpenID Connect RP-Initiated Logout 1.0 §2). */
export interface EndSessionRequest {
  /** The client named by `client_id` or the hint's `aud`; null when neither was sent. */
  clientId: string | null;
  /** A `post_logout_redirect_uri` registered for `clientId`, or null: then a "signed out" page. */
  postLogoutRedirectUri: string | null;
  /** `state`, returned unchanged with the redirect. */
  state: string | undefined;
  /** `sub` of a verified `id_token_hint`; null without one. */
  hintSubject: string | null;
}

/**
 * What the end-session endpoint does next:
 *
 * - `error_page`: a bad `id_token_hint`, an unknown client or an unregistered
 *   `post_logout_redirect_uri`: show an error page, **never redirect**;
 * - `confirm`: the browser's session is not (provably) the hint's user: ask, with a
 *   CSRF-protected form, before ending it;
 * - `end`: end the browser's session (if any) without asking, then {@link completeEndSession}.
 */
export type EndSessionOutcome = { kind: 'error_page'; error: GatehouseError } | { kind: 'confirm'; request: EndSessionRequest } | { kind: 'end'; request: EndSessionRequest };

const SINGLE = ['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state'];

/** The registered URI with `state` added to its query (its own query kept). */
function buildRedirectWithoutIss(uri: string, parameters: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}

const one = (params: EndSessionParameters, name: string): string | undefined => params[name]?.find((v) => v !== '');
const refused = (detail: string, publicMessage: string): GatehouseError => new GatehouseError('oauth.invalid_request', { detail, publicMessage });

/**
 * Verifies an `id_token_hint` (RP-Initiated Logout 1.0 §2): signed by one of Gatehouse's
 * published keys, `iss` = the issuer, `typ: JWT` (an access token is refused), for its `aud`;
 * **an expired hint is accepted** (the spec expects that), by verifying at a time just before
 * its `exp`. Returns `sub` and `aud`.
 */
async function verifyIdTokenHint(deps: OAuthDeps, hint: string): Promise<{ subject: string; audience: string }> {
  const parts = hint.split('.');
  if (hint.length > 8192 || parts.length !== 3) throw refused('malformed_id_token_hint', 'The id_token_hint is not valid.');
  let payload: { exp?: unknown; aud?: unknown };
  try {
    payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as typeof payload;
  } catch {
    throw refused('malformed_id_token_hint', 'The id_token_hint is not valid.');
  }
  // The signature below covers both; until then they only steer the check.
  if (typeof payload?.exp !== 'number' || !Number.isSafeInteger(payload.exp) || typeof payload.aud !== 'string') throw refused('malformed_id_token_hint', 'The id_token_hint is not valid.');
  const at = Math.min(deps.clock.now(), payload.exp * 1000 - 1000);
  const jwks = await deps.tokens.jwks();
  const verifier = createJwtVerifier({ issuer: deps.issuer, audience: payload.aud, algorithms: signingAlgorithms, jwks: { keys: jwks.keys }, typ: 'JWT', requiredClaims: ['sub'], clockToleranceSeconds: 0, cache: false, clock: { now: () => at } });
  try {
    const { claims } = await verifier.verify(hint);
    return { subject: claims.sub as string, audience: payload.aud };
  } catch (err) {
    if (err instanceof JwtVerificationError) throw refused(`id_token_hint_${err.code}`, 'The id_token_hint is not valid.');
    throw err;
  }
}

/**
 * Step 1 of RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2, §3) as named
 * checks: no parameter repeated; a present `id_token_hint` verified ({@link verifyIdTokenHint});
 * `client_id` equal to the hint's `aud` when both are sent; a `post_logout_redirect_uri` only
 * with a known client and registered for it (so the endpoint is never an open redirector).
 * Then `end` without asking when there is no session or the hint's `sub` is the session's
 * user, else `confirm`. Emits `oauth.end_session` failures with the real reason.
 *
 * @param sessionUserId the user of the browser's session, or null
 * @throws {GatehouseError} `storage.unavailable`, `signing_key.unavailable`
 * @example const outcome = await gatehouse.oauth.endSession(params, session?.userId ?? null);
 */
export async function checkEndSession(deps: OAuthDeps, params: EndSessionParameters, sessionUserId: string | null, context: RequestContext = {}): Promise<EndSessionOutcome> {
  try {
    for (const name of SINGLE) {
      if ((params[name]?.filter((v) => v !== '').length ?? 0) > 1) throw refused('repeated_parameter', `The ${name} parameter must not be repeated.`);
    }
    const hint = one(params, 'id_token_hint');
    const verified = hint === undefined ? null : await verifyIdTokenHint(deps, hint);
    const clientIdParameter = one(params, 'client_id');
    if (verified && clientIdParameter !== undefined && clientIdParameter !== verified.audience) throw refused('client_id_hint_mismatch', 'The client_id does not match the id_token_hint.');
    const clientId = clientIdParameter ?? verified?.audience ?? null;
    const presented = one(params, 'post_logout_redirect_uri');
    const state = one(params, 'state');
    if (state !== undefined && state.length > 1024) throw refused('state_too_long', 'The state parameter is too long.');
    let postLogoutRedirectUri: string | null = null;
    if (presented !== undefined) {
      // §3: the URI must be registered for a client we can identify.
      const client = clientId !== null && clientId.length <= 64 ? await deps.clients.findById(clientId) : null;
      if (!client) throw refused(clientId === null ? 'missing_client_id' : 'unknown_client', 'The post_logout_redirect_uri needs a known client_id or id_token_hint.');
      if (presented.length > 2048 || !client.postLogoutRedirectUris.some((r) => redirectUriMatches(r, presented))) throw refused('post_logout_redirect_uri_not_registered', 'The post_logout_redirect_uri is not registered for this client.');
      postLogoutRedirectUri = presented;
    }
    const request: EndSessionRequest = { clientId: clientId?.slice(0, 64) ?? null, postLogoutRedirectUri, state, hintSubject: verified?.subject ?? null };
    if (sessionUserId === null || (verified !== null && verified.subject === sessionUserId)) return { kind: 'end', request };
    return { kind: 'confirm', request };
  } catch (err) {
    if (!(err instanceof GatehouseError) || err.status >= 500) throw err;
    emitOAuthEvent(deps, { type: 'oauth.end_session', outcome: 'failure', reason: err.detail ?? 'invalid_request', clientId: one(params, 'client_id')?.slice(0, 64), context, severity: 'medium' });
    return { kind: 'error_page', error: err };
  }
}

/**
 * Step 2, after the session was ended (or there was none, or the user declined): emits
 * `oauth.end_session` and returns where to send the browser, the registered
 * `post_logout_redirect_uri` with `state`, or null for the "signed out" page.
 *
 * @param ended whether a Gatehouse session was ended by this request
 * @example const location = gatehouse.oauth.completeEndSession(request, true, context);
 */
export function completeEndSession(deps: OAuthDeps, request: EndSessionRequest, ended: boolean, context: RequestContext = {}): string | null {
  emitOAuthEvent(deps, {
    type: 'oauth.end_session',
    outcome: 'success',
    reason: ended ? 'session_ended' : 'no_session',
    clientId: request.clientId ?? undefined,
    context,
    details: { redirected: request.postLogoutRedirectUri !== null, hint: request.hintSubject !== null },
  });
  return request.postLogoutRedirectUri === null ? null : buildRedirectWithoutIss(request.postLogoutRedirectUri, { state: request.state });
}
