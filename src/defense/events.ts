import type { AuthEventInput, RequestContext } from '../core/events.js';

/** What a lock or throttle event says about the policy that triggered it. */
export interface PolicyFacts {
  maxFailures: number;
  windowSeconds: number;
  durationSeconds: number;
  lockedUntilMs: number;
}

function withContext(event: AuthEventInput, context: RequestContext): AuthEventInput {
  if (context.source) event.source = context.source;
  if (context.http) event.http = context.http;
  return event;
}

function policyDetails(policy: PolicyFacts): Record<string, number | string> {
  return {
    max_failures: policy.maxFailures,
    window_seconds: policy.windowSeconds,
    lock_seconds: policy.durationSeconds,
    locked_until: new Date(policy.lockedUntilMs).toISOString(),
  };
}

/**
 * `account.lock` for a lock of an identifier's shared bucket (`details.bucket: identifier`)
 * or of one device cookie's bucket (`bucket: device`, with the user id the cookie names).
 * Carries the identifier only as its keyed hash.
 */
export function lockEvent(
  context: RequestContext,
  bucket: { kind: 'identifier'; identifierHash: string } | { kind: 'device'; identifierHash: string; deviceId: string; userId: string },
  policy: PolicyFacts,
): AuthEventInput {
  const details: Record<string, number | string> = { bucket: bucket.kind, identifier_hash: bucket.identifierHash, ...policyDetails(policy) };
  const event: AuthEventInput = { type: 'account.lock', outcome: 'success', reason: 'too_many_failures', severity: 'high', details };
  if (bucket.kind === 'device') {
    event.target = { type: 'user', id: bucket.userId };
    details.device_id = bucket.deviceId;
  } else {
    event.target = { type: 'login_identifier', id: bucket.identifierHash };
  }
  return withContext(event, context);
}

/**
 * `alert.raise`: `brute_force` beside an identifier lock, `device_brute_force` beside a
 * device-cookie lock, `credential_stuffing` when a client address is throttled.
 */
export function alertEvent(
  context: RequestContext,
  alert:
    | { reason: 'brute_force'; identifierHash: string }
    | { reason: 'device_brute_force'; identifierHash: string; deviceId: string; userId: string }
    | { reason: 'credential_stuffing'; client: string },
  policy: PolicyFacts,
): AuthEventInput {
  const details: Record<string, number | string> = { ...policyDetails(policy) };
  const event: AuthEventInput = { type: 'alert.raise', outcome: 'failure', reason: alert.reason, severity: 'high', details };
  switch (alert.reason) {
    case 'credential_stuffing':
      event.target = { type: 'client_address', id: alert.client };
      details.client = alert.client;
      break;
    case 'brute_force':
      event.target = { type: 'login_identifier', id: alert.identifierHash };
      details.identifier_hash = alert.identifierHash;
      break;
    case 'device_brute_force':
      event.target = { type: 'user', id: alert.userId };
      details.identifier_hash = alert.identifierHash;
      details.device_id = alert.deviceId;
      break;
  }
  return withContext(event, context);
}
