/**
 * The operational logger port (pino-compatible), distinct from the audit log: start-up,
 * background-task failures, 5xx causes. Never given a secret.
 */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything (library default when the caller passes none). */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
