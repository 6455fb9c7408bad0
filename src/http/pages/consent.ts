import { html, PAGE_HEADERS, renderPage } from './html.js';

/** What the consent page shows and carries. */
export interface ConsentPageView {
  /** The client's `client_name` (escaped on output). */
  clientName: string;
  clientId: string;
  /** The scopes asked for (shown as a list; none: "basic access"). */
  scopes: readonly string[];
  /** Where the answer will be sent (its host is shown so the user can judge it). */
  redirectUri: string;
  /** The session's CSRF token, for the `_csrf` field. */
  csrfToken: string;
  /** The authorization request's parameters, carried as hidden fields and validated again on POST. */
  hidden: Readonly<Record<string, string>>;
  /** Where the form posts. */
  action: string;
}

/** The host (or custom scheme) of a redirect URI, as the user should read it. */
function destinationOf(redirectUri: string): string {
  const url = new URL(redirectUri);
  return url.host !== '' ? url.host : url.protocol.slice(0, -1);
}

/**
 * The consent page: which client asks, for which scopes, where the answer goes; two buttons
 * (allow, deny) in one CSRF-protected form; no script. Accessible: a labelled list of scopes,
 * the decision buttons named by their text.
 */
export function renderConsentPage(view: ConsentPageView): string {
  const body = html`<p><strong>${view.clientName}</strong> wants to access your account.</p>
<h2 id="scopes-heading">It asks for</h2>
${view.scopes.length > 0 ? html`<ul aria-labelledby="scopes-heading">${view.scopes.map((s) => html`<li><code>${s}</code></li>`)}</ul>` : html`<p>Basic access to your account (no specific scope).</p>`}
<p>You will be sent back to <strong>${destinationOf(view.redirectUri)}</strong>. You can withdraw this permission later.</p>
<form method="post" action="${view.action}">
<input type="hidden" name="_csrf" value="${view.csrfToken}">
${Object.entries(view.hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>
<p><small>Client id: <code>${view.clientId}</code></small></p>`;
  return renderPage({ title: 'Authorize access', body });
}

/**
 * The headers of the consent page: {@link PAGE_HEADERS} with `form-action` also allowing the
 * redirect URI's origin (or custom scheme), since browsers apply `form-action` to the redirect
 * that answers the form post too.
 */
export function consentPageHeaders(redirectUri: string): Record<string, string> {
  const url = new URL(redirectUri);
  const source = url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : url.protocol;
  const csp = PAGE_HEADERS['content-security-policy']!.replace("form-action 'self'", `form-action 'self' ${source}`);
  return { ...PAGE_HEADERS, 'content-security-policy': csp };
}

/** The page shown when an authorization request cannot be answered by redirect (unknown client, unregistered redirect URI). */
export function renderAuthorizeErrorPage(message: string): string {
  const body = html`<div class="error" role="alert"><p>${message}</p></div>
<p>The application that sent you here is misconfigured or the link is not genuine, so you were not sent back to it. Close this page and contact the application's owner.</p>`;
  return renderPage({ title: 'Authorization request refused', body });
}
