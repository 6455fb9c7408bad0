import { createHmac } from 'node:crypto';

/** The shape of a user id a device cookie can carry. */
export const DEVICE_USER_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `v1.<kid>.<userId>.<nonce>.<issued-at seconds>.<mac>`, every part cookie-safe. */
export const DEVICE_COOKIE_FORMAT = /^v1\.([A-Za-z0-9_-]{8})\.([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{22})\.(0|[1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})$/;

/** What a device cookie asserts. */
export interface DeviceCookieClaims {
  userId: string;
  /** 128 random bits, base64url (22 characters): names the cookie's own failure bucket. */
  nonce: string;
  /** Issue time, whole seconds since the epoch. */
  issuedAtSeconds: number;
}

/**
 * HMAC-SHA256 over the version, key id, claims and the normalised identifier. The identifier
 * is bound by the MAC but not carried in the cookie, so the cookie never reveals it and a
 * cookie presented with another identifier fails verification.
 */
export function deviceCookieMac(key: Buffer, kid: string, claims: DeviceCookieClaims, normalizedIdentifier: string): Buffer {
  return createHmac('sha256', key)
    .update(`gatehouse-device-cookie/v1\n${kid}\n${claims.userId}\n${claims.nonce}\n${claims.issuedAtSeconds}\n`, 'utf8')
    .update(normalizedIdentifier, 'utf8')
    .digest();
}
