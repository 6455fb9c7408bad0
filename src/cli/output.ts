import type { ApiKey } from '../index.js';

/** Formats rows as an aligned plain-text table. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

/** `active`, `revoked`, `expired` or `rotated` (still in its grace period). */
export function keyStatus(key: ApiKey, now: number): string {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && now >= key.expiresAt) return 'expired';
  if (key.rotatedToId !== null) return 'rotated';
  return 'active';
}

export function keyRows(keys: ApiKey[], now: number): string {
  return table(
    ['ID', 'NAME', 'START', 'OWNER', 'SCOPES', 'ENV', 'STATUS', 'RATE LIMIT', 'EXPIRES', 'LAST USED'],
    keys.map((k) => [
      k.id,
      k.name,
      `${k.prefix}_${k.start}…`,
      k.ownerId ?? '-',
      k.scopes.join(' ') || '-',
      k.environment,
      keyStatus(k, now),
      k.rateLimit ? `${k.rateLimit.limit}/${k.rateLimit.windowSeconds}s` : 'default',
      iso(k.expiresAt),
      iso(k.lastUsedAt),
    ]),
  );
}

export function keyDetails(key: ApiKey, now: number): string {
  const rows: Array<[string, string]> = [
    ['id', key.id],
    ['name', key.name],
    ['start', `${key.prefix}_${key.start}…`],
    ['environment', key.environment],
    ['status', keyStatus(key, now)],
    ['owner_id', key.ownerId ?? '-'],
    ['scopes', key.scopes.join(' ') || '-'],
    ['rate_limit', key.rateLimit ? `${key.rateLimit.limit} per ${key.rateLimit.windowSeconds} s` : 'default'],
    ['metadata', JSON.stringify(key.metadata)],
    ['created_at', iso(key.createdAt)],
    ['expires_at', iso(key.expiresAt)],
    ['revoked_at', iso(key.revokedAt)],
    ['last_used_at', iso(key.lastUsedAt)],
    ['rotated_from_id', key.rotatedFromId ?? '-'],
    ['rotated_to_id', key.rotatedToId ?? '-'],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}

/** The banner around a raw key: shown once, never again. */
export function secretBanner(title: string, key: string): string {
  const lines = [title, '', `  ${key}`, '', 'Store it now: it is shown only once and Gatehouse keeps only its hash.'];
  const width = Math.max(...lines.map((l) => l.length)) + 2;
  const bar = '='.repeat(width + 2);
  return [bar, ...lines.map((l) => `| ${l.padEnd(width - 1)}|`), bar].join('\n');
}
