import type { Migration } from '../migration-runner';

/**
 * A pulled change that refers to a record this terminal does not hold yet (a certificate whose person comes later
 * in the server's order: the person was re-sent when they entered another 事務's population, issue 16 §1, or was
 * updated by an import) waits here and is applied as soon as what it refers to arrives, instead of being skipped.
 */
export const syncWaiting: Migration = {
  version: 16,
  name: 'sync-waiting',
  up(db) {
    db.exec(`
      CREATE TABLE sync_waiting (
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        change_json TEXT NOT NULL,
        since TEXT NOT NULL,
        PRIMARY KEY (entity, entity_id)
      ) WITHOUT ROWID;
    `);
  },
};
