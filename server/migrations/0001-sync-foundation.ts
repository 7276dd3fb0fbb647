import type { ServerMigration } from './migration';

/**
 * Sync foundation (issue 5): the per-terminal mutation sequence, the current state of every synced record, and
 * stale-version conflicts kept for a supervisor.
 */
export const syncFoundation: ServerMigration = {
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
};
