import { checkLogin } from './check-login.js';
import type { DefenseDeps, DefenseServiceOptions } from './context.js';
import { identifierHash, normalizeIdentifier } from './identifier.js';
import { deriveDefenseKeys } from './keys.js';
import { limitAccountFlow } from './limit-account-flow.js';
import { recordFailure } from './record-failure.js';
import { recordSuccess } from './record-success.js';
import type { DefenseService } from './types.js';

export type { DefenseServiceOptions } from './context.js';

/**
 * Builds the login defence (account lockout, per-address throttle, device cookies) from
 * explicit dependencies. Every counter goes through `counters`, so with Redis the limits
 * hold across instances. See `docs/defense.md`.
 *
 * @throws {TypeError} when `secrets` is empty
 * @example
 * const defense = createDefenseService({ counters, audit, clock, random, config: config.defense, secrets, logger });
 * const check = await defense.checkLogin({ identifier: 'alice@example.com', ip: '192.0.2.1' });
 */
export function createDefenseService(options: DefenseServiceOptions): DefenseService {
  const deps: DefenseDeps = { ...options, keys: deriveDefenseKeys(options.secrets), attempts: new WeakMap() };
  return {
    checkLogin: (input, context) => checkLogin(deps, input, context),
    recordFailure: (attempt, reason) => recordFailure(deps, attempt, reason),
    recordSuccess: (attempt, userId) => recordSuccess(deps, attempt, userId),
    limitAccountFlow: (ip) => limitAccountFlow(deps, ip),
    hashIdentifier: (identifier) => identifierHash(deps.keys.identifierKey, normalizeIdentifier(identifier)),
  };
}
