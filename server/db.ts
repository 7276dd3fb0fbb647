/**
 * PostgreSQL access: the pool, transactions and the migration runner (the migrations, one file each, are in
 * server/migrations/). All sync state lives here, so several app servers can share one database.
 */
import pg from 'pg';
import { SERVER_MIGRATIONS } from './migrations';
import type { ServerMigration } from './migrations/migration';

/**
 * Transaction-level advisory lock taken before a change draws its server_seq. Serialising entity writes
 * makes commit order equal server_seq order, so a pull that has seen seq N can never later miss a commit
 * with a smaller seq (the classic "sequence gap" of cursor pulls). Costs write parallelism; see docs.
 */
export const ENTITY_WRITE_LOCK = 0x6d616470; // 'madp'

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolOptions {
  max?: number;
  /** Called when an idle pooled connection fails (default: log). It must not crash the process. */
  onIdleError?: (err: Error) => void;
}

export function createPool(connectionString: string, opts: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, max: opts.max ?? 10 });
  pool.on('error', opts.onIdleError ?? ((err) => console.error('[db] idle client error:', err.message)));
  return pool;
}

/** Returned from a transaction body to roll back (nothing it wrote stays) and still answer `value`. */
export class Rollback<T> {
  constructor(readonly value: T) {}
}

/**
 * Runs `fn` in one transaction on a pooled connection: `begin` (default BEGIN), COMMIT when `fn` returns a value,
 * ROLLBACK when it returns a `Rollback` (whose value is returned) or throws. A connection that failed — an error
 * thrown, or killed between two queries ('error' on the checked-out client, which would otherwise crash the
 * process) — is discarded instead of going back to the pool.
 */
export async function withTransaction<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T | Rollback<T>>, begin = 'BEGIN'): Promise<T> {
  const c = await pool.connect();
  let broken: Error | undefined;
  const onClientError = (err: Error): void => {
    broken = err;
  };
  c.on('error', onClientError);
  try {
    await c.query(begin);
    let result: T | Rollback<T>;
    try {
      result = await fn(c);
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    if (result instanceof Rollback) {
      await c.query('ROLLBACK');
      return result.value;
    }
    await c.query('COMMIT');
    return result;
  } catch (err) {
    broken ??= err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    c.off('error', onClientError);
    c.release(broken);
  }
}

/** Arbitrary constant for the advisory lock that serialises migration runs of several servers. */
const MIGRATION_LOCK = 0x6d61646f; // 'mado'

/** Applies pending migrations, each in its own transaction. Safe to run from several servers at once. */
export async function migrate(pool: pg.Pool, migrations: readonly ServerMigration[] = SERVER_MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  let broken: Error | undefined;
  const onClientError = (err: Error): void => {
    broken = err;
  };
  client.on('error', onClientError);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    // The runner's own ledger, the one table no migration creates: it must exist before the first can be recorded.
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
        applied.push(m.version);
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, { cause: err });
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.off('error', onClientError);
    client.release(broken);
  }
  return applied;
}
