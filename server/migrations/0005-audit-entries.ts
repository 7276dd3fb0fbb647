import type { ServerMigration } from './migration';

/**
 * Audit upload (docs/sync-protocol.md §7): each terminal's hash-chained audit log, and the head held per terminal.
 */
export const auditEntries: ServerMigration = {
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
};
