/**
 * Invariant: the SQLite database Gatehouse creates is readable by its owner only. The file
 * holds every key's hash, owner and metadata (a stolen copy lets anyone confirm guessed keys
 * offline when no pepper is set), so a new database file is created with mode 0600, before
 * any data is written, and a data directory Gatehouse creates gets 0700, whatever the
 * process umask allows. The `-wal` and `-shm` files, which hold recent writes, follow the
 * database file's mode (SQLite copies it). Files and directories that already exist are the
 * operator's and are left alone.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSqlApiKeyStore } from './api-key-store.js';
import { openDatabase, type SqlDatabase } from './database.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

let dir: string;
let previousUmask: number;
const opened: SqlDatabase[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-perms-'));
  chmodSync(dir, 0o755);
  // A common, permissive umask: without explicit modes the files would be world-readable.
  previousUmask = process.umask(0o022);
});

afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
  process.umask(previousUmask);
  rmSync(dir, { recursive: true, force: true });
});

async function open(options: { url?: string; dataDir: string }): Promise<SqlDatabase> {
  const db = await openDatabase(options);
  opened.push(db);
  // A write, so SQLite creates the -wal and -shm files.
  await createSqlApiKeyStore(db).claimOnce('perms-test', Date.now());
  return db;
}

describe.skipIf(process.platform === 'win32')('SQLite files are private', () => {
  it('a new data directory is 0700, the database and its -wal/-shm files 0600', async () => {
    const dataDir = join(dir, 'state', 'gatehouse');
    await open({ dataDir });
    const file = join(dataDir, 'gatehouse.db');
    expect(modeOf(join(dir, 'state'))).toBe(0o700);
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}-wal`)).toBe(0o600);
    expect(modeOf(`${file}-shm`)).toBe(0o600);
  });

  it('a sqlite: URL naming a new file is 0600 too', async () => {
    const file = join(dir, 'elsewhere', 'keys.sqlite');
    await open({ url: `sqlite:${file}`, dataDir: join(dir, 'unused') });
    expect(modeOf(join(dir, 'elsewhere'))).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}-wal`)).toBe(0o600);
  });

  it('the new file is private even under a umask that would allow more', async () => {
    process.umask(0o000);
    const dataDir = join(dir, 'open-umask');
    await open({ dataDir });
    expect(modeOf(dataDir)).toBe(0o700);
    expect(modeOf(join(dataDir, 'gatehouse.db'))).toBe(0o600);
    expect(modeOf(join(dataDir, 'gatehouse.db-wal'))).toBe(0o600);
  });

  it('an existing directory and database file keep their modes, and the data survives', async () => {
    const dataDir = join(dir, 'existing');
    mkdirSync(dataDir, { mode: 0o750 });
    chmodSync(dataDir, 0o750);
    const first = await open({ dataDir });
    await first.close();
    const file = join(dataDir, 'gatehouse.db');
    chmodSync(file, 0o640);
    const again = await open({ dataDir });
    expect(await createSqlApiKeyStore(again).claimOnce('perms-test', Date.now())).toBe(false);
    expect(modeOf(dataDir)).toBe(0o750);
    expect(modeOf(file)).toBe(0o640);
  });

  it('an empty file put in place beforehand is opened as a new database, not replaced', async () => {
    const file = join(dir, 'pre-created.db');
    writeFileSync(file, '', { mode: 0o600 });
    await open({ url: `sqlite:${file}`, dataDir: dir });
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(dir)).toBe(0o755);
  });
});
