import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKeyWithCli, startServerProcess, type ServerProcess } from '../helpers/gatehouse-process.js';
import { call } from '../helpers/server.js';

/*
 * Crash consistency on SQLite: `kill -9` a real server in the middle of a burst of parallel
 * key creations. A 201 promises the key is stored: after a restart every key whose creation
 * returned 201 must verify, and the database file must pass `PRAGMA integrity_check`.
 */

const TOTAL = 200;
const CONCURRENCY = 20;
const KILL_AFTER = 50;

/** The rows of `PRAGMA integrity_check`: `['ok']` for a sound file. */
function integrityCheck(path: string): string[] {
  const db = new BetterSqlite3(path);
  try {
    return (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((row) => row.integrity_check);
  } finally {
    db.close();
  }
}

function countKeys(path: string): number {
  const db = new BetterSqlite3(path);
  try {
    return db.prepare('SELECT COUNT(*) FROM api_keys').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('kill -9 during a burst of key creations (SQLite)', () => {
  let dir: string;
  let env: Record<string, string>;
  let running: ServerProcess[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-crash-'));
    env = {
      GATEHOUSE_DATA_DIR: join(dir, 'data'),
      GATEHOUSE_AUDIT_DESTINATION: join(dir, 'audit.log'),
      GATEHOUSE_BOOTSTRAP_ADMIN_KEY: 'false',
      GATEHOUSE_LOG_LEVEL: 'warn',
    };
  });

  afterEach(async () => {
    await Promise.all(running.map((s) => s.cli.stop(5000)));
    running = [];
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(): Promise<ServerProcess> {
    const server = await startServerProcess({ cwd: dir, env });
    running.push(server);
    return server;
  }

  it('every key whose creation returned 201 verifies after a restart, and the file passes integrity_check', async () => {
    const admin = await createKeyWithCli({ cwd: dir, env, name: 'admin', scopes: ['admin', 'keys:verify'], rateLimit: '1000000/60' });
    const dbPath = join(dir, 'data', 'gatehouse.db');
    expect(existsSync(dbPath)).toBe(true);

    const first = await start();
    const created: Array<{ id: string; key: string }> = [];
    let sent = 0;
    let failed = 0;
    let killedAt: number | undefined;
    const worker = async () => {
      while (sent < TOTAL && killedAt === undefined) {
        const i = sent++;
        try {
          const res = await fetch(`${first.url}/v1/keys`, {
            method: 'POST',
            headers: { authorization: `Bearer ${admin.key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name: `burst-${i}`, scopes: ['read'] }),
            signal: AbortSignal.timeout(10_000),
          });
          const text = await res.text();
          if (res.status !== 201) throw new Error(`POST /v1/keys answered ${res.status}: ${text}`);
          const body = JSON.parse(text) as { id: string; key: string };
          created.push({ id: body.id, key: body.key });
          if (created.length === KILL_AFTER && killedAt === undefined) {
            killedAt = performance.now();
            first.cli.child.kill('SIGKILL');
          }
        } catch (err) {
          // Only after the kill may a request fail (refused, reset, or cut mid-response).
          if (killedAt === undefined) throw err;
          failed += 1;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const exit = await first.cli.exited;
    expect(exit.signal).toBe('SIGKILL');
    expect(created.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(created.length).toBeLessThan(TOTAL);
    console.log(`kill -9 after ${KILL_AFTER} creations: ${created.length} answered 201 in all, ${failed} requests in flight failed, ${TOTAL - sent} never sent`);

    // Straight after the crash: a copy of the files as the crash left them (database, WAL and
    // shared memory) is sound and holds every acknowledged key. The server below reopens the
    // originals itself, so it is the server that recovers them.
    const snapshot = join(dir, 'snapshot');
    mkdirSync(snapshot);
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(dbPath + suffix)) copyFileSync(dbPath + suffix, join(snapshot, `gatehouse.db${suffix}`));
    expect(integrityCheck(join(snapshot, 'gatehouse.db'))).toEqual(['ok']);
    expect(countKeys(join(snapshot, 'gatehouse.db'))).toBeGreaterThanOrEqual(created.length + 1);

    const second = await start();
    const statuses = await Promise.all(created.map(({ key }) => call(second, '/v1/whoami', { key }).then((r) => ({ status: r.status, id: r.json?.id as string }))));
    const refused = statuses.filter((s) => s.status !== 200);
    expect(refused, `${refused.length} of ${created.length} keys that returned 201 do not verify`).toEqual([]);
    expect(statuses.map((s) => s.id)).toEqual(created.map((c) => c.id));
    // The server keeps working on the recovered file.
    const more = await call(second, '/v1/keys', { key: admin.key, body: { name: 'after-crash' } });
    expect(more.status).toBe(201);
    expect((await call(second, '/v1/whoami', { key: more.json.key })).status).toBe(200);

    const stopped = await second.cli.stop();
    expect(stopped.code).toBe(0);
    expect(integrityCheck(dbPath)).toEqual(['ok']);
  }, 120_000);
});
