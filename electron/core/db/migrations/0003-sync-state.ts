import type { Migration } from '../migration-runner';

/** Sync state: the pull cursor, last success, and permanent rejections shown to staff (never blocking). */
export const syncState: Migration = {
  version: 3,
  name: 'sync-state',
  up(db) {
    db.exec(`
      CREATE TABLE sync_state (
        key TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
      );
      CREATE TABLE sync_rejections (
        mutation_id INTEGER PRIMARY KEY REFERENCES outbox (mutation_id),
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        rejected_at TEXT NOT NULL
      );
      CREATE INDEX outbox_unsent ON outbox (mutation_id) WHERE sent_at IS NULL;
      CREATE INDEX outbox_entity ON outbox (entity, entity_id) WHERE sent_at IS NULL;
    `);
  },
};
