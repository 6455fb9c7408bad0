import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeBase62, isBase62 } from '../core/crypto/base62.js';
import { checksumBase62 } from '../core/crypto/checksum.js';
import type { RandomSource } from '../core/crypto/random.js';
import { KEY_BODY_LENGTH, KEY_RANDOM_BYTES, KEY_RANDOM_LENGTH, KEY_START_LENGTH, generateApiKey, parseApiKey } from './format.js';

/** Deterministic bytes from a seed; records every requested size. */
function seededRandom(seed: string): RandomSource & { sizes: number[] } {
  let counter = 0;
  const sizes: number[] = [];
  return {
    sizes,
    bytes(size) {
      sizes.push(size);
      const out = Buffer.alloc(size);
      for (let offset = 0; offset < size; ) offset += createHash('sha256').update(`${seed}:${counter++}`).digest().copy(out, offset);
      return out;
    },
  };
}

const PREFIXES = ['gk_live', 'gk_test'] as const;

function replaceAt(s: string, index: number, c: string): string {
  return s.slice(0, index) + c + s.slice(index + 1);
}

/** A different base62 character than `c`. */
function other(c: string): string {
  return c === 'A' ? 'B' : 'A';
}

describe('generateApiKey', () => {
  it('has the layout <prefix>_<43 base62 random><6 base62 checksum>', () => {
    const { key } = generateApiKey('gk_live', seededRandom('layout'));
    expect(KEY_BODY_LENGTH).toBe(49);
    expect(key.startsWith('gk_live_')).toBe(true);
    const body = key.slice('gk_live_'.length);
    expect(body).toHaveLength(49);
    expect(isBase62(body)).toBe(true);
    expect(body.slice(-6)).toBe(checksumBase62(key.slice(0, -6)));
  });

  it('draws exactly 32 random bytes (256 bits) and encodes all of them', () => {
    const random = seededRandom('entropy');
    const { key } = generateApiKey('gk_live', random);
    expect(KEY_RANDOM_BYTES).toBe(32);
    expect(random.sizes).toEqual([32]);
    const expectedBytes = seededRandom('entropy').bytes(32);
    expect(key.slice('gk_live_'.length, 'gk_live_'.length + KEY_RANDOM_LENGTH)).toBe(encodeBase62(expectedBytes, 43));
  });

  it('changes when the last random bit changes (no bits dropped)', () => {
    const a = new Uint8Array(32);
    const b = new Uint8Array(32);
    b[31] = 1;
    const keyA = generateApiKey('gk_live', { bytes: () => a }).key;
    const keyB = generateApiKey('gk_live', { bytes: () => b }).key;
    expect(keyA).not.toBe(keyB);
  });

  it('is deterministic for an injected random source', () => {
    expect(generateApiKey('gk_live', seededRandom('same'))).toEqual(generateApiKey('gk_live', seededRandom('same')));
    expect(generateApiKey('gk_live', seededRandom('one')).key).not.toBe(generateApiKey('gk_live', seededRandom('two')).key);
  });

  it('returns the first 8 characters after the prefix as start', () => {
    const { key, start } = generateApiKey('gk_test', seededRandom('start'));
    expect(KEY_START_LENGTH).toBe(8);
    expect(start).toBe(key.slice('gk_test_'.length, 'gk_test_'.length + 8));
  });

  it('binds the checksum to the prefix', () => {
    const bytes = seededRandom('bind').bytes(32);
    const live = generateApiKey('gk_live', { bytes: () => bytes }).key;
    const test = generateApiKey('gk_test', { bytes: () => bytes }).key;
    expect(live.slice(-6)).not.toBe(test.slice(-6));
  });
});

describe('parseApiKey', () => {
  const { key, start } = generateApiKey('gk_live', seededRandom('parse'));

  it('accepts a good key and returns its prefix and start', () => {
    expect(parseApiKey(key, PREFIXES)).toEqual({ ok: true, prefix: 'gk_live', start });
    expect(start).toBe(key.slice(8, 16));
  });

  it('accepts keys of every configured prefix', () => {
    const testKey = generateApiKey('gk_test', seededRandom('t')).key;
    expect(parseApiKey(testKey, PREFIXES)).toMatchObject({ ok: true, prefix: 'gk_test' });
  });

  it('rejects a key with one character of the random part changed (checksum)', () => {
    for (const index of [8, 20, 8 + KEY_RANDOM_LENGTH - 1]) {
      const tampered = replaceAt(key, index, other(key[index]!));
      expect(parseApiKey(tampered, PREFIXES)).toEqual({ ok: false, problem: 'checksum' });
    }
  });

  it('rejects a key with one character of the checksum changed', () => {
    const index = key.length - 1;
    expect(parseApiKey(replaceAt(key, index, other(key[index]!)), PREFIXES)).toEqual({ ok: false, problem: 'checksum' });
  });

  it('rejects a key whose prefix was swapped for another accepted one (checksum covers it)', () => {
    const swapped = 'gk_test' + key.slice('gk_live'.length);
    expect(parseApiKey(swapped, PREFIXES)).toEqual({ ok: false, problem: 'checksum' });
  });

  it('rejects a valid key whose prefix is not accepted here (wrong environment)', () => {
    expect(parseApiKey(key, ['gk_test'])).toEqual({ ok: false, problem: 'prefix' });
  });

  it('rejects an unknown prefix even with a correct checksum', () => {
    const foreign = generateApiKey('sk_live', seededRandom('foreign')).key;
    expect(parseApiKey(foreign, PREFIXES)).toEqual({ ok: false, problem: 'prefix' });
  });

  it('rejects a key one character too short', () => {
    expect(parseApiKey(key.slice(0, -1), PREFIXES)).toEqual({ ok: false, problem: 'length' });
  });

  it('rejects a key one character too long', () => {
    expect(parseApiKey(key + 'A', PREFIXES)).toEqual({ ok: false, problem: 'length' });
  });

  it('rejects an overlong string', () => {
    expect(parseApiKey('a'.repeat(200) + key, PREFIXES)).toMatchObject({ ok: false });
    expect(parseApiKey('a_'.repeat(10_000), PREFIXES)).toMatchObject({ ok: false });
  });

  it('rejects the empty string', () => {
    expect(parseApiKey('', PREFIXES)).toEqual({ ok: false, problem: 'length' });
  });

  it('rejects a key without an underscore', () => {
    expect(parseApiKey(key.replaceAll('_', ''), PREFIXES)).toEqual({ ok: false, problem: 'length' });
    expect(parseApiKey(key.slice(8), PREFIXES)).toEqual({ ok: false, problem: 'length' });
  });

  it('rejects a key that is only a separator and a body', () => {
    expect(parseApiKey(key.slice(7), PREFIXES)).toEqual({ ok: false, problem: 'length' });
  });

  it('rejects non-ASCII in the body (same UTF-16 length)', () => {
    expect(parseApiKey(replaceAt(key, 10, 'é'), PREFIXES)).toEqual({ ok: false, problem: 'charset' });
    expect(parseApiKey(replaceAt(key, 10, '\u0430'), PREFIXES)).toEqual({ ok: false, problem: 'charset' });
  });

  it('rejects non-ASCII in the prefix', () => {
    expect(parseApiKey(replaceAt(key, 0, '\u0261'), PREFIXES)).toMatchObject({ ok: false });
  });

  it('rejects a surrounding space or newline', () => {
    expect(parseApiKey(` ${key}`, PREFIXES)).toMatchObject({ ok: false });
    expect(parseApiKey(`${key}\n`, PREFIXES)).toMatchObject({ ok: false });
  });
});
