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
    publicMessage: 'The rate limit for this credential is exhausted. Retry after the time in Retry-After.',
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
  internal: {
    status: 500,
    title: 'Internal Server Error',
    publicMessage: 'An internal error occurred. It has been logged with the request id.',
  },
} as const satisfies Record<string, { status: number; title: string; publicMessage: string }>;

/** Every public error code; `switch (err.code)` narrows on it. */
export type ErrorCode = keyof typeof errorRegistry;

/** All codes, for tests and documentation. */
export const errorCodes = Object.keys(errorRegistry) as ErrorCode[];
