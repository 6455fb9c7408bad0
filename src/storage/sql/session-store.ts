import { sql, type ExpressionBuilder, type Selectable, type Transaction } from 'kysely';
import { GatehouseError } from '../../core/errors/gatehouse-error.js';
import type { SessionStore } from '../../sessions/store.js';
import type { AuthMethod, SessionEndReason, SessionRecord } from '../../sessions/types.js';
import type { SqlDatabase } from './database.js';
import type { Database, SessionsTable } from './schema.js';

function toRecord(row: Selectable<SessionsTable>): SessionRecord {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    userId: row.user_id,
    createdAt: Number(row.created_at),
    authenticatedAt: Number(row.authenticated_at),
    lastSeenAt: Number(row.last_seen_at),
    idleExpiresAt: Number(row.idle_expires_at),
    absoluteExpiresAt: Number(row.absolute_expires_at),
    endedAt: row.ended_at === null ? null : Number(row.ended_at),
    endReason: row.end_reason as SessionEndReason | null,
    ip: row.ip,
    userAgent: row.user_agent,
    authLevel: Number(row.auth_level),
    amr: JSON.parse(row.amr) as AuthMethod[],
  };
}

function toRow(r: SessionRecord): SessionsTable {
  return {
    id: r.id,
    token_hash: r.tokenHash,
    user_id: r.userId,
    created_at: r.createdAt,
    authenticated_at: r.authenticatedAt,
    last_seen_at: r.lastSeenAt,
    idle_expires_at: r.idleExpiresAt,
    absolute_expires_at: r.absoluteExpiresAt,
    ended_at: r.endedAt,
    end_reason: r.endReason,
    ip: r.ip,
    user_agent: r.userAgent,
    auth_level: r.authLevel,
    amr: JSON.stringify(r.amr),
  };
}

/** Driver failures become `storage.unavailable` (503), with the cause kept for the log. */
async function guard<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GatehouseError) throw err;
    throw new GatehouseError('storage.unavailable', { detail: `sessions.${operation} failed`, cause: err });
  }
}

/** Thrown inside the create transaction to roll it back when `refuse` applies. */
class LimitReached extends Error {}

/**
 * The SQL implementation of {@link SessionStore} (Kysely, SQLite and PostgreSQL).
 *
 * Atomicity of `create`: on PostgreSQL a transaction-scoped advisory lock on the user id
 * serialises sign-ins of one user across every instance; on SQLite the transaction's first
 * statement is the INSERT, which takes the database write lock at once (other writers wait on
 * the busy timeout), so the count that follows sees every committed session and no other
 * sign-in can interleave.
 */
export function createSqlSessionStore(database: SqlDatabase): SessionStore {
  const { db } = database;
  const active = (now: number) => (eb: ExpressionBuilder<Database, 'sessions'>) =>
    eb.and([eb('ended_at', 'is', null), eb('idle_expires_at', '>', now), eb('absolute_expires_at', '>', now)]);

  async function lockUser(trx: Transaction<Database>, userId: string): Promise<void> {
    if (database.dialect !== 'postgres') return;
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`gatehouse_sessions:${userId}`}))`.execute(trx);
  }

  return {
    create: (record, limit, now) =>
      guard('create', async () => {
        try {
          return await db.transaction().execute(async (trx) => {
            await lockUser(trx, record.userId);
            await trx.insertInto('sessions').values(toRow(record)).execute();
            const rows = await trx
              .selectFrom('sessions')
              .selectAll()
              .where('user_id', '=', record.userId)
              .where(active(now))
              .orderBy('created_at', 'asc')
              .orderBy('id', 'asc')
              .execute();
            const excess = rows.length - limit.maxPerUser;
            if (excess <= 0) return { created: true as const, evicted: [] };
            if (limit.onLimit === 'refuse') throw new LimitReached();
            const victims = rows.filter((r) => r.id !== record.id).slice(0, excess).map((r) => r.id);
            const evicted = await trx
              .updateTable('sessions')
              .set({ ended_at: now, end_reason: 'evicted' })
              .where('id', 'in', victims)
              .where('ended_at', 'is', null)
              .returningAll()
              .execute();
            return { created: true as const, evicted: evicted.map(toRecord).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1)) };
          });
        } catch (err) {
          if (err instanceof LimitReached) return { created: false as const };
          throw err;
        }
      }),

    findByHash: (tokenHash) =>
      guard('findByHash', async () => {
        const row = await db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
        return row ? toRecord(row) : null;
      }),

    findById: (id) =>
      guard('findById', async () => {
        const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
        return row ? toRecord(row) : null;
      }),

    listActive: (userId, now) =>
      guard('listActive', async () => {
        const rows = await db.selectFrom('sessions').selectAll().where('user_id', '=', userId).where(active(now)).orderBy('created_at', 'asc').orderBy('id', 'asc').execute();
        return rows.map(toRecord);
      }),

    touch: (id, lastSeenAt, idleExpiresAt) =>
      guard('touch', async () => {
        const result = await db
          .updateTable('sessions')
          .set({ last_seen_at: lastSeenAt, idle_expires_at: idleExpiresAt })
          .where('id', '=', id)
          .where('ended_at', 'is', null)
          .where('last_seen_at', '<', lastSeenAt)
          .executeTakeFirst();
        return Number(result.numUpdatedRows) > 0;
      }),

    end: (id, reason, now) =>
      guard('end', async () => {
        const row = await db.updateTable('sessions').set({ ended_at: now, end_reason: reason }).where('id', '=', id).where('ended_at', 'is', null).returningAll().executeTakeFirst();
        return row ? toRecord(row) : null;
      }),

    endAllForUser: (userId, reason, now, exceptId) =>
      guard('endAllForUser', async () => {
        let q = db.updateTable('sessions').set({ ended_at: now, end_reason: reason }).where('user_id', '=', userId).where(active(now));
        if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
        const rows = await q.returningAll().execute();
        return rows.map(toRecord);
      }),

    deleteInactiveBefore: (before) =>
      guard('deleteInactiveBefore', async () => {
        const result = await db
          .deleteFrom('sessions')
          .where((eb) => eb.or([eb('ended_at', '<', before), eb('idle_expires_at', '<', before), eb('absolute_expires_at', '<', before)]))
          .executeTakeFirst();
        return Number(result.numDeletedRows);
      }),
  };
}
