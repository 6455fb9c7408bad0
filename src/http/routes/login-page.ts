import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { User } from '../../accounts/types.js';
import type { Gatehouse } from '../../gatehouse.js';
import { authenticateSession } from '../../middleware/session-auth.js';
import { fastifySessionRequest } from '../../middleware/fastify.js';
import { html, PAGE_HEADERS, renderPage } from '../pages/html.js';
import { ensureLoginCsrf, safeReturnTo } from '../session-cookies.js';

/** What the sign-in form shows. */
export interface LoginFormView {
  /** The e-mail to prefill (what the user typed). */
  email?: string;
  /** One error message for the summary (`role="alert"`). */
  error?: string;
  /** The login CSRF value for the hidden `_csrf` field. */
  csrf: string;
  /** Where to go after signing in (already checked by `safeReturnTo`). */
  returnTo: string;
  /** Link to the sign-up page (when `accounts.signup.enabled`). */
  signupEnabled?: boolean;
}

/**
 * The sign-in page: labelled fields with `autocomplete` hints (`username`,
 * `current-password`) so password managers fill them, an error summary announced by screen
 * readers (`role="alert"`) and linked to the fields it concerns, no script.
 */
export function renderLoginPage(view: LoginFormView): string {
  const invalid = view.error !== undefined;
  const body = html`${invalid ? html`<div class="error" role="alert" id="error-summary"><p>${view.error}</p></div>` : ''}
<form method="post" action="/auth/login" novalidate>
<input type="hidden" name="_csrf" value="${view.csrf}">
<input type="hidden" name="return_to" value="${view.returnTo}">
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="username" spellcheck="false" autocapitalize="none" required maxlength="320" value="${view.email ?? ''}"${invalid ? html` aria-invalid="true" aria-describedby="error-summary"` : ''}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${invalid ? html` aria-invalid="true" aria-describedby="error-summary"` : ''}>
<button type="submit">Sign in</button>
</form>
<p><a href="/reset-password">Forgot your password?</a></p>
${view.signupEnabled ? html`<p>No account yet? <a href="/signup">Create one</a>.</p>` : ''}`;
  return renderPage({ title: 'Sign in', body });
}

/** The page a signed-in user sees at `/login`: who they are, sign out, sign out everywhere else. */
export function renderSignedInPage(view: { user: Pick<User, 'email' | 'name'>; csrfToken: string; notice?: string }): string {
  const body = html`${view.notice ? html`<div class="notice" role="status"><p>${view.notice}</p></div>` : ''}
<p>You are signed in as <strong>${view.user.name ?? view.user.email}</strong>${view.user.name ? html` (${view.user.email})` : ''}.</p>
<form method="post" action="/auth/logout">
<input type="hidden" name="_csrf" value="${view.csrfToken}">
<button type="submit">Sign out</button>
</form>
<form method="post" action="/auth/sessions/revoke-others">
<input type="hidden" name="_csrf" value="${view.csrfToken}">
<button type="submit">Sign out everywhere else</button>
</form>`;
  return renderPage({ title: 'Signed in', body });
}

/** Sends an HTML page with the page headers (CSP without scripts, no framing, no-store). */
export function sendPage(reply: FastifyReply, status: number, page: string): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(page);
}

/** `GET /login`: the sign-in form, or the signed-in page when the browser has a valid session (unless `prompt=login`). */
export function loginPageRoutes(gatehouse: Gatehouse, allowedOrigins: () => readonly string[]): FastifyPluginAsync {
  return (app) => {
    app.get<{ Querystring: { return_to?: string; prompt?: string } }>('/login', async (request, reply) => {
      const outcome = await authenticateSession(gatehouse.sessions, fastifySessionRequest(request), {
        cookieName: gatehouse.sessionCookie.name,
        allowedOrigins: allowedOrigins(),
      });
      // `prompt=login` (from `/oauth2/authorize`, OIDC Core §3.1.2.1): the form even with a session.
      const reauthenticate = request.query.prompt === 'login';
      if (outcome.ok) {
        const user = reauthenticate ? undefined : await gatehouse.accounts.get(outcome.auth.session.userId).catch(() => undefined);
        if (user) return sendPage(reply, 200, renderSignedInPage({ user, csrfToken: outcome.auth.csrfToken }));
      } else if (outcome.response.status >= 500) {
        throw outcome.error;
      }
      const query = request.query;
      const csrf = ensureLoginCsrf(reply, request.headers.cookie, gatehouse.sessionCookie);
      return sendPage(
        reply,
        200,
        renderLoginPage({ csrf, returnTo: safeReturnTo(typeof query.return_to === 'string' ? query.return_to : undefined), signupEnabled: gatehouse.config.accounts.signup.enabled }),
      );
    });
    return Promise.resolve();
  };
}
