// `npm run bench`: in one run, measures a bare Fastify route and Gatehouse's `GET /v1/whoami`
// with a valid key, with autocannon, the servers on one CPU and the load generator on another.
// Prints a markdown table and writes it into docs/benchmarks.md between the markers
// <!-- bench:api-keys:start --> and <!-- bench:api-keys:end -->.
//
// Environment:
//   BENCH_DURATION     measured seconds per target (default 10)
//   BENCH_WARMUP       warm-up seconds per target, discarded (default 3)
//   BENCH_CONNECTIONS  concurrent connections (default 50)
//   BENCH_LOGIN_CONNECTIONS  concurrent connections of the login target (default 4: below the
//                      lockout threshold, since each login in flight holds a failure slot)
//   BENCH_WRITE_DOCS   0 to leave docs/benchmarks.md alone, 1 to write it even for a shortened run
//                      (default: write it only for a full run, every setting at its default)
//   BENCH_CPU_PROF     1 to run the Gatehouse server under `node --cpu-prof` and print the
//                      top self-time functions (profiling slows the server: figures of such a
//                      run are not written to docs/benchmarks.md)
//   BENCH_KEEP_TMP     1 to keep the temporary data directory (database, audit log, profile)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import {
  countLines,
  envNumber,
  fmtInt,
  fmtMs,
  fmtPct,
  log,
  machineIdlePct,
  machineInfo,
  measure,
  measureInterleaved,
  commandLabel,
  docsWriteDecision,
  setUpCleanup,
  setUpPinning,
  shutdown,
  startServer,
  stopChild,
  trackTmpDir,
  writeMarkedSection,
} from './lib.js';
import { formatProfileSummary, summarizeProfile } from './profile-summary.js';
import { argon2HashTime, prepareSessionBench } from './sessions.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const DOC_PATH = join(root, 'docs', 'benchmarks.md');
const START_MARKER = '<!-- bench:api-keys:start -->';
const END_MARKER = '<!-- bench:api-keys:end -->';
const TARGET_RATIO = 0.8;
const TARGET_P99_MS = 5;
/** A run is flagged noisy below this machine idle % before it, or above this "other CPU" % during it. */
const BUSY_IDLE_PCT = 90;
const BUSY_OTHER_PCT = 25;

// ---------------------------------------------------------------------------------------------
// Report.


function reportMarkdown({ bare, whoami, whoamiRatios, scaled, keyCount, sliceS, machine, idleBefore, pinning, connections, warmupS, durationS, auditLines, date, sessionRead, logins, argon2, loginConnections }) {
  const ratio = whoami.reqPerSec / bare.reqPerSec;
  const ratioOk = ratio >= TARGET_RATIO;
  const rounds = (ratios) => `per round ${ratios.map((r) => r.toFixed(2)).join(', ')}`;
  const scaledRatio = scaled ? scaled.result.reqPerSec / scaled.bare.reqPerSec : NaN;
  const noisy = idleBefore < BUSY_IDLE_PCT || bare.otherCpuPct > BUSY_OTHER_PCT || whoami.otherCpuPct > BUSY_OTHER_PCT;
  const p99Ok = whoami.p99 < TARGET_P99_MS;
  const row = (name, r) =>
    `| ${name} | ${fmtInt(r.reqPerSec)} | ${fmtMs(r.p50)} | ${fmtMs(r.p99)} | ${r.non2xx} | ${r.errors} | ${fmtPct(r.serverCpuPct)} | ${fmtPct(r.loadCpuPct)} | ${fmtPct(r.otherCpuPct)} |`;
  const placement = pinning.pinned
    ? `servers pinned to CPU ${pinning.serverCpu}, autocannon pinned to CPU ${pinning.loadCpu} (\`taskset\`)`
    : `**not pinned** (${pinning.reason}): servers and load generator share the CPUs`;
  return [
    `Run of ${date} with \`${commandLabel('run.js')}\`.`,
    '',
    `- Machine: ${machine.nproc} CPUs (\`nproc\`), ${machine.cpuModel}, ${machine.os}, Node.js ${machine.node}`,
    `- Other activity: machine CPU ${fmtPct(idleBefore)} idle in the 2 s before the run; other processes used ${fmtPct(bare.otherCpuPct)} and ${fmtPct(whoami.otherCpuPct)} of a CPU during the two measurements${noisy ? ' (**the machine was busy: figures are noisy**)' : ' (quiet)'}`,
    `- Placement: ${placement}`,
    `- Load: autocannon, ${connections} connections, pipelining 1, warm-up ${warmupS} s then ${durationS} s measured per target; each whoami target runs beside the bare route (both servers up, on the same CPU) and they take turns in ${whoamiRatios.length} rounds of ${(durationS / whoamiRatios.length).toFixed(1)} s (A B B A …, \`BENCH_SLICE\`=${sliceS}), so a drift of the machine's speed weighs on both alike; the bare row is the one measured beside SQLite + memory`,
    `- Gatehouse: SQLite (WAL) in a temporary data directory, auth events written to a file (${fmtInt(auditLines)} events over warm-up and measurement), default cache settings, the key's rate limit 1,000,000,000 per 60 s (counted, never refusing)`,
    '',
    '| Target | req/s (avg) | p50 (ms) | p99 (ms) | non-2xx | errors | server CPU | load-gen CPU | other CPU |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    row('bare Fastify `GET /`', bare),
    row('Gatehouse `GET /v1/whoami` (valid key), SQLite + memory', whoami),
    ...(scaled ? [row('bare Fastify `GET /` (beside PostgreSQL + Redis)', scaled.bare), row('Gatehouse `GET /v1/whoami` (valid key), PostgreSQL + Redis', scaled.result)] : []),
    ...(sessionRead ? [row('Gatehouse `GET /auth/session` (session cookie), SQLite + memory', sessionRead)] : []),
    ...(logins ? [row(`Gatehouse \`POST /auth/login\` (argon2id; ${loginConnections} connections), SQLite + memory`, logins)] : []),
    '',
    ...(sessionRead ? [`- session-cookie requests (\`GET /auth/session\`: cookie hash, session lookup, user lookup) / bare throughput: **${(sessionRead.reqPerSec / bare.reqPerSec).toFixed(2)}**`] : []),
    ...(logins && argon2
      ? [
          `- logins: **${fmtInt(logins.reqPerSec)} per second** on one server CPU; one argon2id hash at m=${argon2.parameters.memoryKiB} KiB, t=${argon2.parameters.iterations}, p=${argon2.parameters.parallelism} takes **${fmtMs(argon2.meanMs)} ms** (mean of ${argon2.count}; p50 ${fmtMs(argon2.p50Ms)}, min ${fmtMs(argon2.minMs)}, max ${fmtMs(argon2.maxMs)} ms, measured on the load-generator CPU), so hashing alone bounds one CPU at ≈ ${fmtInt(1000 / argon2.meanMs)} logins/s`,
        ]
      : []),
    `- whoami (SQLite + memory) / bare throughput: **${ratio.toFixed(2)}** (target ≥ ${TARGET_RATIO.toFixed(2)}): ${ratioOk ? 'met' : '**not met**'}; ${rounds(whoamiRatios)}`,
    `- whoami (SQLite + memory) p99: **${fmtMs(whoami.p99)} ms** (target < ${TARGET_P99_MS} ms): ${p99Ok ? 'met' : '**not met**'}`,
    ...(scaled
      ? [
          `- whoami (PostgreSQL + Redis) / bare throughput (the bare route measured beside it): **${scaledRatio.toFixed(2)}** (target ≥ 0.50): ${scaledRatio >= 0.5 ? 'met' : '**not met**'}; ${rounds(scaled.ratios)}`,
        ]
      : ['- PostgreSQL + Redis: not measured in this run (no database/Redis URL given)']),
    '',
    ...(keyCount
      ? [
          'Verification latency in process with the verified-key cache off (every verification does its index lookup by hash), 1,000 vs 1,000,000 keys stored (`bench/key-count.js`, part of this run; target: 1M-key p99 within 20% of 1k-key p99):',
          '',
          keyCount,
          '',
        ]
      : []),
    'Latency percentiles are computed from every 2xx response time of the measured run (autocannon',
    'itself rounds them to whole milliseconds). CPU columns are CPU time over wall time of the',
    'measured run, in % of one CPU: a server near 100% is saturated; a load generator near 100%',
    'may itself be the limit; "other CPU" is what the rest of the machine used meanwhile (noise).',
  ].join('\n');
}

const DOC_HEADER = `# Benchmarks

## API-key verification overhead

\`npm run bench\` (which runs \`npm run build && node bench/run.js\`) measures, in one run and
on the same machine, how many requests per second Gatehouse serves on \`GET /v1/whoami\` with a
valid API key, compared with a bare Fastify route returning a small JSON object.

Method:

- The bare Fastify server (\`bench/bare-server.js\`) and the real Gatehouse server
  (\`bench/gatehouse-server.js\`: \`startServer\` from \`dist/\`, the code path of
  \`gatehouse start\`) each run as a child process pinned to CPU 0 with \`taskset -c 0\`, one
  after the other. Gatehouse uses SQLite in a temporary data directory and writes its auth
  events (one per verification, as in production) to a temporary file.
- The load generator, autocannon (programmatic API), runs in the benchmark process pinned to
  CPU 1, so server and load never compete for a core. Without \`taskset\` or a second CPU
  the run is unpinned and the report says so.
- Per target: 50 connections, a 3 s warm-up that is discarded, then 10 s measured
  (\`BENCH_DURATION\`, \`BENCH_WARMUP\`, \`BENCH_CONNECTIONS\` change them).
- The key used for \`/v1/whoami\` has a rate limit of 1,000,000,000 requests per 60 s: every
  request is counted by the limiter but none is refused. Any non-2xx response invalidates
  the run.

Targets: verified requests reach at least 80% of the bare route's throughput, and their p99
latency stays under 5 ms at 50 connections.

The block below is rewritten by each \`npm run bench\` (machine, Node.js version and figures).

`;

/**
 * Starts a Gatehouse server with `env`, creates a key with a huge limit, and measures whoami in
 * alternating slices with the bare route (`bareTarget`, still running). Returns both results and
 * the per-round whoami / bare ratios.
 */
async function measureGatehouse(label, { serverCpu, cwd, env, nodeArgs = [], connections, warmupS, durationS, sliceS, bareTarget }) {
  const server = await startServer(`Gatehouse server (${label})`, join(here, 'gatehouse-server.js'), { cpu: serverCpu, cwd, nodeArgs, env });
  log(`bench: Gatehouse (${label}) listening on ${server.url}`);
  if (!server.adminKey) throw new Error(`Gatehouse (${label}) did not bootstrap an admin key on its empty database`);
  const created = await globalThis.fetch(`${server.url}/v1/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', owner_id: 'bench', rate_limit: { limit: 1_000_000_000, window_seconds: 60 } }),
  });
  if (created.status !== 201) throw new Error(`creating the bench key answered ${created.status}: ${await created.text()}`);
  const { key } = await created.json();
  const headers = { authorization: `Bearer ${key}` };
  const check = await globalThis.fetch(`${server.url}/v1/whoami`, { headers });
  if (check.status !== 200) throw new Error(`GET /v1/whoami with the bench key answered ${check.status}`);
  await check.arrayBuffer();
  const { results, pairRatios } = await measureInterleaved([bareTarget, { label: `Gatehouse GET /v1/whoami (${label})`, url: `${server.url}/v1/whoami`, headers, serverPid: server.child.pid }], { connections, warmupS, durationS, sliceS });
  await stopChild(server.child, 15_000);
  return { result: results[1], bare: results[0], ratios: pairRatios.map((r) => 1 / r) };
}

/** Runs bench/key-count.js (1k vs 1M keys, cache off) unpinned, and returns its markdown table. */
function runKeyCount(env) {
  log('bench: verification latency with 1,000 and 1,000,000 keys stored (bench/key-count.js; takes a minute)');
  const result = spawnSync(process.execPath, [join(here, 'key-count.js')], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`bench/key-count.js failed (exit ${result.status})`);
  return result.stdout.trim();
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const durationS = envNumber('BENCH_DURATION', 10, { min: 1 });
  const warmupS = envNumber('BENCH_WARMUP', 3, { min: 0 });
  const connections = envNumber('BENCH_CONNECTIONS', 50, { min: 1, integer: true });
  const sliceS = envNumber('BENCH_SLICE', 2, { min: 0.5 });
  const docs = docsWriteDecision();
  const cpuProf = process.env.BENCH_CPU_PROF === '1';
  const keepTmp = process.env.BENCH_KEEP_TMP === '1';
  setUpCleanup('bench', { keepTmp });

  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run bench` (it builds first)');

  const machine = machineInfo(); // before pinning: `nproc` honours this process's affinity
  const pinning = setUpPinning();
  const idleBefore = await machineIdlePct(2000);
  log(`bench: ${machine.nproc} CPUs, ${machine.cpuModel}, Node.js ${machine.node}; CPU idle over the last 2 s: ${fmtPct(idleBefore)}`);
  if (idleBefore < BUSY_IDLE_PCT) log('bench: WARNING: other processes are using the CPUs: expect noisy figures');
  log(
    pinning.pinned
      ? `bench: servers on CPU ${pinning.serverCpu} (taskset -c ${pinning.serverCpu}), load generator on CPU ${pinning.loadCpu}`
      : `bench: WARNING: running unpinned: ${pinning.reason}`,
  );
  const serverCpu = pinning.pinned ? pinning.serverCpu : undefined;

  const tmpDir = trackTmpDir(mkdtempSync(join(os.tmpdir(), 'gatehouse-bench-')));
  const auditPath = join(tmpDir, 'audit.jsonl');
  const profileDir = join(tmpDir, 'cpu-profile');

  // 1. Bare Fastify.
  const bareServer = await startServer('bare Fastify server', join(here, 'bare-server.js'), { cpu: serverCpu, cwd: root });
  log(`bench: bare Fastify listening on ${bareServer.url}`);
  const bareCheck = await globalThis.fetch(`${bareServer.url}/`);
  if (bareCheck.status !== 200) throw new Error(`bare route answered ${bareCheck.status}`);
  await bareCheck.arrayBuffer();
  // Measured below beside each Gatehouse target, in alternating slices (the machine's speed drifts).
  const bareTarget = { label: 'bare Fastify GET /', url: `${bareServer.url}/`, headers: {}, serverPid: bareServer.child.pid };

  // 2. Gatehouse.
  const gatehouseServer = await startServer('Gatehouse server', join(here, 'gatehouse-server.js'), {
    cpu: serverCpu,
    cwd: tmpDir,
    nodeArgs: cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    env: {
      GATEHOUSE_HOST: '127.0.0.1',
      GATEHOUSE_PORT: '0',
      GATEHOUSE_DATA_DIR: join(tmpDir, 'data'),
      GATEHOUSE_DATABASE_URL: '',
      GATEHOUSE_AUDIT_DESTINATION: auditPath,
      GATEHOUSE_LOG_LEVEL: 'warn',
      GATEHOUSE_BOOTSTRAP_ADMIN_KEY: 'true',
      GATEHOUSE_CONFIG: '',
    },
  });
  log(`bench: Gatehouse listening on ${gatehouseServer.url} (data in ${tmpDir})`);
  if (!gatehouseServer.adminKey) throw new Error('Gatehouse did not bootstrap an admin key on its empty database');
  const created = await globalThis.fetch(`${gatehouseServer.url}/v1/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${gatehouseServer.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', owner_id: 'bench', rate_limit: { limit: 1_000_000_000, window_seconds: 60 } }),
  });
  if (created.status !== 201) throw new Error(`creating the bench key answered ${created.status}: ${await created.text()}`);
  const { key } = await created.json();
  const headers = { authorization: `Bearer ${key}` };
  const whoamiCheck = await globalThis.fetch(`${gatehouseServer.url}/v1/whoami`, { headers });
  if (whoamiCheck.status !== 200) throw new Error(`GET /v1/whoami with the bench key answered ${whoamiCheck.status}`);
  await whoamiCheck.arrayBuffer();
  const paired = await measureInterleaved([bareTarget, { label: 'Gatehouse GET /v1/whoami', url: `${gatehouseServer.url}/v1/whoami`, headers, serverPid: gatehouseServer.child.pid }], { connections, warmupS, durationS, sliceS });
  const [bare, whoami] = paired.results;
  const whoamiRatios = paired.pairRatios.map((r) => 1 / r);
  // Sessions: cookie-authenticated reads first, then logins (which may evict the bench
  // session: the user's 11th session ends the oldest).
  const loginConnections = envNumber('BENCH_LOGIN_CONNECTIONS', 4, { min: 1, integer: true });
  let sessionRead;
  let logins;
  if (!cpuProf) {
    const { cookie, loginBody } = await prepareSessionBench(gatehouseServer);
    sessionRead = await measure('Gatehouse GET /auth/session', {
      url: `${gatehouseServer.url}/auth/session`,
      headers: { cookie },
      serverPid: gatehouseServer.child.pid,
      connections,
      warmupS,
      durationS,
    });
    logins = await measure('Gatehouse POST /auth/login', {
      url: `${gatehouseServer.url}/auth/login`,
      method: 'POST',
      body: loginBody,
      headers: { 'content-type': 'application/json' },
      serverPid: gatehouseServer.child.pid,
      connections: loginConnections,
      warmupS,
      durationS,
    });
  }
  await stopChild(gatehouseServer.child, 15_000);
  const auditLines = await countLines(auditPath);

  // 3. Gatehouse on PostgreSQL + Redis (when reachable), the same way.
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.GATEHOUSE_TEST_DATABASE_URL;
  const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.GATEHOUSE_TEST_REDIS_URL;
  let scaled;
  if (pgUrl && redisUrl && !cpuProf) {
    const schema = `gh_bench_${process.pid}`;
    try {
      scaled = await measureGatehouse('PostgreSQL + Redis', {
        serverCpu,
        cwd: tmpDir,
        connections,
        warmupS,
        durationS,
        sliceS,
        bareTarget,
        env: {
          GATEHOUSE_HOST: '127.0.0.1',
          GATEHOUSE_PORT: '0',
          GATEHOUSE_DATA_DIR: join(tmpDir, 'data-pg'),
          GATEHOUSE_DATABASE_URL: pgUrl,
          GATEHOUSE_DATABASE_SCHEMA: schema,
          GATEHOUSE_REDIS_URL: redisUrl,
          GATEHOUSE_REDIS_KEY_PREFIX: `gh-bench-${process.pid}:`,
          GATEHOUSE_AUDIT_DESTINATION: join(tmpDir, 'audit-pg.jsonl'),
          GATEHOUSE_LOG_LEVEL: 'warn',
          GATEHOUSE_BOOTSTRAP_ADMIN_KEY: 'true',
          GATEHOUSE_CONFIG: '',
        },
      });
    } finally {
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: pgUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      await client.end();
    }
  } else if (!cpuProf) {
    log('bench: PostgreSQL + Redis target skipped: set BENCH_DATABASE_URL and BENCH_REDIS_URL (or GATEHOUSE_TEST_DATABASE_URL and GATEHOUSE_TEST_REDIS_URL)');
  }
  await stopChild(bareServer.child);
  const keyCount = cpuProf || process.env.BENCH_KEY_COUNT === '0' ? undefined : runKeyCount(pgUrl ? { BENCH_DATABASE_URL: pgUrl } : {});

  // 4. Report.
  const argon2 = cpuProf ? undefined : await argon2HashTime();
  const markdown = reportMarkdown({ bare, whoami, whoamiRatios, scaled, keyCount, sliceS, machine, idleBefore, pinning, connections, warmupS, durationS, auditLines, date: new Date().toISOString(), sessionRead, logins, argon2, loginConnections });
  log('');
  log(markdown);
  log('');

  if (cpuProf) {
    const files = existsSync(profileDir) ? readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')) : [];
    if (files.length === 0) log('bench: no CPU profile was written');
    for (const file of files) {
      const path = join(profileDir, file);
      log(`bench: Gatehouse server CPU profile (${(statSync(path).size / 1e6).toFixed(1)} MB${keepTmp ? `, kept at ${path}` : ''}):`);
      log(formatProfileSummary(summarizeProfile(JSON.parse(readFileSync(path, 'utf8')))));
      log('');
    }
  }

  const invalid = [bare, whoami, ...(scaled ? [scaled.bare, scaled.result] : []), ...(sessionRead ? [sessionRead] : []), ...(logins ? [logins] : [])].filter((r) => r.non2xx > 0 || r.errors > 0);
  if (invalid.length > 0) {
    log(`bench: INVALID RUN: non-2xx responses or errors on ${invalid.map((r) => r.label).join(', ')}; docs/benchmarks.md not updated`);
    return 1;
  }
  if (cpuProf) log('bench: profiled run (slower by design): docs/benchmarks.md not updated');
  else if (!docs.write) log(`bench: ${docs.why}: docs/benchmarks.md not updated`);
  else {
    if (existsSync(DOC_PATH)) writeMarkedSection(DOC_PATH, { start: START_MARKER, end: END_MARKER, markdown });
    else writeFileSync(DOC_PATH, `${DOC_HEADER}${START_MARKER}\n${markdown}\n${END_MARKER}\n`);
    log(`bench: wrote ${DOC_PATH}`);
  }
  return 0;
}

main().then(
  (code) => shutdown(code),
  (err) => {
    process.stderr.write(`bench: error: ${err instanceof Error ? err.message : String(err)}\n`);
    void shutdown(1);
  },
);
