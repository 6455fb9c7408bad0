import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { systemClock, type Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../core/logger.js';

/** Most bytes kept in memory while the destination is slow; beyond it lines are dropped and counted. */
const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** A batch is written once it holds this many bytes… */
const BATCH_BYTES = 64 * 1024;
/** …or this many milliseconds after its first line, whichever comes first. */
const BATCH_DELAY_MS = 10;
/** Shortest time between two warnings about dropped lines. */
export const DROP_REPORT_INTERVAL_MS = 10_000;

/** Options of {@link LineWriter.open}. */
export interface LineWriterOptions {
  /** Told of a failing destination and of dropped lines. Default: silent. */
  logger?: Logger;
  /** Time source for spacing the warnings about dropped lines. Default: the wall clock. */
  clock?: Clock;
}

/**
 * An append-only JSON-lines writer that never blocks the caller: `write` appends to an
 * in-memory batch and one `stream.write` per event-loop turn sends the batch. It respects
 * backpressure (waits for `drain`) and bounds memory: past 64 MiB pending, lines are dropped
 * and counted (`dropped`) rather than exhausting the process. Once the destination fails
 * (a stream error: disk full, file removed, closed pipe) every line, pending or new, is
 * dropped and counted.
 *
 * Drops are never silent: the stream error (its message only) and the first dropped line
 * are reported to the logger at once, then at most one warning per 10 s carries the running
 * count.
 */
export class LineWriter {
  private pending: string[] = [];
  private pendingBytes = 0;
  private scheduled = false;
  private waitingForDrain = false;
  private failed = false;
  /** `dropped` when the logger last heard of it. */
  private reportedDropped = 0;
  private lastReportAt = Number.NEGATIVE_INFINITY;
  private reportTimer: NodeJS.Timeout | undefined;
  /** Lines dropped because the destination failed or could not keep up. */
  dropped = 0;

  private constructor(
    private readonly stream: Writable,
    private readonly ownsStream: boolean,
    private readonly destination: string,
    private readonly logger: Logger,
    private readonly clock: Clock,
  ) {
    stream.on('drain', () => {
      this.waitingForDrain = false;
      this.schedule();
    });
    stream.on('error', (err: Error) => {
      // A failing destination must not crash the process; from now on every line is dropped.
      this.waitingForDrain = true;
      if (this.failed) return;
      this.failed = true;
      this.logger.error({ err: { message: err.message }, destination: this.destination }, 'audit log destination failed; audit events are being dropped');
      const lost = this.pending.length;
      this.pending = [];
      this.pendingBytes = 0;
      this.drop(lost);
    });
  }

  /** `stdout`, `stderr`, or a file path (appended to; its directory is created). */
  static open(destination: string, options: LineWriterOptions = {}): LineWriter {
    const logger = options.logger ?? silentLogger;
    const clock = options.clock ?? systemClock;
    if (destination === 'stdout') return new LineWriter(process.stdout, false, destination, logger, clock);
    if (destination === 'stderr') return new LineWriter(process.stderr, false, destination, logger, clock);
    mkdirSync(dirname(destination), { recursive: true });
    return new LineWriter(createWriteStream(destination, { flags: 'a', mode: 0o600 }), true, destination, logger, clock);
  }

  /** Queues one line (which must end with a newline). O(1), no I/O. */
  write(line: string): void {
    if (this.failed || this.pendingBytes + line.length > MAX_BUFFERED_BYTES) {
      this.drop(1);
      return;
    }
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= BATCH_BYTES && !this.waitingForDrain) this.send();
    else this.schedule();
  }

  /** Resolves once every queued line has been handed to the destination and written. */
  async flush(): Promise<void> {
    if (this.pending.length > 0 && !this.waitingForDrain) this.send();
    await new Promise<void>((resolve) => {
      if (this.stream.writableLength === 0 && this.pending.length === 0) return resolve();
      if (this.failed || (this.waitingForDrain && this.stream.errored)) return resolve();
      this.stream.write('', () => resolve());
    });
  }

  /** Flushes, then closes a file destination. Reports drops not yet reported. */
  async close(): Promise<void> {
    await this.flush();
    if (this.ownsStream) await new Promise<void>((resolve) => this.stream.end(() => resolve()));
    if (this.reportTimer) clearTimeout(this.reportTimer);
    this.reportTimer = undefined;
    if (this.dropped > this.reportedDropped) this.reportDrops();
  }

  private schedule(): void {
    if (this.scheduled || this.waitingForDrain || this.pending.length === 0) return;
    this.scheduled = true;
    // One write per batch rather than per event-loop turn: at tens of thousands of events a
    // second, per-turn writes cost more CPU than the requests they record.
    const timer = setTimeout(() => {
      this.scheduled = false;
      if (!this.waitingForDrain && this.pending.length > 0) this.send();
    }, BATCH_DELAY_MS);
    timer.unref();
  }

  private send(): void {
    const count = this.pending.length;
    const data = count === 1 ? this.pending[0]! : this.pending.join('');
    this.pending = [];
    this.pendingBytes = 0;
    // A write that fails (or is discarded because an earlier one failed) loses its lines.
    const ok = this.stream.write(data, (err) => {
      if (err) this.drop(count);
    });
    if (!ok) this.waitingForDrain = true;
  }

  /** Counts lost lines; reports the first at once, later ones at most once per interval. */
  private drop(lines: number): void {
    if (lines <= 0) return;
    this.dropped += lines;
    if (this.reportedDropped === 0 || this.clock.now() - this.lastReportAt >= DROP_REPORT_INTERVAL_MS) {
      this.reportDrops();
      return;
    }
    if (this.reportTimer) return;
    this.reportTimer = setTimeout(() => {
      this.reportTimer = undefined;
      this.reportDrops();
    }, this.lastReportAt + DROP_REPORT_INTERVAL_MS - this.clock.now());
    this.reportTimer.unref();
  }

  private reportDrops(): void {
    const first = this.reportedDropped === 0;
    this.reportedDropped = this.dropped;
    this.lastReportAt = this.clock.now();
    this.logger.warn(
      { dropped: this.dropped, destination: this.destination },
      first ? 'audit event dropped: the audit log destination failed or cannot keep up' : `audit events dropped so far: ${this.dropped}`,
    );
  }
}
