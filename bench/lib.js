// Shared by the benchmark scripts (`bench/run.js`, `bench/oauth.js`): environment knobs, child
// servers that are always stopped, CPU pinning and accounting, autocannon measurement, and
// rewriting a marked section of docs/benchmarks.md.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { clearTimeout, setTimeout } from 'node:timers';
import { setTimeout as delay } from 'node:timers/promises';
import autocannon from 'autocannon';

/** One line to stdout. */
export const log = (line = '') => process.stdout.write(`${line}\n`);

let logPrefix = 'bench';

export const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
export const fmtMs = (n) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a');
export const fmtPct = (n) => (Number.isFinite(n) ? `${Math.round(n)}%` : 'n/a');

export function envNumber(name, fallback, { min = 0, integer = false } = {}) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}; got ${JSON.stringify(raw)}`);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Child processes and temporary directories: tracked, and always cleaned up (normal end,
// error, signal, or exit).

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

export function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGTERM, then SIGKILL after `graceMs`. Resolves when the child has exited. */
export async function stopChild(child, graceMs = 5000) {
  if (!isRunning(child)) {
    children.delete(child);
    return;
  }
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), delay(graceMs).then(() => true)]);
  if (timedOut && isRunning(child)) {
    child.kill('SIGKILL');
    await exited;
  }
  children.delete(child);
}


const tmpDirs = [];
let keepTmp = false;

/** Removes `dir` at the end of the run (unless {@link setUpCleanup} was told to keep them). */
export function trackTmpDir(dir) {
  tmpDirs.push(dir);
  return dir;
}

let shuttingDown = false;
/** Stops every child, removes the temporary directories, and exits with `code`. */
export async function shutdown(code) {
  if (shuttingDown) return;
  shuttingDown = true;
  try {
    await Promise.all([...children].map((child) => stopChild(child)));
  } finally {
    if (!keepTmp) for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
    process.exit(code);
  }
}

/**
 * Installs the clean-up: children killed on exit, servers stopped on SIGINT/SIGTERM/SIGHUP.
 * `prefix` starts every log line of this script (`bench`, `bench:oauth`).
 */
export function setUpCleanup(prefix, options = {}) {
  logPrefix = prefix;
  keepTmp = options.keepTmp === true;
  // Last resort if the process exits without going through the async clean-up.
  process.on('exit', () => {
    for (const child of children) if (isRunning(child)) child.kill('SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      log(`\n${prefix}: received ${signal}, stopping servers`);
      void shutdown(130);
    });
  }
}

/**
 * Spawns `node <script>` (under `taskset -c <cpu>` when pinning) and resolves with the first
 * JSON line it prints that has `ready: true`. stdin is a pipe the child watches: if this
 * process dies, the child sees EOF and stops.
 */
export async function startServer(name, script, { cpu, env = {}, nodeArgs = [], cwd } = {}) {
  const args = [...nodeArgs, script];
  const [command, commandArgs] = cpu === undefined ? [process.execPath, args] : ['taskset', ['-c', String(cpu), process.execPath, ...args]];
  const child = spawn(command, commandArgs, { cwd, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  child.on('error', () => {}); // a spawn failure rejects below; later kill errors are harmless
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within 30 s`)), 30_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${name}: cannot spawn ${command}: ${err.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})`));
    });
    lines.on('line', (line) => {
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      if (message && message.ready === true) {
        clearTimeout(timer);
        resolve(message);
      }
    });
  });
  // Keep draining stdout so the child never blocks on a full pipe.
  lines.on('line', () => {});
  return { child, ...ready };
}

// ---------------------------------------------------------------------------------------------
// Machine, CPU pinning and CPU accounting.

export function allowedCpus(pid = 'self') {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /^Cpus_allowed_list:\s*(.+)$/m.exec(status);
  if (!match) return [];
  const cpus = [];
  for (const part of match[1].trim().split(',')) {
    const [a, b] = part.split('-').map(Number);
    for (let c = a; c <= (b ?? a); c++) cpus.push(c);
  }
  return cpus;
}

export function machineInfo() {
  let nproc;
  try {
    nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    nproc = String(os.availableParallelism());
  }
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpuModel = m[1].trim();
  } catch {
    // not Linux: keep os.cpus()
  }
  return { nproc, cpuModel, node: process.version, os: `${os.type()} ${os.release()} ${os.arch()}` };
}

/**
 * Server on the first allowed CPU, load generator on the second, with `taskset`. Pins this
 * process (all its threads) with `taskset -a -p`; children get `taskset -c`. Returns why
 * pinning is off, if it is.
 */
export function setUpPinning() {
  const cpus = allowedCpus();
  if (cpus.length < 2) return { pinned: false, reason: `only ${cpus.length} CPU available to this process` };
  if (spawnSync('taskset', ['-c', String(cpus[0]), 'true']).status !== 0) return { pinned: false, reason: '`taskset` not found (install util-linux)' };
  const [serverCpu, loadCpu] = cpus;
  const result = spawnSync('taskset', ['-a', '-p', '-c', String(loadCpu), String(process.pid)], { encoding: 'utf8' });
  const now = allowedCpus();
  if (result.status !== 0 || now.length !== 1 || now[0] !== loadCpu) {
    return { pinned: false, reason: `taskset could not pin the load generator: ${(result.stderr || '').trim()}` };
  }
  return { pinned: true, serverCpu, loadCpu };
}

let clockTicks = 100;
try {
  clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
  // keep 100
}

/** Busy CPU time of the whole machine so far (all CPUs, steal included), in ms; NaN off Linux. */
export function machineBusyMs() {
  try {
    const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return { busy: ((user + nice + system + irq + softirq + steal) * 1000) / clockTicks, idle: ((idle + iowait) * 1000) / clockTicks };
  } catch {
    return { busy: NaN, idle: NaN };
  }
}

/** Share of the machine's CPU time that is idle over `ms`, in %. */
export async function machineIdlePct(ms) {
  const before = machineBusyMs();
  await delay(ms);
  const after = machineBusyMs();
  const busy = after.busy - before.busy;
  const idle = after.idle - before.idle;
  return (100 * idle) / (busy + idle);
}

/** CPU time (user + system) of a process so far, in ms. */
export function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks;
  } catch {
    return NaN;
  }
}

// ---------------------------------------------------------------------------------------------
// Load.

export function runAutocannon(options, onResponse) {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (err, result) => (err ? reject(err) : resolve(result)));
    if (onResponse) instance.on('response', onResponse);
  });
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

function loadOptions({ url, method = 'GET', headers = {}, body, connections }) {
  return { url, method, headers, connections, pipelining: 1, timeout: 10, ...(body === undefined ? {} : { body }) };
}

/** An empty accumulator for {@link runSlice}. */
function newTally(label) {
  return { label, total: 0, wallMs: 0, serverCpuMs: 0, selfCpuMs: 0, otherCpuMs: 0, latencies: [], non2xx: 0, errors: 0, timeouts: 0, sliceRates: [] };
}

/** One measured autocannon run of `durationS` seconds against one target, added to `tally`. */
async function runSlice(tally, options, serverPid, durationS) {
  const serverCpuBefore = processCpuMs(serverPid);
  const machineBefore = machineBusyMs();
  const selfCpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const result = await runAutocannon({ ...options, duration: durationS }, (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) tally.latencies.push(responseTime);
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const selfCpu = process.cpuUsage(selfCpuBefore);
  const serverCpuMs = processCpuMs(serverPid) - serverCpuBefore;
  const selfCpuMs = (selfCpu.user + selfCpu.system) / 1000;
  tally.total += result.requests.total;
  tally.wallMs += wallMs;
  tally.serverCpuMs += serverCpuMs;
  tally.selfCpuMs += selfCpuMs;
  tally.otherCpuMs += Math.max(0, machineBusyMs().busy - machineBefore.busy - serverCpuMs - selfCpuMs);
  tally.non2xx += result.non2xx;
  tally.errors += result.errors;
  tally.timeouts += result.timeouts;
  tally.sliceRates.push((1000 * result.requests.total) / wallMs);
}

/** The figures of a finished tally (the shape {@link measure} returns). */
function summarize(tally) {
  const sorted = Float64Array.from(tally.latencies).sort();
  return {
    label: tally.label,
    reqPerSec: (1000 * tally.total) / tally.wallMs,
    total: tally.total,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    non2xx: tally.non2xx,
    errors: tally.errors,
    timeouts: tally.timeouts,
    serverCpuUsPerReq: (1000 * tally.serverCpuMs) / tally.total,
    serverCpuPct: (100 * tally.serverCpuMs) / tally.wallMs,
    loadCpuPct: (100 * tally.selfCpuMs) / tally.wallMs,
    otherCpuPct: (100 * tally.otherCpuMs) / tally.wallMs,
    sliceRates: tally.sliceRates,
  };
}

/**
 * Warm-up (discarded), then the measured run; latency percentiles from every 2xx response;
 * server, load-generator and other CPU over wall time; server CPU µs per request. `reqPerSec`
 * is requests over the measured wall time.
 */
export async function measure(label, { url, method = 'GET', headers = {}, body, serverPid, connections, warmupS, durationS }) {
  const options = loadOptions({ url, method, headers, body, connections });
  if (warmupS > 0) {
    log(`${logPrefix}: ${label}: warm-up ${warmupS} s`);
    await runAutocannon({ ...options, duration: warmupS });
  }
  log(`${logPrefix}: ${label}: measuring ${durationS} s at ${connections} connections`);
  const tally = newTally(label);
  await runSlice(tally, options, serverPid, durationS);
  return summarize(tally);
}

/**
 * Measures several targets side by side, robust to the machine's speed drifting during the
 * run: each target is warmed up, then the targets take turns in slices of `sliceS` seconds
 * (`durationS` in all per target), in A B B A order so that a steady drift weighs on every
 * target alike. Returns one result per target (the shape of {@link measure}, over all its
 * slices, plus `sliceRates`) and `pairRatios`: for two targets, the ratio of the first's rate
 * to the second's in each round (each round measures both within seconds of each other).
 *
 * @param {Array<{ label: string, url: string, method?: string, headers?: object, body?: string, serverPid: number }>} targets
 */
export async function measureInterleaved(targets, { connections, warmupS, durationS, sliceS }) {
  const options = targets.map((t) => loadOptions({ ...t, connections }));
  for (let i = 0; i < targets.length; i++) {
    if (warmupS <= 0) break;
    log(`${logPrefix}: ${targets[i].label}: warm-up ${warmupS} s`);
    await runAutocannon({ ...options[i], duration: warmupS });
  }
  const rounds = Math.max(1, Math.round(durationS / sliceS));
  const slice = durationS / rounds;
  log(`${logPrefix}: measuring ${targets.map((t) => t.label).join(' | ')}: ${rounds} rounds of ${slice.toFixed(1)} s each at ${connections} connections`);
  const tallies = targets.map((t) => newTally(t.label));
  for (let r = 0; r < rounds; r++) {
    const order = targets.map((_, i) => i);
    if (r % 2 === 1) order.reverse();
    for (const i of order) await runSlice(tallies[i], options[i], targets[i].serverPid, slice);
  }
  const results = tallies.map(summarize);
  const pairRatios = results.length === 2 ? results[0].sliceRates.map((rate, r) => rate / results[1].sliceRates[r]) : [];
  return { results, pairRatios };
}

// ---------------------------------------------------------------------------------------------
// Docs.

export async function countLines(path) {
  if (!existsSync(path)) return 0;
  let lines = 0;
  for await (const chunk of createReadStream(path)) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return lines;
}

/**
 * Replaces the block between `start` and `end` markers in the markdown file at `path` with
 * `markdown`; appends `fallbackHeading` and the block when the markers are missing.
 */
export function writeMarkedSection(path, { start, end, markdown, fallbackHeading = '' }) {
  const block = `${start}\n${markdown}\n${end}`;
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next = from >= 0 && to > from ? current.slice(0, from) + block + current.slice(to + end.length) : `${current.trimEnd()}\n\n${fallbackHeading}${block}\n`;
  writeFileSync(path, next);
}

/** The knobs that shorten or narrow a run, with their defaults. */
const FULL_RUN_DEFAULTS = { BENCH_DURATION: '10', BENCH_WARMUP: '3', BENCH_CONNECTIONS: '50', BENCH_SLICE: '2', BENCH_JWT_SLICES: '40', BENCH_JWT_SLICE_MS: '50', BENCH_OAUTH_ALGS: 'RS256,ES256,EdDSA', BENCH_KEY_COUNT: '1' };

/** The `BENCH_*` settings of this run that differ from a full run's defaults, as `NAME=value` words. */
export function changedSettings() {
  return Object.entries(FULL_RUN_DEFAULTS)
    .filter(([name, value]) => process.env[name] !== undefined && process.env[name] !== '' && process.env[name].replace(/\s/g, '') !== value)
    .map(([name]) => `${name}=${process.env[name]}`);
}

/** How this run was started, for the report: `npm run bench`, or the script alone, with the settings changed. */
export function commandLabel(script) {
  const command = process.env.npm_lifecycle_event === 'bench' ? 'npm run bench' : `node bench/${script}`;
  return [...changedSettings(), command].join(' ');
}

/**
 * Whether this run rewrites its block of docs/benchmarks.md: `BENCH_WRITE_DOCS=0` never, `=1`
 * always; otherwise only a full run (every default duration, connection count and target), so
 * a short or partial try does not replace the recorded figures. Returns the reason when not.
 */
export function docsWriteDecision() {
  const setting = process.env.BENCH_WRITE_DOCS;
  if (setting === '0') return { write: false, why: 'BENCH_WRITE_DOCS=0' };
  if (setting === '1') return { write: true };
  const changed = changedSettings();
  return changed.length === 0 ? { write: true } : { write: false, why: `not a full run (${changed.join(' ')}; BENCH_WRITE_DOCS=1 writes it anyway)` };
}
