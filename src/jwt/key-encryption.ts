import { createCipheriv, createDecipheriv, hash } from 'node:crypto';
import { ConfigError, GatehouseError } from '../core/errors/gatehouse-error.js';
import type { RandomSource } from '../core/crypto/random.js';

/** One 256-bit key-encryption key and its public id (a truncated SHA-256 of the key, safe to store and log). */
export interface KeyEncryptionKey {
  id: string;
  key: Buffer;
}

/** The key that encrypts new blobs, and every key that may decrypt one (current first). */
export interface KeyEncryptionKeyring {
  current: KeyEncryptionKey;
  byId: ReadonlyMap<string, KeyEncryptionKey>;
}

const BLOB_VERSION = 'gh-kek1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** `kek_` + 16 base64url characters of SHA-256("gatehouse kek id" ‖ key): names the key, reveals nothing usable. */
export function keyEncryptionKeyId(key: Buffer): string {
  return `kek_${hash('sha256', Buffer.concat([Buffer.from('gatehouse kek id\0'), key]), 'base64url').slice(0, 16)}`;
}

/**
 * Decodes a configured key-encryption key: base64 or base64url of exactly 32 bytes.
 *
 * @param setting the configuration path, for the error (the value itself is never echoed)
 * @throws {ConfigError} when it is not 32 bytes of base64/base64url
 */
export function parseKeyEncryptionKey(text: string, setting: string): KeyEncryptionKey {
  const normalised = text.trim().replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const key = /^[A-Za-z0-9_-]{43}$/.test(normalised) ? Buffer.from(normalised, 'base64url') : Buffer.alloc(0);
  if (key.length !== 32) throw new ConfigError(`Invalid configuration: ${setting}: must be 32 bytes in base64 or base64url (43 characters, e.g. from \`openssl rand -base64 32\`)`);
  return { id: keyEncryptionKeyId(key), key };
}

/** Builds a keyring from the current key and earlier ones (duplicates dropped). */
export function createKeyring(current: KeyEncryptionKey, previous: readonly KeyEncryptionKey[] = []): KeyEncryptionKeyring {
  const byId = new Map<string, KeyEncryptionKey>([[current.id, current]]);
  for (const k of previous) if (!byId.has(k.id)) byId.set(k.id, k);
  return { current, byId };
}

/** AAD: binds a blob to the key id it protects and the key-encryption key that sealed it. */
function aad(kid: string, kekId: string): Buffer {
  return Buffer.from(`gatehouse/signing-key/v1\0${kid}\0${kekId}`, 'utf8');
}

/**
 * Encrypts a signing private key (PKCS#8 DER) for storage: AES-256-GCM under the keyring's
 * current key, a fresh random 96-bit IV, the `kid` bound as additional authenticated data, so a
 * blob copied onto another key's row does not decrypt.
 *
 * Returns `gh-kek1.<kek id>.<iv>.<ciphertext>.<tag>` (base64url parts).
 *
 * @example const blob = encryptPrivateKey(keyring, kid, der, secureRandom);
 */
export function encryptPrivateKey(keyring: KeyEncryptionKeyring, kid: string, privateKeyDer: Buffer, random: RandomSource): string {
  const { id, key } = keyring.current;
  const iv = Buffer.from(random.bytes(IV_BYTES));
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(kid, id));
  const ciphertext = Buffer.concat([cipher.update(privateKeyDer), cipher.final()]);
  return [BLOB_VERSION, id, iv.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/**
 * Decrypts a blob made by {@link encryptPrivateKey} for key `kid`, with whichever keyring key
 * its id names.
 *
 * @throws {GatehouseError} `signing_key.unavailable` when the blob is malformed, names a key the
 *   keyring does not hold, or fails authentication (wrong key, modified blob, another key's
 *   blob); `detail` says which, never any key material
 */
export function decryptPrivateKey(keyring: KeyEncryptionKeyring, kid: string, blob: string): Buffer {
  const parts = blob.split('.');
  if (parts.length !== 5 || parts[0] !== BLOB_VERSION) {
    throw new GatehouseError('signing_key.unavailable', { detail: `signing key ${kid}: the stored private key is not a ${BLOB_VERSION} blob` });
  }
  const [, kekId = '', ivText = '', ctText = '', tagText = ''] = parts;
  const kek = keyring.byId.get(kekId);
  if (!kek) {
    throw new GatehouseError('signing_key.unavailable', {
      detail: `signing key ${kid} is encrypted under ${kekId}, which is neither jwt.keyEncryptionKey (${keyring.current.id}) nor one of jwt.previousKeyEncryptionKeys`,
    });
  }
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new GatehouseError('signing_key.unavailable', { detail: `signing key ${kid}: the stored private key blob is malformed` });
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek.key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(kid, kek.id));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(ctText, 'base64url')), decipher.final()]);
  } catch {
    // No cause: the crypto error says nothing useful and nothing secret, but keep logs lean.
    throw new GatehouseError('signing_key.unavailable', { detail: `signing key ${kid}: the stored private key failed authentication (modified, or sealed for another key)` });
  }
}
