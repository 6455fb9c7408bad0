/**
 * Example: a backend-for-frontend (BFF) web app that signs users in with Gatehouse (OAuth 2.0
 * authorization code + PKCE, through `gatehouse/client`) and calls a protected API on their behalf.
 *
 *   GATEHOUSE_URL=http://127.0.0.1:8080 CLIENT_ID=… CLIENT_SECRET=… npx tsx examples/oauth-bff.ts
 *
 * The browser only ever holds this app's own session cookie (`bff_session`: an opaque random id,
 * HttpOnly, SameSite=Lax, Secure on https). The access and refresh tokens stay in the server-side
 * token store, keyed by that id; no page shows a token.
 *
 * | route            | what it does                                                                  |
 * | ---------------- | ----------------------------------------------------------------------------- |
 * | `GET /`          | signed in or signed out, with the links                                       |
 * | `GET /login`     | starts the sign-in: 303 to Gatehouse's authorize endpoint (state, PKCE S256)  |
 * | `GET /callback`  | finishes it: checks `iss` and `state`, exchanges the code, new session id      |
 * | `GET /orders`    | calls the API's `GET /orders` with `fetchWithAuth` and shows the answer       |
 * | `POST /logout`   | `signOut` (revokes the refresh token at Gatehouse), ends the session          |
 *
 * Environment: `GATEHOUSE_URL` (the issuer, exactly as in Gatehouse's metadata; default
 * http://127.0.0.1:8080), `CLIENT_ID`, `CLIENT_SECRET` (the registered confidential client),
 * `BFF_PORT` (default 3000), `BFF_URL` (this app's public origin; default
 * http://127.0.0.1:<BFF_PORT>, so the redirect URI is http://127.0.0.1:3000/callback),
 * `API_URL` (the protected API; default http://127.0.0.1:3001), `SCOPE` (default `orders:read`).
 *
 * In your app: `import { createOAuthClient, createMemoryTokenStore } from 'gatehouse/client'`.
 */
import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  AccessDeniedError,
  createMemoryTokenStore,
  createOAuthClient,
  NotSignedInError,
  OAuthClientError,
  RefreshTokenExpiredError,
  type OAuthClient,
  type PendingAuthorization,
  type TokenStore,
} from '../src/client/index.js';
import { isMain } from './jwt-demo.js';

export interface BffOptions {
  /** The Gatehouse issuer, e.g. `http://127.0.0.1:8080`. */
  gatehouseUrl: string;
  clientId: string;
  /** The client secret (confidential client, `client_secret_basic`). */
  clientSecret: string;
  /** This app's public origin, e.g. `http://127.0.0.1:3000`; the redirect URI is `<baseUrl>/callback`. */
  baseUrl: string;
  /** The protected API's origin, e.g. `http://127.0.0.1:3001`. */
  apiUrl: string;
  /** Scopes to ask for. Default `['orders:read']`. */
  scope?: string[] | undefined;
  /** Where tokens are kept, by session id. Default: in this process's memory. */
  store?: TokenStore | undefined;
}

/** A built BFF: the Fastify app (not listening) and the OAuth client it uses. */
export interface Bff {
  app: FastifyInstance;
  oauth: OAuthClient;
}

const SESSION_COOKIE = 'bff_session';
const LOGIN_COOKIE = 'bff_login';
const LOGIN_TTL_MS = 10 * 60 * 1000;

const newId = (): string => randomBytes(32).toString('base64url');

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"'`]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' })[c]!);

function page(reply: FastifyReply, status: number, title: string, body: string): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .header('content-security-policy', "default-src 'none'; form-action 'self'; frame-ancestors 'none'")
    .type('text/html; charset=utf-8')
    .send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Orders app</title></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>
`);
}

const signOutForm = '<form method="post" action="/logout"><button type="submit">Sign out</button></form>';

/** Builds the BFF (see the module comment). Call `app.listen` to serve it. */
export async function buildBffApp(options: BffOptions): Promise<Bff> {
  const baseUrl = options.baseUrl.replace(/\/$/, '');
  const secure = baseUrl.startsWith('https:');
  const cookieOptions = { httpOnly: true, secure, sameSite: 'lax' as const, path: '/' };
  const store = options.store ?? createMemoryTokenStore();
  const oauth = createOAuthClient({
    issuer: options.gatehouseUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    redirectUri: `${baseUrl}/callback`,
    store,
  });
  // Pre-login state (state, PKCE verifier, nonce), server-side, keyed by a random cookie; single use.
  const pendingLogins = new Map<string, { pending: PendingAuthorization; expires: number }>();

  const app = Fastify({ logger: false });
  await app.register(cookie);
  await app.register(formbody);

  /** The session id from the cookie, when its tokens are still in the store. */
  const signedInSession = async (sessionId: string | undefined): Promise<string | undefined> =>
    sessionId !== undefined && (await store.get(sessionId)) !== undefined ? sessionId : undefined;

  app.get('/', async (request, reply) => {
    const sessionId = await signedInSession(request.cookies[SESSION_COOKIE]);
    if (sessionId === undefined) {
      const cancelled = (request.query as Record<string, string | undefined>).login === 'cancelled';
      return page(reply, 200, 'Signed out', `${cancelled ? '<p role="status">Sign-in cancelled.</p>\n' : ''}<p>You are not signed in.</p>
<p><a href="/login">Sign in with Gatehouse</a></p>`);
    }
    const tokens = await store.get(sessionId);
    return page(reply, 200, 'Signed in', `<p>You are signed in. Granted scope: <code>${escapeHtml(tokens?.scope ?? '')}</code>.</p>
<p><a href="/orders">My orders</a></p>
${signOutForm}`);
  });

  app.get('/login', async (_request, reply) => {
    const { url, pending } = await oauth.createAuthorizationRequest({ scope: options.scope ?? ['orders:read'] });
    const now = Date.now();
    for (const [id, entry] of pendingLogins) if (entry.expires <= now) pendingLogins.delete(id);
    const loginId = newId();
    pendingLogins.set(loginId, { pending, expires: now + LOGIN_TTL_MS });
    reply.setCookie(LOGIN_COOKIE, loginId, { ...cookieOptions, maxAge: LOGIN_TTL_MS / 1000 });
    return reply.header('cache-control', 'no-store').redirect(url.href, 303);
  });

  app.get('/callback', async (request, reply) => {
    const loginId = request.cookies[LOGIN_COOKIE];
    const entry = loginId === undefined ? undefined : pendingLogins.get(loginId);
    if (loginId !== undefined) pendingLogins.delete(loginId);
    reply.clearCookie(LOGIN_COOKIE, cookieOptions);
    if (entry === undefined || entry.expires <= Date.now()) {
      return page(reply, 400, 'Sign-in failed', '<p>No sign-in is in progress in this browser. <a href="/login">Start again</a>.</p>');
    }
    // A new session id after sign-in (no session fixation); the old one, if any, is signed out.
    const previous = request.cookies[SESSION_COOKIE];
    if (previous !== undefined) await oauth.signOut(previous);
    const sessionId = newId();
    try {
      await oauth.handleCallback(sessionId, new URL(request.url, baseUrl), entry.pending);
    } catch (err) {
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      if (err instanceof AccessDeniedError) return reply.redirect('/?login=cancelled', 303);
      // The helper's errors never contain a token, code or secret: their code is safe to show.
      if (err instanceof OAuthClientError) return page(reply, 400, 'Sign-in failed', `<p>Sign-in failed (<code>${escapeHtml(err.code)}</code>). <a href="/login">Start again</a>.</p>`);
      throw err;
    }
    reply.setCookie(SESSION_COOKIE, sessionId, cookieOptions);
    return reply.redirect('/', 303);
  });

  app.get('/orders', async (request, reply) => {
    const sessionId = request.cookies[SESSION_COOKIE];
    if (sessionId === undefined) return reply.redirect('/login', 303);
    let upstream: Response;
    try {
      upstream = await oauth.fetchWithAuth(sessionId, `${options.apiUrl.replace(/\/$/, '')}/orders`, { headers: { accept: 'application/json' } });
    } catch (err) {
      if (err instanceof NotSignedInError || err instanceof RefreshTokenExpiredError) {
        reply.clearCookie(SESSION_COOKIE, cookieOptions);
        return reply.redirect('/login', 303);
      }
      throw err;
    }
    const text = await upstream.text();
    if (!upstream.ok) return page(reply, 502, 'Orders unavailable', `<p>The orders API answered ${upstream.status}.</p>\n<p><a href="/">Home</a></p>`);
    let shown = text;
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      // not JSON: shown as is
    }
    return page(reply, 200, 'My orders', `<p>The orders API answered:</p>
<pre id="api-answer">${escapeHtml(shown)}</pre>
<p><a href="/">Home</a></p>
${signOutForm}`);
  });

  app.post('/logout', async (request, reply) => {
    // SameSite=Lax keeps the cookie off cross-site POSTs; the Origin check is a second guard.
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== new URL(baseUrl).origin) return page(reply, 403, 'Refused', '<p>Cross-site request refused.</p>');
    const sessionId = request.cookies[SESSION_COOKIE];
    if (sessionId !== undefined) await oauth.signOut(sessionId); // forgets the tokens, revokes the refresh token (RFC 7009)
    reply.clearCookie(SESSION_COOKIE, cookieOptions);
    return reply.redirect('/', 303);
  });

  return { app, oauth };
}

if (isMain(import.meta.url)) {
  const clientId = process.env.CLIENT_ID;
  const clientSecret = process.env.CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    process.stderr.write('Set CLIENT_ID and CLIENT_SECRET (see examples/README.md, "Sign-in with OAuth").\n');
    process.exit(1);
  }
  const port = Number(process.env.BFF_PORT ?? 3000);
  const { app } = await buildBffApp({
    gatehouseUrl: process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:8080',
    clientId,
    clientSecret,
    baseUrl: process.env.BFF_URL ?? `http://127.0.0.1:${port}`,
    apiUrl: process.env.API_URL ?? 'http://127.0.0.1:3001',
    scope: process.env.SCOPE?.split(/[\s,]+/).filter(Boolean),
  });
  const url = await app.listen({ host: '127.0.0.1', port });
  process.stdout.write(`BFF example listening on ${url}: open it in a browser and sign in\n`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
