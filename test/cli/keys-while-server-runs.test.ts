import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { call, startTestServer, type TestServer } from '../helpers/server.js';

const TIMEOUT = 180_000;

/*
 * The CLI and a running server share one SQLite file. The server caches verified keys; it
 * notices writes by the CLI's connection through PRAGMA data_version before every lookup.
 */
describe('gatehouse keys while a server runs on the same database', () => {
  let dir: string;
  let server: TestServer;
  const cli = (...args: string[]) => runCli(['keys', ...args], { cwd: dir, env: { GATEHOUSE_DATA_DIR: dir } });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-cli-shared-'));
    // The CLI stamps times with the wall clock, so this server's clock starts there too.
    server = await startTestServer({ databaseUrl: `sqlite:${join(dir, 'gatehouse.db')}`, startMs: Date.now() });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a key created by the CLI works on the server; revoked by the CLI while cached, the next request is refused', async () => {
    const created = await cli('create', '--name', 'shared', '--scopes', 'read', '--json');
    expect(created.code, created.stderr).toBe(0);
    const { id, key } = JSON.parse(created.stdout) as { id: string; key: string };

    expect((await call(server, '/v1/whoami', { key })).status).toBe(200);
    // Served from the cache now.
    const cached = await call(server, '/v1/whoami', { key });
    expect(cached.status).toBe(200);
    expect(cached.json.id).toBe(id);

    const revoked = await cli('revoke', id);
    expect(revoked.code, revoked.stderr).toBe(0);
    const refused = await call(server, '/v1/whoami', { key });
    expect(refused.status).toBe(401);
    expect(server.events.some((e) => e.type === 'api_key.verify' && e.reason === 'revoked' && e.credential?.id === id)).toBe(true);
  }, TIMEOUT);

  it('scope changes and immediate rotation by the CLI take effect on the server\'s next request', async () => {
    const { key, apiKey } = await server.gatehouse.apiKeys.create({ name: 'server-made', scopes: ['a'] });
    expect((await call(server, '/v1/whoami', { key })).json.scopes).toEqual(['a']);
    const updated = await cli('update', apiKey.id, '--scopes', 'b,c');
    expect(updated.code, updated.stderr).toBe(0);
    expect((await call(server, '/v1/whoami', { key })).json.scopes).toEqual(['b', 'c']);

    const rotated = await cli('rotate', apiKey.id, '--grace', '0', '--json');
    expect(rotated.code, rotated.stderr).toBe(0);
    const successor = JSON.parse(rotated.stdout) as { key: string; id: string };
    // The old key expired at the CLI's wall-clock "now"; bring the server's clock up to it.
    server.clock.set(Date.now());
    expect((await call(server, '/v1/whoami', { key })).status).toBe(401);
    const who = await call(server, '/v1/whoami', { key: successor.key });
    expect(who.status).toBe(200);
    expect(who.json.id).toBe(successor.id);
  }, TIMEOUT);

  it('keys created over HTTP are listed by the CLI, never with their raw key', async () => {
    const res = await call(server, '/v1/keys', { key: server.adminKey, body: { name: 'from-http' } });
    expect(res.status).toBe(201);
    const listed = await cli('list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain(res.json.id);
    expect(listed.stdout).not.toContain(res.json.key);
    expect(listed.stdout).not.toContain(server.adminKey);
  }, TIMEOUT);
});
