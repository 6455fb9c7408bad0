import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isWellFormedAccountToken } from '../../accounts/tokens.js';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { Gatehouse } from '../../gatehouse.js';
import { fastifyRequestContext } from '../../middleware/fastify.js';
import { PasswordResetConfirmBody, PasswordResetRequestBody, SignupBody, TokenQuery, VerifyEmailBody } from '../account-schemas.js';
import { errorResponse } from '../errors.js';
import { html, PAGE_HEADERS, renderPage, type SafeHtml } from '../pages/html.js';

const FORM_TYPE = 'application/x-www-form-urlencoded';

/** The answers that must not differ between known and unknown addresses. */
export const SIGNUP_ACCEPTED = Object.freeze({
  status: 'accepted',
  message: 'Check your e-mail to continue: if this address can be used, a message with the next step is on its way.',
});
export const RESET_ACCEPTED = Object.freeze({
  status: 'accepted',
  message: 'If an account exists for this address, we sent it a link to reset the password.',
});

function isFormPost(request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase() === FORM_TYPE;
}

function sendPage(reply: FastifyReply, status: number, title: string, body: SafeHtml): FastifyReply {
  return reply.code(status).headers(PAGE_HEADERS).send(renderPage({ title, body }));
}

function errorBox(message: string | undefined): SafeHtml {
  return html`${message ? html`<p class="error" role="alert" id="form-error">${message}</p>` : ''}`;
}

/**
 * Runs a flow step for a JSON or an HTML form post. A JSON caller gets the JSON answer, and
 * errors go to the one error mapping (problem+json). A form caller gets a page: the success
 * page, or the form again with the public error message and the registry's status; a 5xx is
 * logged with the request id and answered with a generic page.
 */
async function respond(
  request: FastifyRequest,
  reply: FastifyReply,
  step: () => Promise<{ status: number; json: unknown; page: { title: string; body: SafeHtml } }>,
  formAgain: (message: string, code: string) => { title: string; body: SafeHtml },
): Promise<FastifyReply> {
  if (!isFormPost(request)) {
    const result = await step();
    return reply.code(result.status).send(result.json);
  }
  try {
    const result = await step();
    return sendPage(reply, result.status === 202 ? 200 : result.status, result.page.title, result.page.body);
  } catch (err) {
    const response = errorResponse(err, String(request.id));
    if (response.status >= 500) {
      request.log.error({ err, request_id: request.id, route: request.routeOptions.url }, 'request failed');
      return sendPage(reply, response.status, 'Something went wrong', html`<p class="error" role="alert">The service is unavailable right now. Try again in a few minutes.</p>`);
    }
    const page = err instanceof GatehouseError ? formAgain(err.message, err.code) : formAgain('The request is not valid.', 'request.invalid');
    return sendPage(reply, response.status, page.title, page.body);
  }
}

/**
 * Self sign-up, e-mail verification and password reset: `POST /auth/signup`,
 * `/auth/verify-email`, `/auth/password-reset`, `/auth/password-reset/confirm` (JSON or HTML
 * form posts) and the pages `GET /signup`, `/verify-email`, `/reset-password`. Pages carry
 * {@link PAGE_HEADERS} (no script, same-origin form posts only, no framing, no referrer).
 * Forms accept an optional `_csrf` field; CSRF checking belongs to the sessions layer.
 */
export function accountFlowRoutes(gatehouse: Gatehouse): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Encapsulated in this plugin, unless another plugin already made form bodies parseable here.
    if (!app.hasContentTypeParser(FORM_TYPE)) await app.register(formbody);
    const accounts = gatehouse.accounts;
    // Each flow hashes a password or sends mail: limited per client address (429 + Retry-After).
    const limited = { preHandler: (request: FastifyRequest) => gatehouse.defense.limitAccountFlow(request.ip) };
    const policy = gatehouse.config.accounts.password;

    const signupForm = (message?: string, values: { email?: string; name?: string | null } = {}) => ({
      title: 'Create an account',
      body: html`${errorBox(message)}
<form method="post" action="/auth/signup" novalidate>
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${values.email ?? ''}"${message ? html` aria-describedby="form-error"` : ''}>
<label for="name">Name <span>(optional)</span></label>
<input id="name" name="name" type="text" autocomplete="name" maxlength="200" value="${values.name ?? ''}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="${policy.minLength}" aria-describedby="password-hint">
<p id="password-hint">At least ${policy.minLength} characters. Spaces and any characters are welcome; a long passphrase is best.</p>
<button type="submit">Create account</button>
</form>
<p>Already have an account? <a href="/login">Sign in</a>.</p>`,
    });

    const resetRequestForm = (message?: string, email?: string) => ({
      title: 'Reset your password',
      body: html`${errorBox(message)}
<p>Enter the e-mail address of your account. We will send you a link to choose a new password.</p>
<form method="post" action="/auth/password-reset" novalidate>
<label for="email">E-mail address</label>
<input id="email" name="email" type="email" autocomplete="email" required value="${email ?? ''}"${message ? html` aria-describedby="form-error"` : ''}>
<button type="submit">Send reset link</button>
</form>`,
    });

    const resetConfirmForm = (token: string, message?: string) => ({
      title: 'Choose a new password',
      body: html`${errorBox(message)}
<form method="post" action="/auth/password-reset/confirm" novalidate>
<input type="hidden" name="token" value="${token}">
<label for="password">New password</label>
<input id="password" name="password" type="password" autocomplete="new-password" required minlength="${policy.minLength}" aria-describedby="password-hint">
<p id="password-hint">At least ${policy.minLength} characters. Setting it signs you out on every device.</p>
<label for="password_confirmation">New password again</label>
<input id="password_confirmation" name="password_confirmation" type="password" autocomplete="new-password" required>
<button type="submit">Set password</button>
</form>`,
    });

    const verifyForm = (token: string, message?: string) => ({
      title: 'Confirm your e-mail address',
      body: html`${errorBox(message)}
<form method="post" action="/auth/verify-email">
<input type="hidden" name="token" value="${token}">
<p>Confirm that this e-mail address is yours.</p>
<button type="submit">Confirm e-mail address</button>
</form>`,
    });

    const badLink = () => ({
      title: 'This link does not work',
      body: html`<p class="error" role="alert">This link is invalid, has expired or has already been used.</p>
<p><a href="/reset-password">Request a new password-reset link</a>.</p>`,
    });

    // ---- pages ----

    app.get('/signup', (_request, reply) => {
      if (!gatehouse.config.accounts.signup.enabled) {
        return sendPage(reply, 403, 'Sign-up is closed', html`<p>Accounts on this server are created by an administrator.</p><p><a href="/login">Sign in</a></p>`);
      }
      const page = signupForm();
      return sendPage(reply, 200, page.title, page.body);
    });

    app.get('/verify-email', { schema: { querystring: TokenQuery } }, (request, reply) => {
      const { token } = request.query;
      const page = isWellFormedAccountToken(token) ? verifyForm(token) : badLink();
      return sendPage(reply, isWellFormedAccountToken(token) ? 200 : 400, page.title, page.body);
    });

    app.get('/reset-password', { schema: { querystring: TokenQuery } }, (request, reply) => {
      const { token } = request.query;
      if (token === undefined) {
        const page = resetRequestForm();
        return sendPage(reply, 200, page.title, page.body);
      }
      const page = isWellFormedAccountToken(token) ? resetConfirmForm(token) : badLink();
      return sendPage(reply, isWellFormedAccountToken(token) ? 200 : 400, page.title, page.body);
    });

    // ---- flows ----

    app.post('/auth/signup', { ...limited, schema: { body: SignupBody } }, (request, reply) => {
      const b = request.body;
      return respond(
        request,
        reply,
        async () => {
          await accounts.signUp({ email: b.email, password: b.password, ...(b.name !== undefined ? { name: b.name } : {}) }, fastifyRequestContext(request));
          return {
            status: 202,
            json: SIGNUP_ACCEPTED,
            page: { title: 'Check your e-mail', body: html`<p class="notice" role="status">${SIGNUP_ACCEPTED.message}</p>` },
          };
        },
        (message) => signupForm(message, { email: b.email, name: b.name ?? null }),
      );
    });

    app.post('/auth/verify-email', { ...limited, schema: { body: VerifyEmailBody } }, (request, reply) =>
      respond(
        request,
        reply,
        async () => {
          await accounts.verifyEmail(request.body.token, fastifyRequestContext(request));
          return {
            status: 200,
            json: { status: 'verified' },
            page: { title: 'E-mail address confirmed', body: html`<p class="notice" role="status">Thank you: your e-mail address is confirmed.</p><p><a href="/login">Sign in</a></p>` },
          };
        },
        () => badLink(),
      ),
    );

    app.post('/auth/password-reset', { ...limited, schema: { body: PasswordResetRequestBody } }, (request, reply) =>
      respond(
        request,
        reply,
        async () => {
          await accounts.requestPasswordReset(request.body.email, fastifyRequestContext(request));
          return {
            status: 202,
            json: RESET_ACCEPTED,
            page: { title: 'Check your e-mail', body: html`<p class="notice" role="status">${RESET_ACCEPTED.message}</p>` },
          };
        },
        (message) => resetRequestForm(message, request.body.email),
      ),
    );

    app.post('/auth/password-reset/confirm', { ...limited, schema: { body: PasswordResetConfirmBody } }, (request, reply) => {
      const b = request.body;
      return respond(
        request,
        reply,
        async () => {
          if (b.password_confirmation !== undefined && b.password_confirmation !== b.password) {
            throw new GatehouseError('request.invalid', { publicMessage: 'The two passwords do not match.' });
          }
          await accounts.resetPassword(b.token, b.password, fastifyRequestContext(request));
          return {
            status: 200,
            json: { status: 'password_reset' },
            page: {
              title: 'Password changed',
              body: html`<p class="notice" role="status">Your password is changed, and you are signed out on every device.</p><p><a href="/login">Sign in</a></p>`,
            },
          };
        },
        (message, code) => (code !== 'account.token_invalid' && isWellFormedAccountToken(b.token) ? resetConfirmForm(b.token, message) : badLink()),
      );
    });
  };
}
