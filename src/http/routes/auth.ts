import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { User } from '../../accounts/types.js';
import { constantTimeEqual } from '../../core/crypto/hash.js';
import { GatehouseError, RateLimitedError } from '../../core/errors/gatehouse-error.js';
import type { Gatehouse } from '../../gatehouse.js';
import { checkCsrf, readCookie } from '../../middleware/csrf.js';
import { fastifyRequestContext, fastifySessionRequest, sessionAuth } from '../../middleware/fastify.js';
import { authenticateSession } from '../../middleware/session-auth.js';
import type { Session } from '../../sessions/types.js';
import { PROBLEM_CONTENT_TYPE, problemBody } from '../errors.js';
import { LoginBody, SessionActionBody, SessionIdParams } from '../schemas.js';
import { clearSessionCookie, deviceCookieName, ensureLoginCsrf, presentedLoginCsrf, safeReturnTo, setDeviceCookie, setSessionCookie } from '../session-cookies.js';
import { renderLoginPage, sendPage } from './login-page.js';

/** The one public message of every failed login. */
export const INVALID_CREDENTIALS_MESSAGE = 'invalid e-mail or password';

const iso = (ms: number) => new Date(ms).toISOString();

/** A user as the session routes show it. */
function serializeUser(user: User) {
  return { id: user.id, email: user.email, email_verified: user.emailVerified, name: user.name, status: user.status };
}

/** A session as the session routes show it: public id and times, never the cookie value or its hash. */
function serializeSession(s: Session, options: { withId: boolean; current?: boolean }) {
  return {
    ...(options.withId ? { id: s.id } : {}),
    created_at: iso(s.createdAt),
    authenticated_at: iso(s.authenticatedAt),
    last_seen_at: iso(s.lastSeenAt),
    idle_expires_at: iso(s.idleExpiresAt),
    absolute_expires_at: iso(s.absoluteExpiresAt),
    ip: s.ip,
    user_agent: s.userAgent,
    auth_level: s.authLevel,
    amr: s.amr,
    ...(options.current !== undefined ? { current: options.current } : {}),
  };
}

function isFormPost(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** `Sec-Fetch-Site` as sent, if any. */
function secFetchSite(request: FastifyRequest): string | undefined {
  const v = request.headers['sec-fetch-site'];
  return typeof v === 'string' ? v : undefined;
}

/**
 * Sign-in, sign-out and the session list, under `/auth`. Browser forms and JSON clients use
 * the same routes: a form post (`application/x-www-form-urlencoded`) gets a 303 redirect or
 * the re-rendered page; JSON gets JSON (RFC 9457 problems on failure).
 */
export function authRoutes(gatehouse: Gatehouse, allowedOrigins: () => readonly string[]): FastifyPluginAsyncTypebox {
  return (app) => {
    const cookie = gatehouse.sessionCookie;
    const requireSession = sessionAuth({ validator: gatehouse.sessions, cookieName: cookie.name, allowedOrigins });

    /** Re-renders the sign-in form with one error (form posts only). */
    const formError = (request: FastifyRequest, reply: FastifyReply, status: number, error: string, email: string | undefined, returnTo: unknown) => {
      const csrf = ensureLoginCsrf(reply, request.headers.cookie, cookie);
      return sendPage(
        reply,
        status,
        renderLoginPage({ error, csrf, returnTo: safeReturnTo(returnTo), signupEnabled: gatehouse.config.accounts.signup.enabled, ...(email !== undefined ? { email } : {}) }),
      );
    };

    app.post('/auth/login', { schema: { body: LoginBody }, attachValidation: true }, async (request, reply) => {
      const form = isFormPost(request);
      const body = request.body as Partial<{ email: unknown; password: unknown; _csrf: unknown; return_to: unknown }> | undefined;
      const origin = request.headers.origin;

      // Login CSRF: a form post (which any site can make a browser send) needs this site's
      // Origin, or without one the double-submit value of the login page. A JSON body cannot
      // be sent cross-site without a CORS preflight, which Gatehouse never grants; so JSON
      // needs only that a present Origin matches.
      if (form || origin !== undefined) {
        const csrf = checkCsrf({
          method: 'POST',
          origin,
          secFetchSite: secFetchSite(request),
          token: typeof body?._csrf === 'string' ? body._csrf : undefined,
          allowedOrigins: allowedOrigins(),
          verifyToken: (t) => {
            const held = presentedLoginCsrf(request.headers.cookie, cookie);
            return held !== undefined && constantTimeEqual(held, t);
          },
        });
        if (!csrf.ok) {
          request.log.warn({ csrf: csrf.reason, request_id: request.id, route: '/auth/login' }, 'csrf check refused a login');
          throw new GatehouseError('csrf.rejected', { detail: csrf.reason });
        }
      }

      if (request.validationError) {
        if (form) return formError(request, reply, 400, 'Enter your e-mail address and password.', typeof body?.email === 'string' ? body.email : undefined, body?.return_to);
        throw request.validationError;
      }
      const { email, password } = request.body;
      const cookieHeader = request.headers.cookie;
      let result;
      try {
        result = await gatehouse.login.withPassword(
          { email, password, deviceCookie: readCookie(cookieHeader, deviceCookieName(cookie)), currentSessionToken: readCookie(cookieHeader, cookie.name) },
          fastifyRequestContext(request),
        );
      } catch (err) {
        if (form && err instanceof RateLimitedError) {
          void reply.header('retry-after', String(err.retryAfterSeconds));
          return formError(request, reply, 429, 'Too many sign-in attempts from your network. Try again later.', email, request.body.return_to);
        }
        if (form && err instanceof GatehouseError && err.code === 'session.limit_reached') {
          return formError(request, reply, 409, err.message, email, request.body.return_to);
        }
        throw err;
      }

      if (result.status === 'failed') {
        if (form) return formError(request, reply, 401, INVALID_CREDENTIALS_MESSAGE, email, request.body.return_to);
        // No `instance`: the body is byte-identical for every reason a login fails.
        return reply.code(401).headers({ 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' }).send(problemBody('auth.invalid_credentials'));
      }

      setSessionCookie(reply, cookie, result.created.token);
      setDeviceCookie(reply, cookie, result.deviceCookie);
      if (form) return reply.code(303).header('location', safeReturnTo(request.body.return_to)).send();
      return {
        user: serializeUser(result.user),
        // The public id, as `GET /auth/session` shows it (for `DELETE /auth/sessions/:id`); never the cookie value.
        session: serializeSession(result.created.session, { withId: true }),
        csrf_token: result.created.csrfToken,
      };
    });

    app.post('/auth/logout', { schema: { body: SessionActionBody } }, async (request, reply) => {
      const outcome = await authenticateSession(gatehouse.sessions, fastifySessionRequest(request), { cookieName: cookie.name, allowedOrigins: allowedOrigins() });
      if (!outcome.ok && outcome.response.status !== 401) {
        if (outcome.response.status >= 500) request.log.error({ err: outcome.error, request_id: request.id, route: '/auth/logout' }, 'session validation failed');
        return reply.code(outcome.response.status).headers(outcome.response.headers).send(outcome.response.body);
      }
      if (outcome.ok) {
        const token = readCookie(request.headers.cookie, cookie.name);
        if (token !== undefined) await gatehouse.login.logout(token, fastifyRequestContext(request));
      }
      clearSessionCookie(reply, cookie);
      if (isFormPost(request)) return reply.code(303).header('location', '/login').send();
      return reply.code(204).send();
    });

    app.get('/auth/session', { preHandler: requireSession() }, async (request, reply) => {
      const { session, csrfToken } = request.gatehouseSession!;
      let user: User;
      try {
        user = await gatehouse.accounts.get(session.userId);
      } catch (err) {
        // The user was deleted while the session lived: it authenticates nobody.
        if (err instanceof GatehouseError && err.code === 'account.not_found') {
          return reply.code(401).headers({ 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store' }).send(problemBody('session.invalid'));
        }
        throw err;
      }
      return { user: serializeUser(user), session: serializeSession(session, { withId: true }), csrf_token: csrfToken };
    });

    app.get('/auth/sessions', { preHandler: requireSession() }, async (request) => {
      const { session } = request.gatehouseSession!;
      const items = await gatehouse.sessions.list(session.userId, session.id);
      return { items: items.map((s) => serializeSession(s, { withId: true, current: s.current })) };
    });

    app.delete('/auth/sessions/:id', { schema: { params: SessionIdParams }, preHandler: requireSession() }, async (request, reply) => {
      const { session } = request.gatehouseSession!;
      const context = { ...fastifyRequestContext(request), actor: { type: 'user' as const, id: session.userId } };
      await gatehouse.sessions.revoke(session.userId, request.params.id, context);
      if (request.params.id === session.id) clearSessionCookie(reply, cookie);
      return reply.code(204).send();
    });

    app.post('/auth/sessions/revoke-others', { schema: { body: SessionActionBody }, preHandler: requireSession() }, async (request, reply) => {
      const { session } = request.gatehouseSession!;
      const context = { ...fastifyRequestContext(request), actor: { type: 'user' as const, id: session.userId } };
      const revoked = await gatehouse.sessions.revokeOthers(session.userId, session.id, context);
      if (isFormPost(request)) return reply.code(303).header('location', safeReturnTo(request.body?.return_to)).send();
      return { revoked };
    });

    return Promise.resolve();
  };
}
