import { afterEach, describe, expect, it } from 'vitest';
import { createGatehouse } from './gatehouse.js';

describe('createGatehouse', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  // Regression: the README's `await createGatehouse()` (no argument) crashed with
  // "Cannot read properties of undefined (reading 'audit')".
  it('works with no argument, reading GATEHOUSE_* like the server', async () => {
    process.env.GATEHOUSE_DATABASE_URL = 'sqlite::memory:';
    process.env.GATEHOUSE_AUDIT_DESTINATION = 'stderr';
    process.env.GATEHOUSE_API_KEY_RATE_LIMIT = '7';
    const gatehouse = await createGatehouse();
    try {
      expect(gatehouse.config.apiKeys.defaultRateLimit.limit).toBe(7);
      expect(gatehouse.storageLocation).toBe('SQLite (in memory)');
      const { key } = await gatehouse.apiKeys.create({ name: 'x' });
      const result = await gatehouse.apiKeys.verify(key);
      expect(result.valid).toBe(true);
    } finally {
      await gatehouse.close();
    }
  });

  it('works with an empty options object and with a partial config', async () => {
    process.env.GATEHOUSE_AUDIT_DESTINATION = 'stderr';
    for (const options of [{ config: { database: { url: 'sqlite::memory:' } } }, { config: { database: { url: 'sqlite::memory:' } }, logger: undefined }]) {
      const gatehouse = await createGatehouse(options);
      expect((await gatehouse.ready()).ok).toBe(true);
      await gatehouse.close();
    }
  });

  it('names PostgreSQL, without the password, when it cannot be reached at start', async () => {
    process.env.GATEHOUSE_AUDIT_DESTINATION = 'stderr';
    const error = await createGatehouse({
      config: { database: { url: 'postgres://gh:s3cret-pw@127.0.0.1:1/db', connectTimeoutSeconds: 1 } },
    }).then(
      () => undefined,
      (err: unknown) => err as Error,
    );
    expect(error?.message).toMatch(/^cannot open PostgreSQL at postgres:\/\/gh:\*\*\*@127\.0\.0\.1:1\/db/);
    expect(error?.message).not.toContain('s3cret-pw');
  });
});
