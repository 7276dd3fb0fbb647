/**
 * PostgreSQL access: the pool and the versioned migrations. All sync state lives here, so several app
 * servers can share one database.
 */
import pg from 'pg';

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

export interface ServerMigration {
  version: number;
  name: string;
  sql: string;
}

export const SERVER_MIGRATIONS: readonly ServerMigration[] = [
  {
    version: 1,
    name: 'sync-foundation',
    sql: `
      CREATE TABLE terminals (
        terminal_id TEXT PRIMARY KEY,
        last_mutation_id BIGINT NOT NULL DEFAULT 0 CHECK (last_mutation_id >= 0),
        first_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        last_push_at TIMESTAMPTZ
      );

      -- Every mutation the server accepted into its sequence: applied, or permanently rejected (kept so
      -- staff can list it; a rejection still advances last_mutation_id and never blocks the queue).
      CREATE TABLE mutations (
        terminal_id TEXT NOT NULL REFERENCES terminals (terminal_id),
        mutation_id BIGINT NOT NULL CHECK (mutation_id > 0),
        client_uuid UUID UNIQUE,
        entity TEXT,
        entity_id TEXT,
        op TEXT,
        payload JSONB NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
        reason TEXT,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (terminal_id, mutation_id),
        CHECK (status = 'rejected' OR (client_uuid IS NOT NULL AND entity IS NOT NULL AND entity_id IS NOT NULL
                                       AND op IN ('insert', 'update', 'delete')))
      );
      CREATE INDEX mutations_rejected ON mutations (terminal_id, mutation_id) WHERE status = 'rejected';

      -- Current state of every synced record. server_seq is re-assigned on each change; pull reads in its order.
      CREATE TABLE entities (
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        payload JSONB NOT NULL,
        updated_by_terminal TEXT NOT NULL,
        deleted BOOLEAN NOT NULL DEFAULT false,
        server_seq BIGSERIAL NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (entity, entity_id)
      );
      CREATE UNIQUE INDEX entities_server_seq ON entities (server_seq);

      -- A stale-version edit: kept for a supervisor; the stored record is left as it was.
      CREATE TABLE conflicts (
        conflict_id BIGSERIAL PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        mutation_id BIGINT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        op TEXT NOT NULL,
        client_version INTEGER,
        server_version INTEGER,
        client_payload JSONB NOT NULL,
        server_payload JSONB,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        resolved_at TIMESTAMPTZ,
        resolved_by TEXT,
        resolution TEXT,
        FOREIGN KEY (terminal_id, mutation_id) REFERENCES mutations (terminal_id, mutation_id)
      );
      CREATE INDEX conflicts_open ON conflicts (created_at) WHERE resolved_at IS NULL;
    `,
  },
  {
    version: 2,
    name: 'number-leases',
    sql: `
      -- The next serial per certificate type. Starts above the range terminals get at provisioning.
      CREATE TABLE number_counters (
        cert_type TEXT PRIMARY KEY,
        next_serial BIGINT NOT NULL CHECK (next_serial > 0)
      );
      CREATE TABLE number_leases (
        lease_id UUID PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        cert_type TEXT NOT NULL,
        first_serial BIGINT NOT NULL,
        last_serial BIGINT NOT NULL CHECK (last_serial >= first_serial),
        leased_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        expires_at TIMESTAMPTZ NOT NULL,
        returned_from BIGINT,
        returned_at TIMESTAMPTZ,
        CHECK (returned_from IS NULL OR (returned_from >= first_serial AND returned_from <= last_serial + 1))
      );
      CREATE INDEX number_leases_terminal ON number_leases (terminal_id, cert_type);
    `,
  },
  {
    version: 3,
    name: 'staff-sessions',
    sql: `
      -- One session per member of staff across all terminals.
      CREATE TABLE staff_sessions (
        staff_id TEXT PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        claimed_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 4,
    name: 'pull-scope',
    sql: `
      -- Who may see a record (shared/sync/scope.ts): its municipality always; its 事務 for certificates and
      -- their events; the owning terminal for leased number blocks. Set when the record is first pushed.
      ALTER TABLE entities ADD COLUMN municipality TEXT;
      ALTER TABLE entities ADD COLUMN jimu TEXT;
      ALTER TABLE entities ADD COLUMN owner_terminal TEXT;
      CREATE INDEX entities_scope_seq ON entities (municipality, server_seq);

      -- Server-wide facts, e.g. the highest server_seq whose tombstone was pruned: a terminal whose cursor is
      -- below it may have missed a deletion and must take a fresh snapshot.
      CREATE TABLE server_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'audit-entries',
    sql: `
      -- Each terminal's audit log, copied entry by entry (server/audit.ts). Fields exactly as the terminal hashed
      -- them: at as sent, detail as canonical JSON text, so the stored chain verifies as it did on the terminal.
      CREATE TABLE audit_entries (
        terminal_id TEXT NOT NULL,
        seq BIGINT NOT NULL CHECK (seq > 0),
        at TEXT NOT NULL,
        staff_id TEXT,
        action TEXT NOT NULL,
        target_atena_no TEXT,
        reason TEXT,
        outcome TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'rejected')),
        detail TEXT NOT NULL,
        prev_hash TEXT NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
        hash TEXT NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
        received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (terminal_id, seq)
      );
      -- The last entry held per terminal; its row is the per-terminal lock of an upload.
      CREATE TABLE audit_heads (
        terminal_id TEXT PRIMARY KEY,
        head_seq BIGINT NOT NULL DEFAULT 0 CHECK (head_seq >= 0),
        head_hash TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000', -- genesis
        updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
    `,
  },
  {
    version: 6,
    name: 'audit-checkpoints',
    sql: `
      -- Signed checkpoints (RFC 9162 roots over each terminal's audit entry hashes), checked against the
      -- entries the server holds before they are stored. The first key a terminal uses is registered; a
      -- checkpoint signed with another key is refused (a re-enrolled terminal's key is reset by an operator).
      CREATE TABLE audit_keys (
        terminal_id TEXT PRIMARY KEY,
        key_id TEXT NOT NULL,
        public_key_pem TEXT NOT NULL,
        registered_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
      CREATE TABLE audit_checkpoints (
        terminal_id TEXT NOT NULL,
        checkpoint_id BIGINT NOT NULL,
        tree_size BIGINT NOT NULL,
        root_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature TEXT NOT NULL,
        received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        PRIMARY KEY (terminal_id, checkpoint_id)
      );
    `,
  },
];

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
