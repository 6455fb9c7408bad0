import type { TokenDeps } from './context.js';
import { signingKeyStateAt } from './key-state.js';
import type { SigningKey, SigningKeyRecord, SigningKeyState } from './types.js';

/** A signing key with its state now (derived from its times, see `signingKeyStateAt`). */
export interface SigningKeyView extends SigningKey {
  state: SigningKeyState;
  /** When it leaves the JWKS (retirement + longest token lifetime + tolerance); null while it has no successor. */
  removeAt: number | null;
}

/** The public view of a record: without the encrypted private key. */
export function toSigningKey(record: SigningKeyRecord): SigningKey {
  const { encryptedPrivateKey: _private, ...view } = record;
  return view;
}

/**
 * Every signing key, oldest first, with its state now; removed keys only with `includeRemoved`.
 * Never carries private key material.
 *
 * @throws {GatehouseError} `storage.unavailable`
 * @example const keys = await gatehouse.tokens.signingKeys.list();
 */
export async function listSigningKeys(deps: TokenDeps, options: { includeRemoved?: boolean } = {}): Promise<SigningKeyView[]> {
  const now = deps.clock.now();
  const records = await deps.keys.list(options);
  const afterRetirement = (deps.config.accessToken.maxLifetimeSeconds + deps.config.clockToleranceSeconds) * 1000;
  return records
    .map((r) => ({ ...toSigningKey(r), state: signingKeyStateAt(r, now, deps.config), removeAt: r.retiresAt === null ? null : r.retiresAt + afterRetirement }))
    .filter((k) => options.includeRemoved || k.state !== 'removed');
}
