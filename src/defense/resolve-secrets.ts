import type { Clock } from '../core/clock.js';
import type { GatehouseConfig } from '../core/config/schema.js';
import type { RandomSource } from '../core/crypto/random.js';
import type { DefenseStore } from './store.js';

/** The name of the generated secret in the database. */
export const GENERATED_SECRET_NAME = 'defense';

/**
 * The defence's secrets, current first: `defense.secret` when configured, otherwise a
 * 256-bit random secret generated once and stored in the database, so every instance
 * sharing the database signs and checks device cookies with the same key; then
 * `defense.previousSecrets` (rotation).
 *
 * @throws {GatehouseError} `storage.unavailable` when the generated secret cannot be read or stored
 * @example
 * const secrets = await resolveDefenseSecrets(config.defense, createSqlDefenseStore(database), secureRandom, systemClock);
 */
export async function resolveDefenseSecrets(config: GatehouseConfig['defense'], store: DefenseStore, random: RandomSource, clock: Clock): Promise<string[]> {
  const current = config.secret ?? (await store.getOrCreateSecret(GENERATED_SECRET_NAME, Buffer.from(random.bytes(32)).toString('base64url'), clock.now()));
  return [current, ...config.previousSecrets.filter((secret) => secret !== current)];
}
