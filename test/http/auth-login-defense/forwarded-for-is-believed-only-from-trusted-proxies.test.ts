import { afterEach, describe, expect, it } from 'vitest';
import type { GatehouseConfigInput } from '../../../src/core/config/schema.js';
import { CHEAP_ARGON2, postLogin } from '../../helpers/defense.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

/**
 * Invariant: the client address the login throttle counts is the TCP peer unless that peer
 * is a trusted proxy (`server.trustProxy`). From an untrusted peer a spoofed
 * `X-Forwarded-For` is ignored, so an attacker cannot rotate fake addresses to escape the
 * throttle (or throttle someone else's address); from a trusted proxy the header is believed,
 * walked from the right, so entries a client prepends itself are ignored as well. The address
 * is also what the events record. (The tests use `ipThrottle.maxFailures: 3`.)
 */
describe('POST /auth/login: X-Forwarded-For is believed only from trusted proxies', () => {
  let server: TestServer | undefined;

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const start = async (trustProxy: boolean | string[]): Promise<TestServer> => {
    const overrides: GatehouseConfigInput = { server: { trustProxy }, accounts: { argon2: CHEAP_ARGON2 }, defense: { ipThrottle: { maxFailures: 3 } } };
    server = await startTestServer({ overrides });
    return server;
  };

  const xff = (value: string) => ({ headers: { 'x-forwarded-for': value } });

  it.each([
    ['trustProxy false (the default)', false],
    ['a trusted list without the peer', ['10.0.0.0/8', '192.0.2.1']],
  ])('%s: spoofed addresses are ignored and the peer is throttled', async (_name, trustProxy) => {
    const s = await start(trustProxy);
    const statuses = [];
    for (let i = 1; i <= 4; i++) statuses.push((await postLogin(s, `user${i}@example.com`, 'wrong password', xff(`203.0.113.${i}`))).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect((await postLogin(s, 'user9@example.com', 'wrong password', xff('198.51.100.77'))).status).toBe(429);
    const sources = s.events.filter((e) => e.type === 'auth.login').map((e) => e.source?.ip);
    expect(new Set(sources)).toEqual(new Set(['127.0.0.1']));
    expect(s.events.find((e) => e.type === 'alert.raise')).toMatchObject({ target: { type: 'client_address', id: '127.0.0.1' } });
  });

  it('from a trusted proxy, the forwarded client address is counted and recorded', async () => {
    const s = await start(['127.0.0.1']);
    for (let i = 1; i <= 3; i++) expect((await postLogin(s, `user${i}@example.com`, 'wrong password', xff('203.0.113.9'))).status).toBe(401);
    expect((await postLogin(s, 'user4@example.com', 'wrong password', xff('203.0.113.9'))).status).toBe(429);
    // Another client behind the same proxy is unaffected.
    expect((await postLogin(s, 'user5@example.com', 'wrong password', xff('203.0.113.10'))).status).toBe(401);
    const sources = s.events.filter((e) => e.type === 'auth.login').map((e) => e.source?.ip);
    expect(sources).toEqual(['203.0.113.9', '203.0.113.9', '203.0.113.9', '203.0.113.9', '203.0.113.10']);
    expect(s.events.find((e) => e.type === 'alert.raise')).toMatchObject({ target: { type: 'client_address', id: '203.0.113.9' } });
  });

  it('through a trusted proxy, entries the client prepends to the header are ignored', async () => {
    const s = await start(['loopback']);
    for (let i = 1; i <= 3; i++) await postLogin(s, `user${i}@example.com`, 'wrong password', xff(`198.51.100.${i}, 203.0.113.9`));
    expect((await postLogin(s, 'user4@example.com', 'wrong password', xff('198.51.100.200, 203.0.113.9'))).status).toBe(429);
  });

  it('a trusted proxy chain: the rightmost untrusted address is the client', async () => {
    const s = await start(['127.0.0.1', '10.0.0.0/8']);
    for (let i = 1; i <= 3; i++) await postLogin(s, `user${i}@example.com`, 'wrong password', xff(`198.51.100.${i}, 203.0.113.9, 10.1.2.3`));
    expect((await postLogin(s, 'user4@example.com', 'wrong password', xff('203.0.113.9, 10.9.9.9'))).status).toBe(429);
    expect(s.events.filter((e) => e.type === 'auth.login')[0]?.source?.ip).toBe('203.0.113.9');
  });
});
