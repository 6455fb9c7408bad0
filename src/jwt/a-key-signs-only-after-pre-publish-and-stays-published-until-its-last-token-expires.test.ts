/**
 * Invariant: rotation never breaks a verifier. A new key is in the JWKS for the whole
 * pre-publish time before it signs anything; the old key keeps signing until that moment, and
 * stays in the JWKS until every token it signed has expired (its retirement + the longest
 * access-token lifetime + the clock tolerance). Each step is announced once by a
 * `signing_key.*` event. Boundaries are exact (the injected clock), with no sleeping.
 */
import { decodeProtectedHeader } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { signingKeyStateAt } from './key-state.js';
import { T0, tokensFixture, type TokensFixture } from '../../test/helpers/tokens.js';

const PRE = 3600;
const MAX = 3600;
const TOL = 60;
const PERIOD = 2_592_000;

describe('signing key rotation timeline', () => {
  let f: TokensFixture;
  afterEach(() => f.close());

  const kidOf = async () => decodeProtectedHeader((await f.tokens.issueAccessToken({ subject: 'u', clientId: 'c', audience: 'a' })).token).kid;
  const published = async () => (await f.tokens.jwks()).keys.map((k) => k.kid);
  const types = () => f.events.filter((e) => e.type.startsWith('signing_key.')).map((e) => `${e.type}:${e.target?.id.slice(0, 6)}`);

  it('creates the first key at start, active at once, and announces create + activate', async () => {
    f = await tokensFixture();
    const [first] = await f.tokens.signingKeys.list();
    expect(first).toMatchObject({ generation: 1, state: 'active', activatesAt: T0, retiresAt: null, alg: 'ES256' });
    expect(await kidOf()).toBe(first!.kid);
    expect(f.events.map((e) => e.type)).toEqual(['signing_key.create', 'signing_key.activate']);
    expect(f.events[0]).toMatchObject({ reason: 'first_key', actor: { type: 'system' }, target: { type: 'signing_key', id: first!.kid } });
  });

  it('manual rotation: published at once, signs at exactly activatesAt, old key retired then removed at exact times', async () => {
    f = await tokensFixture({ rotation: { prePublishSeconds: PRE }, accessToken: { maxLifetimeSeconds: MAX }, clockToleranceSeconds: TOL });
    const [old] = await f.tokens.signingKeys.list();
    f.clock.advanceSeconds(100);
    const next = await f.tokens.signingKeys.rotate({ actor: { type: 'cli', id: 'ops' } });
    expect(next.activatesAt).toBe(T0 + 100_000 + PRE * 1000);
    expect(await published()).toEqual([old!.kid, next.kid]);

    // One millisecond before activation: still the old key; at activation: the new one.
    f.clock.set(next.activatesAt - 1);
    expect(await kidOf()).toBe(old!.kid);
    f.clock.set(next.activatesAt);
    expect(await kidOf()).toBe(next.kid);

    const removeAt = next.activatesAt + (MAX + TOL) * 1000;
    f.clock.set(removeAt - 1);
    expect(await published()).toEqual([old!.kid, next.kid]);
    expect((await f.tokens.signingKeys.list()).map((k) => k.state)).toEqual(['retired', 'active']);
    f.clock.set(removeAt);
    expect(await published()).toEqual([next.kid]);
    expect((await f.tokens.signingKeys.list({ includeRemoved: true })).map((k) => k.state)).toEqual(['removed', 'active']);
  });

  it('a token signed just before retirement expires before its key leaves the JWKS', async () => {
    f = await tokensFixture({ rotation: { prePublishSeconds: PRE }, accessToken: { maxLifetimeSeconds: MAX }, clockToleranceSeconds: TOL });
    const next = await f.tokens.signingKeys.rotate();
    f.clock.set(next.activatesAt - 1);
    const last = await f.tokens.issueAccessToken({ subject: 'u', clientId: 'c', audience: 'a', lifetimeSeconds: MAX });
    const [old] = await f.tokens.signingKeys.list();
    expect(old!.removeAt! - last.expiresAt).toBeGreaterThanOrEqual(TOL * 1000);
    f.clock.set(last.expiresAt);
    expect(await published()).toContain(old!.kid);
  });

  it('maintenance announces each state change once, in order, and erases removed private keys', async () => {
    f = await tokensFixture({ rotation: { prePublishSeconds: PRE }, accessToken: { maxLifetimeSeconds: MAX }, clockToleranceSeconds: TOL });
    const next = await f.tokens.signingKeys.rotate();
    await f.tokens.maintain();
    f.clock.set(next.activatesAt);
    await f.tokens.maintain();
    await f.tokens.maintain();
    f.clock.set(next.activatesAt + (MAX + TOL) * 1000);
    await f.tokens.maintain();
    const [a, b] = [f.events[0]!.target!.id.slice(0, 6), next.kid.slice(0, 6)];
    expect(types()).toEqual([
      `signing_key.create:${a}`,
      `signing_key.activate:${a}`,
      `signing_key.create:${b}`,
      `signing_key.activate:${b}`,
      `signing_key.retire:${a}`,
      `signing_key.remove:${a}`,
    ]);
    const rows = await f.database.db.selectFrom('signing_keys').select(['generation', 'private_key', 'state']).orderBy('generation').execute();
    expect(rows.map((r) => [r.state, r.private_key === null])).toEqual([
      ['removed', true],
      ['active', false],
    ]);
  });

  it('a second rotation while one is pending is refused with signing_key.rotation_pending', async () => {
    f = await tokensFixture();
    await f.tokens.signingKeys.rotate();
    const err: unknown = await f.tokens.signingKeys.rotate().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'signing_key.rotation_pending', status: 409 });
  });

  it('scheduled rotation publishes the successor pre-publish seconds before the period ends, once across instances', async () => {
    f = await tokensFixture({ rotation: { periodSeconds: PERIOD, prePublishSeconds: PRE } });
    const second = await tokensFixture({ rotation: { periodSeconds: PERIOD, prePublishSeconds: PRE } }, { database: f.database, clock: f.clock });
    f.clock.set(T0 + (PERIOD - PRE) * 1000 - 1);
    await Promise.all([f.tokens.maintain(), second.tokens.maintain()]);
    expect(await f.tokens.signingKeys.list()).toHaveLength(1);
    f.clock.set(T0 + (PERIOD - PRE) * 1000);
    await Promise.all([f.tokens.maintain(), second.tokens.maintain()]);
    const keys = await f.tokens.signingKeys.list();
    expect(keys.map((k) => k.state)).toEqual(['active', 'pending']);
    expect(keys[1]!.activatesAt).toBe(T0 + PERIOD * 1000);
    expect(keys[0]!.retiresAt).toBe(T0 + PERIOD * 1000);
    const creates = [...f.events, ...second.events].filter((e) => e.type === 'signing_key.create' && e.reason === 'scheduled_rotation');
    expect(creates).toHaveLength(1);
    await second.close();
  });

  it('does not rotate on schedule when rotation is disabled', async () => {
    f = await tokensFixture({ rotation: { enabled: false, periodSeconds: PERIOD } });
    f.clock.set(T0 + PERIOD * 2000);
    await f.tokens.maintain();
    expect(await f.tokens.signingKeys.list()).toHaveLength(1);
  });

  it('states are half-open intervals', () => {
    const config = { accessToken: { maxLifetimeSeconds: 10 }, clockToleranceSeconds: 5 } as Parameters<typeof signingKeyStateAt>[2];
    const key = { activatesAt: 1000, retiresAt: 2000 };
    expect([999, 1000, 1999, 2000, 16_999, 17_000].map((t) => signingKeyStateAt(key, t, config))).toEqual(['pending', 'active', 'active', 'retired', 'retired', 'removed']);
  });
});
