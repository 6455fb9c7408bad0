import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryAuditLog } from '../audit/audit-log.js';
import { createManualClock, type ManualClock } from '../core/clock.js';
import { defaultConfig } from '../core/config/load.js';
import type { GatehouseConfig } from '../core/config/schema.js';
import { secureRandom } from '../core/crypto/random.js';
import { GatehouseError } from '../core/errors/gatehouse-error.js';
import type { AuthEvent } from '../core/events.js';
import { silentLogger } from '../core/logger.js';
import { openDatabase, type SqlDatabase } from '../storage/sql/database.js';
import { createSqlSessionStore } from '../storage/sql/session-store.js';
import { createSessionService, type SessionService } from './service.js';
import type { SessionStore } from './store.js';
import { deriveCsrfToken, hashSessionToken } from './token.js';

const MIN = 60_000;

describe('session service (injected clock, SQLite in memory)', () => {
  let clock: ManualClock;
  let events: AuthEvent[];
  let database: SqlDatabase;
  let store: SessionStore;
  let sessions: SessionService;
  let built: SessionService | undefined;

  async function build(overrides: Partial<GatehouseConfig['sessions']> = {}): Promise<void> {
    await built?.close();
    const audit = createMemoryAuditLog({ clock });
    events = audit.events;
    sessions = built = createSessionService({ store, audit, clock, random: secureRandom, config: { ...defaultConfig().sessions, ...overrides }, logger: silentLogger });
  }

  beforeEach(async () => {
    built = undefined;
    clock = createManualClock();
    database = await openDatabase({ url: 'sqlite::memory:', dataDir: '.' });
    store = createSqlSessionStore(database);
    await build();
  });

  afterEach(async () => {
    await sessions.close();
    await database.close();
  });

  const login = (userId = 'usr_a') => sessions.create({ userId, amr: ['pwd'], authLevel: 1 }, { source: { ip: '198.51.100.4', user_agent: 'test-agent' } });

  describe('create', () => {
    it('makes a 256-bit secret, stores only its SHA-256, and derives the CSRF token from it', async () => {
      const created = await login();
      expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(created.token, 'base64url')).toHaveLength(32);
      const record = await store.findById(created.session.id);
      expect(record?.tokenHash).toBe(hashSessionToken(created.token));
      expect(JSON.stringify(record)).not.toContain(created.token);
      expect(created.csrfToken).toBe(deriveCsrfToken(created.token));
      expect(created.csrfToken).not.toBe(created.token);
      expect(created.session).toMatchObject({ userId: 'usr_a', ip: '198.51.100.4', userAgent: 'test-agent', amr: ['pwd'], authLevel: 1, idleExpiresAt: clock.now() + 30 * MIN, absoluteExpiresAt: clock.now() + 12 * 60 * MIN });
    });

    it('never puts the secret, its hash or the CSRF token in an event', async () => {
      const created = await login();
      await sessions.end(created.token, 'logout');
      const text = JSON.stringify(events);
      expect(text).not.toContain(created.token);
      expect(text).not.toContain(hashSessionToken(created.token));
      expect(text).not.toContain(created.csrfToken);
      expect(events.map((e) => [e.type, e.reason, e.session?.id])).toEqual([
        ['session.create', 'ok', created.session.id],
        ['session.end', 'logout', created.session.id],
      ]);
    });
  });

  describe('validate', () => {
    it('accepts a fresh session and refuses malformed, unknown and tampered values alike', async () => {
      const created = await login();
      expect(await sessions.validate(created.token)).toMatchObject({ valid: true, session: { id: created.session.id }, csrfToken: created.csrfToken });
      expect(await sessions.validate('not a session')).toEqual({ valid: false, reason: 'malformed' });
      expect(await sessions.validate(`${created.token}x`)).toEqual({ valid: false, reason: 'malformed' });
      const flipped = (created.token[0] === 'A' ? 'B' : 'A') + created.token.slice(1);
      expect(await sessions.validate(flipped)).toEqual({ valid: false, reason: 'not_found' });
    });

    it('ends a session idle for the idle timeout (30 min by default), and reports it once', async () => {
      const created = await login();
      clock.advance(30 * MIN - 1);
      expect((await sessions.validate(created.token)).valid).toBe(true);
      // That use slid the idle expiry; 30 minutes of silence from here ends it.
      clock.advance(30 * MIN);
      expect(await sessions.validate(created.token)).toEqual({ valid: false, reason: 'idle_timeout' });
      expect(await sessions.validate(created.token)).toEqual({ valid: false, reason: 'ended' });
      expect(events.filter((e) => e.type === 'session.end').map((e) => e.reason)).toEqual(['idle_timeout']);
    });

    it('ends a session at the absolute timeout (12 h by default) however active it is', async () => {
      const created = await login();
      for (let i = 0; i < 12 * 4 - 1; i++) {
        clock.advance(15 * MIN);
        expect((await sessions.validate(created.token)).valid, `after ${(i + 1) * 15} min`).toBe(true);
      }
      clock.advance(15 * MIN); // exactly 12 h after sign-in
      expect(await sessions.validate(created.token)).toEqual({ valid: false, reason: 'absolute_timeout' });
      expect(events.filter((e) => e.type === 'session.end').map((e) => e.reason)).toEqual(['absolute_timeout']);
    });

    it('honours configured timeouts', async () => {
      await build({ idleTimeoutSeconds: 120, absoluteTimeoutSeconds: 600 });
      const created = await login();
      clock.advance(2 * MIN);
      expect(await sessions.validate(created.token)).toEqual({ valid: false, reason: 'idle_timeout' });
    });

    it('writes last-seen at most once per lastSeenUpdateSeconds (60 s by default), not on every request', async () => {
      const created = await login();
      let touches = 0;
      const touch = store.touch.bind(store);
      store.touch = (...args) => {
        touches++;
        return touch(...args);
      };
      for (let i = 0; i < 100; i++) {
        clock.advance(500); // 100 requests over 50 s
        expect((await sessions.validate(created.token)).valid).toBe(true);
      }
      expect(touches).toBe(0);
      clock.advance(10_000); // 60 s after sign-in
      const result = await sessions.validate(created.token);
      expect(touches).toBe(1);
      expect(result.valid && result.session.lastSeenAt).toBe(clock.now());
      expect((await store.findById(created.session.id))?.idleExpiresAt).toBe(clock.now() + 30 * MIN);
      await sessions.validate(created.token);
      expect(touches).toBe(1);
    });

    it('fails closed when storage is down', async () => {
      const created = await login();
      await database.close();
      await expect(sessions.validate(created.token)).rejects.toMatchObject({ code: 'storage.unavailable' });
    });
  });

  describe('maximum sessions per user', () => {
    it('evict_oldest (default, max 10): the 11th sign-in ends the oldest session', async () => {
      const all = [];
      for (let i = 0; i < 11; i++) {
        all.push(await login());
        clock.advance(1000);
      }
      expect(all[10]!.evictedIds).toEqual([all[0]!.session.id]);
      expect(await sessions.validate(all[0]!.token)).toEqual({ valid: false, reason: 'ended' });
      expect((await sessions.validate(all[1]!.token)).valid).toBe(true);
      expect(await sessions.list('usr_a')).toHaveLength(10);
      expect(events.filter((e) => e.type === 'session.end').map((e) => [e.reason, e.session?.id])).toEqual([['evicted', all[0]!.session.id]]);
    });

    it('refuse: a sign-in beyond the maximum fails with session.limit_reached and ends nothing', async () => {
      await build({ maxPerUser: 2, onLimit: 'refuse' });
      const a = await login();
      await login();
      const err: unknown = await login().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatehouseError);
      expect((err as GatehouseError).code).toBe('session.limit_reached');
      expect((err as GatehouseError).status).toBe(409);
      expect((await sessions.validate(a.token)).valid).toBe(true);
      await sessions.end(a.token, 'logout');
      expect((await login()).session.userId).toBe('usr_a');
    });

    it('other users are not affected by one user\'s limit', async () => {
      await build({ maxPerUser: 1, onLimit: 'refuse' });
      await login('usr_a');
      await expect(login('usr_b')).resolves.toBeDefined();
    });
  });

  describe('concurrent sessions', () => {
    it('lists the user\'s active sessions newest first with the current one flagged', async () => {
      const a = await login();
      clock.advance(1000);
      const b = await login();
      await login('usr_other');
      const items = await sessions.list('usr_a', a.session.id);
      expect(items.map((s) => [s.id, s.current])).toEqual([
        [b.session.id, false],
        [a.session.id, true],
      ]);
      expect(JSON.stringify(items)).not.toContain(a.token);
      expect(items[0]).not.toHaveProperty('tokenHash');
    });

    it('revoke ends one of the user\'s own sessions; another user\'s id is not found', async () => {
      const a = await login();
      const other = await login('usr_other');
      await expect(sessions.revoke('usr_a', other.session.id)).rejects.toMatchObject({ code: 'session.not_found' });
      await expect(sessions.revoke('usr_a', 'ses_bogus')).rejects.toMatchObject({ code: 'session.not_found' });
      expect((await sessions.validate(other.token)).valid).toBe(true);
      await sessions.revoke('usr_a', a.session.id);
      expect(await sessions.validate(a.token)).toEqual({ valid: false, reason: 'ended' });
      await expect(sessions.revoke('usr_a', a.session.id)).rejects.toMatchObject({ code: 'session.not_found' });
    });

    it('revokeOthers ends every other session of the user and keeps the current one', async () => {
      const a = await login();
      const b = await login();
      const c = await login();
      const other = await login('usr_other');
      expect(await sessions.revokeOthers('usr_a', b.session.id)).toBe(2);
      expect((await sessions.validate(a.token)).valid).toBe(false);
      expect((await sessions.validate(c.token)).valid).toBe(false);
      expect((await sessions.validate(b.token)).valid).toBe(true);
      expect((await sessions.validate(other.token)).valid).toBe(true);
      expect(events.filter((e) => e.reason === 'revoked_others')).toHaveLength(2);
    });

    it('revokeAllForUser ends them all with the given reason, and refuses an unknown reason', async () => {
      const a = await login();
      const b = await login();
      expect(await sessions.revokeAllForUser('usr_a', 'password_reset')).toBe(2);
      expect((await sessions.validate(a.token)).valid).toBe(false);
      expect((await sessions.validate(b.token)).valid).toBe(false);
      expect(events.filter((e) => e.type === 'session.end').map((e) => e.reason)).toEqual(['password_reset', 'password_reset']);
      await expect(sessions.revokeAllForUser('usr_a', 'because')).rejects.toThrow(TypeError);
    });
  });

  describe('rotate (privilege change)', () => {
    it('issues a new id and secret, ends the old session, keeps the user and the absolute expiry', async () => {
      const old = await login();
      clock.advance(5 * MIN);
      const next = await sessions.rotate(old.token, { addAmr: ['otp'], authLevel: 2 });
      expect(next.session.id).not.toBe(old.session.id);
      expect(next.token).not.toBe(old.token);
      expect(next.csrfToken).not.toBe(old.csrfToken);
      expect(next.session).toMatchObject({ userId: 'usr_a', amr: ['pwd', 'otp'], authLevel: 2, absoluteExpiresAt: old.session.absoluteExpiresAt });
      expect(await sessions.validate(old.token)).toEqual({ valid: false, reason: 'ended' });
      expect((await sessions.validate(next.token)).valid).toBe(true);
      expect((await store.findById(old.session.id))?.endReason).toBe('rotated');
    });

    it('refuses to rotate an invalid session', async () => {
      await expect(sessions.rotate('x'.repeat(43), { addAmr: ['otp'], authLevel: 2 })).rejects.toMatchObject({ code: 'session.invalid' });
    });

    it('works with a one-session limit under refuse', async () => {
      await build({ maxPerUser: 1, onLimit: 'refuse' });
      const old = await login();
      await expect(sessions.rotate(old.token, { addAmr: ['otp'], authLevel: 2 })).resolves.toBeDefined();
    });
  });

  describe('CSRF tokens', () => {
    it('verifies the session\'s own token only, in constant time', async () => {
      const a = await login();
      const b = await login();
      expect(sessions.verifyCsrf(a.token, a.csrfToken)).toBe(true);
      expect(sessions.verifyCsrf(a.token, b.csrfToken)).toBe(false);
      expect(sessions.verifyCsrf(a.token, undefined)).toBe(false);
      expect(sessions.verifyCsrf(a.token, '')).toBe(false);
    });
  });

  it('purgeInactive deletes rows ended more than 7 days ago and keeps active ones', async () => {
    const a = await login();
    const b = await login();
    await sessions.end(a.token, 'logout');
    clock.advance(7 * 24 * 60 * MIN + 31 * MIN);
    // b has expired by now too (idle), long enough ago to go as well.
    expect(await sessions.purgeInactive()).toBe(2);
    expect(await store.findById(a.session.id)).toBeNull();
    expect(await store.findById(b.session.id)).toBeNull();
  });
});

describe('configuration', () => {
  it('refuses a last-seen interval at or above the idle timeout (a session in use would end as idle)', async () => {
    const { loadConfig } = await import('../core/config/load.js');
    const { createSessionService: create } = await import('./service.js');
    const config = loadConfig({ env: {}, overrides: { sessions: { idleTimeoutSeconds: 60, lastSeenUpdateSeconds: 60 } } });
    expect(() => create({ config: config.sessions } as Parameters<typeof create>[0])).toThrow(/sessions.lastSeenUpdateSeconds \(60\) must be less than sessions.idleTimeoutSeconds \(60\)/);
  });
});
