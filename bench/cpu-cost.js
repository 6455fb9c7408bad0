// `node bench/cpu-cost.js`: server CPU time per request, for tuning on a busy machine.
// Throughput on a saturated single-threaded server is about 1 / (CPU per request), and CPU
// time, unlike wall time, barely moves when other processes share the machine. Measures the
// bare Fastify route and GET /v1/whoami (SQLite + memory) with the same fixed number of
// requests, and prints µs per request of the server's main thread (schedstat, ns precision)
// and of the whole process (utime + stime), and their ratio. Not a substitute for
// `npm run bench`, whose req/s are the recorded figures. Env: COST_REQUESTS (default 60000),
// COST_CONNECTIONS (50), COST_ROUNDS (3), COST_DATABASE_URL and COST_REDIS_URL (Gatehouse on
// PostgreSQL (a throw-away schema) and Redis instead of SQLite and memory).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import autocannon from 'autocannon';
import pg from 'pg';

const here = dirname(fileURLToPath(import.meta.url));
const requests = Number(process.env.COST_REQUESTS ?? 60_000);
const connections = Number(process.env.COST_CONNECTIONS ?? 50);
const rounds = Number(process.env.COST_ROUNDS ?? 3);

async function start(script, env = {}) {
  const child = spawn(process.execPath, [join(here, script)], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited (${code})`)));
    lines.on('line', (line) => {
      try {
        const m = JSON.parse(line);
        if (m.ready) resolve(m);
      } catch {
        // not ours
      }
    });
  });
  return { child, ...ready };
}

function mainThreadNs(pid) {
  return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
}
function processTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function cost(url, headers, pid) {
  await autocannon({ url, headers, connections, amount: Math.min(10_000, requests) }); // warm-up
  const ns0 = mainThreadNs(pid);
  const t0 = processTicks(pid);
  const result = await autocannon({ url, headers, connections, amount: requests });
  const mainUs = (mainThreadNs(pid) - ns0) / 1000 / requests;
  const procUs = ((processTicks(pid) - t0) * 10_000) / requests;
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { mainUs, procUs };
}

const schema = `gatehouse_cost_${process.pid}`;
const tmp = mkdtempSync(join(tmpdir(), 'gatehouse-cost-'));
const bare = await start('bare-server.js');
const gh = await start('gatehouse-server.js', {
  GATEHOUSE_DATA_DIR: tmp,
  GATEHOUSE_PORT: '0',
  GATEHOUSE_AUDIT_DESTINATION: join(tmp, 'audit.jsonl'),
  GATEHOUSE_LOG_LEVEL: 'warn',
  ...(process.env.COST_DATABASE_URL ? { GATEHOUSE_DATABASE_URL: process.env.COST_DATABASE_URL, GATEHOUSE_DATABASE_SCHEMA: schema } : {}),
  ...(process.env.COST_REDIS_URL ? { GATEHOUSE_REDIS_URL: process.env.COST_REDIS_URL, GATEHOUSE_REDIS_KEY_PREFIX: `gatehouse-cost-${process.pid}:` } : {}),
});
try {
  const created = await globalThis.fetch(`${gh.url}/v1/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gh.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'cost', rate_limit: { limit: 1_000_000_000, window_seconds: 60 } }),
  });
  const { key } = await created.json();
  for (let round = 1; round <= rounds; round++) {
    const b = await cost(`${bare.url}/`, {}, bare.child.pid);
    const w = await cost(`${gh.url}/v1/whoami`, { authorization: `Bearer ${key}` }, gh.child.pid);
    process.stdout.write(
      `round ${round}: bare ${b.mainUs.toFixed(1)} µs main / ${b.procUs.toFixed(1)} µs process; whoami ${w.mainUs.toFixed(1)} / ${w.procUs.toFixed(1)}; ` +
        `bare/whoami main ${(b.mainUs / w.mainUs).toFixed(2)}, process ${(b.procUs / w.procUs).toFixed(2)}\n`,
    );
  }
} finally {
  bare.child.kill();
  gh.child.kill();
  rmSync(tmp, { recursive: true, force: true });
  if (process.env.COST_DATABASE_URL) {
    const client = new pg.Client({ connectionString: process.env.COST_DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}
