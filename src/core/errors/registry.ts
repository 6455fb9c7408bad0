/**
 * The registry of every public error code: one entry per code, deciding its HTTP status,
 * title and public message. Throw sites never choose a status. Codes are stable: never
 * renamed or reused. Each code has a line in `docs/errors.md` (enforced by a test).
 */
export const errorRegistry = {
  'api_key.invalid': {
    status: 401,
    title: 'Unauthorized',
    publicMessage: 'A valid API key is required.',
  },
  'api_key.not_found': {
    status: 404,
    title: 'Not Found',
    publicMessage: 'No API key with this id exists.',
  },
  'api_key.conflict': {
    status: 409,
    title: 'Conflict',
    publicMessage: 'The API key is revoked, expired or already rotated, so it cannot be changed this way.',
  },
  'auth.insufficient_scope': {
    status: 403,
    title: 'Forbidden',
    publicMessage: 'The credential lacks a scope this request requires.',
  },
  'auth.invalid_request': {
    status: 400,
    title: 'Bad Request',
    publicMessage: 'The request carries credentials in more than one way, or in a malformed header.',
  },
  'rate_limit.exceeded': {
    status: 429,
    title: 'Too Many Requests',
    publicMessage: 'Too many requests: the rate limit is exhausted. Retry after the time in Retry-After.',
  },
  'request.invalid': {
    status: 400,
    title: 'Bad Request',
    publicMessage: 'The request is not valid.',
  },
  'request.malformed_body': {
    status: 400,
    title: 'Bad Request',
    publicMessage: 'The request body is not valid JSON.',
  },
  'request.body_too_large': {
    status: 413,
    title: 'Content Too Large',
    publicMessage: 'The request body is larger than this server accepts.',
  },
  'request.unsupported_media_type': {
    status: 415,
    title: 'Unsupported Media Type',
    publicMessage: 'The request body must be application/json.',
  },
  'route.not_found': {
    status: 404,
    title: 'Not Found',
    publicMessage: 'No resource exists at this path.',
  },
  'storage.unavailable': {
    status: 503,
    title: 'Service Unavailable',
    publicMessage: 'A backing service is unavailable. Retry later.',
  },
  'auth.verifier_unavailable': {
    status: 503,
    title: 'Service Unavailable',
    publicMessage: 'The credential could not be checked because the verification service is unavailable. Retry later.',
  },
  'jwt.invalid_token': {
    status: 401,
    title: 'Unauthorized',
    publicMessage: 'A valid access token is required.',
  },
  'auth.login_throttled': {
    status: 429,
    title: 'Too Many Requests',
    publicMessage: 'Too many failed sign-in attempts from this network. Retry after the time in Retry-After.',
  },
  'auth.invalid_credentials': {
    status: 401,
    title: 'Unauthorized',
    publicMessage: 'invalid e-mail or password',
  },
  'session.invalid': {
    status: 401,
    title: 'Unauthorized',
    publicMessage: 'A valid session is required. Sign in again.',
  },
  'session.not_found': {
    status: 404,
    title: 'Not Found',
    publicMessage: 'No session with this id exists for the signed-in user.',
  },
  'session.limit_reached': {
    status: 409,
    title: 'Conflict',
    publicMessage: 'This account has the most active sessions allowed. Sign out on another device first.',
  },
  'csrf.rejected': {
    status: 403,
    title: 'Forbidden',
    publicMessage: 'The request was refused: it does not come from this site (Origin or CSRF token missing or wrong).',
  },
  'account.not_found': {
    status: 404,
    title: 'Not Found',
    publicMessage: 'No user with this id exists.',
  },
  'account.email_taken': {
    status: 409,
    title: 'Conflict',
    publicMessage: 'Another user already has this e-mail address.',
  },
  'account.wrong_password': {
    status: 403,
    title: 'Forbidden',
    publicMessage: 'The current password is not correct.',
  },
  'account.token_invalid': {
    status: 400,
    title: 'Bad Request',
    publicMessage: 'This link is invalid, has expired or has already been used. Request a new one.',
  },
  'account.signup_disabled': {
    status: 403,
    title: 'Forbidden',
    publicMessage: 'Self sign-up is disabled on this server. Ask an administrator for an account.',
  },
  'password.too_short': {
    status: 400,
    title: 'Bad Request',
    publicMessage: 'The password is too short.',
  },
  'password.too_long': {
    status: 400,
    title: 'Bad Request',
    publicMessage: 'The password is too long.',
  },
  'password.too_common': {
    status: 400,
    title: 'Bad Request',
    publicMessage: 'The password is on a list of commonly used passwords. Choose another.',
  },
  'password.too_repetitive': {
    status: 400,
    title: 'Bad Request',
    publicMessage: 'The password must not be one character repeated or consist only of spaces or invisible characters.',
  },
  'password.matches_email': {
    status: 400,
    title: 'Bad Request',
    publicMessage: 'The password must not be the e-mail address.',
  },
  'refresh_token.invalid': {
    status: 401,
    title: 'Unauthorized',
    publicMessage: 'The refresh token is missing, invalid, expired or revoked. Sign in again.',
  },
  'signing_key.unavailable': {
    status: 503,
    title: 'Service Unavailable',
    publicMessage: 'Tokens cannot be issued right now: no usable signing key. Retry later.',
  },
  'signing_key.rotation_pending': {
    status: 409,
    title: 'Conflict',
    publicMessage: 'A signing key rotation is already pending: a published key is waiting for its activation time.',
  },
  'oauth.invalid_request': {
    status: 400,
    oauthError: 'invalid_request',
    title: 'Bad Request',
    publicMessage: 'The request is missing a required parameter, repeats one, or is otherwise malformed.',
  },
  'oauth.invalid_client': {
    status: 401,
    oauthError: 'invalid_client',
    title: 'Unauthorized',
    publicMessage: 'Client authentication failed.',
  },
  'oauth.unauthorized_client': {
    status: 400,
    oauthError: 'unauthorized_client',
    title: 'Bad Request',
    publicMessage: 'The client is not allowed to use this grant type.',
  },
  'oauth.unsupported_grant_type': {
    status: 400,
    oauthError: 'unsupported_grant_type',
    title: 'Bad Request',
    publicMessage: 'The grant type is not supported by this server.',
  },
  'oauth.invalid_scope': {
    status: 400,
    oauthError: 'invalid_scope',
    title: 'Bad Request',
    publicMessage: 'The requested scope is invalid, unknown, or exceeds what the client may ask for.',
  },
  'oauth.invalid_target': {
    status: 400,
    oauthError: 'invalid_target',
    title: 'Bad Request',
    publicMessage: 'The requested resource is invalid or not allowed.',
  },
  'oauth.unsupported_token_type': {
    status: 400,
    oauthError: 'unsupported_token_type',
    title: 'Bad Request',
    publicMessage: 'The token type hint is not supported.',
  },
  'oauth.client_not_found': {
    status: 404,
    title: 'Not Found',
    publicMessage: 'No OAuth client with this id exists.',
  },
  'oauth.invalid_client_metadata': {
    status: 400,
    oauthError: 'invalid_client_metadata',
    title: 'Bad Request',
    publicMessage: 'A client metadata value is invalid.',
  },
  'oauth.invalid_redirect_uri': {
    status: 400,
    oauthError: 'invalid_redirect_uri',
    title: 'Bad Request',
    publicMessage: 'A redirect URI is invalid.',
  },
  'oauth.invalid_grant': {
    status: 400,
    oauthError: 'invalid_grant',
    title: 'Bad Request',
    publicMessage: 'The authorization code or refresh token is invalid, expired, revoked, or was issued to another client.',
  },
  'oauth.unsupported_response_type': {
    status: 400,
    oauthError: 'unsupported_response_type',
    title: 'Bad Request',
    publicMessage: 'Only response_type=code is supported.',
  },
  'oauth.access_denied': {
    status: 403,
    oauthError: 'access_denied',
    title: 'Forbidden',
    publicMessage: 'The user denied the authorization request.',
  },
  'oauth.invalid_token': {
    status: 401,
    oauthError: 'invalid_token',
    title: 'Unauthorized',
    publicMessage: 'The access token is missing, malformed, expired, revoked or not issued by this server.',
  },
  'oauth.insufficient_scope': {
    status: 403,
    oauthError: 'insufficient_scope',
    title: 'Forbidden',
    publicMessage: 'The access token was not granted the openid scope.',
  },
  'oauth.login_required': {
    status: 400,
    oauthError: 'login_required',
    title: 'Bad Request',
    publicMessage: 'The user is not signed in and prompt=none forbids asking.',
  },
  'oauth.consent_required': {
    status: 400,
    oauthError: 'consent_required',
    title: 'Bad Request',
    publicMessage: 'The user has not consented to these scopes and prompt=none forbids asking.',
  },
  'oauth.consent_not_found': {
    status: 404,
    title: 'Not Found',
    publicMessage: 'You have not authorized this client.',
  },
  internal: {
    status: 500,
    title: 'Internal Server Error',
    publicMessage: 'An internal error occurred. It has been logged with the request id.',
  },
} as const satisfies Record<string, { status: number; oauthError?: string; title: string; publicMessage: string }>;

/** Every public error code; `switch (err.code)` narrows on it. */
export type ErrorCode = keyof typeof errorRegistry;

/**
 * The RFC 6749 §5.2 (or RFC 7009 / RFC 7591 / RFC 8707) `error` value of a code answered by an
 * OAuth endpoint; undefined for codes that have none.
 */
export function oauthErrorOf(code: ErrorCode): string | undefined {
  const entry = errorRegistry[code];
  return 'oauthError' in entry ? entry.oauthError : undefined;
}

/** All codes, for tests and documentation. */
export const errorCodes = Object.keys(errorRegistry) as ErrorCode[];
