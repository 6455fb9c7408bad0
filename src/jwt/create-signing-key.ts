import type { TokenDeps } from './context.js';
import { generateSigningKey } from './generate-key.js';
import { encryptPrivateKey } from './key-encryption.js';
import type { SigningKeyRecord } from './types.js';

/**
 * Generates a key of `jwt.algorithm`, encrypts its private key and inserts it as generation
 * `generation`, activating at `activatesAt` (epoch ms). Returns the record, or null when another
 * instance inserted that generation first (nothing written). Emits nothing; callers announce.
 */
export async function createSigningKey(deps: TokenDeps, generation: number, activatesAt: number): Promise<SigningKeyRecord | null> {
  const generated = await generateSigningKey(deps.config.algorithm);
  const now = deps.clock.now();
  const record: SigningKeyRecord = {
    kid: generated.kid,
    generation,
    alg: generated.alg,
    publicJwk: generated.publicJwk,
    encryptedPrivateKey: encryptPrivateKey(deps.keyring, generated.kid, generated.privateKeyDer, deps.random),
    createdAt: now,
    activatesAt,
    retiresAt: null,
    recordedState: activatesAt <= now ? 'active' : 'pending',
    recordedStateAt: now,
  };
  generated.privateKeyDer.fill(0);
  const inserted = await deps.keys.insertNext(record);
  deps.keyCache.invalidate();
  return inserted ? record : null;
}
