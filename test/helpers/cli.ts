import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (this file is test/helpers/cli.ts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** tsx's ESM loader by absolute URL, so the CLI can run from any working directory. */
const TSX_LOADER = pathToFileURL(join(REPO_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
const CLI_MAIN = join(REPO_ROOT, 'src/cli/main.ts');

/** The arguments that run `gatehouse <args>` from source. */
export function cliArgs(args: readonly string[]): string[] {
  return ['--import', TSX_LOADER, CLI_MAIN, ...args];
}

/** This process's environment without any `GATEHOUSE_*` variable, plus `extra`. */
export function cliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('GATEHOUSE_') && v !== undefined) env[k] = v;
  delete env.NODE_OPTIONS;
  return { ...env, ...extra };
}

/** The outcome of one CLI run. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `gatehouse <args>` to completion (bounded by `timeoutMs`). Never rejects on a non-zero exit. */
export function runCli(args: readonly string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      cliArgs(args),
      { cwd: options.cwd, env: cliEnv(options.env), timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL', maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const e = error as (Error & { code?: number | string; killed?: boolean; signal?: NodeJS.Signals | null }) | null;
        if (e && typeof e.code !== 'number' && !e.killed && e.signal == null) {
          reject(e);
          return;
        }
        if (e?.killed) {
          reject(new Error(`gatehouse ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`));
          return;
        }
        resolvePromise({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
      },
    );
  });
}

/** A CLI process left running (e.g. `gatehouse start`), with its output so far. */
export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `pattern` on stdout; rejects on exit or after `timeoutMs`. */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends SIGTERM, waits up to `timeoutMs`, then SIGKILL. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns `gatehouse <args>` and keeps it running. */
export function spawnCli(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): RunningCli {
  const child = spawn(process.execPath, cliArgs(args), { cwd: options.cwd, env: cliEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    for (const w of waiters) w();
  });
  child.stderr.on('data', (chunk: string) => {
    err += chunk;
  });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolveExit) => {
    child.on('exit', (code, signal) => {
      done = true;
      for (const w of waiters) w();
      resolveExit({ code, signal });
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForStdout(pattern, timeoutMs = 60_000) {
      return new Promise((resolveMatch, reject) => {
        const check = () => {
          const m = pattern.exec(out);
          if (m) {
            finish();
            resolveMatch(m);
          } else if (done) {
            finish();
            reject(new Error(`process exited before printing ${String(pattern)}\nstdout: ${out}\nstderr: ${err}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`timed out waiting for ${String(pattern)}\nstdout: ${out}\nstderr: ${err}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async stop(timeoutMs = 10_000) {
      if (!done) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
}

/**
 * Runs CLI commands one after another (each run is a Node process that loads TypeScript
 * through tsx; running many at once on a small machine only makes each slower).
 */
export async function runCliSequence(runs: ReadonlyArray<readonly string[]>, options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<CliResult[]> {
  const results: CliResult[] = [];
  for (const args of runs) results.push(await runCli(args, options));
  return results;
}

/** A raw key as printed by Gatehouse with its default prefixes. */
export const RAW_KEY = /gk_(?:live|test)_[0-9A-Za-z]{49}/g;
