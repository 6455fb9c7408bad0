import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RAW_KEY, runCli, runCliSequence, spawnCli, type RunningCli } from '../helpers/cli.js';

const LISTENING = /Gatehouse listening on (http:\/\/127\.0\.0\.1:(\d+))/;

describe('gatehouse start', () => {
  let dir: string;
  let running: RunningCli[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-start-'));
  });

  afterEach(async () => {
    await Promise.all(running.map((r) => r.stop(5000)));
    running = [];
    rmSync(dir, { recursive: true, force: true });
  });

  function start(extraEnv: Record<string, string> = {}): RunningCli {
    const cli = spawnCli(['start', '--port', '0', '--data-dir', join(dir, 'data')], {
      cwd: dir,
      env: { GATEHOUSE_AUDIT_DESTINATION: join(dir, 'audit.log'), ...extraEnv },
    });
    running.push(cli);
    return cli;
  }

  it('prints an admin key once on the first start, which works; a second start prints none', async () => {
    const first = start();
    const [, url, port] = await first.waitForStdout(LISTENING);
    expect(Number(port)).toBeGreaterThan(0);
    const stdout = first.stdout();
    const keys = stdout.match(RAW_KEY) ?? [];
    expect(keys).toHaveLength(1);
    const adminKey = keys[0]!;
    // Clearly marked: a banner saying what it is and that it is shown once.
    expect(stdout).toMatch(/First start: created admin API key key_[0-9A-Z]{26}/);
    expect(stdout).toMatch(/shown only once/);
    expect(stdout.indexOf(adminKey)).toBeLessThan(stdout.indexOf('Gatehouse listening on'));

    const who = await fetch(`${url}/v1/whoami`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(who.status).toBe(200);
    const body = (await who.json()) as { scopes: string[]; name: string };
    expect(body.scopes).toEqual(expect.arrayContaining(['admin', 'keys:verify']));
    const list = await fetch(`${url}/v1/keys`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(list.status).toBe(200);

    const stopped = await first.stop();
    expect(stopped.code).toBe(0);
    expect(first.stderr()).not.toContain(adminKey);
    const audit = readFileSync(join(dir, 'audit.log'), 'utf8');
    expect(audit).toContain('"api_key.create"');
    expect(audit).toContain('"api_key.verify"');
    expect(audit).not.toContain(adminKey);

    const second = start();
    const [, secondUrl] = await second.waitForStdout(LISTENING);
    expect(second.stdout()).not.toMatch(RAW_KEY);
    expect(second.stdout()).not.toMatch(/admin API key/);
    // The first key is stored, not regenerated.
    const again = await fetch(`${secondUrl}/v1/whoami`, { headers: { 'x-api-key': adminKey } });
    expect(again.status).toBe(200);
  }, 180_000);

  it('three servers starting at once on an empty data dir all start, and print one admin key between them', async () => {
    // Guards both the one-time bootstrap claim and the migration of a brand-new SQLite file
    // by several processes at once (which once failed with "table api_keys already exists").
    const servers = [start(), start(), start()];
    await Promise.all(servers.map((s) => s.waitForStdout(LISTENING)));
    const printed = servers.flatMap((s) => s.stdout().match(RAW_KEY) ?? []);
    expect(printed).toHaveLength(1);
  }, 180_000);

  it('GATEHOUSE_BOOTSTRAP_ADMIN_KEY=false prints no key on an empty database', async () => {
    const cli = start({ GATEHOUSE_BOOTSTRAP_ADMIN_KEY: 'false' });
    await cli.waitForStdout(LISTENING);
    expect(cli.stdout()).not.toMatch(RAW_KEY);
  }, 180_000);

  it('warns once when it listens beyond loopback without server.publicUrl (links and CSRF would use the bind address)', async () => {
    const cli = start({ GATEHOUSE_HOST: '0.0.0.0' });
    await cli.waitForStdout(/Gatehouse listening on/);
    const warnings = cli.stderr().split('\n').filter((l) => l.includes('server.publicUrl is not set'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('http://0.0.0.0:0');
    const local = start({ GATEHOUSE_PUBLIC_URL: 'https://auth.example.com' });
    await local.waitForStdout(LISTENING);
    expect(local.stderr()).not.toContain('server.publicUrl is not set');
  }, 180_000);

  it('a bad GATEHOUSE_PORT stops the start with one line naming it and a non-zero exit', async () => {
    const result = await runCli(['start', '--data-dir', join(dir, 'data')], { cwd: dir, env: { GATEHOUSE_PORT: 'abc' } });
    expect(result.code).not.toBe(0);
    expect(result.code).not.toBeNull();
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('GATEHOUSE_PORT');
    expect(lines[0]).toContain('abc');
    expect(result.stdout).toBe('');
  }, 180_000);

  it('other bad settings name their variable in one line', async () => {
    // --port would override GATEHOUSE_PORT, so the port case goes without it.
    const cases: Array<[Record<string, string>, string, string[]]> = [
      [{ GATEHOUSE_PORT: '70000' }, 'GATEHOUSE_PORT', []],
      [{ GATEHOUSE_LOG_LEVEL: 'loud' }, 'GATEHOUSE_LOG_LEVEL', ['--port', '0']],
      [{ GATEHOUSE_DATABASE_URL: 'mysql://localhost/x' }, 'GATEHOUSE_DATABASE_URL', ['--port', '0']],
      [{ GATEHOUSE_API_KEY_RATE_LIMIT: '0' }, 'GATEHOUSE_API_KEY_RATE_LIMIT', ['--port', '0']],
    ];
    const results: Awaited<ReturnType<typeof runCli>>[] = [];
    for (const [env, , flags] of cases) {
      // A setting wrongly accepted would start a server; the timeout turns that into a failure.
      results.push(...(await runCliSequence([['start', ...flags, '--data-dir', join(dir, 'data')]], { cwd: dir, env, timeoutMs: 30_000 })));
    }
    results.forEach((result, i) => {
      expect(result.code, JSON.stringify(cases[i]![0])).not.toBe(0);
      const lines = result.stderr.trimEnd().split('\n');
      expect(lines, result.stderr).toHaveLength(1);
      expect(lines[0]).toContain(cases[i]![1]);
      expect(result.stdout).not.toMatch(RAW_KEY);
    });
  }, 180_000);

  it('a port already in use is one clear line and a non-zero exit', async () => {
    const first = start();
    const [, , port] = await first.waitForStdout(LISTENING);
    const result = await runCli(['start', '--port', port!, '--data-dir', join(dir, 'data2')], { cwd: dir, env: { GATEHOUSE_AUDIT_DESTINATION: join(dir, 'audit2.log') } });
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trimEnd().split('\n').filter((l) => !l.startsWith('{'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/address already in use/);
  }, 180_000);
});
