import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';

/** Most bytes kept in memory while the destination is slow; beyond it lines are dropped and counted. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

/**
 * An append-only JSON-lines writer that never blocks the caller: `write` appends to an
 * in-memory batch and one `stream.write` per event-loop turn sends the batch. It respects
 * backpressure (waits for `drain`) and bounds memory: past 64 MiB pending, lines are dropped
 * and counted (`dropped`) rather than exhausting the process.
 */
export class LineWriter {
  private pending: string[] = [];
  private pendingBytes = 0;
  private scheduled = false;
  private waitingForDrain = false;
  /** Lines dropped because the destination could not keep up. */
  dropped = 0;

  private constructor(
    private readonly stream: Writable,
    private readonly ownsStream: boolean,
  ) {
    stream.on('drain', () => {
      this.waitingForDrain = false;
      this.schedule();
    });
    stream.on('error', () => {
      // A failing destination must not crash the process; lines keep being counted as dropped.
      this.waitingForDrain = true;
    });
  }

  /** `stdout`, `stderr`, or a file path (appended to; its directory is created). */
  static open(destination: string): LineWriter {
    if (destination === 'stdout') return new LineWriter(process.stdout, false);
    if (destination === 'stderr') return new LineWriter(process.stderr, false);
    mkdirSync(dirname(destination), { recursive: true });
    return new LineWriter(createWriteStream(destination, { flags: 'a' }), true);
  }

  /** Queues one line (which must end with a newline). O(1), no I/O. */
  write(line: string): void {
    if (this.pendingBytes + line.length > MAX_BUFFERED_BYTES) {
      this.dropped++;
      return;
    }
    this.pending.push(line);
    this.pendingBytes += line.length;
    this.schedule();
  }

  /** Resolves once every queued line has been handed to the destination and written. */
  async flush(): Promise<void> {
    if (this.pending.length > 0 && !this.waitingForDrain) this.send();
    await new Promise<void>((resolve) => {
      if (this.stream.writableLength === 0 && this.pending.length === 0) return resolve();
      if (this.waitingForDrain && this.stream.errored) return resolve();
      this.stream.write('', () => resolve());
    });
  }

  /** Flushes, then closes a file destination. */
  async close(): Promise<void> {
    await this.flush();
    if (this.ownsStream) await new Promise<void>((resolve) => this.stream.end(() => resolve()));
  }

  private schedule(): void {
    if (this.scheduled || this.waitingForDrain || this.pending.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.waitingForDrain) this.send();
    });
  }

  private send(): void {
    const data = this.pending.length === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    if (!this.stream.write(data)) this.waitingForDrain = true;
  }
}
