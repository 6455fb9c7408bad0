import { generateKeyPair as generateKeyPairCallback, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { calculateJwkThumbprint } from 'jose';
import type { PublicJwk, SigningAlgorithm } from './types.js';

const generateKeyPair = promisify(generateKeyPairCallback);

/** RSA modulus size of generated RS256 keys, in bits (RFC 7518 §3.3 requires ≥ 2048). */
export const RSA_MODULUS_BITS = 2048;

/** A freshly generated key pair, before encryption. */
export interface GeneratedSigningKey {
  kid: string;
  alg: SigningAlgorithm;
  publicJwk: PublicJwk;
  /** The private key as PKCS#8 DER, to be encrypted at once. */
  privateKeyDer: Buffer;
}

/**
 * The public JWK of a key, with only the public members (`n`/`e`, `crv`/`x`/`y`, `crv`/`x`),
 * plus `kid`, `alg` and `use: "sig"`.
 */
export function toPublicJwk(publicKey: KeyObject, kid: string, alg: SigningAlgorithm): PublicJwk {
  const jwk = publicKey.export({ format: 'jwk' });
  switch (jwk.kty) {
    case 'RSA':
      return { kty: 'RSA', kid, alg, use: 'sig', n: jwk.n!, e: jwk.e! };
    case 'EC':
      return { kty: 'EC', kid, alg, use: 'sig', crv: jwk.crv!, x: jwk.x!, y: jwk.y! };
    case 'OKP':
      return { kty: 'OKP', kid, alg, use: 'sig', crv: jwk.crv!, x: jwk.x! };
    default:
      throw new TypeError(`unsupported key type ${String(jwk.kty)}`);
  }
}

/**
 * Generates a signing key pair with `node:crypto`: Ed25519 (`EdDSA`, RFC 8037), P-256
 * (`ES256`) or RSA-2048 (`RS256`). The `kid` is the RFC 7638 thumbprint (SHA-256) of the
 * public JWK, so it names the key and nothing else.
 *
 * @example const key = await generateSigningKey('RS256');
 */
export async function generateSigningKey(alg: SigningAlgorithm): Promise<GeneratedSigningKey> {
  const { publicKey, privateKey } =
    alg === 'EdDSA'
      ? await generateKeyPair('ed25519')
      : alg === 'ES256'
        ? await generateKeyPair('ec', { namedCurve: 'P-256' })
        : await generateKeyPair('rsa', { modulusLength: RSA_MODULUS_BITS, publicExponent: 0x10001 });
  const provisional = toPublicJwk(publicKey, '', alg);
  const { kid: _kid, alg: _alg, use: _use, ...members } = provisional;
  const kid = await calculateJwkThumbprint(members, 'sha256');
  return { kid, alg, publicJwk: toPublicJwk(publicKey, kid, alg), privateKeyDer: privateKey.export({ format: 'der', type: 'pkcs8' }) };
}
