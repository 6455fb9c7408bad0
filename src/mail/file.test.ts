import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { createFileMailSender } from './file.js';
import { createMailSender, mailOutboxPath } from './index.js';
import { loadConfig } from '../core/config/load.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-mail-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (obj: object, msg?: string) => lines.push(JSON.stringify({ obj, msg }));
  return { lines, info: push, warn: push, error: push };
}

describe('file mail sender', () => {
  it('appends one JSON line per message to a private file and logs only where it went', async () => {
    const path = join(dir, 'mail', 'outbox.jsonl');
    const logger = recordingLogger();
    const sender = createFileMailSender({ path, from: 'Gatehouse <no-reply@example.com>', clock: createManualClock(Date.UTC(2026, 0, 1)), logger });
    await Promise.all([
      sender.send({ to: 'ann@example.com', subject: 'One', text: 'secret link https://x/?token=AAAA' }),
      sender.send({ to: 'bob@example.com', subject: 'Two', text: 'second', html: '<p>second</p>' }),
    ]);
    await sender.close();
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([
      { date: '2026-01-01T00:00:00.000Z', from: 'Gatehouse <no-reply@example.com>', to: 'ann@example.com', subject: 'One', text: 'secret link https://x/?token=AAAA' },
      { date: '2026-01-01T00:00:00.000Z', from: 'Gatehouse <no-reply@example.com>', to: 'bob@example.com', subject: 'Two', text: 'second', html: '<p>second</p>' },
    ]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'mail')).mode & 0o777).toBe(0o700);
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines[0]).toContain(`mail written to ${path}`);
    for (const line of logger.lines) {
      expect(line).not.toContain('token=');
      expect(line).not.toContain('ann@example.com');
    }
  });

  it('is the default transport, writing to <dataDir>/mail/outbox.jsonl', async () => {
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config.mail.transport).toBe('file');
    expect(mailOutboxPath(config)).toBe(join(dir, 'data', 'mail', 'outbox.jsonl'));
    const sender = createMailSender(config, { clock: createManualClock(), logger: recordingLogger() });
    await sender.send({ to: 'a@example.com', subject: 's', text: 't' });
    expect(readFileSync(join(dir, 'data', 'mail', 'outbox.jsonl'), 'utf8')).toContain('"to":"a@example.com"');
  });
});

describe('console mail sender', () => {
  it('prints the message and warns once that bodies go to the console', async () => {
    const written: string[] = [];
    const logger = recordingLogger();
    const config = loadConfig({ env: {}, cwd: dir, overrides: { mail: { transport: 'console' } } });
    const { createConsoleMailSender } = await import('./console.js');
    const sender = createConsoleMailSender({ from: config.mail.from, stream: { write: (t: string) => written.push(t) }, logger });
    await sender.send({ to: 'ann@example.com', subject: 'Hello', text: 'Body here' });
    expect(written.join('')).toContain('To: ann@example.com\nSubject: Hello\n\nBody here');
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain('development only');
  });
});
