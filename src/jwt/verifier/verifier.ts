import { systemClock, type Clock } from '../../core/clock.js';
import { ALGORITHMS, algorithmSpec, isNoneAlgorithm, type JwsAlgorithm } from './algorithms.js';
import { JwtVerificationError } from './errors.js';
import { RemoteJwks, checkJwksUri, type JwksClientOptions, type JwksStatus, type KeySource } from './jwks-client.js';
import { importVerificationKey, KeySet, type KeyEntry, type VerificationKeyInput } from './keys.js';
import { deepFreeze } from './strict-json.js';
import { VerifiedTokenCache, type CachedVerification } from './token-cache.js';
import { checkClaims, type ClaimsPolicy, type JwtClaims } from './verify-claims.js';
import { checkHeader, decodeJsonSegment, normalizeTyp, splitCompact, verifySignature, type CheckedHeader, type CompactParts, type HeaderPolicy, type JwtHeader } from './verify-jws.js';

/** Options of {@link createJwtVerifier}. Durations carry their unit in the name. */
export interface JwtVerifierOptions {
  /** The trusted issuer(s): `iss` must equal one exactly (RFC 7519 §4.1.1). Required. */
  issuer: string | readonly string[];
  /** This service's audience identifier(s): `aud` must contain one (RFC 7519 §4.1.3). Required. */
  audience: string | readonly string[];
  /**
   * The accepted JWS algorithms (RFC 8725 §3.1). Required, non-empty, all asymmetric
   * (`EdDSA`, `ES256/384/512`, `RS256/384/512`, `PS256/384/512`) or all HMAC
   * (`HS256/384/512`, which need symmetric keys in `keys`). `none` can never be allowed.
   */
  algorithms: readonly JwsAlgorithm[];
  /** URL of the issuer's JWK Set (`https://…/.well-known/jwks.json`; http only to localhost). */
  jwksUri?: string | URL;
  /** A JWK Set given inline (`{ keys: [...] }`): public keys only; unusable keys are ignored. */
  jwks?: { keys: readonly unknown[] };
  /**
   * Explicit keys: JWKs, or `{ alg, key: KeyObject, kid? }`. The only way to give HMAC
   * secrets. Every key must be usable with `algorithms`, and `kid`s must be unique.
   */
  keys?: readonly VerificationKeyInput[];
  /** Leeway in seconds for `exp`, `nbf` and `iat` (clock skew between hosts). Default 5, at most 300. */
  clockToleranceSeconds?: number;
  /**
   * The expected `typ` header, compared case-insensitively with an optional `application/`
   * prefix (RFC 9068 §2.1, RFC 8725 §3.11). Default `at+jwt` (access tokens); `false` accepts
   * any `typ` or none. Pass an array to accept several.
   */
  typ?: string | readonly string[] | false;
  /** Claims that must be present besides `iss`, `aud` and `exp` (always required), e.g. `['sub', 'jti', 'client_id']`. */
  requiredClaims?: readonly string[];
  /** Refuse tokens longer than this many bytes before any parsing. Default 8192. */
  maxTokenBytes?: number;
  /** Refuse tokens whose `iat` is older than this many seconds (requires `iat`). Default: no limit. */
  maxTokenAgeSeconds?: number;
  /**
   * Early revocation (opt-in): called with the `jti` of every token that passed the other
   * checks, also on cache hits. `true` refuses it (`token_revoked`); a throw or rejection
   * fails closed (`revocation_unavailable`). With it set, `jti` is required. A synchronous
   * answer keeps verification free of promises.
   */
  isRevoked?: (jti: string, claims: Readonly<JwtClaims>) => boolean | Promise<boolean>;
  /**
   * The verified-token cache: `{ maxEntries }` (default 10,000) or `false` to verify every
   * presentation. Entries last until the token's `exp`, drop when their key leaves the JWK
   * Set, and are re-checked with `isRevoked` on every hit.
   */
  cache?: { maxEntries?: number } | false;
  /** Remote JWK Set tuning (timeouts, size, caching, cooldown); see {@link JwksClientOptions}. */
  jwksOptions?: JwksClientOptions;
  /** Time source (tests inject a manual clock). Default: the system clock. */
  clock?: Clock;
}

/** A verified token. Frozen when it may be shared through the cache. */
export interface VerifiedJwt {
  readonly header: Readonly<JwtHeader>;
  readonly claims: Readonly<JwtClaims>;
  /** The `scope` claim split on spaces (RFC 9068 §2.2.3); empty without one. */
  readonly scopes: readonly string[];
}

/** Counters and state for health checks and logs. */
export interface JwtVerifierStatus {
  cacheEntries: number;
  /** The remote JWK Set's state, when `jwksUri` is used. */
  jwks?: JwksStatus;
}

/** A configured JWT verifier. */
export interface JwtVerifier {
  /**
   * Verifies a compact JWT: size, structure, header, key, signature (node:crypto), claims,
   * then revocation. Resolves with the verified header, claims and scopes.
   *
   * @throws {JwtVerificationError} (as a rejection) with a stable `code` on any refusal.
   */
  verify(token: string): Promise<VerifiedJwt>;
  /**
   * {@link verify}, answered synchronously when no I/O is needed (known key, cached or
   * static, and a synchronous or absent `isRevoked`): returns the result or throws the
   * {@link JwtVerificationError}; otherwise returns a promise.
   */
  verifyNow(token: string): VerifiedJwt | Promise<VerifiedJwt>;
  /** Fetches the remote JWK Set now (start-up warm-up); resolves at once for static keys. Rejects with `jwks_unavailable`. */
  warmUp(): Promise<void>;
  /** Drops every cached verification (for instance after revoking tokens in process). */
  clearCache(): void;
  status(): JwtVerifierStatus;
  /** The allowed algorithms, as configured. */
  readonly algorithms: readonly JwsAlgorithm[];
}

const DEFAULT_TYP = 'at+jwt';

/**
 * Creates a JWT verifier for access tokens (RFC 9068) signed by a trusted issuer. Keys come
 * from exactly one of `jwksUri` (remote JWK Set, cached), `jwks` (inline set) or `keys`
 * (explicit keys, the only way for HMAC secrets). Verification uses node:crypto with
 * `KeyObject`s built once per key, and runs without promises when the key is known.
 *
 * Never trusted for key selection: `jku`, `x5u`, `jwk`, `x5c` headers. Always refused:
 * `alg: none`, algorithms not listed, `crit`, `b64: false`, nested JWTs, duplicate JSON
 * members, non-canonical base64url, tokens over `maxTokenBytes`.
 *
 * @throws {TypeError} at construction for a configuration mistake: no `algorithms`, `none`
 *   or an unknown algorithm in it, HMAC mixed with asymmetric algorithms, no or several key
 *   sources, an unusable or duplicate key in `keys`, a missing issuer or audience, an
 *   insecure `jwksUri`, an out-of-range number.
 *
 * @example
 * import { createJwtVerifier } from 'gatehouse/jwt/verifier';
 * const verifier = createJwtVerifier({
 *   issuer: 'https://auth.example.com',
 *   audience: 'orders-api',
 *   algorithms: ['EdDSA'],
 *   jwksUri: 'https://auth.example.com/.well-known/jwks.json',
 *   requiredClaims: ['sub', 'jti'],
 * });
 * const { claims, scopes } = await verifier.verify(token);
 */
export function createJwtVerifier(options: JwtVerifierOptions): JwtVerifier {
  const config = resolveOptions(options);
  const { clock, headerPolicy, claimsPolicy, maxTokenBytes, isRevoked, cache, source } = config;
  const headers = new Map<string, CheckedHeader>();
  let lastSegment = '';
  let lastHeader: CheckedHeader | undefined;

  function headerOf(token: string, firstDot: number): CheckedHeader {
    // Issuers sign many tokens with the same header: parse and check each distinct one once.
    // The last one is compared in place (no slice, no hash), the others looked up by text.
    if (lastHeader !== undefined && firstDot === lastSegment.length && token.startsWith(lastSegment)) return lastHeader;
    const segment = token.slice(0, firstDot);
    let checked = headers.get(segment);
    if (checked === undefined) {
      checked = checkHeader(segment, headerPolicy);
      if (headers.size >= 256) headers.clear();
      headers.set(segment, checked);
    }
    lastSegment = segment;
    lastHeader = checked;
    return checked;
  }

  function verifyNow(token: string): VerifiedJwt | Promise<VerifiedJwt> {
    if (typeof token !== 'string') throw new JwtVerificationError('malformed', 'the token is not a string');
    // Before any parsing (a token is ASCII; a longer non-ASCII string fails as malformed anyway).
    if (token.length > maxTokenBytes) throw new JwtVerificationError('token_too_large', 'the token is larger than maxTokenBytes');
    if (cache !== undefined) {
      const hit = cache.get(token, clock.now());
      if (hit !== undefined) return hit.jti !== undefined && isRevoked ? checkRevocation(token, hit.result, hit.jti, undefined) : hit.result;
    }
    const parts = splitCompact(token);
    const checked = headerOf(token, parts.firstDot);
    const key = source.resolve(checked.kid, checked.alg.name);
    if (key instanceof Promise) return key.then((resolved) => complete(token, parts, checked, resolved));
    return complete(token, parts, checked, key);
  }

  function complete(token: string, parts: CompactParts, checked: CheckedHeader, key: KeyEntry | undefined): VerifiedJwt | Promise<VerifiedJwt> {
    if (key === undefined) throw new JwtVerificationError('unknown_key', 'no trusted key has this kid and algorithm', { claim: 'kid' });
    verifySignature(token, parts, key);
    const claims = decodeJsonSegment(token.slice(parts.firstDot + 1, parts.secondDot), 'payload');
    checkClaims(claims, clock.now(), claimsPolicy);
    const jti = claims.jti as string | undefined;
    if (isRevoked !== undefined && jti === undefined) throw new JwtVerificationError('missing_claim', 'jti is required when revocation is checked', { claim: 'jti' });
    const result: VerifiedJwt = new VerifiedToken(checked.header, claims as JwtClaims);
    const entry = cache === undefined ? undefined : { result: deepFreeze(result), expiresAtMs: (claims.exp as number) * 1000 + claimsPolicy.toleranceMs, key, jti };
    if (jti !== undefined && isRevoked !== undefined) return checkRevocation(token, result, jti, entry);
    if (entry !== undefined) cache!.set(token, entry);
    return result;
  }

  function checkRevocation(
    token: string,
    result: VerifiedJwt,
    jti: string,
    entry: CachedVerification<VerifiedJwt> | undefined,
  ): VerifiedJwt | Promise<VerifiedJwt> {
    let answer: boolean | Promise<boolean>;
    try {
      answer = isRevoked!(jti, result.claims);
    } catch (err) {
      throw revocationUnavailable(err);
    }
    const decide = (revoked: boolean): VerifiedJwt => {
      if (revoked) {
        cache?.delete(token);
        throw new JwtVerificationError('token_revoked', 'the token was revoked', { claim: 'jti' });
      }
      if (entry !== undefined) cache!.set(token, entry);
      return result;
    };
    if (typeof answer === 'boolean') return decide(answer);
    return Promise.resolve(answer).then(
      (revoked) => decide(revoked === true),
      (err: unknown) => {
        throw revocationUnavailable(err);
      },
    );
  }

  return Object.freeze({
    algorithms: Object.freeze([...options.algorithms]),
    verifyNow,
    verify(token: string): Promise<VerifiedJwt> {
      try {
        const result = verifyNow(token);
        return result instanceof Promise ? result : Promise.resolve(result);
      } catch (err) {
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rethrown as caught: a JwtVerificationError
        return Promise.reject(err);
      }
    },
    warmUp: () => (source instanceof RemoteJwks ? source.refresh() : Promise.resolve()),
    clearCache: () => cache?.clear(),
    status: (): JwtVerifierStatus => ({
      cacheEntries: cache?.size ?? 0,
      ...(source instanceof RemoteJwks ? { jwks: source.status() } : {}),
    }),
  });
}

/** A verified token; `scopes` is split from the `scope` claim on first use (most callers never ask). */
class VerifiedToken implements VerifiedJwt {
  #scopes: readonly string[] | undefined;

  constructor(
    readonly header: Readonly<JwtHeader>,
    readonly claims: Readonly<JwtClaims>,
  ) {}

  get scopes(): readonly string[] {
    // A private field stays writable when the instance is frozen for the cache.
    return (this.#scopes ??= Object.freeze(splitScope(this.claims.scope)));
  }

  toJSON(): { header: Readonly<JwtHeader>; claims: Readonly<JwtClaims>; scopes: readonly string[] } {
    return { header: this.header, claims: this.claims, scopes: this.scopes };
  }
}

/** RFC 6749 §3.3 scope: space-delimited tokens (extra spaces tolerated, never empty tokens). */
function splitScope(scope: string | undefined): string[] {
  if (scope === undefined || scope === '') return [];
  const list = scope.split(' ');
  return list.includes('') ? list.filter((s) => s !== '') : list;
}

function revocationUnavailable(cause: unknown): JwtVerificationError {
  return new JwtVerificationError('revocation_unavailable', 'the revocation check failed', { cause });
}

interface ResolvedOptions {
  clock: Clock;
  headerPolicy: HeaderPolicy;
  claimsPolicy: ClaimsPolicy;
  maxTokenBytes: number;
  isRevoked: JwtVerifierOptions['isRevoked'];
  cache: VerifiedTokenCache<VerifiedJwt> | undefined;
  source: KeySource;
}

function fail(message: string): never {
  throw new TypeError(`createJwtVerifier: ${message}`);
}

function stringSet(name: string, value: unknown): ReadonlySet<string> {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v !== '')) fail(`${name} is required: a non-empty string or array of non-empty strings`);
  return new Set(list as string[]);
}

function numberIn(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) fail(`${name} must be a number from ${min} to ${max}`);
  return value;
}

function resolveOptions(options: JwtVerifierOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) fail('options are required');
  const algorithms = resolveAlgorithms(options.algorithms);
  const issuers = stringSet('issuer', options.issuer);
  const audiences = stringSet('audience', options.audience);
  const toleranceSeconds = numberIn('clockToleranceSeconds', options.clockToleranceSeconds, 5, 0, 300);
  const maxTokenBytes = numberIn('maxTokenBytes', options.maxTokenBytes, 8192, 64, 1_048_576);
  const maxAgeSeconds = options.maxTokenAgeSeconds === undefined ? undefined : numberIn('maxTokenAgeSeconds', options.maxTokenAgeSeconds, 0, 1, 31_536_000);
  const requiredClaims = options.requiredClaims ?? [];
  if (!Array.isArray(requiredClaims) || !requiredClaims.every((c) => typeof c === 'string' && c !== '')) fail('requiredClaims must be an array of claim names');
  const typ = options.typ ?? DEFAULT_TYP;
  let typSet: ReadonlySet<string> | undefined;
  if (typ !== false) typSet = new Set([...stringSet('typ', typ)].map(normalizeTyp));
  if (options.isRevoked !== undefined && typeof options.isRevoked !== 'function') fail('isRevoked must be a function');
  let cache: VerifiedTokenCache<VerifiedJwt> | undefined;
  if (options.cache !== false) {
    cache = new VerifiedTokenCache(numberIn('cache.maxEntries', options.cache?.maxEntries, 10_000, 1, 10_000_000));
  }
  const clock = options.clock ?? systemClock;
  return {
    clock,
    headerPolicy: { algorithms, typ: typSet },
    claimsPolicy: {
      issuers,
      audiences,
      toleranceMs: toleranceSeconds * 1000,
      requiredClaims: [...(requiredClaims as readonly string[])],
      maxTokenAgeMs: maxAgeSeconds === undefined ? undefined : maxAgeSeconds * 1000,
    },
    maxTokenBytes,
    isRevoked: options.isRevoked,
    cache,
    source: resolveKeySource(options, algorithms, clock),
  };
}

function resolveAlgorithms(value: unknown): ReadonlySet<JwsAlgorithm> {
  if (!Array.isArray(value) || value.length === 0) fail('algorithms is required: a non-empty array of JWS algorithm names (RFC 8725 §3.1)');
  const set = new Set<JwsAlgorithm>();
  for (const name of value as unknown[]) {
    if (isNoneAlgorithm(name)) fail('"none" can never be allowed');
    const spec = algorithmSpec(name);
    if (spec === undefined) fail(`unsupported algorithm ${JSON.stringify(String(name)).slice(0, 40)}; supported: ${Object.keys(ALGORITHMS).join(', ')}`);
    set.add(spec.name);
  }
  const hmac = [...set].filter((a) => ALGORITHMS[a].family === 'hmac').length;
  if (hmac > 0 && hmac < set.size) fail('HMAC algorithms cannot be mixed with asymmetric ones (algorithm confusion, RFC 8725 §2.1)');
  return set;
}

function resolveKeySource(options: JwtVerifierOptions, algorithms: ReadonlySet<JwsAlgorithm>, clock: Clock): KeySource {
  const given = [options.jwksUri !== undefined, options.jwks !== undefined, options.keys !== undefined].filter(Boolean).length;
  if (given !== 1) fail('give exactly one key source: jwksUri, jwks or keys');
  const symmetric = ALGORITHMS[[...algorithms][0]!].family === 'hmac';
  if (symmetric && options.keys === undefined) fail('HMAC algorithms need their secrets in `keys`; a JWK Set never provides them');

  if (options.jwksUri !== undefined) return new RemoteJwks(checkJwksUri(options.jwksUri), algorithms, options.jwksOptions ?? {}, clock);

  if (options.jwks !== undefined) {
    const jwks = options.jwks as { keys?: unknown };
    if (typeof jwks !== 'object' || jwks === null || !Array.isArray(jwks.keys)) fail('jwks must be a JWK Set: { keys: [...] }');
    const entries: KeyEntry[] = [];
    for (const jwk of jwks.keys as unknown[]) {
      const imported = importVerificationKey(jwk, { algorithms, allowSymmetric: false });
      if (imported.ok) entries.push(...imported.entries);
    }
    if (entries.length === 0) fail('jwks has no key usable with the allowed algorithms');
    return staticSource(new KeySet(entries));
  }

  const keys = options.keys;
  if (!Array.isArray(keys) || keys.length === 0) fail('keys must be a non-empty array');
  const entries: KeyEntry[] = [];
  const kids = new Set<string>();
  (keys as readonly VerificationKeyInput[]).forEach((input, index) => {
    const imported = importVerificationKey(input, { algorithms, allowSymmetric: true });
    if (!imported.ok) fail(`keys[${index}] cannot be used: ${imported.reason}`);
    if (imported.entries.length === 0) fail(`keys[${index}] is not usable with the allowed algorithms`);
    const kid = imported.entries[0]!.kid;
    if (kid !== undefined) {
      if (kids.has(kid)) fail(`keys[${index}] repeats a kid: kids must be unique`);
      kids.add(kid);
    }
    entries.push(...imported.entries);
  });
  return staticSource(new KeySet(entries));
}

function staticSource(set: KeySet): KeySource {
  return { resolve: (kid, alg) => set.find(kid, alg) };
}
