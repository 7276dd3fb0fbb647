import type { Migration } from '../migration-runner';

/** Snapshot pulls (a reset by the server): the records the snapshot delivered, to drop the rest at its end. */
export const syncSnapshot: Migration = {
  version: 4,
  name: 'sync-snapshot',
  up(db) {
    db.exec(`
      CREATE TABLE sync_snapshot_seen (
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        PRIMARY KEY (entity, entity_id)
      ) WITHOUT ROWID;
    `);
  },
};
