import { createMemoryAuditLog } from '../../src/audit/audit-log.js';
import { createManualClock, type ManualClock } from '../../src/core/clock.js';
import { defaultConfig } from '../../src/core/config/load.js';
import type { GatehouseConfig } from '../../src/core/config/schema.js';
import type { RandomSource } from '../../src/core/crypto/random.js';
import { secureRandom } from '../../src/core/crypto/random.js';
import type { AuthEvent } from '../../src/core/events.js';
import { silentLogger, type Logger } from '../../src/core/logger.js';
import { createDefenseService } from '../../src/defense/service.js';
import type { DefenseService } from '../../src/defense/types.js';
import type { CounterStore } from '../../src/rate-limit/store.js';
import { createMemoryCounterStore } from '../../src/storage/counters/memory.js';

/** A window-aligned start time (2026-01-01T00:00:00Z). */
export const START = Date.UTC(2026, 0, 1);

/** A defence secret for tests (≥ 32 characters). */
export const TEST_SECRET = 'test-defense-secret-0123456789abcdef';

/** A defence service over memory (or given) counters, with a manual clock and a memory audit log. */
export interface DefenseFixture {
  defense: DefenseService;
  clock: ManualClock;
  counters: CounterStore;
  events: AuthEvent[];
  config: GatehouseConfig['defense'];
  close(): Promise<void>;
}

export interface DefenseFixtureOptions {
  config?: Partial<{ [K in keyof GatehouseConfig['defense']]: Partial<GatehouseConfig['defense'][K]> }>;
  secrets?: string[];
  counters?: (clock: ManualClock) => Promise<CounterStore> | CounterStore;
  clock?: ManualClock;
  random?: RandomSource;
  logger?: Logger;
}

/** Builds a {@link DefenseFixture}; the defaults are the shipped ones (10 per 60 s, 500 per 60 s, 15 min). */
export async function defenseFixture(options: DefenseFixtureOptions = {}): Promise<DefenseFixture> {
  const clock = options.clock ?? createManualClock(START);
  const base = defaultConfig().defense;
  const overrides = options.config ?? {};
  const config: GatehouseConfig['defense'] = {
    ...base,
    lockout: { ...base.lockout, ...overrides.lockout },
    ipThrottle: { ...base.ipThrottle, ...overrides.ipThrottle },
    deviceCookies: { ...base.deviceCookies, ...overrides.deviceCookies },
  };
  const counters = options.counters ? await options.counters(clock) : createMemoryCounterStore({ clock });
  const audit = createMemoryAuditLog({ clock });
  const defense = createDefenseService({
    counters,
    audit,
    clock,
    random: options.random ?? secureRandom,
    config,
    secrets: options.secrets ?? [TEST_SECRET],
    logger: options.logger ?? silentLogger,
  });
  return { defense, clock, counters, events: audit.events, config, close: () => counters.close() };
}

/** One failed login: check, and if admitted, record a failure. Returns the check's outcome. */
export async function failOnce(defense: DefenseService, identifier: string, ip: string, deviceCookie?: string): Promise<'evaluated' | 'locked' | 'ip_throttled'> {
  const check = await defense.checkLogin({ identifier, ip, deviceCookie });
  if (!check.allowed) return check.reason;
  await defense.recordFailure(check.attempt, 'wrong_password');
  return 'evaluated';
}

/** One successful login; returns the device cookie value (`v1.…`), or the refusal reason (`locked`, `ip_throttled`). */
export async function succeedOnce(defense: DefenseService, identifier: string, ip: string, userId: string, deviceCookie?: string): Promise<string> {
  const check = await defense.checkLogin({ identifier, ip, deviceCookie });
  if (!check.allowed) return check.reason;
  return (await defense.recordSuccess(check.attempt, userId)).deviceCookie.value;
}

/** The cheapest argon2id settings the schema allows, so HTTP tests with hundreds of logins stay fast. */
export const CHEAP_ARGON2 = { memoryKiB: 7168, iterations: 1, parallelism: 1 } as const;

/** A password the policy accepts. */
export const GOOD_PASSWORD = 'correct horse battery staple 42';

/** The outcome of one `POST /auth/login` (JSON). */
export interface LoginResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The device cookie value (`__Host-gatehouse_device`, or `gatehouse_device` in development mode) set by a success, if any. */
  deviceCookie: string | undefined;
}

/** `POST /auth/login` with a JSON body; `deviceCookie` is sent under both device-cookie names (the server reads the one its cookie mode uses). */
export async function postLogin(
  server: { url: string },
  email: string,
  password: string,
  options: { deviceCookie?: string; headers?: Record<string, string> } = {},
): Promise<LoginResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.deviceCookie !== undefined) headers.cookie = `__Host-gatehouse_device=${options.deviceCookie}; gatehouse_device=${options.deviceCookie}`;
  const res = await fetch(`${server.url}/auth/login`, { method: 'POST', headers, body: JSON.stringify({ email, password }) });
  const text = await res.text();
  const device = res.headers
    .getSetCookie()
    .map((c) => /^(?:__Host-)?gatehouse_device=([^;]*)/.exec(c)?.[1])
    .find((v) => v !== undefined);
  return { status: res.status, headers: res.headers, text, deviceCookie: device };
}

/** Runs `tasks` with at most `limit` in flight; results in input order. */
export async function withConcurrency<T>(limit: number, tasks: Array<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}
