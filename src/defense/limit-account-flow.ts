import { RateLimitedError } from '../core/errors/gatehouse-error.js';
import { clientBucket } from './client-address.js';
import type { DefenseDeps } from './context.js';

/** The RateLimit-Policy name of the account-flow limit. */
export const ACCOUNT_FLOW_POLICY = 'account_flow';

/**
 * Counts one request from `ip` to the unauthenticated account flows (sign-up, e-mail
 * verification, password reset) against `defense.accountFlows` (fixed windows, through the
 * counters port, so the limit holds across instances). These requests hash a password with
 * argon2id or send mail, so they are limited per client address (IPv6: per network, as the
 * login throttle) whether they succeed or not.
 *
 * @param ip the client address as the HTTP edge determined it (`request.ip`)
 * @throws {RateLimitedError} `rate_limit.exceeded` (429 with Retry-After) over the limit
 * @throws {GatehouseError} `storage.unavailable` when the counters cannot be reached (fail closed)
 */
export async function limitAccountFlow(deps: DefenseDeps, ip: string): Promise<void> {
  const { limit, windowSeconds } = deps.config.accountFlows;
  const client = clientBucket(ip, deps.config.ipThrottle.ipv6PrefixLength);
  const consumed = await deps.counters.consume({ key: `def:{flow:${client}}`, limit, windowMs: windowSeconds * 1000 });
  if (consumed.allowed) return;
  throw new RateLimitedError({ policy: ACCOUNT_FLOW_POLICY, limit, remaining: 0, resetSeconds: Math.ceil(consumed.resetMs / 1000), windowSeconds });
}
