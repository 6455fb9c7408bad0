import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryAuditLog } from '../audit/audit-log.js';
import { createManualClock } from '../core/clock.js';
import { loadConfig } from '../core/config/load.js';
import { secureRandom } from '../core/crypto/random.js';
import { createGatehouse, type Gatehouse } from '../gatehouse.js';
import { openDatabase } from '../storage/sql/database.js';
import { createSqlDefenseStore } from '../storage/sql/defense-store.js';
import { resolveDefenseSecrets } from './resolve-secrets.js';

/**
 * Invariant: with no `defense.secret` configured, the device-cookie key is generated once
 * (256 random bits) and stored in the database, so every instance sharing the database, and
 * the same instance after a restart, signs and accepts the same cookies; concurrent first
 * starts agree on one secret. A configured secret takes precedence, and previous secrets
 * stay accepted for cookies.
 */
describe('the generated defence secret is shared and persistent', () => {
  let dir: string;
  const clock = createManualClock(Date.UTC(2026, 0, 1));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-defense-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (extra: object = {}) => loadConfig({ env: {}, cwd: dir, overrides: { dataDir: dir, apiKeys: { bootstrapAdminKey: false }, ...extra } });

  async function open(extra: object = {}): Promise<Gatehouse> {
    return createGatehouse({ config: config(extra), clock, audit: createMemoryAuditLog({ clock }) });
  }

  async function signIn(g: Gatehouse): Promise<string> {
    const check = await g.defense.checkLogin({ identifier: 'alice@example.com', ip: '192.0.2.1' });
    if (!check.allowed) throw new Error('expected admission');
    return (await g.defense.recordSuccess(check.attempt, 'usr_alice')).deviceCookie.value;
  }

  async function bucketOf(g: Gatehouse, cookie: string): Promise<string> {
    const check = await g.defense.checkLogin({ identifier: 'alice@example.com', ip: '192.0.2.1', deviceCookie: cookie });
    return check.allowed ? check.attempt.bucket : check.reason;
  }

  it('two instances on one database, and a restart, accept each other\'s cookies', async () => {
    const a = await open();
    const b = await open();
    try {
      const cookie = await signIn(a);
      expect(await bucketOf(b, cookie)).toBe('device');
      expect(a.defense.hashIdentifier('alice@example.com')).toBe(b.defense.hashIdentifier('alice@example.com'));
    } finally {
      await a.close();
      await b.close();
    }
    const restarted = await open();
    const other = mkdtempSync(join(tmpdir(), 'gatehouse-defense-other-'));
    const elsewhere = await createGatehouse({ config: loadConfig({ env: {}, cwd: other, overrides: { dataDir: other, apiKeys: { bootstrapAdminKey: false } } }), clock, audit: createMemoryAuditLog({ clock }) });
    try {
      const cookie = await signIn(restarted);
      expect(await bucketOf(restarted, cookie)).toBe('device');
      // Another installation generated its own secret.
      expect(await bucketOf(elsewhere, cookie)).toBe('identifier');
    } finally {
      await restarted.close();
      await elsewhere.close();
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('concurrent first starts agree on one secret', async () => {
    // Opened one after the other (each runs the migrations); the secrets are then created concurrently.
    const databases = [];
    for (let i = 0; i < 3; i++) databases.push(await openDatabase({ dataDir: dir }));
    try {
      const secrets = await Promise.all(databases.map((d) => resolveDefenseSecrets(config().defense, createSqlDefenseStore(d), secureRandom, clock)));
      expect(new Set(secrets.map((s) => s[0])).size).toBe(1);
      expect(Buffer.from(secrets[0]![0]!, 'base64url')).toHaveLength(32);
    } finally {
      for (const d of databases) await d.close();
    }
  });

  it('a configured secret wins, and a previous secret keeps old cookies valid', async () => {
    const first = 'configured-defense-secret-0123456789ab';
    const second = 'rotated-defense-secret-0123456789abcdef';
    const before = await open({ defense: { secret: first } });
    let cookie: string;
    try {
      cookie = await signIn(before);
    } finally {
      await before.close();
    }
    const generated = await open();
    const rotated = await open({ defense: { secret: second, previousSecrets: [first] } });
    const dropped = await open({ defense: { secret: second } });
    try {
      expect(await bucketOf(generated, cookie)).toBe('identifier');
      expect(await bucketOf(rotated, cookie)).toBe('device');
      expect(await bucketOf(dropped, cookie)).toBe('identifier');
    } finally {
      await generated.close();
      await rotated.close();
      await dropped.close();
    }
  });

  it('the secret is read from GATEHOUSE_DEFENSE_SECRET(_FILE) and never echoed on a config error', () => {
    expect(loadConfig({ env: { GATEHOUSE_DEFENSE_SECRET: 'e'.repeat(40) }, cwd: dir }).defense.secret).toBe('e'.repeat(40));
    expect(loadConfig({ env: { GATEHOUSE_DEFENSE_PREVIOUS_SECRETS: `${'a'.repeat(32)}, ${'b'.repeat(32)}` }, cwd: dir }).defense.previousSecrets).toEqual(['a'.repeat(32), 'b'.repeat(32)]);
    const short = 'too-short-secret';
    let message = '';
    try {
      loadConfig({ env: { GATEHOUSE_DEFENSE_SECRET: short }, cwd: dir });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('defense.secret');
    expect(message).not.toContain(short);
  });
});
