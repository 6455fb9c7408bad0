/**
 * Invariant: a signing private key exists in storage only as an AES-256-GCM blob under the
 * configured key-encryption key, bound to its `kid`. The wrong key, a modified blob, or a blob
 * moved onto another key's row never decrypts: signing then fails closed with
 * `signing_key.unavailable` (503), and no error carries key material.
 */
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createKeyring, decryptPrivateKey, encryptPrivateKey, parseKeyEncryptionKey } from './key-encryption.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { secureRandom } from '../core/crypto/random.js';
import { USER_TOKENS, TEST_KEK, tokensFixture, type TokensFixture } from '../../test/helpers/tokens.js';

const keyring = createKeyring(parseKeyEncryptionKey(TEST_KEK, 'test'));
const other = createKeyring(parseKeyEncryptionKey(Buffer.alloc(32, 9).toString('base64'), 'test'));
const der = Buffer.from('pkcs8 private key bytes');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(GatehouseError);
    expect(String((err as Error).message)).not.toContain(TEST_KEK);
    return (err as GatehouseError).code;
  }
}

describe('key encryption (AES-256-GCM, kid as AAD)', () => {
  it('round-trips, with a fresh IV each time and the key id in the blob', () => {
    const a = encryptPrivateKey(keyring, 'kid-a', der, secureRandom);
    const b = encryptPrivateKey(keyring, 'kid-a', der, secureRandom);
    expect(a).not.toBe(b);
    expect(a.split('.')[0]).toBe('gh-kek1');
    expect(a.split('.')[1]).toBe(keyring.current.id);
    expect(a).not.toContain(der.toString('base64url'));
    expect(decryptPrivateKey(keyring, 'kid-a', a)).toEqual(der);
  });

  it('refuses the wrong key-encryption key', () => {
    const blob = encryptPrivateKey(keyring, 'kid-a', der, secureRandom);
    expect(codeOf(() => decryptPrivateKey(other, 'kid-a', blob))).toBe('signing_key.unavailable');
    // Same id forged onto another key: authentication fails.
    const forged = createKeyring({ id: keyring.current.id, key: other.current.key });
    expect(codeOf(() => decryptPrivateKey(forged, 'kid-a', blob))).toBe('signing_key.unavailable');
  });

  it('refuses a modified blob (ciphertext, IV or tag)', () => {
    const blob = encryptPrivateKey(keyring, 'kid-a', der, secureRandom);
    const parts = blob.split('.');
    for (const i of [2, 3, 4]) {
      const bytes = Buffer.from(parts[i]!, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      const tampered = [...parts];
      tampered[i] = bytes.toString('base64url');
      expect(codeOf(() => decryptPrivateKey(keyring, 'kid-a', tampered.join('.')))).toBe('signing_key.unavailable');
    }
    expect(codeOf(() => decryptPrivateKey(keyring, 'kid-a', 'not a blob'))).toBe('signing_key.unavailable');
  });

  it("refuses another key's blob (swapped kid)", () => {
    const blob = encryptPrivateKey(keyring, 'kid-a', der, secureRandom);
    expect(codeOf(() => decryptPrivateKey(keyring, 'kid-b', blob))).toBe('signing_key.unavailable');
  });

  it('decrypts with a previous key-encryption key kept in the keyring', () => {
    const blob = encryptPrivateKey(other, 'kid-a', der, secureRandom);
    const rotated = createKeyring(keyring.current, [other.current]);
    expect(decryptPrivateKey(rotated, 'kid-a', blob)).toEqual(der);
  });

  it('accepts 32-byte keys in base64 and base64url and refuses anything else without echoing it', () => {
    const raw = Buffer.alloc(32, 0xfb);
    expect(parseKeyEncryptionKey(raw.toString('base64'), 'x').key).toEqual(raw);
    expect(parseKeyEncryptionKey(raw.toString('base64url'), 'x').key).toEqual(raw);
    const short = Buffer.alloc(16, 1).toString('base64');
    expect(() => parseKeyEncryptionKey(short, 'jwt.keyEncryptionKey')).toThrow(/jwt\.keyEncryptionKey: must be 32 bytes/);
    try {
      parseKeyEncryptionKey(short, 'jwt.keyEncryptionKey');
    } catch (err) {
      expect((err as Error).message).not.toContain(short);
    }
  });
});

describe('signing keys at rest', () => {
  let f: TokensFixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it('stores only the encrypted private key; the JWKS and key list carry public members only', async () => {
    f = await tokensFixture();
    const rows = await f.database.db.selectFrom('signing_keys').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.private_key).toMatch(/^gh-kek1\./);
    expect(rows[0]!.public_jwk).not.toMatch(/"d"/);
    const jwks = await f.tokens.jwks();
    for (const k of jwks.keys) for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(k).not.toHaveProperty(member);
    const listed = await f.tokens.signingKeys.list();
    expect(JSON.stringify(listed)).not.toContain('gh-kek1');
  });

  it('fails closed with signing_key.unavailable when the configured key-encryption key is wrong', async () => {
    const first = await tokensFixture();
    const wrong = await tokensFixture({}, { database: first.database, keyring: createKeyring(parseKeyEncryptionKey(Buffer.alloc(32, 3).toString('base64url'), 'test')), clock: first.clock });
    const err: unknown = await wrong.tokens.issueTokens(USER_TOKENS).catch((e: unknown) => e);
    expect((err as GatehouseError).code).toBe('signing_key.unavailable');
    expect((err as GatehouseError).status).toBe(503);
    expect((err as GatehouseError).detail).toMatch(/encrypted under kek_/);
    await wrong.close();
    f = first;
  });

  it('fails closed when the blob on the active row was swapped with another key\'s', async () => {
    f = await tokensFixture();
    await f.tokens.signingKeys.rotate();
    await sql`UPDATE signing_keys SET private_key = (SELECT private_key FROM signing_keys WHERE generation = 2) WHERE generation = 1`.execute(f.database.db);
    const fresh = await tokensFixture({}, { database: f.database, clock: f.clock });
    const err: unknown = await fresh.tokens.issueAccessToken({ subject: 'u', clientId: 'c', audience: 'a' }).catch((e: unknown) => e);
    expect((err as GatehouseError).code).toBe('signing_key.unavailable');
    expect((err as GatehouseError).detail).toMatch(/failed authentication/);
    await fresh.close();
  });
});
