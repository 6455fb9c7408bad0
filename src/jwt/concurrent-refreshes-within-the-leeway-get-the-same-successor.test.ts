/**
 * Invariant: concurrent refreshes never log a user out. Within
 * `jwt.refreshToken.reuseLeewaySeconds` of a rotation, presenting the just-rotated token again
 * (parallel tabs, a retried request) returns exactly the successor tokens the first exchange got
 * (idempotent): no new tokens, no family revocation, no alert. The successor is recoverable only
 * by someone holding the old token (sealed under a key derived from it) and is erased after the
 * leeway; from the leeway's end on, the same presentation is reuse.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openSuccessor } from './successor-box.js';
import { USER_TOKENS, tokensFixture, type TokensFixture } from '../../test/helpers/tokens.js';

describe('concurrent refresh leeway', () => {
  let f: TokensFixture;
  afterEach(() => f.close());

  it('ten parallel refreshes of one token all get the same successor; one rotation happens', async () => {
    f = await tokensFixture();
    const first = await f.tokens.issueTokens(USER_TOKENS);
    const results = await Promise.all(Array.from({ length: 10 }, () => f.tokens.refresh(first.refreshToken)));
    expect(new Set(results.map((r) => r.refreshToken)).size).toBe(1);
    expect(new Set(results.map((r) => r.accessToken)).size).toBe(1);
    expect(new Set(results.map((r) => r.expiresIn)).size).toBe(1);
    const rows = await f.database.db.selectFrom('refresh_tokens').select('id').execute();
    expect(rows).toHaveLength(2);
    expect(f.events.filter((e) => e.type === 'alert.raise')).toHaveLength(0);
    expect(f.events.filter((e) => e.type === 'token.refresh' && e.reason === 'ok')).toHaveLength(1);
    expect(f.events.filter((e) => e.type === 'token.refresh' && e.reason === 'concurrent_replay')).toHaveLength(9);
    // The successor works as usual.
    await f.tokens.refresh(results[0]!.refreshToken);
  });

  it('a repeat just inside the leeway is idempotent; at its end it is reuse', async () => {
    f = await tokensFixture({ refreshToken: { reuseLeewaySeconds: 10 } });
    const first = await f.tokens.issueTokens(USER_TOKENS);
    const second = await f.tokens.refresh(first.refreshToken);
    f.clock.advance(9_999);
    const again = await f.tokens.refresh(first.refreshToken);
    expect(again).toEqual(second);
    f.clock.advance(1);
    await expect(f.tokens.refresh(first.refreshToken)).rejects.toMatchObject({ code: 'refresh_token.invalid', detail: 'reuse_detected' });
    expect(f.events.filter((e) => e.type === 'alert.raise')).toHaveLength(1);
  });

  it('the stored successor opens only with the old token, and maintenance erases it after the leeway', async () => {
    f = await tokensFixture({ refreshToken: { reuseLeewaySeconds: 10 } });
    const first = await f.tokens.issueTokens(USER_TOKENS);
    const second = await f.tokens.refresh(first.refreshToken);
    const row = await f.database.db.selectFrom('refresh_tokens').selectAll().where('id', '=', first.refreshTokenId).executeTakeFirstOrThrow();
    expect(row.successor_blob).toMatch(/^gh-rs1\./);
    expect(row.successor_blob).not.toContain(second.refreshToken);
    expect(openSuccessor(`ghrt_${'B'.repeat(43)}`, row.id, row.successor_blob!)).toBeNull();
    expect(openSuccessor(first.refreshToken, row.id, row.successor_blob!)?.refreshToken).toBe(second.refreshToken);
    f.clock.advanceSeconds(10);
    await f.tokens.maintain();
    const after = await f.database.db.selectFrom('refresh_tokens').select('successor_blob').where('id', '=', first.refreshTokenId).executeTakeFirstOrThrow();
    expect(after.successor_blob).toBeNull();
  });
});
