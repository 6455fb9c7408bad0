import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { GatehouseConfig } from '../core/config/schema.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { decryptPrivateKey, type KeyEncryptionKeyring } from './key-encryption.js';
import { signingKeyStateAt } from './key-state.js';
import type { SigningKeyStore } from './store.js';
import type { SigningKeyRecord } from './types.js';

/** The key that signs now, decrypted. */
export interface ActiveSigningKey {
  record: SigningKeyRecord;
  privateKey: KeyObject;
}

/**
 * The in-process view of the signing keys: the list read from the store at most every
 * `jwt.keyCacheSeconds` (so instances agree within that time; a new key is published for
 * `rotation.prePublishSeconds`, longer than that, before it activates), and private keys
 * decrypted once per key.
 */
export class SigningKeyCache {
  private list: SigningKeyRecord[] | undefined;
  private readAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<SigningKeyRecord[]> | undefined;
  private readonly decrypted = new Map<string, KeyObject>();

  constructor(
    private readonly store: SigningKeyStore,
    private readonly keyring: KeyEncryptionKeyring,
    private readonly clock: Clock,
    private readonly config: GatehouseConfig['jwt'],
  ) {}

  /** Every unremoved key, oldest first, from the cache or the store. */
  async keys(): Promise<SigningKeyRecord[]> {
    const now = this.clock.now();
    if (this.list && now - this.readAt < this.config.keyCacheSeconds * 1000) return this.list;
    // One read at a time: concurrent callers share it.
    this.loading ??= this.store.list().then(
      (list) => {
        this.list = list;
        this.readAt = now;
        this.loading = undefined;
        const live = new Set(list.map((k) => k.kid));
        for (const kid of this.decrypted.keys()) if (!live.has(kid)) this.decrypted.delete(kid);
        return list;
      },
      (err: unknown) => {
        this.loading = undefined;
        throw err;
      },
    );
    return this.loading;
  }

  /** Drops the cached list (after this process changed the keys). */
  invalidate(): void {
    this.list = undefined;
  }

  /**
   * The key that signs at `now`: the newest key whose activation time has passed.
   *
   * @throws {GatehouseError} `signing_key.unavailable` when there is none or it cannot be decrypted;
   *   `storage.unavailable`
   */
  async active(now: number): Promise<ActiveSigningKey> {
    const keys = await this.keys();
    let record: SigningKeyRecord | undefined;
    for (const k of keys) if (signingKeyStateAt(k, now, this.config) === 'active') record = k;
    if (!record) throw new GatehouseError('signing_key.unavailable', { detail: 'no signing key is active' });
    return { record, privateKey: this.privateKey(record) };
  }

  /** The keys published at `now` (pending, active and retired), oldest first. */
  async published(now: number): Promise<SigningKeyRecord[]> {
    return (await this.keys()).filter((k) => signingKeyStateAt(k, now, this.config) !== 'removed');
  }

  private privateKey(record: SigningKeyRecord): KeyObject {
    const cached = this.decrypted.get(record.kid);
    if (cached) return cached;
    if (record.encryptedPrivateKey === null) throw new GatehouseError('signing_key.unavailable', { detail: `signing key ${record.kid} has no private key` });
    const der = decryptPrivateKey(this.keyring, record.kid, record.encryptedPrivateKey);
    const key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    der.fill(0);
    this.decrypted.set(record.kid, key);
    return key;
  }
}
