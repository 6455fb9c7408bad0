import type { Clock } from '../core/clock.js';
import type { GatehouseConfig } from '../core/config/schema.js';
import type { RandomSource } from '../core/crypto/random.js';
import type { AuditLog, RequestContext } from '../core/events.js';
import type { Logger } from '../core/logger.js';
import type { CounterStore } from '../rate-limit/store.js';
import type { DefenseKeys } from './keys.js';
import type { LoginAttempt } from './types.js';

/** What the defence service is built from (see `createDefenseService`). */
export interface DefenseServiceOptions {
  counters: CounterStore;
  audit: AuditLog;
  clock: Clock;
  random: RandomSource;
  config: GatehouseConfig['defense'];
  /**
   * The secrets, current first, then earlier ones still accepted for device cookies
   * (`resolveDefenseSecrets` gives them from configuration or the database).
   */
  secrets: readonly string[];
  logger: Logger;
}

/** The private state of one {@link LoginAttempt}, kept out of the caller's reach. */
export interface AttemptState {
  normalizedIdentifier: string;
  /** Counter keys whose slot this attempt holds, released on success. */
  slots: string[];
  finalized: boolean;
  failureReason: string | undefined;
  context: RequestContext;
}

/** What every defence operation is built from: the options and derived, in-process state. */
export interface DefenseDeps extends DefenseServiceOptions {
  keys: DefenseKeys;
  /** Attempts made by this service; an object not in here was not. */
  attempts: WeakMap<LoginAttempt, AttemptState>;
}

/** The state of an attempt made by this service, or a TypeError (a programmer mistake). */
export function attemptState(deps: DefenseDeps, attempt: LoginAttempt, operation: string): AttemptState {
  const state = deps.attempts.get(attempt);
  if (!state) throw new TypeError(`${operation}: not a LoginAttempt from this service's checkLogin`);
  if (state.finalized) throw new TypeError(`${operation}: the attempt was already finalised`);
  return state;
}
