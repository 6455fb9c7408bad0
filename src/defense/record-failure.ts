import { attemptState, type DefenseDeps } from './context.js';
import type { LoginAttempt } from './types.js';

/** A failure reason: a bounded machine code. */
const REASON = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Finalises a failed attempt. Its failure slots were counted when {@link checkLogin}
 * reserved them and stay counted, so nothing is written and the counters are not touched.
 * See {@link DefenseService.recordFailure}.
 *
 * @throws {TypeError} for a foreign or already finalised attempt, or a malformed reason
 */
export function recordFailure(deps: DefenseDeps, attempt: LoginAttempt, reason: string): Promise<void> {
  try {
    if (typeof reason !== 'string' || !REASON.test(reason)) throw new TypeError('recordFailure: reason must match [a-z][a-z0-9_]{0,63}');
    const state = attemptState(deps, attempt, 'recordFailure');
    state.finalized = true;
    state.failureReason = reason;
    return Promise.resolve();
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new TypeError(String(err)));
  }
}
