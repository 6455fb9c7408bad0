/**
 * Errors of the OAuth client helper. Every class extends {@link OAuthClientError}, whose
 * `code` is stable and machine-readable. No message, property or `cause` chain built here
 * ever holds a token, an authorization code, a PKCE verifier, a client secret or the app's
 * session id, so every error is safe to log as is. (`description` on the server-error
 * classes is the server's own `error_description`, kept as the server sent it.)
 */

/**
 * Why the helper itself refused something (as opposed to an error the server returned):
 *
 * - `discovery_failed`: neither RFC 8414 nor OpenID Connect metadata could be fetched.
 * - `invalid_metadata`: the metadata is not a JSON object, lacks a required endpoint, or its
 *   `issuer` differs from the configured one (RFC 8414 §3.3).
 * - `state_mismatch`: the callback's `state` is missing or differs from the one sent
 *   (RFC 6749 §10.12, RFC 9700 §2.1). Possible CSRF: do not retry, start over.
 * - `issuer_mismatch`: the callback's `iss` is missing although the server advertises
 *   `authorization_response_iss_parameter_supported`, or differs from the issuer (RFC 9207 §2.4).
 *   Possible mix-up attack.
 * - `invalid_callback`: the callback has neither `code` nor `error`, or repeats a parameter.
 * - `invalid_token_response`: the token endpoint answered 200 with a body that is not a valid
 *   RFC 6749 §5.1 response (no `access_token`, `token_type` not `Bearer`, no `id_token` although
 *   `openid` was asked for …).
 * - `invalid_id_token`: the ID token failed validation (OpenID Connect Core §3.1.3.7): signature,
 *   `iss`, `aud`, `azp`, `exp`, `iat`, `nonce` or `at_hash`. `claim` names the failed check.
 * - `request_failed`: a request to the server failed at the network level or timed out.
 */
export type OAuthValidationErrorCode =
  | 'discovery_failed'
  | 'invalid_metadata'
  | 'state_mismatch'
  | 'issuer_mismatch'
  | 'invalid_callback'
  | 'invalid_token_response'
  | 'invalid_id_token'
  | 'request_failed';

/**
 * Base class of every error the client helper throws. `code` is stable; branch on it or on
 * the subclass.
 *
 * @example
 * try {
 *   await oauth.fetchWithAuth(sessionId, 'https://api.example.com/me');
 * } catch (err) {
 *   if (err instanceof RefreshTokenExpiredError || err instanceof NotSignedInError) return redirectToLogin();
 *   throw err;
 * }
 */
export class OAuthClientError extends Error {
  override readonly name: string = 'OAuthClientError';
  readonly code: string;

  constructor(code: string, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** The helper refused a server response or could not reach the server; see {@link OAuthValidationErrorCode}. */
export class OAuthValidationError extends OAuthClientError {
  override readonly name: string = 'OAuthValidationError';
  declare readonly code: OAuthValidationErrorCode;
  /** For `invalid_id_token`: the claim or check that failed (`nonce`, `at_hash`, `aud`, `signature` …). */
  readonly claim: string | undefined;

  constructor(code: OAuthValidationErrorCode, message: string, options: { claim?: string; cause?: unknown } = {}) {
    super(code, message, options);
    this.claim = options.claim;
  }
}

/**
 * The authorization server redirected back with an error (RFC 6749 §4.1.2.1): `code` is the
 * server's `error` (`invalid_request`, `unauthorized_client`, `invalid_scope`, `server_error`,
 * `temporarily_unavailable`, `login_required`, `consent_required` …). `access_denied` is the
 * subclass {@link AccessDeniedError}. Thrown only after `state` (and `iss`) matched, so the
 * response belongs to this user's request.
 */
export class OAuthCallbackError extends OAuthClientError {
  override readonly name: string = 'OAuthCallbackError';
  /** The server's `error_description`, if any (human-readable, not localized, untrusted). */
  readonly description: string | undefined;
  /** The server's `error_uri`, if any. */
  readonly uri: string | undefined;

  constructor(code: string, description?: string, uri?: string) {
    super(code, `authorization server returned error "${code}"`);
    this.description = description;
    this.uri = uri;
  }
}

/** The user (or the server's policy) refused the authorization request: `error=access_denied`. */
export class AccessDeniedError extends OAuthCallbackError {
  override readonly name: string = 'AccessDeniedError';
  constructor(description?: string, uri?: string) {
    super('access_denied', description, uri);
  }
}

/**
 * The token endpoint refused a request (RFC 6749 §5.2): `code` is the server's `error`
 * (`invalid_grant`, `invalid_client`, `invalid_request`, `unauthorized_client`,
 * `unsupported_grant_type`, `invalid_scope`), or `invalid_response` when the error body is
 * not RFC 6749 JSON (a proxy's HTML page, a 5xx). `status` is the HTTP status.
 */
export class TokenEndpointError extends OAuthClientError {
  override readonly name: string = 'TokenEndpointError';
  readonly status: number;
  readonly description: string | undefined;

  constructor(code: string, status: number, description?: string) {
    super(code, `token endpoint returned error "${code}" (HTTP ${status})`);
    this.status = status;
    this.description = description;
  }
}

/**
 * The session's tokens can no longer be renewed: the refresh token was refused with
 * `invalid_grant` (expired, revoked, or already used), or there is none and the access token
 * expired or was refused. The stored tokens have been deleted; send the user through the
 * authorization flow again. `code` is `refresh_token_expired`; `cause` is the
 * {@link TokenEndpointError}, when there was one.
 */
export class RefreshTokenExpiredError extends OAuthClientError {
  override readonly name: string = 'RefreshTokenExpiredError';
  constructor(options: { cause?: unknown } = {}) {
    super('refresh_token_expired', 'the refresh token is no longer valid; sign in again', options);
  }
}

/** No tokens are stored for this session id (never signed in, signed out, or cleared). `code` is `not_signed_in`. */
export class NotSignedInError extends OAuthClientError {
  override readonly name: string = 'NotSignedInError';
  constructor() {
    super('not_signed_in', 'no tokens are stored for this session');
  }
}
