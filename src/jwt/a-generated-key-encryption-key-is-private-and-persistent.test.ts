/**
 * Invariant: with no `jwt.keyEncryptionKey` configured, Gatehouse still never stores a signing
 * private key in the clear: it generates a 256-bit key once into `<dataDir>/jwt-key-encryption.key`
 * with mode 0600 (instances sharing the directory all read the same one), warns that production
 * should configure one, and never mentions the key's value. A configured key is used as is;
 * an in-memory database gets an in-memory key and no file.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { secureRandom } from '../core/crypto/random.js';
import { GENERATED_KEK_FILE, resolveKeyEncryptionKeys } from './resolve-key-encryption-key.js';
import { keyEncryptionKeyId } from './key-encryption.js';
import { TEST_KEK } from '../../test/helpers/tokens.js';

describe('key-encryption key resolution', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), 'gatehouse-kek-'));
    dirs.push(d);
    return join(d, 'data');
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('generates a 0600 key file once, reuses it, and warns without the value', () => {
    const dataDir = dir();
    const first = resolveKeyEncryptionKeys({ config: { previousKeyEncryptionKeys: [] }, dataDir, ephemeral: false, random: secureRandom });
    const path = join(dataDir, GENERATED_KEK_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const value = readFileSync(path, 'utf8').trim();
    expect(Buffer.from(value, 'base64url')).toHaveLength(32);
    expect(first.warning).toMatch(/jwt\.keyEncryptionKey is not configured/);
    expect(first.warning).not.toContain(value);
    const second = resolveKeyEncryptionKeys({ config: { previousKeyEncryptionKeys: [] }, dataDir, ephemeral: false, random: secureRandom });
    expect(second.keyring.current.id).toBe(first.keyring.current.id);
    expect(second.keyring.current.id).toBe(keyEncryptionKeyId(Buffer.from(value, 'base64url')));
  });

  it('uses a configured key and previous keys, writes no file, and does not warn', () => {
    const dataDir = dir();
    const previous = Buffer.alloc(32, 1).toString('base64');
    const r = resolveKeyEncryptionKeys({ config: { keyEncryptionKey: TEST_KEK, previousKeyEncryptionKeys: [previous] }, dataDir, ephemeral: false, random: secureRandom });
    expect(r.warning).toBeUndefined();
    expect(r.keyring.byId.size).toBe(2);
    expect(() => statSync(join(dataDir, GENERATED_KEK_FILE))).toThrow();
  });

  it('an in-memory database gets an in-memory key', () => {
    const dataDir = dir();
    const r = resolveKeyEncryptionKeys({ config: { previousKeyEncryptionKeys: [] }, dataDir, ephemeral: true, random: secureRandom });
    expect(r.warning).toBeUndefined();
    expect(() => statSync(join(dataDir, GENERATED_KEK_FILE))).toThrow();
  });
});
