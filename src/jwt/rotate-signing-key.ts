import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RequestContext } from '../core/events.js';
import type { TokenDeps } from './context.js';
import { createSigningKey } from './create-signing-key.js';
import { emitSigningKeyEvent } from './events.js';
import { toSigningKey } from './list-signing-keys.js';
import type { SigningKey } from './types.js';

/**
 * Manual rotation (`gatehouse jwks rotate`): creates the next signing key, published at once
 * and activating after `jwt.rotation.prePublishSeconds`; the current key then retires at that
 * moment and stays published until every token it signed has expired. With no key yet, creates
 * the first one, active at once. Emits `signing_key.create` (and `signing_key.activate` for a
 * first key).
 *
 * @throws {GatehouseError} `signing_key.rotation_pending` when a key is already waiting for its
 *   activation (or another instance rotated at the same moment); `storage.unavailable`
 * @example const next = await gatehouse.tokens.signingKeys.rotate();
 */
export async function rotateSigningKey(deps: TokenDeps, context: RequestContext = { actor: { type: 'system' } }): Promise<SigningKey> {
  const keys = await deps.keys.list();
  const now = deps.clock.now();
  const newest = keys[keys.length - 1];
  if (newest && newest.activatesAt > now) {
    throw new GatehouseError('signing_key.rotation_pending', { detail: `key ${newest.kid} activates at ${new Date(newest.activatesAt).toISOString()}` });
  }
  const first = newest === undefined;
  const created = await createSigningKey(deps, (newest?.generation ?? 0) + 1, first ? now : now + deps.config.rotation.prePublishSeconds * 1000);
  if (!created) throw new GatehouseError('signing_key.rotation_pending', { detail: 'another instance created the next key at the same moment' });
  emitSigningKeyEvent(deps, 'signing_key.create', created, context, first ? 'first_key' : 'manual_rotation');
  if (first) emitSigningKeyEvent(deps, 'signing_key.activate', created, context, 'first_key');
  return toSigningKey(created);
}
