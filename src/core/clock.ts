/**
 * A source of the current time. Every domain takes one so tests can inject a fixed or
 * steppable clock instead of sleeping.
 */
export interface Clock {
  /** Current time in milliseconds since the Unix epoch (UTC). */
  now(): number;
}

/** The wall clock. The only place in `src/` that reads `Date.now()`. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock for tests: starts at `startMs` and only moves when told.
 *
 * @example
 * const clock = createManualClock(Date.UTC(2026, 0, 1));
 * clock.advanceSeconds(61);
 */
export interface ManualClock extends Clock {
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Moves the clock forward by `seconds` seconds. */
  advanceSeconds(seconds: number): void;
  /** Sets the clock to an absolute time in epoch milliseconds. */
  set(ms: number): void;
}

export function createManualClock(startMs: number = Date.UTC(2026, 0, 1)): ManualClock {
  let current = startMs;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    advanceSeconds: (seconds) => {
      current += seconds * 1000;
    },
    set: (ms) => {
      current = ms;
    },
  };
}
