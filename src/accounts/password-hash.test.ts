import { parseOptions } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../core/config/load.js';
import { seededRandom } from '../../test/helpers/accounts.js';
import { createPasswordHasher } from './password-hash.js';

describe('createPasswordHasher (argon2id)', () => {
  it('uses the OWASP parameters by default: argon2id v=19, m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte output', async () => {
    const defaults = loadConfig({ env: {} }).accounts.argon2;
    expect(defaults).toEqual({ memoryKiB: 19456, iterations: 2, parallelism: 1 });
    const hasher = createPasswordHasher(defaults, seededRandom('h'));
    const phc = await hasher.hash('correct horse battery staple');
    expect(phc).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(parseOptions(phc)).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32, saltLen: 16 });
    expect(await hasher.verify(phc, 'correct horse battery staple')).toBe(true);
    expect(await hasher.verify(phc, 'correct horse battery stapl')).toBe(false);
    expect(hasher.needsRehash(phc)).toBe(false);
  });

  it('takes the salt from the injected random source, so two hashes of one password differ', async () => {
    const random = seededRandom('salt');
    const hasher = createPasswordHasher({ memoryKiB: 7168, iterations: 1, parallelism: 1 }, random);
    const before = random.calls;
    const a = await hasher.hash('same password here');
    const b = await hasher.hash('same password here');
    expect(random.calls - before).toBe(2);
    expect(a).not.toBe(b);
  });

  it('flags hashes made under other parameters, algorithms or in a foreign format for rehashing', async () => {
    const old = createPasswordHasher({ memoryKiB: 7168, iterations: 1, parallelism: 1 }, seededRandom('o'));
    const current = createPasswordHasher({ memoryKiB: 7168, iterations: 2, parallelism: 1 }, seededRandom('c'));
    const oldPhc = await old.hash('a long enough password');
    expect(current.needsRehash(oldPhc)).toBe(true);
    expect(current.needsRehash(await current.hash('a long enough password'))).toBe(false);
    expect(current.needsRehash('$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234')).toBe(true);
    // A hash under other parameters still verifies (the parameters live in the PHC string).
    expect(await current.verify(oldPhc, 'a long enough password')).toBe(true);
  });

  it('verify answers false, never throws, for a malformed hash', async () => {
    const hasher = createPasswordHasher({ memoryKiB: 7168, iterations: 1, parallelism: 1 }, seededRandom('m'));
    expect(await hasher.verify('not a hash', 'whatever password')).toBe(false);
    expect(await hasher.verify('', 'whatever password')).toBe(false);
  });
});
