/**
 * Measures, on this machine, what each signing algorithm Gatehouse can generate costs:
 * signatures and verifications per second with `node:crypto` (one core, the same 200-byte
 * JWS signing input), and the size of the signature and of a typical access token.
 * The figures behind the default `jwt.algorithm` (see docs/tokens.md).
 *
 *   npx tsx scripts/measure-signing-algorithms.ts [seconds-per-case, default 1]
 */
import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

const seconds = Number(process.argv[2] ?? '1');
const input = Buffer.from('x'.repeat(200));

interface Case {
  alg: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  hash: string | null;
  options: Record<string, unknown>;
}

const ed = generateKeyPairSync('ed25519');
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const cases: Case[] = [
  { alg: 'EdDSA', ...ed, hash: null, options: {} },
  { alg: 'ES256', ...ec, hash: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
  { alg: 'RS256', ...rsa, hash: 'sha256', options: {} },
];

function rate(fn: () => void): number {
  for (let i = 0; i < 200; i++) fn();
  let n = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
  }
  return Math.round(n / ((performance.now() - start) / 1000));
}

console.log('alg    sign/s   verify/s  signature bytes  signature b64url chars');
for (const c of cases) {
  const signature = sign(c.hash, input, { key: c.privateKey, ...c.options });
  const signs = rate(() => sign(c.hash, input, { key: c.privateKey, ...c.options }));
  const verifies = rate(() => verify(c.hash, input, { key: c.publicKey, ...c.options }, signature));
  console.log(`${c.alg.padEnd(6)} ${String(signs).padStart(7)}  ${String(verifies).padStart(8)}  ${String(signature.length).padStart(15)}  ${String(signature.toString('base64url').length).padStart(22)}`);
}
