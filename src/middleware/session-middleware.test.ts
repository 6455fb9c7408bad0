import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryAuditLog } from '../audit/audit-log.js';
import { createManualClock } from '../core/clock.js';
import { defaultConfig } from '../core/config/load.js';
import { secureRandom } from '../core/crypto/random.js';
import { silentLogger } from '../core/logger.js';
import { createSessionService, type SessionService } from '../sessions/service.js';
import type { CreatedSession } from '../sessions/create.js';
import type { SessionStore } from '../sessions/store.js';
import { openDatabase, type SqlDatabase } from '../storage/sql/database.js';
import { createSqlSessionStore } from '../storage/sql/session-store.js';
import { sessionAuth as expressSessionAuth } from './express.js';
import { sessionAuth as fastifySessionAuth } from './fastify.js';

const COOKIE = '__Host-gatehouse_session';
const ORIGIN = 'https://app.example.com';

interface Target {
  request(method: string, path: string, headers?: Record<string, string>, body?: string): Promise<{ status: number; json: Record<string, unknown> }>;
}

let database: SqlDatabase;
let store: SessionStore;
let sessions: SessionService;
let signedIn: CreatedSession;

beforeAll(async () => {
  database = await openDatabase({ url: 'sqlite::memory:', dataDir: '.' });
  store = createSqlSessionStore(database);
  sessions = createSessionService({ store, audit: createMemoryAuditLog({ clock: createManualClock() }), clock: createManualClock(), random: secureRandom, config: defaultConfig().sessions, logger: silentLogger });
  signedIn = await sessions.create({ userId: 'usr_mw', amr: ['pwd'], authLevel: 1 });
});

afterAll(async () => {
  await sessions.close();
  await database.close();
});

/** The same behaviour from both frameworks' session middleware. */
function describeSessionMiddleware(name: string, start: () => Promise<{ target: Target; close: () => Promise<void> }>): void {
  describe(`${name} sessionAuth`, () => {
    let target: Target;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ target, close } = await start());
    });

    afterAll(async () => {
      await close();
    });

    const cookie = () => ({ cookie: `theme=dark; ${COOKIE}=${signedIn.token}` });

    it('a valid cookie on GET: the route runs with the session', async () => {
      const res = await target.request('GET', '/me', cookie());
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ user: 'usr_mw', session: signedIn.session.id });
    });

    it('no cookie, or a tampered one: 401 session.invalid, the route never runs', async () => {
      const none = await target.request('GET', '/me');
      const bad = await target.request('GET', '/me', { cookie: `${COOKIE}=${'x'.repeat(43)}` });
      expect(none.status).toBe(401);
      expect(bad.status).toBe(401);
      expect(bad.json).toEqual(none.json);
      expect(none.json.code).toBe('session.invalid');
    });

    it('POST with the allowed Origin, or the CSRF header, or the _csrf form field: carried out', async () => {
      expect((await target.request('POST', '/change', { ...cookie(), origin: ORIGIN })).status).toBe(200);
      expect((await target.request('POST', '/change', { ...cookie(), 'x-csrf-token': signedIn.csrfToken })).status).toBe(200);
      const form = `_csrf=${signedIn.csrfToken}`;
      expect((await target.request('POST', '/change', { ...cookie(), 'content-type': 'application/x-www-form-urlencoded' }, form)).status).toBe(200);
    });

    it('a cross-site POST, or one without Origin and token: 403 csrf.rejected', async () => {
      const foreign = await target.request('POST', '/change', { ...cookie(), origin: 'https://evil.example' });
      expect(foreign.status).toBe(403);
      expect(foreign.json.code).toBe('csrf.rejected');
      expect((await target.request('POST', '/change', cookie())).status).toBe(403);
      expect((await target.request('POST', '/change', { ...cookie(), 'x-csrf-token': 'y'.repeat(43) })).status).toBe(403);
    });

    it('a route that opts out of CSRF (csrf: false) takes a cookie-only POST', async () => {
      expect((await target.request('POST', '/no-csrf', cookie())).status).toBe(200);
    });
  });
}

describeSessionMiddleware('Fastify', async () => {
  const app: FastifyInstance = Fastify();
  await app.register(formbody);
  const requireSession = fastifySessionAuth({ validator: sessions, cookieName: COOKIE, allowedOrigins: [ORIGIN] });
  app.get('/me', { preHandler: requireSession() }, (req) => ({ user: req.gatehouseSession?.session.userId, session: req.gatehouseSession?.session.id }));
  app.post('/change', { preHandler: requireSession() }, () => ({ ok: true }));
  app.post('/no-csrf', { preHandler: requireSession({ csrf: false }) }, () => ({ ok: true }));
  await app.ready();
  return {
    target: {
      async request(method, path, headers = {}, body) {
        const res = await app.inject({ method: method as 'GET', url: path, headers, ...(body !== undefined ? { payload: body } : {}) });
        return { status: res.statusCode, json: res.json() };
      },
    },
    close: () => app.close(),
  };
});

describeSessionMiddleware('Express', async () => {
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  const requireSession = expressSessionAuth({ validator: sessions, cookieName: COOKIE, allowedOrigins: () => [ORIGIN] });
  app.get('/me', requireSession(), (req, res) => {
    res.json({ user: req.gatehouseSession?.session.userId, session: req.gatehouseSession?.session.id });
  });
  app.post('/change', requireSession(), (_req, res) => {
    res.json({ ok: true });
  });
  app.post('/no-csrf', requireSession({ csrf: false }), (_req, res) => {
    res.json({ ok: true });
  });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    target: {
      async request(method, path, headers = {}, body) {
        const res = await fetch(url + path, { method, headers, ...(body !== undefined ? { body } : {}) });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      },
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
});
