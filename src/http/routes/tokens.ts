import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { RequestContext } from '../../core/events.js';
import type { Gatehouse } from '../../gatehouse.js';
import type { IssuedTokens } from '../../jwt/issue-tokens.js';
import { CSRF_HEADER, checkCsrf, presentedCsrfToken, readCookie } from '../../middleware/csrf.js';
import { apiKeyAuth, fastifyRequestContext, fastifySessionRequest } from '../../middleware/fastify.js';
import { authenticateSession } from '../../middleware/session-auth.js';

/** The refresh cookie's path: sent only to `/auth/token`, `/auth/token/refresh` and `/auth/token/revoke`. */
export const REFRESH_COOKIE_PATH = '/auth/token';
/** The refresh cookie's name with `Secure` (`__Secure-` prefix, RFC 6265bis §4.1.3.1; `__Host-` would force Path=/). */
export const SECURE_REFRESH_COOKIE_NAME = '__Secure-gatehouse_refresh';
/** Its name on plain-HTTP loopback development setups (the session cookie's development switch). */
export const DEV_REFRESH_COOKIE_NAME = 'gatehouse_refresh';

/** Bodies of the token routes: nothing, or an empty JSON object (a form may carry `_csrf`). */
const TokenActionBody = Type.Union([Type.Null(), Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 128 })) }, { additionalProperties: false })]);

/** `POST /v1/tokens/revoke`: a `jti`, and the token's `exp` (epoch seconds) when known. */
const RevokeAccessTokenBody = Type.Object(
  {
    jti: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }),
    exp: Type.Optional(Type.Integer({ minimum: 0, maximum: 253_402_300_799 })),
  },
  { additionalProperties: false },
);

interface RefreshCookie {
  name: string;
  secure: boolean;
}

/** The refresh cookie follows the session cookie's `Secure` decision (`sessions.cookie.secure`). */
export function refreshCookieOf(gatehouse: Pick<Gatehouse, 'sessionCookie'>): RefreshCookie {
  return gatehouse.sessionCookie.secure ? { name: SECURE_REFRESH_COOKIE_NAME, secure: true } : { name: DEV_REFRESH_COOKIE_NAME, secure: false };
}

function setRefreshCookie(reply: FastifyReply, cookie: RefreshCookie, tokens: IssuedTokens, now: number): void {
  const maxAge = Math.max(1, Math.floor((tokens.refreshTokenExpiresAt - now) / 1000));
  void reply.setCookie(cookie.name, tokens.refreshToken, { path: REFRESH_COOKIE_PATH, httpOnly: true, secure: cookie.secure, sameSite: 'strict', maxAge });
}

function clearRefreshCookie(reply: FastifyReply, cookie: RefreshCookie): void {
  void reply.clearCookie(cookie.name, { path: REFRESH_COOKIE_PATH, httpOnly: true, secure: cookie.secure, sameSite: 'strict' });
}

/** RFC 6749 §5.1 shape; the refresh token only when `jwt.refreshToken.inBody`. */
function tokenResponse(tokens: IssuedTokens, inBody: boolean, now: number) {
  return {
    access_token: tokens.accessToken,
    token_type: tokens.tokenType,
    expires_in: tokens.expiresIn,
    ...(tokens.scopes.length > 0 ? { scope: tokens.scopes.join(' ') } : {}),
    ...(inBody ? { refresh_token: tokens.refreshToken, refresh_token_expires_in: Math.max(0, Math.floor((tokens.refreshTokenExpiresAt - now) / 1000)) } : {}),
  };
}

/**
 * The first-party browser token flow, under `/auth/token` (browser scope: cookies):
 *
 * - `POST /auth/token`: a signed-in session (cookie, CSRF-checked) → an access token in the body
 *   and a refresh token in an HttpOnly, Secure, SameSite=Strict cookie scoped to `/auth/token`;
 * - `POST /auth/token/refresh`: the refresh cookie → rotated cookie and a new access token;
 * - `POST /auth/token/revoke`: revokes the cookie's family and clears the cookie (204).
 *
 * Refresh and revoke check CSRF like every cookie-authenticated state change: a matching
 * `Origin`, or without one the session's synchronizer token in `X-CSRF-Token`.
 */
export function tokenRoutes(gatehouse: Gatehouse, allowedOrigins: () => readonly string[]): FastifyPluginAsyncTypebox {
  return (app) => {
    const cookie = refreshCookieOf(gatehouse);
    const inBody = gatehouse.config.jwt.refreshToken.inBody;
    const audience = gatehouse.config.jwt.accessToken.audience ?? gatehouse.tokens.issuer;

    /** CSRF for the refresh-cookie routes; throws `csrf.rejected`. */
    const requireSameOrigin = (request: FastifyRequest) => {
      const h = request.headers;
      const csrf = checkCsrf({
        method: request.method,
        origin: typeof h.origin === 'string' ? h.origin : undefined,
        secFetchSite: typeof h['sec-fetch-site'] === 'string' ? h['sec-fetch-site'] : undefined,
        token: presentedCsrfToken(h[CSRF_HEADER], request.body),
        allowedOrigins: allowedOrigins(),
        verifyToken: (t) => {
          const session = readCookie(h.cookie, gatehouse.sessionCookie.name);
          return session !== undefined && gatehouse.sessions.verifyCsrf(session, t);
        },
      });
      if (!csrf.ok) {
        request.log.warn({ csrf: csrf.reason, request_id: request.id, route: request.routeOptions.url }, 'csrf check refused a request');
        throw new GatehouseError('csrf.rejected', { detail: csrf.reason });
      }
    };

    app.post('/auth/token', { schema: { body: TokenActionBody } }, async (request, reply) => {
      const outcome = await authenticateSession(gatehouse.sessions, fastifySessionRequest(request), { cookieName: gatehouse.sessionCookie.name, allowedOrigins: allowedOrigins() });
      if (!outcome.ok) {
        if (outcome.response.status >= 500) request.log.error({ err: outcome.error, request_id: request.id, route: '/auth/token' }, 'session validation failed');
        else if (outcome.csrf) request.log.warn({ csrf: outcome.csrf, request_id: request.id, route: '/auth/token' }, 'csrf check refused a request');
        return reply.code(outcome.response.status).headers(outcome.response.headers).send(outcome.response.body);
      }
      const { session } = outcome.auth;
      const context: RequestContext = { ...fastifyRequestContext(request), actor: { type: 'user', id: session.userId } };
      const tokens = await gatehouse.tokens.issueTokens(
        {
          subject: session.userId,
          clientId: gatehouse.config.jwt.browser.clientId,
          audience,
          scopes: [...gatehouse.config.jwt.browser.scopes],
          authTime: session.authenticatedAt,
          amr: session.amr,
          sessionId: session.id,
        },
        context,
      );
      const now = gatehouse.clock.now();
      setRefreshCookie(reply, cookie, tokens, now);
      return tokenResponse(tokens, inBody, now);
    });

    app.post('/auth/token/refresh', { schema: { body: TokenActionBody } }, async (request, reply) => {
      requireSameOrigin(request);
      const presented = readCookie(request.headers.cookie, cookie.name);
      const context = fastifyRequestContext(request);
      if (presented === undefined || presented === '') throw new GatehouseError('refresh_token.invalid', { detail: 'no refresh cookie' });
      let tokens: IssuedTokens;
      try {
        tokens = await gatehouse.tokens.refresh(presented, { clientId: gatehouse.config.jwt.browser.clientId }, context);
      } catch (err) {
        // A refused token is dead for good: drop it from the browser too.
        if (err instanceof GatehouseError && err.code === 'refresh_token.invalid') clearRefreshCookie(reply, cookie);
        throw err;
      }
      const now = gatehouse.clock.now();
      setRefreshCookie(reply, cookie, tokens, now);
      return tokenResponse(tokens, inBody, now);
    });

    app.post('/auth/token/revoke', { schema: { body: TokenActionBody } }, async (request, reply) => {
      requireSameOrigin(request);
      const presented = readCookie(request.headers.cookie, cookie.name);
      if (presented !== undefined && presented !== '') await gatehouse.tokens.revokeRefreshToken(presented, fastifyRequestContext(request));
      clearRefreshCookie(reply, cookie);
      return reply.code(204).send();
    });

    return Promise.resolve();
  };
}

/**
 * `POST /v1/tokens/revoke` (admin API key): early revocation of an access token by `jti`,
 * for `exp − now` plus the tolerance (the longest lifetime when `exp` is not given). Verifiers
 * that pass `gatehouse.tokens.isAccessTokenRevoked` as their `isRevoked` hook refuse it from then on.
 */
export function tokenAdminRoutes(gatehouse: Gatehouse): FastifyPluginAsyncTypebox {
  return (app) => {
    const requireKey = apiKeyAuth({ verifier: gatehouse.apiKeys });
    app.post('/v1/tokens/revoke', { onRequest: requireKey({ scopes: ['admin'] }), schema: { body: RevokeAccessTokenBody } }, async (request) => {
      const context: RequestContext = {
        ...fastifyRequestContext(request),
        ...(request.gatehouse ? { actor: { type: 'api_key' as const, id: request.gatehouse.apiKey.id } } : {}),
      };
      const { jti, exp } = request.body;
      const result = await gatehouse.tokens.revokeAccessToken(jti, exp === undefined ? {} : { expiresAt: exp * 1000 }, context);
      return { jti: result.jti, revoked: true, revoked_until: new Date(result.revokedUntil).toISOString() };
    });
    return Promise.resolve();
  };
}
