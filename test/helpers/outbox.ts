import { existsSync, readFileSync } from 'node:fs';
import { mailOutboxPath } from '../../src/mail/index.js';
import type { TestServer } from './server.js';

/** One message from the file outbox. */
export interface OutboxMessage {
  date: string;
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** Waits for pending account mail, then reads every message in the server's file outbox. */
export async function readOutbox(server: TestServer): Promise<OutboxMessage[]> {
  await server.gatehouse.accounts.settle();
  const path = mailOutboxPath(server.gatehouse.config);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as OutboxMessage);
}

/** The token of the link in the newest message to `to`. */
export async function latestToken(server: TestServer, to: string): Promise<string> {
  const message = (await readOutbox(server)).filter((m) => m.to === to).at(-1);
  const token = message?.text.match(/[?&]token=([A-Za-z0-9_-]+)/)?.[1];
  if (!token) throw new Error(`no link mailed to ${to}`);
  return token;
}

/** Fast argon2id parameters for HTTP tests that are not about hashing. */
export const TEST_ACCOUNTS = { argon2: { memoryKiB: 7168, iterations: 1, parallelism: 1 } } as const;
