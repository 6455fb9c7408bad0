import type { GatehouseConfig } from '../core/config/schema.js';
import type { SigningKey, SigningKeyState } from './types.js';

/**
 * How long, in milliseconds, a retired key stays published after it last signed: the longest
 * access-token lifetime any call may ask for, plus the clock tolerance.
 */
export function publishAfterRetirementMs(config: GatehouseConfig['jwt']): number {
  return (config.accessToken.maxLifetimeSeconds + config.clockToleranceSeconds) * 1000;
}

/**
 * The state of a key at `now`, from its times alone (so every instance with the same key list
 * and a synchronised clock agrees, whatever the maintenance timer did):
 *
 * - `now < activatesAt`: pending;
 * - `now < retiresAt` (or no successor yet): active;
 * - `now < retiresAt + maxLifetime + tolerance`: retired, still published;
 * - later: removed.
 *
 * Boundaries are half-open: at exactly `activatesAt` the key is active, at exactly `retiresAt`
 * it is retired.
 */
export function signingKeyStateAt(key: Pick<SigningKey, 'activatesAt' | 'retiresAt'>, now: number, config: GatehouseConfig['jwt']): SigningKeyState {
  if (now < key.activatesAt) return 'pending';
  if (key.retiresAt === null || now < key.retiresAt) return 'active';
  if (now < key.retiresAt + publishAfterRetirementMs(config)) return 'retired';
  return 'removed';
}

/** The order of states; a key only ever moves forward. */
export const STATE_ORDER: readonly SigningKeyState[] = ['pending', 'active', 'retired', 'removed'];
