import type { TokenDeps } from './context.js';
import { createSigningKey } from './create-signing-key.js';
import { emitSigningKeyEvent } from './events.js';
import { signingKeyStateAt, STATE_ORDER } from './key-state.js';
import type { SigningKeyState } from './types.js';

const EVENT_OF: Record<Exclude<SigningKeyState, 'pending'>, 'signing_key.activate' | 'signing_key.retire' | 'signing_key.remove'> = {
  active: 'signing_key.activate',
  retired: 'signing_key.retire',
  removed: 'signing_key.remove',
};

/**
 * One maintenance pass over the signing keys, safe to run on every instance at once (each
 * write is a compare-and-set; exactly one instance performs and announces each step):
 *
 * 1. with no key at all, creates the first one, active at once;
 * 2. with scheduled rotation on, when the newest key is active and has signed for
 *    `periodSeconds − prePublishSeconds`, creates its successor, published now and activating
 *    `prePublishSeconds` later (never before the period is over);
 * 3. records each key's state change (pending → active → retired → removed) and emits
 *    `signing_key.activate`, `.retire`, `.remove`; removal also erases the encrypted private key.
 *
 * Which key signs never depends on this pass: it follows from the keys' times and the clock.
 *
 * @throws {GatehouseError} `storage.unavailable`
 */
export async function maintainSigningKeys(deps: TokenDeps): Promise<void> {
  let keys = await deps.keys.list();
  let now = deps.clock.now();
  const system = { actor: { type: 'system' as const } };
  const newest = keys[keys.length - 1];
  if (!newest) {
    const first = await createSigningKey(deps, 1, now);
    if (first) {
      emitSigningKeyEvent(deps, 'signing_key.create', first, system, 'first_key');
      emitSigningKeyEvent(deps, 'signing_key.activate', first, system, 'first_key');
    }
    keys = await deps.keys.list();
  } else if (deps.config.rotation.enabled && newest.activatesAt <= now) {
    const { periodSeconds, prePublishSeconds } = deps.config.rotation;
    if (now >= newest.activatesAt + (periodSeconds - prePublishSeconds) * 1000) {
      const activatesAt = Math.max(now + prePublishSeconds * 1000, newest.activatesAt + periodSeconds * 1000);
      const next = await createSigningKey(deps, newest.generation + 1, activatesAt);
      if (next) emitSigningKeyEvent(deps, 'signing_key.create', next, system, 'scheduled_rotation');
      keys = await deps.keys.list();
    }
  }
  now = deps.clock.now();
  let changed = false;
  // Newest first: a successor's activation is announced before its predecessor's retirement.
  for (const key of [...keys].reverse()) {
    const target = signingKeyStateAt(key, now, deps.config);
    let from = key.recordedState;
    // Step through each state in order, so a key that passed two states between checks gets both events.
    while (STATE_ORDER.indexOf(from) < STATE_ORDER.indexOf(target)) {
      const to = STATE_ORDER[STATE_ORDER.indexOf(from) + 1]!;
      if (!(await deps.keys.advanceState(key.kid, from, to, now))) break;
      changed = true;
      emitSigningKeyEvent(deps, EVENT_OF[to as Exclude<SigningKeyState, 'pending'>], key, system);
      from = to;
    }
  }
  if (changed) deps.keyCache.invalidate();
}
