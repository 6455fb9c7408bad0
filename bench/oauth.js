// OAuth 2.0 benchmark (issue 6), part of `npm run bench` (after bench/jwt.js). In one run, each
// server alone on CPU 0 (`taskset -c 0`), autocannon in this process on CPU 1:
//
// 1. the bare Fastify route (bench/bare-server.js);
// 2. Gatehouse (bench/gatehouse-server.js: `startServer` from dist/, SQLite in a fresh
//    throw-away data directory, auth events to a file), a confidential client registered for
//    `client_credentials` with `client_secret_basic` (created through the admin API before
//    measuring): `POST /oauth2/token` (grant_type=client_credentials) and
//    `POST /oauth2/introspect` of a valid access token; once with RS256 signing keys (the
//    default), once with ES256 and once with EdDSA (GATEHOUSE_JWT_ALGORITHM);
// 3. oidc-provider 9 (bench/oidc-provider-server.js), running beside Gatehouse and measured in
//    alternating slices with it (so a drift of the machine's speed weighs on both alike),
//    configured for the same grant, the same
//    client authentication and the same token format (RFC 9068 JWT access tokens through a
//    resource server, signed with RS256, then ES256, then EdDSA), and for reference its opaque format,
//    with its introspection endpoint (oidc-provider refuses to introspect its JWT access
//    tokens, so its introspection is measured with opaque tokens only).
//
// Target (issue 6): Gatehouse's token throughput ≥ 2× oidc-provider's for the same token format
// and algorithm. Any non-2xx (or an introspection answering `active: false`) invalidates the
// target's figure. Prints a markdown report and writes it into docs/benchmarks.md between
// <!-- bench:oauth:start --> and <!-- bench:oauth:end -->.
//
// Environment: BENCH_DURATION (measured seconds per target, default 10), BENCH_WARMUP (default 3),
// BENCH_CONNECTIONS (default 50), BENCH_WRITE_DOCS (0: leave docs alone; 1: write them even for a shortened run; by default only a
// full run writes them), BENCH_OAUTH_ALGS
// (default "RS256,ES256,EdDSA"), BENCH_CPU_PROF (1: run Gatehouse under --cpu-prof, print its top
// self-time functions and do not write docs), BENCH_KEEP_TMP (1: keep the data directories),
// BENCH_SLICE (seconds per turn when Gatehouse and oidc-provider take turns, default 2).
import { Buffer } from 'node:buffer';
import { generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { commandLabel, countLines, docsWriteDecision, envNumber, fmtInt, fmtMs, fmtPct, log, machineIdlePct, machineInfo, measure, measureInterleaved, setUpCleanup, setUpPinning, shutdown, startServer, stopChild, trackTmpDir, writeMarkedSection } from './lib.js';
import { formatProfileSummary, summarizeProfile } from './profile-summary.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const DOC_PATH = join(root, 'docs', 'benchmarks.md');
const START = '<!-- bench:oauth:start -->';
const END = '<!-- bench:oauth:end -->';
const TARGET = 2;
const SCOPE = 'invoices:read';
const FORM = 'application/x-www-form-urlencoded';
const BUSY_IDLE_PCT = 90;
const BUSY_OTHER_PCT = 25;

const basic = (id, secret) => `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** One request before measuring: must answer `status` (200) and pass `check` on the JSON body. */
async function probe(label, { url, method = 'GET', headers = {}, body }, check = () => true, status = 200) {
  const res = await globalThis.fetch(url, { method, headers, body });
  const text = await res.text();
  if (res.status !== status) throw new Error(`${label}: answered ${res.status}: ${text.slice(0, 300)}`);
  const json = JSON.parse(text);
  if (!check(json)) throw new Error(`${label}: unexpected answer ${text.slice(0, 300)}`);
  return json;
}

let keepTmp = false;

const algOfJwt = (token) => JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')).alg;

// --- targets -----------------------------------------------------------------------------------

/** Starts Gatehouse with `alg` signing keys, registers the client and checks both requests once. */
async function startGatehouse(alg, { serverCpu, cpuProf }) {
  const dir = trackTmpDir(mkdtempSync(join(os.tmpdir(), `gatehouse-bench-oauth-${alg.toLowerCase()}-`)));
  const profileDir = join(dir, 'cpu-profile');
  const server = await startServer(`Gatehouse (${alg})`, join(here, 'gatehouse-server.js'), {
    cpu: serverCpu,
    cwd: dir,
    nodeArgs: cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    env: {
      GATEHOUSE_HOST: '127.0.0.1',
      GATEHOUSE_PORT: '0',
      GATEHOUSE_DATA_DIR: join(dir, 'data'),
      GATEHOUSE_DATABASE_URL: '',
      GATEHOUSE_AUDIT_DESTINATION: join(dir, 'audit.jsonl'),
      GATEHOUSE_LOG_LEVEL: 'warn',
      GATEHOUSE_BOOTSTRAP_ADMIN_KEY: 'true',
      GATEHOUSE_CONFIG: '',
      GATEHOUSE_JWT_ALGORITHM: alg,
    },
  });
  log(`bench:oauth: Gatehouse (${alg}) listening on ${server.url} (data in ${dir})`);
  if (!server.adminKey) throw new Error(`Gatehouse (${alg}) did not bootstrap an admin key on its empty database`);
  const created = await probe(
    `Gatehouse (${alg}) POST /v1/clients`,
    {
      url: `${server.url}/v1/clients`,
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'bench worker', grant_types: ['client_credentials'], token_endpoint_auth_method: 'client_secret_basic', scope: SCOPE }),
    },
    (c) => typeof c.client_secret === 'string',
    201,
  );
  const auth = basic(created.client_id, created.client_secret);
  const token = { url: `${server.url}/oauth2/token`, method: 'POST', headers: { authorization: auth, 'content-type': FORM }, body: `grant_type=client_credentials&scope=${encodeURIComponent(SCOPE)}` };
  const issued = await probe(`Gatehouse (${alg}) token`, token, (t) => typeof t.access_token === 'string' && t.token_type === 'Bearer');
  if (algOfJwt(issued.access_token) !== alg) throw new Error(`Gatehouse (${alg}) signed its access token with ${algOfJwt(issued.access_token)}`);
  const introspect = { url: `${server.url}/oauth2/introspect`, method: 'POST', headers: { authorization: auth, 'content-type': FORM }, body: `token=${issued.access_token}` };
  await probe(`Gatehouse (${alg}) introspect`, introspect, (r) => r.active === true);
  return { alg, dir, profileDir, server, token, introspect };
}

/** Measures introspection alone, checks the token is still active, stops the server, counts events. */
async function finishGatehouse({ alg, dir, profileDir, server, introspect }, { opts, cpuProf }) {
  const introspectResult = await measure(`Gatehouse ${alg} introspect`, { ...introspect, serverPid: server.child.pid, ...opts });
  // Still active after the run (the token must not have expired or been refused meanwhile).
  await probe(`Gatehouse (${alg}) introspect after`, introspect, (r) => r.active === true);
  await stopChild(server.child, 15_000);
  const events = await countLines(join(dir, 'audit.jsonl'));
  let profile;
  if (cpuProf) {
    const files = existsSync(profileDir) ? readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')) : [];
    profile = files.map((f) => {
      const path = join(profileDir, f);
      return `Gatehouse ${alg} CPU profile (${(statSync(path).size / 1e6).toFixed(1)} MB${keepTmp ? `, kept at ${path}` : ''}):\n${formatProfileSummary(summarizeProfile(JSON.parse(readFileSync(path, 'utf8'))))}`;
    });
  }
  return { introspect: introspectResult, events, profile };
}

/** Starts oidc-provider for `format` (`jwt` with `alg`, or `opaque`) and checks one token request. */
async function startOidcProvider(alg, format, { serverCpu }) {
  const name = format === 'jwt' ? `oidc-provider ${alg} JWT` : 'oidc-provider opaque';
  const server = await startServer(name, join(here, 'oidc-provider-server.js'), { cpu: serverCpu, env: { NODE_ENV: 'production', BENCH_OIDC_ALG: alg, BENCH_OIDC_FORMAT: format, BENCH_OIDC_SCOPE: SCOPE } });
  log(`bench:oauth: ${name} listening on ${server.url}`);
  const auth = basic(server.clientId, server.clientSecret);
  const token = { url: `${server.url}/token`, method: 'POST', headers: { authorization: auth, 'content-type': FORM }, body: `grant_type=client_credentials&scope=${encodeURIComponent(SCOPE)}` };
  const issued = await probe(`${name} token`, token, (t) => typeof t.access_token === 'string' && t.token_type === 'Bearer');
  if (format === 'jwt' && algOfJwt(issued.access_token) !== alg) throw new Error(`${name} signed its access token with ${algOfJwt(issued.access_token)}`);
  if (format === 'opaque' && issued.access_token.split('.').length === 3) throw new Error(`${name} issued a JWT`);
  return { name, server, auth, token };
}

/** oidc-provider's opaque format alone: token issuance, then introspection (reference rows). */
async function measureOidcOpaque(alg, { serverCpu, opts }) {
  const { name, server, auth, token } = await startOidcProvider(alg, 'opaque', { serverCpu });
  const pid = server.child.pid;
  const tokenResult = await measure(`${name} token`, { ...token, serverPid: pid, ...opts });
  // A token issued after the token run: the in-memory adapter is an LRU, so the probe token
  // may have been evicted by the run's tokens.
  const fresh = await probe(`${name} token (for introspection)`, token, (t) => typeof t.access_token === 'string');
  const introspect = { url: `${server.url}/token/introspection`, method: 'POST', headers: { authorization: auth, 'content-type': FORM }, body: `token=${fresh.access_token}` };
  await probe(`${name} introspect`, introspect, (r) => r.active === true);
  const introspectResult = await measure(`${name} introspect`, { ...introspect, serverPid: pid, ...opts });
  await probe(`${name} introspect after`, introspect, (r) => r.active === true);
  await stopChild(server.child);
  return { token: tokenResult, introspect: introspectResult };
}

/**
 * Gatehouse and oidc-provider with the same algorithm, both started (on the same CPU), their
 * token endpoints measured in alternating slices (`measureInterleaved`), so that the machine's
 * speed drifting during the run weighs on both alike; then Gatehouse's introspection.
 */
async function measureAlgorithm(alg, { serverCpu, opts, cpuProf }) {
  const g = await startGatehouse(alg, { serverCpu, cpuProf });
  const o = await startOidcProvider(alg, 'jwt', { serverCpu });
  const { results, pairRatios } = await measureInterleaved(
    [
      { label: `Gatehouse ${alg} token`, ...g.token, serverPid: g.server.child.pid },
      { label: `${o.name} token`, ...o.token, serverPid: o.server.child.pid },
    ],
    opts,
  );
  await stopChild(o.server.child);
  // Measured right after the pair, so at about the same machine speed.
  const signature = signatureTime(alg);
  const finished = await finishGatehouse(g, { opts, cpuProf });
  return { gatehouse: { token: results[0], ...finished }, oidc: { token: results[1] }, pairRatios, signature };
}

/**
 * Mean µs of one signature with `node:crypto` (what both servers call) over a 400-byte
 * signing input, in this process: a floor under any token endpoint's CPU per token.
 */
function signatureTime(alg, count = 200) {
  const { privateKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const input = Buffer.alloc(400, 'e');
  const once = () => (alg === 'EdDSA' ? sign(null, input, privateKey) : sign('sha256', input, alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey));
  for (let i = 0; i < 20; i++) once();
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i++) once();
  return Number(process.hrtime.bigint() - started) / 1000 / count;
}

// --- report ------------------------------------------------------------------------------------

function report({ bare, gatehouse, oidc, opaque, pairRatios, signatures, machine, idleBefore, pinning, opts, date, events }) {
  const all = [bare, ...Object.values(gatehouse).flatMap((g) => [g.token, g.introspect]), ...Object.values(oidc).map((o) => o.token), opaque.token, opaque.introspect];
  const noisy = idleBefore < BUSY_IDLE_PCT || all.some((r) => r.otherCpuPct > BUSY_OTHER_PCT);
  const valid = (r) => r.non2xx === 0 && r.errors === 0;
  const row = (name, r) =>
    `| ${name} | ${valid(r) ? fmtInt(r.reqPerSec) : `~~${fmtInt(r.reqPerSec)}~~ (invalid)`} | ${fmtMs(r.p50)} | ${fmtMs(r.p99)} | ${r.non2xx} | ${r.errors} | ${fmtPct(r.serverCpuPct)} | ${fmtInt(r.serverCpuUsPerReq)} | ${fmtPct(r.loadCpuPct)} | ${fmtPct(r.otherCpuPct)} |`;
  const placement = pinning.pinned ? `servers pinned to CPU ${pinning.serverCpu}, autocannon pinned to CPU ${pinning.loadCpu} (\`taskset\`)` : `**not pinned** (${pinning.reason}): servers and load generator share the CPUs`;
  const rows = [row('bare Fastify `GET /`', bare)];
  for (const alg of Object.keys(gatehouse)) {
    rows.push(row(`Gatehouse \`POST /oauth2/token\` client_credentials, JWT ${alg}`, gatehouse[alg].token));
    rows.push(row(`oidc-provider \`POST /token\` client_credentials, JWT ${alg}`, oidc[alg].token));
  }
  rows.push(row('oidc-provider `POST /token` client_credentials, opaque (reference)', opaque.token));
  for (const alg of Object.keys(gatehouse)) rows.push(row(`Gatehouse \`POST /oauth2/introspect\`, JWT ${alg} access token`, gatehouse[alg].introspect));
  rows.push(row('oidc-provider `POST /token/introspection`, opaque access token', opaque.introspect));

  const verdicts = Object.keys(gatehouse).map((alg) => {
    const g = gatehouse[alg].token;
    const o = oidc[alg].token;
    if (!valid(g) || !valid(o)) return `- JWT ${alg} tokens: Gatehouse / oidc-provider: **invalid** (non-2xx or errors)`;
    const ratio = g.reqPerSec / o.reqPerSec;
    const cpuRatio = o.serverCpuUsPerReq / g.serverCpuUsPerReq;
    const sorted = [...pairRatios[alg]].sort((a, b) => a - b);
    const median = sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    const perRound = `per round, in order ${pairRatios[alg].map((r) => r.toFixed(2)).join(', ')} (median ${median.toFixed(2)}×)`;
    const signUs = signatures[alg];
    const bound = o.serverCpuUsPerReq / signUs;
    const ceiling = `one ${alg} signature alone takes ${fmtInt(signUs)} µs here, so even a server doing nothing but sign could reach at most ${bound.toFixed(2)}× oidc-provider (${fmtInt(o.serverCpuUsPerReq)} µs per token)${bound < TARGET ? `: **${TARGET}× is out of reach for ${alg}**` : ''}`;
    const verdict = `${ratio >= TARGET ? 'met' : '**not met**'}${noisy ? ' (indicative only: the machine was busy)' : ''}`;
    return `- JWT ${alg} tokens/s: Gatehouse ${fmtInt(g.reqPerSec)} / oidc-provider ${fmtInt(o.reqPerSec)} = **${ratio.toFixed(2)}×** (target ≥ ${TARGET}×): ${verdict}; ${perRound}; by server CPU per token: ${fmtInt(o.serverCpuUsPerReq)} / ${fmtInt(g.serverCpuUsPerReq)} µs = ${cpuRatio.toFixed(2)}×; Gatehouse / bare ${(g.reqPerSec / bare.reqPerSec).toFixed(2)}; ${ceiling}`;
  });
  const introspections = Object.keys(gatehouse).map((alg) => {
    const g = gatehouse[alg].introspect;
    return `- introspection (no target): Gatehouse JWT ${alg} ${fmtInt(g.reqPerSec)}/s, ${(g.reqPerSec / opaque.introspect.reqPerSec).toFixed(2)}× oidc-provider's opaque introspection (${fmtInt(opaque.introspect.reqPerSec)}/s; oidc-provider answers \`unsupported_token_type\` for its JWT access tokens)`;
  });
  return [
    `Run of ${date} with \`${commandLabel('oauth.js')}\`.`,
    '',
    `- Machine: ${machine.nproc} CPUs (\`nproc\`), ${machine.cpuModel}, ${machine.os}, Node.js ${machine.node}`,
    `- Other activity: machine CPU ${fmtPct(idleBefore)} idle in the 2 s before the run${noisy ? ' (**the machine was busy: figures are noisy**)' : ' (quiet)'}`,
    `- Placement: ${placement}`,
    `- Load: autocannon, ${opts.connections} connections, pipelining 1, warm-up ${opts.warmupS} s then ${opts.durationS} s measured per target; Gatehouse's and oidc-provider's token endpoints for one algorithm run side by side (both servers up, on the same CPU) and take turns in ${Math.max(1, Math.round(opts.durationS / opts.sliceS))} rounds of ${(opts.durationS / Math.max(1, Math.round(opts.durationS / opts.sliceS))).toFixed(1)} s (A B B A …), so a drift of the machine's speed weighs on both alike`,
    `- Gatehouse: a fresh SQLite data directory per algorithm, signing keys generated at first start with \`GATEHOUSE_JWT_ALGORITHM\`, one confidential client (\`client_secret_basic\`, \`client_credentials\`, scope \`${SCOPE}\`) created through the admin API before measuring; auth events written to a file (${fmtInt(events)} events in all)`,
    `- oidc-provider ${oidcVersion()}: the same client and grant (\`features.clientCredentials\`), a resource server (\`features.resourceIndicators\`, the default resource) with \`accessTokenFormat: 'jwt'\` and \`jwt.sign.alg\` = the algorithm (RSA 2048 / P-256 / Ed25519 keys in \`jwks\`), or \`'opaque'\`; \`features.introspection\`; its default in-memory adapter; \`NODE_ENV=production\``,
    `- Requests: \`grant_type=client_credentials&scope=${SCOPE}\` with HTTP Basic; introspection of one valid access token by the same client`,
    '',
    '| Target | req/s (avg) | p50 (ms) | p99 (ms) | non-2xx | errors | server CPU | server µs/req | load-gen CPU | other CPU |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    ...verdicts,
    ...introspections,
    '',
    'Latency percentiles are computed from every 2xx response time of the measured run. "server',
    'µs/req" is the server process\'s CPU time over the requests served. A non-2xx response or an',
    'error invalidates that target\'s figure (struck through).',
  ].join('\n');
}

function oidcVersion() {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', 'oidc-provider', 'package.json'), 'utf8')).version;
  } catch {
    return '(version unknown)';
  }
}

// --- main --------------------------------------------------------------------------------------

async function main() {
  const opts = {
    durationS: envNumber('BENCH_DURATION', 10, { min: 1 }),
    warmupS: envNumber('BENCH_WARMUP', 3, { min: 0 }),
    connections: envNumber('BENCH_CONNECTIONS', 50, { min: 1, integer: true }),
    sliceS: envNumber('BENCH_SLICE', 2, { min: 0.5 }),
  };
  const algs = (process.env.BENCH_OAUTH_ALGS || 'RS256,ES256,EdDSA').split(',').map((s) => s.trim());
  for (const alg of algs) if (!['RS256', 'ES256', 'EdDSA'].includes(alg)) throw new Error(`BENCH_OAUTH_ALGS: ${alg} is not RS256, ES256 or EdDSA`);
  const cpuProf = process.env.BENCH_CPU_PROF === '1';
  keepTmp = process.env.BENCH_KEEP_TMP === '1';
  setUpCleanup('bench:oauth', { keepTmp });
  if (!existsSync(join(root, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm run bench does)');

  const machine = machineInfo();
  const pinning = setUpPinning();
  const idleBefore = await machineIdlePct(2000);
  log(`bench:oauth: ${machine.nproc} CPUs, ${machine.cpuModel}, Node.js ${machine.node}; CPU idle over the last 2 s: ${fmtPct(idleBefore)}`);
  log(pinning.pinned ? `bench:oauth: servers on CPU ${pinning.serverCpu}, load generator on CPU ${pinning.loadCpu}` : `bench:oauth: WARNING: running unpinned: ${pinning.reason}`);
  const serverCpu = pinning.pinned ? pinning.serverCpu : undefined;

  const bareServer = await startServer('bare Fastify server', join(here, 'bare-server.js'), { cpu: serverCpu });
  await probe('bare Fastify', { url: `${bareServer.url}/` });
  const bare = await measure('bare Fastify GET /', { url: `${bareServer.url}/`, serverPid: bareServer.child.pid, ...opts });
  await stopChild(bareServer.child);

  const gatehouse = {};
  const oidc = {};
  const pairRatios = {};
  const signatures = {};
  for (const alg of algs) {
    const measured = await measureAlgorithm(alg, { serverCpu, opts, cpuProf });
    gatehouse[alg] = measured.gatehouse;
    oidc[alg] = measured.oidc;
    pairRatios[alg] = measured.pairRatios;
    signatures[alg] = measured.signature;
  }
  const opaque = await measureOidcOpaque(algs[0], { serverCpu, opts });
  const events = Object.values(gatehouse).reduce((n, g) => n + g.events, 0);

  const markdown = report({ bare, gatehouse, oidc, opaque, pairRatios, signatures, machine, idleBefore, pinning, opts, date: new Date().toISOString(), events });
  log('');
  log(markdown);
  log('');
  for (const g of Object.values(gatehouse)) for (const p of g.profile ?? []) log(`${p}\n`);

  const all = [bare, ...Object.values(gatehouse).flatMap((g) => [g.token, g.introspect]), ...Object.values(oidc).map((o) => o.token), opaque.token, opaque.introspect];
  const invalid = all.filter((r) => r.non2xx > 0 || r.errors > 0);
  if (invalid.length > 0) {
    log(`bench:oauth: INVALID RUN: non-2xx or errors on ${invalid.map((r) => r.label).join(', ')}; docs/benchmarks.md not updated`);
    return 1;
  }
  const docs = docsWriteDecision();
  if (cpuProf) log('bench:oauth: profiled run (slower by design): docs/benchmarks.md not updated');
  else if (!docs.write) log(`bench:oauth: ${docs.why}: docs/benchmarks.md not updated`);
  else {
    writeMarkedSection(DOC_PATH, {
      start: START,
      end: END,
      markdown,
      fallbackHeading: '## OAuth 2.0 client_credentials: Gatehouse beside oidc-provider\n\nThe block below is rewritten by each `npm run bench` (`bench/oauth.js`).\n\n',
    });
    log(`bench:oauth: wrote ${DOC_PATH}`);
  }
  return 0;
}

main().then(
  (code) => shutdown(code),
  (err) => {
    process.stderr.write(`bench:oauth: error: ${err instanceof Error ? err.message : String(err)}\n`);
    void shutdown(1);
  },
);
