// Session and login figures for `npm run bench` (used by bench/run.js): the argon2id hash
// time at the configured parameters, measured in this process, and what the session and
// login benchmarks need from a running Gatehouse (a user, and a signed-in session cookie).
import process from 'node:process';
import { hash } from '@node-rs/argon2';
import { defaultConfig } from '../dist/index.js';

/** Test password for the benchmark user (passes the default policy). */
export const BENCH_PASSWORD = 'bench password correct horse 42';
export const BENCH_EMAIL = 'bench@example.com';

/** argon2id parameters Gatehouse uses by default (`accounts.argon2`). */
export function argon2Parameters() {
  return defaultConfig().accounts.argon2;
}

/**
 * Times `count` sequential argon2id hashes (after 2 discarded) at the default parameters, on
 * the calling thread's CPU. Returns milliseconds: mean, p50, min, max.
 */
export async function argon2HashTime(count = 20) {
  const p = argon2Parameters();
  // algorithm 2 = Argon2id (a const enum in the typings).
  const options = { algorithm: 2, memoryCost: p.memoryKiB, timeCost: p.iterations, parallelism: p.parallelism };
  for (let i = 0; i < 2; i++) await hash(`warm-up ${i}`, options);
  const times = [];
  for (let i = 0; i < count; i++) {
    const t = process.hrtime.bigint();
    await hash(`benchmark password ${i}`, options);
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  times.sort((a, b) => a - b);
  return {
    parameters: p,
    count,
    meanMs: times.reduce((a, b) => a + b, 0) / count,
    p50Ms: times[Math.floor(count / 2)],
    minMs: times[0],
    maxMs: times[count - 1],
  };
}

/**
 * Creates the benchmark user with the admin key (`POST /v1/users`), signs it in once
 * (`POST /auth/login`), and returns the session `Cookie` header and the login request body.
 */
export async function prepareSessionBench(server) {
  const created = await globalThis.fetch(`${server.url}/v1/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email: BENCH_EMAIL, password: BENCH_PASSWORD, name: 'Bench' }),
  });
  if (created.status !== 201) throw new Error(`creating the bench user answered ${created.status}: ${await created.text()}`);
  await created.arrayBuffer();
  const loginBody = JSON.stringify({ email: BENCH_EMAIL, password: BENCH_PASSWORD });
  const login = await globalThis.fetch(`${server.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: loginBody });
  if (login.status !== 200) throw new Error(`POST /auth/login answered ${login.status}: ${await login.text()}`);
  await login.arrayBuffer();
  const line = login.headers.getSetCookie().find((l) => /^(__Host-)?gatehouse_session=/.test(l));
  if (!line) throw new Error('POST /auth/login set no session cookie');
  const cookie = line.split(';')[0];
  const check = await globalThis.fetch(`${server.url}/auth/session`, { headers: { cookie } });
  if (check.status !== 200) throw new Error(`GET /auth/session with the bench session answered ${check.status}`);
  await check.arrayBuffer();
  return { cookie, loginBody };
}
