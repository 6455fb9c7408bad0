import { createHmac } from 'node:crypto';

/** A device-cookie signing key with its id (carried in the cookie to pick the key). */
export interface DeviceCookieKey {
  /** 8 base64url characters derived from the key; reveals nothing about it. */
  kid: string;
  key: Buffer;
}

/** The keys of the login defence, derived from the configured or generated secrets. */
export interface DefenseKeys {
  /** Keys the identifier hashes in counters and events (from the current secret). */
  identifierKey: Buffer;
  /** Device-cookie keys: the first signs, all verify (rotation). */
  cookieKeys: readonly DeviceCookieKey[];
}

/**
 * Derives independent keys from each secret with HMAC-SHA256 under fixed labels, so one
 * secret serves every purpose without reusing a key across purposes.
 *
 * @param secrets the current secret first, then earlier ones still accepted for cookies
 * @throws {TypeError} when no secret is given
 */
export function deriveDefenseKeys(secrets: readonly string[]): DefenseKeys {
  const current = secrets[0];
  if (current === undefined) throw new TypeError('deriveDefenseKeys: at least one secret is required');
  const derive = (secret: string, label: string) => createHmac('sha256', Buffer.from(secret, 'utf8')).update(label, 'utf8').digest();
  const cookieKeys: DeviceCookieKey[] = [];
  for (const secret of secrets) {
    const kid = derive(secret, 'gatehouse/defense/device-cookie-kid/v1').toString('base64url').slice(0, 8);
    if (cookieKeys.some((k) => k.kid === kid)) continue;
    cookieKeys.push({ kid, key: derive(secret, 'gatehouse/defense/device-cookie/v1') });
  }
  return { identifierKey: derive(current, 'gatehouse/defense/identifier/v1'), cookieKeys };
}
