import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import { defenseFixture, type DefenseFixture } from '../../test/helpers/defense.js';
import type { LoginAttempt } from './types.js';

/**
 * Invariant: a failure slot is given back only by the success of the attempt that reserved
 * it, once. An attempt object not made by this service's `checkLogin` (a forged or copied
 * one), or one already finalised, is refused with a TypeError (a programmer mistake), so no
 * caller can release slots it does not hold. Inputs are validated before anything is counted.
 */
describe('attempts are finalised once', () => {
  let f: DefenseFixture;

  beforeEach(async () => {
    f = await defenseFixture({ config: { lockout: { maxFailures: 2 } } });
  });

  afterEach(async () => {
    await f.close();
  });

  async function admitted(): Promise<LoginAttempt> {
    const check = await f.defense.checkLogin({ identifier: 'alice@example.com', ip: '192.0.2.1' });
    if (!check.allowed) throw new Error('expected admission');
    return check.attempt;
  }

  it('refuses a second recordSuccess, a success after a failure, and a failure after a success', async () => {
    const a = await admitted();
    await f.defense.recordSuccess(a, 'usr_alice');
    await expect(f.defense.recordSuccess(a, 'usr_alice')).rejects.toThrow(TypeError);
    await expect(f.defense.recordFailure(a, 'wrong_password')).rejects.toThrow(TypeError);
    const b = await admitted();
    await f.defense.recordFailure(b, 'wrong_password');
    expect(b.failureReason).toBe('wrong_password');
    await expect(f.defense.recordSuccess(b, 'usr_alice')).rejects.toThrow(TypeError);
  });

  it('refuses a forged or copied attempt object', async () => {
    const real = await admitted();
    const copy = { ...real };
    await expect(f.defense.recordSuccess(copy, 'usr_alice')).rejects.toThrow(/not a LoginAttempt/);
    const forged: LoginAttempt = { identifierHash: real.identifierHash, bucket: 'identifier', deviceCookie: 'none', failureReason: undefined };
    await expect(f.defense.recordFailure(forged, 'wrong_password')).rejects.toThrow(TypeError);
    expect(Object.isFrozen(real)).toBe(true);
  });

  it('validates the failure reason and the user id', async () => {
    const a = await admitted();
    await expect(f.defense.recordFailure(a, 'Wrong Password')).rejects.toThrow(TypeError);
    await expect(f.defense.recordSuccess(a, 'usr alice')).rejects.toThrow(TypeError);
    await expect(f.defense.recordSuccess(a, 'u'.repeat(65))).rejects.toThrow(TypeError);
    // Neither call finalised it.
    await f.defense.recordFailure(a, 'wrong_password');
  });

  it('refuses a non-string or oversized identifier or ip with request.invalid, counting nothing', async () => {
    for (const input of [
      { identifier: 'x'.repeat(1025), ip: '192.0.2.1' },
      { identifier: 42 as unknown as string, ip: '192.0.2.1' },
      { identifier: 'alice@example.com', ip: '1'.repeat(65) },
    ]) {
      await expect(f.defense.checkLogin(input)).rejects.toSatisfy((e: unknown) => e instanceof GatehouseError && e.code === 'request.invalid');
    }
    await admitted();
    await admitted();
  });
});
