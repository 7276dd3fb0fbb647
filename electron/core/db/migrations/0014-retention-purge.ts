import type { Migration } from '../migration-runner';

/**
 * Retention of domain records (issue 16 §3, electron/core/retention/purge.ts): a record past its 保存年限 is removed
 * from this terminal; only its entity, ID and the server version it had stay here, never its content. A purge is
 * local: nothing goes to the outbox. Sync reads this table so that an ordinary pull or a snapshot does not bring the
 * record back, and counts it in the checksum it compares with the server's (the server still holds it); the entry
 * goes when the server deletes the record or a snapshot no longer delivers it.
 */
export const retentionPurge: Migration = {
  version: 14,
  name: 'retention-purge',
  up(db) {
    db.exec(`
      CREATE TABLE retention_purged (
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        purged_at TEXT NOT NULL,
        PRIMARY KEY (entity, entity_id)
      ) WITHOUT ROWID;
    `);
  },
};
