// JWT verification benchmark, part of `npm run bench` (after bench/run.js). For EdDSA, ES256
// and RS256, in one run:
//
// 1. In process, on one pinned CPU: raw `crypto.verify` of the same token (signature and
//    signing input decoded once), Gatehouse's verifier (`verify()` and `verifyNow()`, cache
//    off: every call does the whole verification) and jose's `jwtVerify` for reference.
//    Targets are interleaved in short slices and the median slice rate is reported, so a
//    burst of other load on the machine skews one slice, not a target.
// 2. Over HTTP with autocannon (server on one CPU, load generator on the other): the bare
//    Fastify route (bench/bare-server.js) beside the same route behind `jwtAuth`
//    (bench/jwt-server.js), the client reusing one token (verified-token cache).
//
// Targets: in process ≥ 0.85 of raw verify; over HTTP ≥ 0.70 of the bare route. Prints a
// markdown report and writes it into docs/benchmarks.md between <!-- bench:jwt:start -->
// and <!-- bench:jwt:end -->.
//
// Environment: BENCH_DURATION (HTTP seconds per target, default 10), BENCH_WARMUP (default 3),
// BENCH_CONNECTIONS (default 50), BENCH_JWT_SLICES (in-process slices per target, default 40),
// BENCH_JWT_SLICE_MS (default 50), BENCH_WRITE_DOCS (0: leave docs alone; 1: write them even for a
// shortened run; by default only a full run writes them).
import { Buffer } from 'node:buffer';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SignJWT, jwtVerify } from 'jose';
import { commandLabel, docsWriteDecision } from './lib.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const DOC_PATH = join(root, 'docs', 'benchmarks.md');
const START = '<!-- bench:jwt:start -->';
const END = '<!-- bench:jwt:end -->';
const TARGET_IN_PROCESS = 0.85;
const TARGET_HTTP = 0.7;
const ISSUER = 'https://auth.example.com';
const AUDIENCE = 'orders-api';

const num = (name, fallback) => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0`);
  return value;
};
const log = (line = '') => process.stdout.write(`${line}\n`);
const fmt = (n) => Math.round(n).toLocaleString('en-US');

// --- CPUs ---------------------------------------------------------------------------------------

function allowedCpus() {
  const m = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (!m) return [];
  return m[1].trim().split(',').flatMap((part) => {
    const [a, b] = part.split('-').map(Number);
    return Array.from({ length: (b ?? a) - a + 1 }, (_, i) => a + i);
  });
}

function pin() {
  let cpus = [];
  try {
    cpus = allowedCpus();
  } catch {
    return { pinned: false, reason: 'no /proc' };
  }
  if (cpus.length < 2) return { pinned: false, reason: `only ${cpus.length} CPU` };
  if (spawnSync('taskset', ['-c', String(cpus[0]), 'true']).status !== 0) return { pinned: false, reason: '`taskset` not found' };
  const [serverCpu, loadCpu] = cpus;
  if (spawnSync('taskset', ['-a', '-p', '-c', String(loadCpu), String(process.pid)]).status !== 0) return { pinned: false, reason: 'taskset failed' };
  return { pinned: true, serverCpu, loadCpu };
}

// --- tokens -------------------------------------------------------------------------------------

const ALGS = {
  EdDSA: () => crypto.generateKeyPairSync('ed25519'),
  ES256: () => crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  RS256: () => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }),
};

async function material(alg) {
  const { publicKey, privateKey } = ALGS[alg]();
  const jwk = { ...publicKey.export({ format: 'jwk' }), kid: `${alg.toLowerCase()}-bench`, alg, use: 'sig' };
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ sub: 'usr_bench', client_id: 'bench', scope: 'orders:read orders:write', jti: crypto.randomUUID() })
    .setProtectedHeader({ alg, kid: jwk.kid, typ: 'at+jwt' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 86_400)
    .sign(privateKey);
  return { alg, publicKey, jwk, token };
}

// --- in process ---------------------------------------------------------------------------------

/** Runs `fn` (sync) for `ms` of wall time; ops per second. */
function sliceSync(fn, ms) {
  let n = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(ms * 1e6));
  let elapsed = 0n;
  while ((elapsed = process.hrtime.bigint() - start) < limit) {
    for (let i = 0; i < 10; i++) fn();
    n += 10;
  }
  return (n * 1e9) / Number(elapsed);
}

async function sliceAsync(fn, ms) {
  let n = 0;
  const start = process.hrtime.bigint();
  const limit = BigInt(Math.round(ms * 1e6));
  let elapsed = 0n;
  while ((elapsed = process.hrtime.bigint() - start) < limit) {
    for (let i = 0; i < 10; i++) await fn();
    n += 10;
  }
  return (n * 1e9) / Number(elapsed);
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

async function inProcess(m, createJwtVerifier, { slices, sliceMs }) {
  const verifier = createJwtVerifier({ issuer: ISSUER, audience: AUDIENCE, algorithms: [m.alg], jwks: { keys: [m.jwk] }, cache: false });
  await verifier.verify(m.token); // fails loudly if the token is not valid
  const dot = m.token.lastIndexOf('.');
  const input = Buffer.from(m.token.slice(0, dot));
  const signature = Buffer.from(m.token.slice(dot + 1), 'base64url');
  const hash = m.alg === 'EdDSA' ? null : 'sha256';
  const key = m.alg === 'ES256' ? { key: m.publicKey, dsaEncoding: 'ieee-p1363' } : m.publicKey;
  if (!crypto.verify(hash, input, key, signature)) throw new Error(`${m.alg}: raw verify failed`);
  const joseOptions = { issuer: ISSUER, audience: AUDIENCE, algorithms: [m.alg] };
  await jwtVerify(m.token, m.publicKey, joseOptions);

  const rates = { raw: [], verify: [], verifyNow: [], jose: [] };
  // Warm-up: let every path reach optimised code before measuring.
  for (let i = 0; i < 3; i++) {
    sliceSync(() => crypto.verify(hash, input, key, signature), sliceMs);
    await sliceAsync(() => verifier.verify(m.token), sliceMs);
    sliceSync(() => verifier.verifyNow(m.token), sliceMs);
    await sliceAsync(() => jwtVerify(m.token, m.publicKey, joseOptions), sliceMs);
  }
  for (let i = 0; i < slices; i++) {
    rates.raw.push(sliceSync(() => crypto.verify(hash, input, key, signature), sliceMs));
    rates.verify.push(await sliceAsync(() => verifier.verify(m.token), sliceMs));
    rates.verifyNow.push(sliceSync(() => verifier.verifyNow(m.token), sliceMs));
    rates.jose.push(await sliceAsync(() => jwtVerify(m.token, m.publicKey, joseOptions), sliceMs));
  }
  return Object.fromEntries(Object.entries(rates).map(([k, v]) => [k, median(v)]));
}

// --- HTTP ---------------------------------------------------------------------------------------

const children = new Set();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

async function startServer(script, { cpu, env = {} }) {
  const args = [join(here, script)];
  const [command, commandArgs] = cpu === undefined ? [process.execPath, args] : ['taskset', ['-c', String(cpu), process.execPath, ...args]];
  const child = spawn(command, commandArgs, { cwd: root, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start within 30 s`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited (code ${code})`));
    });
    lines.on('line', (line) => {
      try {
        const message = JSON.parse(line);
        if (message.ready) {
          clearTimeout(timer);
          resolve(message);
        }
      } catch {
        // not our line
      }
    });
  });
  return { child, url: ready.url };
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function cannon(options) {
  return new Promise((resolve, reject) => autocannon(options, (err, result) => (err ? reject(err) : resolve(result))));
}

async function http(label, url, headers, { connections, warmupS, durationS }) {
  const check = await globalThis.fetch(url, { headers });
  if (check.status !== 200) throw new Error(`${label}: answered ${check.status}`);
  await check.arrayBuffer();
  if (warmupS > 0) await cannon({ url, headers, connections, duration: warmupS });
  log(`bench:jwt: ${label}: measuring ${durationS} s at ${connections} connections`);
  const result = await cannon({ url, headers, connections, duration: durationS });
  return { label, reqPerSec: result.requests.average, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}

// --- report -------------------------------------------------------------------------------------

function report({ results, bare, machine, pinning, opts, date }) {
  const ok = (ratio, target) => (ratio >= target ? 'met' : '**not met**');
  const lines = [
    `Run of ${date} with \`${commandLabel('jwt.js')}\`.`,
    '',
    `- Machine: ${machine}`,
    `- Placement: ${pinning.pinned ? `in-process figures and servers on CPU ${pinning.serverCpu === undefined ? '?' : pinning.serverCpu} / load on CPU ${pinning.loadCpu}` : `**not pinned** (${pinning.reason})`}`,
    `- In process: ${opts.slices} interleaved slices of ${opts.sliceMs} ms per target, median; verifier cache off (every call verifies fully); one RFC 9068 access token per algorithm (RSA 2048)`,
    `- HTTP: autocannon, ${opts.connections} connections, warm-up ${opts.warmupS} s, ${opts.durationS} s measured; the client reuses one token (verified-token cache)`,
    '',
    '| Algorithm | raw `crypto.verify` ops/s | verifier `verify()` ops/s | ratio | `verifyNow()` ops/s | ratio | jose `jwtVerify` ops/s | ratio |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.alg} | ${fmt(r.inProcess.raw)} | ${fmt(r.inProcess.verify)} | **${(r.inProcess.verify / r.inProcess.raw).toFixed(2)}** | ${fmt(r.inProcess.verifyNow)} | ${(r.inProcess.verifyNow / r.inProcess.raw).toFixed(2)} | ${fmt(r.inProcess.jose)} | ${(r.inProcess.jose / r.inProcess.raw).toFixed(2)} |`),
    '',
    ...results.map((r) => `- ${r.alg} in process: \`verify()\` / raw **${(r.inProcess.verify / r.inProcess.raw).toFixed(2)}** (target ≥ ${TARGET_IN_PROCESS}): ${ok(r.inProcess.verify / r.inProcess.raw, TARGET_IN_PROCESS)}`),
    '',
    '| HTTP target | req/s (avg) | p99 (ms) | non-2xx | errors | / bare |',
    '|---|---:|---:|---:|---:|---:|',
    `| bare Fastify \`GET /\` | ${fmt(bare.reqPerSec)} | ${bare.p99} | ${bare.non2xx} | ${bare.errors} | 1.00 |`,
    ...results.map((r) => `| \`jwtAuth\` ${r.alg}, token reused | ${fmt(r.http.reqPerSec)} | ${r.http.p99} | ${r.http.non2xx} | ${r.http.errors} | **${(r.http.reqPerSec / bare.reqPerSec).toFixed(2)}** |`),
    '',
    ...results.map((r) => `- ${r.alg} over HTTP / bare: **${(r.http.reqPerSec / bare.reqPerSec).toFixed(2)}** (target ≥ ${TARGET_HTTP}): ${ok(r.http.reqPerSec / bare.reqPerSec, TARGET_HTTP)}`),
    '',
    `Verify cost per token (1 / raw ops/s): ${results.map((r) => `${r.alg} ${(1e6 / r.inProcess.raw).toFixed(1)} µs`).join(', ')}.`,
  ];
  return lines.join('\n');
}

function writeDocs(markdown) {
  const block = `${START}\n${markdown}\n${END}`;
  const current = existsSync(DOC_PATH) ? readFileSync(DOC_PATH, 'utf8') : '# Benchmarks\n';
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + block + current.slice(end + END.length)
      : `${current.trimEnd()}\n\n## JWT verification: raw node:crypto, the verifier, jose, and over HTTP\n\nThe block below is rewritten by each \`npm run bench\` (\`bench/jwt.js\`); method and targets are in the script's header and in docs/jwt-verification.md.\n\n${block}\n`;
  writeFileSync(DOC_PATH, next);
}

// --- main ---------------------------------------------------------------------------------------

async function main() {
  if (!existsSync(join(root, 'dist', 'jwt', 'verifier', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');
  const { createJwtVerifier } = await import('../dist/jwt/verifier/index.js');
  const opts = {
    durationS: num('BENCH_DURATION', 10),
    warmupS: num('BENCH_WARMUP', 3),
    connections: num('BENCH_CONNECTIONS', 50),
    slices: num('BENCH_JWT_SLICES', 40),
    sliceMs: num('BENCH_JWT_SLICE_MS', 50),
  };
  const machine = `${os.cpus().length} CPUs, ${os.cpus()[0]?.model ?? 'unknown'}, Node.js ${process.version}`;
  const pinning = pin();
  log(`bench:jwt: ${machine}; ${pinning.pinned ? `load generator on CPU ${pinning.loadCpu}, servers on CPU ${pinning.serverCpu}` : `unpinned: ${pinning.reason}`}`);

  const results = [];
  for (const alg of ['EdDSA', 'ES256', 'RS256']) {
    const m = await material(alg);
    log(`bench:jwt: ${alg}: in process`);
    results.push({ alg, m, inProcess: await inProcess(m, createJwtVerifier, opts) });
  }

  const serverCpu = pinning.pinned ? pinning.serverCpu : undefined;
  const bareServer = await startServer('bare-server.js', { cpu: serverCpu });
  const bare = await http('bare Fastify GET /', `${bareServer.url}/`, {}, opts);
  await stop(bareServer.child);
  for (const r of results) {
    const server = await startServer('jwt-server.js', { cpu: serverCpu, env: { BENCH_JWT_ALG: r.alg, BENCH_JWT_JWKS: JSON.stringify({ keys: [r.m.jwk] }) } });
    r.http = await http(`jwtAuth ${r.alg}`, `${server.url}/`, { authorization: `Bearer ${r.m.token}` }, opts);
    await stop(server.child);
  }

  const markdown = report({ results, bare, machine, pinning, opts, date: new Date().toISOString() });
  log('');
  log(markdown);
  log('');
  const invalid = [bare, ...results.map((r) => r.http)].filter((r) => r.non2xx > 0 || r.errors > 0);
  if (invalid.length > 0) {
    log(`bench:jwt: INVALID RUN: non-2xx or errors on ${invalid.map((r) => r.label).join(', ')}; docs/benchmarks.md not updated`);
    return 1;
  }
  const docs = docsWriteDecision();
  if (!docs.write) log(`bench:jwt: ${docs.why}: docs/benchmarks.md not updated`);
  else {
    writeDocs(markdown);
    log(`bench:jwt: wrote ${DOC_PATH}`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`bench:jwt: error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
