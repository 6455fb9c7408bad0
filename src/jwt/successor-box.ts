import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import type { RandomSource } from '../core/crypto/random.js';

/** What a repeated presentation within the leeway gets back: the successor tokens, exactly as first issued. */
export interface SuccessorTokens {
  refreshToken: string;
  refreshTokenId: string;
  accessToken: string;
  jti: string;
  /** Epoch milliseconds. */
  accessExpiresAt: number;
  /** Seconds, as first answered. */
  expiresIn: number;
  scope: string[];
}

const VERSION = 'gh-rs1';
const INFO = Buffer.from('gatehouse refresh successor v1');

/**
 * The successor's key: HKDF-SHA256 (RFC 5869) over the presented (old) refresh token, salted
 * with its public id. Only someone holding the old token (256 random bits; the database has
 * only its SHA-256) can derive it, so the stored box adds nothing to a database thief's hand.
 */
function boxKey(oldToken: string, oldTokenId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(oldToken, 'utf8'), Buffer.from(oldTokenId, 'utf8'), INFO, 32));
}

/** Seals the successor tokens (AES-256-GCM, random 96-bit IV, both token ids as AAD). */
export function sealSuccessor(oldToken: string, oldTokenId: string, successor: SuccessorTokens, random: RandomSource): string {
  const iv = Buffer.from(random.bytes(12));
  const cipher = createCipheriv('aes-256-gcm', boxKey(oldToken, oldTokenId), iv);
  cipher.setAAD(Buffer.from(`${oldTokenId}\0${successor.refreshTokenId}`));
  const ct = Buffer.concat([cipher.update(JSON.stringify(successor), 'utf8'), cipher.final()]);
  return [VERSION, successor.refreshTokenId, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

/** Opens a box made by {@link sealSuccessor}; null when it does not open (wrong token, tampered). */
export function openSuccessor(oldToken: string, oldTokenId: string, blob: string): SuccessorTokens | null {
  const parts = blob.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) return null;
  const [, successorId = '', iv = '', ct = '', tag = ''] = parts;
  try {
    const decipher = createDecipheriv('aes-256-gcm', boxKey(oldToken, oldTokenId), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${oldTokenId}\0${successorId}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    const text = Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    const parsed = JSON.parse(text) as SuccessorTokens;
    return parsed.refreshTokenId === successorId ? parsed : null;
  } catch {
    return null;
  }
}
