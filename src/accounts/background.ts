import type { Logger } from '../core/logger.js';

/**
 * Tracks work started after an answer was sent (sending account e-mail), so that a request's
 * response time does not depend on it and shutdown can wait for it. A failure is logged with
 * its task name and error code only (never a message body, which may hold a token).
 */
export class BackgroundTasks {
  readonly #pending = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /** Starts `task` without waiting for it. */
  run(name: string, task: () => Promise<void>): void {
    const p: Promise<void> = Promise.resolve()
      .then(task)
      .catch((err: unknown) => {
        const e = err as { code?: unknown; name?: unknown };
        this.logger.error({ task: name, err: { name: typeof e?.name === 'string' ? e.name : 'Error', code: typeof e?.code === 'string' ? e.code : undefined } }, 'background task failed');
      })
      .finally(() => this.#pending.delete(p));
    this.#pending.add(p);
  }

  /** Resolves when every task started so far (and any they start) has finished. */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
}
