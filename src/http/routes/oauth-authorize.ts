import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { Gatehouse } from '../../gatehouse.js';
import { fastifyRequestContext, fastifySessionRequest, sessionAuth } from '../../middleware/fastify.js';
import { authenticateSession } from '../../middleware/session-auth.js';
import type { AuthorizationOutcome, AuthorizationParameters, AuthorizationSession } from '../../oauth/authorize.js';
import { OAUTH_PATHS } from '../../oauth/context.js';
import { errorResponse } from '../errors.js';
import { consentPageHeaders, renderAuthorizeErrorPage, renderConsentPage } from '../pages/consent.js';
import { html, PAGE_HEADERS, renderPage } from '../pages/html.js';
import { readCookie } from '../../middleware/csrf.js';
import { clearSessionCookie } from '../session-cookies.js';
import { sendPage } from './login-page.js';

/** The authorization request parameters the consent form carries back (RFC 6749 §4.1.1, RFC 7636 §4.3, OIDC `nonce`). */
const CARRIED = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge', 'code_challenge_method', 'resource'];

/** Every value of every query parameter, in order (repeats are judged by the domain). */
function queryParameters(request: FastifyRequest): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  const q = request.url.indexOf('?');
  if (q < 0) return out;
  for (const [name, value] of new URLSearchParams(request.url.slice(q + 1))) (out[name] ??= []).push(value);
  return out;
}

/** The parameters of RP-Initiated Logout 1.0 §2 read from a form post. */
const END_SESSION_FIELDS = ['id_token_hint', 'client_id', 'post_logout_redirect_uri', 'state'];

/** Named fields of a parsed form body, every value of each. */
function formFields(body: unknown, names: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  if (typeof body !== 'object' || body === null) return out;
  for (const name of names) {
    const value = (body as Record<string, unknown>)[name];
    if (typeof value === 'string') out[name] = [value];
    else if (Array.isArray(value)) out[name] = value.filter((v): v is string => typeof v === 'string');
  }
  return out;
}

/** The authorize URL without `prompt=login` and `max_age`, for the way back from a forced sign-in. */
function withoutReauthentication(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const prompt = params.getAll('prompt').join(' ').split(' ').filter((p) => p !== '' && p !== 'login');
  params.delete('prompt');
  params.delete('max_age');
  if (prompt.length > 0) params.set('prompt', prompt.join(' '));
  return `${url.slice(0, q)}?${params.toString()}`;
}

/** The carried parameters of a parsed form body (`@fastify/formbody`: a string, or an array when repeated). */
function formParameters(body: unknown): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null) as Record<string, string[]>;
  if (typeof body !== 'object' || body === null) return out;
  for (const name of CARRIED) {
    const value = (body as Record<string, unknown>)[name];
    // RFC 8707 `resource` may repeat; it travels space-joined (a URI never contains a space).
    if (name === 'resource' && typeof value === 'string') out[name] = value.split(' ');
    else if (typeof value === 'string') out[name] = [value];
    else if (Array.isArray(value)) out[name] = value.filter((v): v is string => typeof v === 'string');
  }
  return out;
}

/** The hidden fields of the consent form: the carried parameters, each once. */
function hiddenFields(params: AuthorizationParameters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of CARRIED) {
    const value = name === 'resource' ? params[name]?.filter((v) => v !== '').join(' ') || undefined : params[name]?.find((v) => v !== '');
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function simplePage(reply: FastifyReply, status: number, title: string, message: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(renderPage({ title, body: html`<div class="error" role="alert"><p>${message}</p></div>` }));
}

/**
 * The authorization endpoint and consent (RFC 6749 §4.1, RFC 7636, RFC 9207, RFC 9700), and a
 * user's consents, in the browser scope (cookies, form bodies):
 *
 * - `GET /oauth2/authorize`: an error page for an untrusted client or redirect URI; a 303 to
 *   the client with `code` or `error` (and `state`, `iss`); a 303 to `/login?return_to=…`
 *   without a session; or the consent page;
 * - `POST /oauth2/authorize/consent`: the consent form (session + CSRF), `decision=allow|deny`;
 * - `GET /auth/consents`, `DELETE /auth/consents/:client_id`: the signed-in user's consents;
 * - `GET`/`POST /oauth2/end_session` (OpenID Connect RP-Initiated Logout 1.0) and its
 *   confirmation form `POST /oauth2/end_session/confirm` (session + CSRF).
 */
export function oauthAuthorizeRoutes(gatehouse: Gatehouse, allowedOrigins: () => readonly string[]): FastifyPluginAsync {
  return (app) => {
    const cookieName = gatehouse.sessionCookie.name;
    const requireSession = sessionAuth({ validator: gatehouse.sessions, cookieName, allowedOrigins });

    /** Answers an outcome; `csrfToken` is the session's, for the consent form. */
    const answer = (reply: FastifyReply, request: FastifyRequest, outcome: AuthorizationOutcome, params: AuthorizationParameters, csrfToken: string | undefined): FastifyReply => {
      switch (outcome.kind) {
        case 'error_page':
          return sendPage(reply, 400, renderAuthorizeErrorPage(outcome.error.message));
        case 'redirect':
          // RFC 9700 §4.12: 303, so a POST is never repeated at the client.
          return reply.code(303).header('cache-control', 'no-store').header('location', outcome.location).send();
        case 'login': {
          // The authorize URL itself, on this origin: `safeReturnTo` on the login side accepts it.
          if (!outcome.fresh) return reply.code(303).header('cache-control', 'no-store').header('location', `/login?return_to=${encodeURIComponent(request.url)}`).send();
          // OIDC Core §3.1.2.1 `prompt=login` / `max_age`: the sign-in form even with a session; the
          // way back drops both, which the fresh sign-in satisfies (its `auth_time` is in the ID token).
          return reply.code(303).header('cache-control', 'no-store').header('location', `/login?prompt=login&return_to=${encodeURIComponent(withoutReauthentication(request.url))}`).send();
        }
        case 'consent': {
          const { request: req } = outcome;
          const page = renderConsentPage({
            clientName: req.client.name,
            clientId: req.client.id,
            scopes: req.scopes,
            redirectUri: req.redirectUri,
            csrfToken: csrfToken ?? '',
            hidden: hiddenFields(params),
            action: OAUTH_PATHS.consent,
          });
          return reply.code(200).headers(consentPageHeaders(req.redirectUri)).send(page);
        }
      }
    };

    const toSession = (s: { id: string; userId: string; authenticatedAt: number; amr: string[] }): AuthorizationSession => ({ userId: s.userId, sessionId: s.id, authTime: s.authenticatedAt, amr: s.amr });

    app.get(OAUTH_PATHS.authorization, async (request, reply) => {
      const params = queryParameters(request);
      const outcome = await authenticateSession(gatehouse.sessions, fastifySessionRequest(request), { cookieName, allowedOrigins: allowedOrigins() });
      if (!outcome.ok && outcome.response.status >= 500) throw outcome.error instanceof Error ? outcome.error : new GatehouseError('storage.unavailable');
      const session = outcome.ok ? toSession(outcome.auth.session) : null;
      const result = await gatehouse.oauth.authorize(params, session, fastifyRequestContext(request));
      return answer(reply, request, result, params, outcome.ok ? outcome.auth.csrfToken : undefined);
    });

    app.post(OAUTH_PATHS.consent, async (request, reply) => {
      const outcome = await authenticateSession(gatehouse.sessions, fastifySessionRequest(request), { cookieName, allowedOrigins: allowedOrigins() });
      if (!outcome.ok) {
        if (outcome.response.status >= 500) throw outcome.error instanceof Error ? outcome.error : new GatehouseError('storage.unavailable');
        if (outcome.csrf) request.log.warn({ csrf: outcome.csrf, request_id: request.id, route: OAUTH_PATHS.consent }, 'csrf check refused a consent');
        return outcome.response.status === 401
          ? simplePage(reply, 401, 'Signed out', 'Your session has ended. Start again from the application.')
          : simplePage(reply, outcome.response.status, 'Request refused', 'This form could not be accepted. Start again from the application.');
      }
      const body = request.body as Record<string, unknown> | undefined;
      const decision = body?.decision;
      if (decision !== 'allow' && decision !== 'deny') return simplePage(reply, 400, 'Request refused', 'Choose Allow or Deny.');
      const params = formParameters(body);
      const result = await gatehouse.oauth.decideConsent(params, toSession(outcome.auth.session), decision, fastifyRequestContext(request));
      return answer(reply, request, result, params, outcome.auth.csrfToken);
    });

    // OpenID Connect RP-Initiated Logout 1.0 §2: GET and POST (form) at the end_session_endpoint.
    const endSession = async (request: FastifyRequest, reply: FastifyReply, params: Record<string, string[]>): Promise<FastifyReply> => {
      const context = fastifyRequestContext(request);
      // No CSRF check here: a hint-matched logout is what the RP asks for; any other case asks the user first.
      const outcome = await authenticateSession(gatehouse.sessions, fastifySessionRequest(request), { cookieName, allowedOrigins: allowedOrigins(), csrf: false });
      if (!outcome.ok && outcome.response.status >= 500) throw outcome.error instanceof Error ? outcome.error : new GatehouseError('storage.unavailable');
      const result = await gatehouse.oauth.endSession(params, outcome.ok ? outcome.auth.session.userId : null, context);
      switch (result.kind) {
        case 'error_page':
          return simplePage(reply, 400, 'Sign-out request refused', `${result.error.message} You were not sent back to the application.`);
        case 'confirm': {
          const { request: req } = result;
          const hidden: Record<string, string> = {};
          if (req.clientId !== null) hidden.client_id = req.clientId;
          if (req.postLogoutRedirectUri !== null) hidden.post_logout_redirect_uri = req.postLogoutRedirectUri;
          if (req.state !== undefined) hidden.state = req.state;
          const csrfToken = outcome.ok ? outcome.auth.csrfToken : '';
          const body = html`<p>An application asked to sign you out of Gatehouse.</p>
<form method="post" action="${OAUTH_PATHS.endSessionConfirm}">
<input type="hidden" name="_csrf" value="${csrfToken}">
${Object.entries(hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">
`)}<button type="submit">Sign out</button>
</form>`;
          const headers = req.postLogoutRedirectUri !== null ? consentPageHeaders(req.postLogoutRedirectUri) : PAGE_HEADERS;
          return reply.code(200).headers(headers).send(renderPage({ title: 'Sign out?', body }));
        }
        case 'end': {
          let ended = false;
          const token = readCookie(request.headers.cookie, cookieName);
          if (outcome.ok && token !== undefined) ended = await gatehouse.login.logout(token, context);
          if (outcome.ok) clearSessionCookie(reply, gatehouse.sessionCookie);
          return signedOut(reply, gatehouse.oauth.completeEndSession(result.request, ended, context));
        }
      }
    };
    const signedOut = (reply: FastifyReply, location: string | null): FastifyReply =>
      location !== null ? reply.code(303).header('cache-control', 'no-store').header('location', location).send() : simplePage(reply, 200, 'Signed out', 'You are signed out of Gatehouse.');

    app.get(OAUTH_PATHS.endSession, (request, reply) => endSession(request, reply, queryParameters(request)));
    app.post(OAUTH_PATHS.endSession, (request, reply) => endSession(request, reply, formFields(request.body, END_SESSION_FIELDS)));

    // The confirmation form: session + CSRF (and Origin), the request checked again in full.
    app.post(OAUTH_PATHS.endSessionConfirm, async (request, reply) => {
      const context = fastifyRequestContext(request);
      const outcome = await authenticateSession(gatehouse.sessions, fastifySessionRequest(request), { cookieName, allowedOrigins: allowedOrigins() });
      if (!outcome.ok && outcome.response.status >= 500) throw outcome.error instanceof Error ? outcome.error : new GatehouseError('storage.unavailable');
      if (!outcome.ok && outcome.response.status !== 401) {
        if (outcome.csrf) request.log.warn({ csrf: outcome.csrf, request_id: request.id, route: OAUTH_PATHS.endSessionConfirm }, 'csrf check refused a sign-out');
        return simplePage(reply, outcome.response.status, 'Request refused', 'This form could not be accepted. Start again from the application.');
      }
      const params = formFields(request.body, ['client_id', 'post_logout_redirect_uri', 'state']);
      const result = await gatehouse.oauth.endSession(params, null, context);
      if (result.kind !== 'end') return simplePage(reply, 400, 'Sign-out request refused', 'The request could not be processed. You were not sent back to the application.');
      let ended = false;
      const token = readCookie(request.headers.cookie, cookieName);
      if (outcome.ok && token !== undefined) {
        ended = await gatehouse.login.logout(token, context);
        clearSessionCookie(reply, gatehouse.sessionCookie);
      }
      return signedOut(reply, gatehouse.oauth.completeEndSession(result.request, ended, context));
    });

    app.get('/auth/consents', { preHandler: requireSession() }, async (request) => {
      const { session } = request.gatehouseSession!;
      const items = await gatehouse.oauth.consents.list(session.userId);
      return {
        items: items.map((c) => ({ client_id: c.clientId, client_name: c.clientName, scope: c.scopes.join(' '), created_at: new Date(c.createdAt).toISOString(), updated_at: new Date(c.updatedAt).toISOString() })),
      };
    });

    app.delete<{ Params: { client_id: string } }>(
      '/auth/consents/:client_id',
      { schema: { params: { type: 'object', properties: { client_id: { type: 'string', minLength: 1, maxLength: 64 } }, required: ['client_id'], additionalProperties: false } }, preHandler: requireSession() },
      async (request, reply) => {
        const { session } = request.gatehouseSession!;
        const context = { ...fastifyRequestContext(request), actor: { type: 'user' as const, id: session.userId } };
        await gatehouse.oauth.consents.revoke(session.userId, request.params.client_id, context);
        return reply.code(204).send();
      },
    );

    // Errors of the page routes are pages; the JSON routes keep problem+json.
    app.setErrorHandler((err, request, reply) => {
      const response = errorResponse(err, String(request.id));
      if (response.status >= 500) request.log.error({ err, request_id: request.id, route: request.routeOptions.url }, 'request failed');
      const url = request.routeOptions.url ?? '';
      if (url.startsWith('/oauth2/')) return simplePage(reply, response.status, 'Something went wrong', response.status >= 500 ? 'The server could not process the request. Try again later.' : 'The request could not be processed.');
      return reply.code(response.status).headers(response.headers).send(response.body);
    });
    return Promise.resolve();
  };
}
