// Verification latency with 1,000 and with 1,000,000 keys stored, on SQLite and (when
// GATEHOUSE_TEST_DATABASE_URL or BENCH_DATABASE_URL is set) PostgreSQL. The verified-key cache is
// disabled, so every verification does its index lookup by hash: the point is to show that the
// lookup stays flat as the table grows (an index, not a scan).
//
// Usage: node bench/key-count.js [--json]   (after `npm run build`)
// Environment: BENCH_KEY_COUNT_LARGE (default 1000000), BENCH_KEY_SAMPLES (default 20000)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import Database from 'better-sqlite3';
import pg from 'pg';
import { createGatehouse, createMemoryAuditLog, systemClock } from '../dist/index.js';

const SMALL = 1000;
const LARGE = Number(process.env.BENCH_KEY_COUNT_LARGE ?? 1_000_000);
const SAMPLES = Number(process.env.BENCH_KEY_SAMPLES ?? 20_000);
const REAL_KEYS = 1000;
const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.GATEHOUSE_TEST_DATABASE_URL;

const log = (line = '') => process.stderr.write(`${line}\n`);

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Rows of filler keys with random hashes (never verified; they only make the table big). */
function fillerRow(i, now) {
  const id = `key_F${String(i).padStart(25, '0')}`;
  return [id, `filler ${i}`, null, '{}', '[]', 'live', 'gk_live', 'filler00', randomBytes(32).toString('hex'), now, now];
}

async function fillSqlite(path, count) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(
    'INSERT INTO api_keys (id, name, owner_id, metadata, scopes, environment, prefix, start, hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const now = Date.now();
  const batch = db.transaction((from, to) => {
    for (let i = from; i < to; i++) insert.run(...fillerRow(i, now));
  });
  for (let from = 0; from < count; from += 50_000) batch(from, Math.min(count, from + 50_000));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function fillPostgres(url, schema, count) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
  const now = Date.now();
  // One statement: the server makes the rows (random 64-hex hashes), so a million take seconds.
  await client.query(
    `INSERT INTO api_keys (id, name, owner_id, metadata, scopes, environment, prefix, start, hash, created_at, updated_at)
     SELECT 'key_F' || lpad(g::text, 25, '0'), 'filler ' || g, NULL, '{}', '[]', 'live', 'gk_live', 'filler00',
            md5(random()::text || g::text) || md5(g::text || random()::text), $1, $1
     FROM generate_series(1, $2) AS g`,
    [now, count],
  );
  await client.query('VACUUM ANALYZE api_keys');
  await client.end();
}

async function measure(gatehouse, keys) {
  const latencies = new Float64Array(SAMPLES);
  for (let i = 0; i < 2000; i++) await gatehouse.apiKeys.verify(keys[i % keys.length]);
  for (let i = 0; i < SAMPLES; i++) {
    const key = keys[(i * 7919) % keys.length];
    const t = process.hrtime.bigint();
    const result = await gatehouse.apiKeys.verify(key);
    latencies[i] = Number(process.hrtime.bigint() - t) / 1e6;
    if (!result.valid) throw new Error(`verification failed: ${result.code}`);
  }
  const sorted = Array.from(latencies).sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: sorted.reduce((a, b) => a + b, 0) / sorted.length };
}

const benchConfig = (database) => ({
  database,
  apiKeys: { cache: { enabled: false }, defaultRateLimit: { limit: 1_000_000_000, windowSeconds: 60 }, bootstrapAdminKey: false },
});

async function runBackend(name, open, fill, cleanup) {
  const results = {};
  try {
    let gatehouse = await open();
    const keys = [];
    for (let i = 0; i < REAL_KEYS; i++) keys.push((await gatehouse.apiKeys.create({ name: `bench ${i}` })).key);
    log(`${name}: ${SMALL} keys stored, measuring ${SAMPLES} verifications`);
    results.small = await measure(gatehouse, keys);
    await gatehouse.close();
    log(`${name}: adding ${LARGE - SMALL} filler keys`);
    const t = Date.now();
    await fill(LARGE - SMALL);
    log(`${name}: filled in ${((Date.now() - t) / 1000).toFixed(1)} s, measuring ${SAMPLES} verifications`);
    gatehouse = await open();
    results.large = await measure(gatehouse, keys);
    await gatehouse.close();
  } finally {
    await cleanup();
  }
  return results;
}

const rows = [];
const tmp = mkdtempSync(join(os.tmpdir(), 'gatehouse-keycount-'));
const audit = createMemoryAuditLog({ clock: systemClock });
audit.events.push = () => 0; // events are built as in production, then discarded

const sqlitePath = join(tmp, 'gatehouse.db');
rows.push([
  'SQLite (WAL, file)',
  await runBackend(
    'SQLite',
    () => createGatehouse({ config: benchConfig({ url: `sqlite:${sqlitePath}` }), audit }),
    (n) => fillSqlite(sqlitePath, n),
    async () => rmSync(tmp, { recursive: true, force: true }),
  ),
]);

if (pgUrl) {
  const schema = `gh_bench_${randomBytes(4).toString('hex')}`;
  rows.push([
    'PostgreSQL',
    await runBackend(
      'PostgreSQL',
      () => createGatehouse({ config: benchConfig({ url: pgUrl, schema, poolSize: 4 }), audit }),
      (n) => fillPostgres(pgUrl, schema, n),
      async () => {
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
        await client.end();
      },
    ),
  ]);
} else {
  log('PostgreSQL: skipped (set BENCH_DATABASE_URL or GATEHOUSE_TEST_DATABASE_URL)');
}

const fmt = (ms) => (ms * 1000).toFixed(0);
const table = [
  `| Storage | keys stored | p50 (µs) | p99 (µs) | mean (µs) | p99 vs 1k |`,
  `|---|---:|---:|---:|---:|---:|`,
  ...rows.flatMap(([name, r]) => [
    `| ${name} | ${SMALL.toLocaleString('en')} | ${fmt(r.small.p50)} | ${fmt(r.small.p99)} | ${fmt(r.small.mean)} | 1.00 |`,
    `| ${name} | ${LARGE.toLocaleString('en')} | ${fmt(r.large.p50)} | ${fmt(r.large.p99)} | ${fmt(r.large.mean)} | ${(r.large.p99 / r.small.p99).toFixed(2)} |`,
  ]),
];
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify({ small: SMALL, large: LARGE, samples: SAMPLES, rows: rows.map(([name, r]) => ({ name, ...r })) })}\n`);
else process.stdout.write(`${table.join('\n')}\n`);
