import { systemClock, type Clock } from '../../core/clock.js';
import type { JwsAlgorithm } from './algorithms.js';
import { JwtVerificationError } from './errors.js';
import { importVerificationKey, KeySet, type KeyEntry } from './keys.js';
import { parseJsonObject } from './strict-json.js';

/**
 * A remote JWK Set (RFC 7517 §5), fetched and cached for a verifier.
 *
 * - Fetched with a timeout and a size limit, no redirects followed, strict JSON.
 * - Cached for the response's `Cache-Control: max-age`, clamped to
 *   [`minCacheSeconds`, `maxCacheSeconds`] (`defaultCacheSeconds` without one, or with
 *   `no-store`/`no-cache`: the minimum). Past that, the next verification starts a refresh
 *   in the background and keeps using the cached keys meanwhile.
 * - Stale-while-error: when refreshes fail, the cached keys stay in use for
 *   `staleIfErrorSeconds` beyond their max-age; after that the verifier fails closed
 *   (`jwks_unavailable`).
 * - An unknown `kid` triggers a refetch at most once per `cooldownSeconds` (counted from the
 *   start of the previous fetch of any kind); concurrent verifications share one in-flight
 *   fetch, so many tokens with unknown kids cause one request, never one each.
 * - Keys that cannot be used are ignored, each with a reason in {@link JwksStatus}: wrong
 *   `use`/`key_ops`, unsupported or mismatched `alg`/`kty`/`crv`, symmetric (`oct`) keys,
 *   private key material, RSA under 2048 bits or with a ROCA modulus, invalid EC points.
 */

/** Tuning of a remote JWK Set. All optional. */
export interface JwksClientOptions {
  /** Abort a fetch (headers and body) after this many milliseconds. Default 5000. */
  timeoutMs?: number;
  /** Refuse a JWK Set larger than this many bytes. Default 65536. */
  maxBytes?: number;
  /** At most one fetch per this many seconds for unknown kids or after a failure. Default 10. */
  cooldownSeconds?: number;
  /** Cache lifetime in seconds when the response has no usable `max-age`. Default 300. */
  defaultCacheSeconds?: number;
  /** Lower bound of the cache lifetime in seconds. Default 30. */
  minCacheSeconds?: number;
  /** Upper bound of the cache lifetime in seconds. Default 86400. */
  maxCacheSeconds?: number;
  /** How long, in seconds past its lifetime, a cached set serves while refreshes fail. Default 3600. */
  staleIfErrorSeconds?: number;
  /** Injected fetch (tests, proxies). Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/** What a remote JWK Set looks like now, for health checks and logs (no key material). */
export interface JwksStatus {
  uri: string;
  /** Usable (key, algorithm) entries. */
  keys: number;
  /** Keys of the last fetched set that were ignored, and why. */
  ignored: Array<{ kid: string | undefined; reason: string }>;
  /** When the current set was fetched (epoch ms), or null before the first success. */
  fetchedAtMs: number | null;
  /** Until when the current set is fresh (epoch ms), or null. */
  freshUntilMs: number | null;
  /** The last fetch failure, if the last fetch failed (a message, never a body). */
  lastError: string | null;
  /** Fetches started so far. */
  fetches: number;
}

/** Resolves keys by `kid` and algorithm; synchronously when no fetch is needed. */
export interface KeySource {
  resolve(kid: string | undefined, alg: JwsAlgorithm): KeyEntry | undefined | Promise<KeyEntry | undefined>;
}

interface Resolved {
  timeoutMs: number;
  maxBytes: number;
  cooldownMs: number;
  defaultCacheMs: number;
  minCacheMs: number;
  maxCacheMs: number;
  staleIfErrorMs: number;
  fetch: typeof fetch;
}

function positive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`jwksOptions.${name} must be a finite number ≥ 0`);
  return value;
}

/** Validates a JWKS URI: https, or http only to a loopback host (development, tests). */
export function checkJwksUri(uri: string | URL): URL {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new TypeError('jwksUri is not a valid URL');
  }
  const loopback = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new TypeError('jwksUri must use https (plain http only to localhost): keys fetched in clear text can be replaced in transit');
  }
  if (url.username || url.password) throw new TypeError('jwksUri must not carry credentials');
  return url;
}

/**
 * A remote JWK Set as a {@link KeySource}, plus `refresh` (fetch now, e.g. at start-up) and
 * `status`. `algorithms` limits the entries made from its keys.
 */
export class RemoteJwks implements KeySource {
  private readonly options: Resolved;
  private current: KeySet | undefined;
  private fetchedAtMs = -Infinity;
  private freshUntilMs = -Infinity;
  private staleUntilMs = -Infinity;
  private lastAttemptMs = -Infinity;
  private inflight: Promise<void> | undefined;
  private lastError: unknown;
  private ignored: JwksStatus['ignored'] = [];
  private fetches = 0;

  constructor(
    private readonly url: URL,
    private readonly algorithms: ReadonlySet<JwsAlgorithm>,
    options: JwksClientOptions = {},
    private readonly clock: Clock = systemClock,
  ) {
    const s = (name: keyof JwksClientOptions, fallback: number) => positive(name, options[name] as number | undefined, fallback) * 1000;
    this.options = {
      timeoutMs: positive('timeoutMs', options.timeoutMs, 5000),
      maxBytes: positive('maxBytes', options.maxBytes, 65536),
      cooldownMs: s('cooldownSeconds', 10),
      defaultCacheMs: s('defaultCacheSeconds', 300),
      minCacheMs: s('minCacheSeconds', 30),
      maxCacheMs: s('maxCacheSeconds', 86400),
      staleIfErrorMs: s('staleIfErrorSeconds', 3600),
      fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    };
    if (this.options.minCacheMs > this.options.maxCacheMs) throw new TypeError('jwksOptions.minCacheSeconds must not exceed maxCacheSeconds');
  }

  resolve(kid: string | undefined, alg: JwsAlgorithm): KeyEntry | undefined | Promise<KeyEntry | undefined> {
    const now = this.clock.now();
    const set = this.current;
    if (set === undefined || now >= this.staleUntilMs) {
      // Nothing usable cached: wait for a fetch, started now unless one failed within the cooldown.
      const pending = this.inflight ?? (now - this.lastAttemptMs >= this.options.cooldownMs ? this.start(now) : undefined);
      if (pending === undefined) throw this.unavailable();
      return pending.then(() => this.lookupAfterFetch(kid, alg));
    }
    if (now >= this.freshUntilMs && this.inflight === undefined && now - this.lastAttemptMs >= this.options.cooldownMs) void this.start(now);
    const entry = set.find(kid, alg);
    if (entry !== undefined) return entry;
    // Unknown kid: join a fetch in flight, or start one if the cooldown allows; else unknown.
    if (this.inflight !== undefined) return this.inflight.then(() => this.current?.find(kid, alg));
    if (now - this.lastAttemptMs >= this.options.cooldownMs) return this.start(now).then(() => this.current?.find(kid, alg));
    return undefined;
  }

  /** Fetches the set now (or joins a fetch in flight). Rejects with `jwks_unavailable` if no usable set results. */
  async refresh(): Promise<void> {
    await (this.inflight ?? this.start(this.clock.now()));
    if (this.current === undefined || this.clock.now() >= this.staleUntilMs) throw this.unavailable();
  }

  status(): JwksStatus {
    return {
      uri: this.url.origin + this.url.pathname,
      keys: this.current?.size ?? 0,
      ignored: [...this.ignored],
      fetchedAtMs: Number.isFinite(this.fetchedAtMs) ? this.fetchedAtMs : null,
      freshUntilMs: Number.isFinite(this.freshUntilMs) ? this.freshUntilMs : null,
      lastError: this.lastError === undefined ? null : this.lastError instanceof Error ? this.lastError.message : 'fetch failed',
      fetches: this.fetches,
    };
  }

  private lookupAfterFetch(kid: string | undefined, alg: JwsAlgorithm): KeyEntry | undefined {
    if (this.current === undefined || this.clock.now() >= this.staleUntilMs) throw this.unavailable();
    return this.current.find(kid, alg);
  }

  private unavailable(): JwtVerificationError {
    return new JwtVerificationError('jwks_unavailable', 'the JWK Set could not be fetched and no usable cached copy exists', { cause: this.lastError });
  }

  /** Starts one fetch; the promise never rejects (the outcome is recorded in the state). */
  private start(now: number): Promise<void> {
    this.lastAttemptMs = now;
    this.fetches++;
    const run = this.fetchOnce().then(
      ({ entries, ignored, maxAgeMs }) => {
        const previous = this.current;
        const kept = new Set<KeyEntry>();
        const merged = entries.map((entry) => {
          const same = previous?.same(entry);
          if (same === undefined) return entry;
          kept.add(same);
          return same;
        });
        previous?.retireExcept(kept);
        const at = this.clock.now();
        this.current = new KeySet(merged);
        this.ignored = ignored;
        this.fetchedAtMs = at;
        this.freshUntilMs = at + maxAgeMs;
        this.staleUntilMs = at + maxAgeMs + this.options.staleIfErrorMs;
        this.lastError = undefined;
      },
      (err: unknown) => {
        this.lastError = err;
      },
    );
    const tracked = run.finally(() => {
      if (this.inflight === tracked) this.inflight = undefined;
    });
    this.inflight = tracked;
    return tracked;
  }

  private async fetchOnce(): Promise<{ entries: KeyEntry[]; ignored: JwksStatus['ignored']; maxAgeMs: number }> {
    const { timeoutMs, maxBytes } = this.options;
    const response = await this.options.fetch(this.url, {
      method: 'GET',
      redirect: 'manual',
      headers: { accept: 'application/jwk-set+json, application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`JWK Set fetch answered HTTP ${response.status}`);
    }
    const declared = Number(response.headers.get('content-length') ?? NaN);
    if (declared > maxBytes) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`JWK Set is larger than ${maxBytes} bytes`);
    }
    const text = await readLimited(response, maxBytes);
    const document = parseJsonObject(text);
    if (document === undefined || !Array.isArray(document.keys)) throw new Error('JWK Set is not a JSON object with a "keys" array');
    const entries: KeyEntry[] = [];
    const ignored: JwksStatus['ignored'] = [];
    for (const jwk of document.keys as unknown[]) {
      const imported = importVerificationKey(jwk, { algorithms: this.algorithms, allowSymmetric: false });
      const kid = typeof jwk === 'object' && jwk !== null && typeof (jwk as { kid?: unknown }).kid === 'string' ? (jwk as { kid: string }).kid : undefined;
      if (!imported.ok) ignored.push({ kid, reason: imported.reason });
      else if (imported.entries.length === 0) ignored.push({ kid, reason: 'not usable with the allowed algorithms' });
      else entries.push(...imported.entries);
    }
    return { entries, ignored, maxAgeMs: this.cacheLifetimeMs(response.headers.get('cache-control')) };
  }

  private cacheLifetimeMs(cacheControl: string | null): number {
    const { defaultCacheMs, minCacheMs, maxCacheMs } = this.options;
    if (cacheControl === null) return clamp(defaultCacheMs, minCacheMs, maxCacheMs);
    const directives = cacheControl.toLowerCase().split(',').map((d) => d.trim());
    if (directives.includes('no-store') || directives.includes('no-cache')) return minCacheMs;
    const maxAge = directives.map((d) => /^max-age=(\d{1,10})$/.exec(d)).find((m) => m !== null);
    return clamp(maxAge ? Number(maxAge[1]) * 1000 : defaultCacheMs, minCacheMs, maxCacheMs);
  }
}

const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, value));

async function readLimited(response: Response, maxBytes: number): Promise<string> {
  if (response.body === null) return '';
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (done || value === undefined) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new Error(`JWK Set is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}
