import type { Logger } from '../core/logger.js';
import type { ApiKeyStore } from './store.js';

/**
 * Batches `last_used_at` writes so verification never waits on storage: a verification
 * records the time in memory; a timer writes the batch every `flushSeconds`.
 */
export class LastUsedRecorder {
  private pending = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly store: ApiKeyStore,
    flushSeconds: number,
    private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.flush(), flushSeconds * 1000);
    this.timer.unref();
  }

  /** Notes a use at `atMs` (epoch milliseconds). O(1), no I/O. */
  record(id: string, atMs: number): void {
    this.pending.set(id, atMs);
  }

  /** Writes the pending batch. A failed batch is kept and merged into the next one. */
  async flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.flushing = this.store
      .touchLastUsed([...batch].map(([id, lastUsedAt]) => ({ id, lastUsedAt })))
      .catch((err: unknown) => {
        for (const [id, at] of batch) if ((this.pending.get(id) ?? 0) < at) this.pending.set(id, at);
        this.logger.warn({ err, keys: batch.size }, 'last_used_at batch write failed; will retry');
      })
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  /** Stops the timer and writes what is pending. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
