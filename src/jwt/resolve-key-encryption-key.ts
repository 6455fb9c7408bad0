import { closeSync, fchmodSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { GatehouseConfig } from '../core/config/schema.js';
import { ConfigError } from '../core/errors/gatehouse-error.js';
import type { RandomSource } from '../core/crypto/random.js';
import { createKeyring, parseKeyEncryptionKey, type KeyEncryptionKeyring } from './key-encryption.js';

/** The file a generated key-encryption key is kept in, under `dataDir`. */
export const GENERATED_KEK_FILE = 'jwt-key-encryption.key';

/** Outcome of {@link resolveKeyEncryptionKeys}. */
export interface ResolvedKeyEncryptionKeys {
  keyring: KeyEncryptionKeyring;
  /** A warning to log once at start (a generated key is in use), if any. */
  warning?: string;
}

/** Where the key-encryption key may come from. */
export interface KeyEncryptionKeySource {
  config: Pick<GatehouseConfig['jwt'], 'keyEncryptionKey' | 'previousKeyEncryptionKeys'>;
  dataDir: string;
  /** True for an in-memory database: the keys die with the process, so the key need not persist. */
  ephemeral: boolean;
  random: RandomSource;
}

/**
 * The keyring that encrypts signing private keys at rest:
 *
 * 1. `jwt.keyEncryptionKey` (plus `jwt.previousKeyEncryptionKeys`) when configured;
 * 2. for an in-memory database, a random key held in memory only;
 * 3. otherwise a key generated once into `<dataDir>/jwt-key-encryption.key` (mode 0600,
 *    exclusive create, so instances starting together on one data directory agree), with a
 *    warning that production should configure one: the generated file sits beside the
 *    SQLite database, so a copy of the whole data directory holds both.
 *
 * @throws {ConfigError} for a malformed configured key or an unreadable/malformed key file
 * @example const { keyring, warning } = resolveKeyEncryptionKeys({ config: config.jwt, dataDir: config.dataDir, ephemeral: false, random: secureRandom });
 */
export function resolveKeyEncryptionKeys(source: KeyEncryptionKeySource): ResolvedKeyEncryptionKeys {
  const previous = source.config.previousKeyEncryptionKeys.map((k, i) => parseKeyEncryptionKey(k, `jwt.previousKeyEncryptionKeys[${i}]`));
  if (source.config.keyEncryptionKey !== undefined) {
    return { keyring: createKeyring(parseKeyEncryptionKey(source.config.keyEncryptionKey, 'jwt.keyEncryptionKey'), previous) };
  }
  if (source.ephemeral) {
    return { keyring: createKeyring(parseKeyEncryptionKey(Buffer.from(source.random.bytes(32)).toString('base64url'), 'generated key'), previous) };
  }
  const path = join(source.dataDir, GENERATED_KEK_FILE);
  const text = readOrCreate(path, () => Buffer.from(source.random.bytes(32)).toString('base64url'));
  const current = parseKeyEncryptionKey(text, `the key file ${path}`);
  return {
    keyring: createKeyring(current, previous),
    warning: `jwt.keyEncryptionKey is not configured: signing keys are encrypted under a generated key in ${path} (${current.id}), beside the database. In production set GATEHOUSE_JWT_KEY_ENCRYPTION_KEY_FILE to a key from your secret store (every instance needs the same one); see docs/tokens.md`,
  };
}

function readOrCreate(path: string, make: () => string): string {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new ConfigError(`Cannot create the JWT key-encryption key file ${path}: ${(err as Error).message}`);
    return readExisting(path);
  }
  try {
    // The creation mode is filtered by the umask; set it exactly.
    fchmodSync(fd, 0o600);
    writeSync(fd, `${make()}\n`);
  } finally {
    closeSync(fd);
  }
  return readExisting(path);
}

function readExisting(path: string): string {
  // Another instance may have created the file a moment ago and not written it yet.
  for (let attempt = 0; attempt < 50; attempt++) {
    const text = readFileSync(path, 'utf8').trim();
    if (text !== '') return text;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
  }
  throw new ConfigError(`The JWT key-encryption key file ${path} is empty`);
}
