import { randomBytes } from 'node:crypto';

// No `_`: every Gatehouse key and token has one, so a credential pasted into the header is never echoed.
const INCOMING = /^[A-Za-z0-9.:-]{1,64}$/;
const processPart = randomBytes(4).toString('hex');
let counter = 0;

/**
 * A request id: the caller's `X-Request-Id` when it is short and plain, otherwise a new
 * process-unique one. Ids correlate responses, logs and auth events; they are not secrets.
 */
export function requestIdFrom(incoming: string | string[] | undefined): string {
  if (typeof incoming === 'string' && INCOMING.test(incoming)) return incoming;
  return `req_${processPart}${(++counter).toString(36).padStart(7, '0')}`;
}
