import { InvalidArgumentError } from 'commander';

/** Parses `3600`, `90s`, `15m`, `12h`, `30d` into seconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected seconds or a number with s, m, h or d (e.g. 3600, 15m, 30d)');
  const n = Number(m[1]);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  return n * unit;
}

/** Parses `100/60` (100 requests per 60 s) or `100/1m`; `default` means null (use the default). */
export function parseRateLimit(value: string): { limit: number; windowSeconds: number } | null {
  if (value === 'default') return null;
  const m = /^(\d+)\/(.+)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError('expected LIMIT/WINDOW, e.g. 100/60 or 1000/1h, or "default"');
  return { limit: Number(m[1]), windowSeconds: parseDuration(m[2]!) };
}

/** Parses a comma- or space-separated scope list. */
export function parseScopes(value: string): string[] {
  return value.split(/[\s,]+/).filter((s) => s.length > 0);
}

/** Parses a JSON object argument. */
export function parseJsonObject(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError('expected a JSON object, e.g. \'{"team":"ops"}\'');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InvalidArgumentError('expected a JSON object');
  return parsed as Record<string, unknown>;
}

/** Parses an integer port. */
export function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('expected a port number from 0 to 65535');
  return Number(value);
}
