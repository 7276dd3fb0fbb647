/**
 * BENCH ONLY — never use in the application. Opens an UNENCRYPTED database with the same pragmas and the same
 * migrations as electron/core/db/database.ts#openDatabase, so the benchmark can compare SQLCipher against plain
 * SQLite on identical data. The application always opens its database through openDatabase with a key.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { applyPragmas, type Db } from '../electron/core/db/database';
import { runMigrations } from '../electron/core/db/migration-runner';
import { MIGRATIONS } from '../electron/core/db/schema';

export function openPlainDatabaseForBench(path: string): Db {
  const db = new Database(path);
  try {
    // The very same pragmas as openDatabase (page cache size, temp_store, WAL, synchronous=FULL, …), so the
    // comparison is not won by handicapping the plaintext database.
    applyPragmas(db);
    runMigrations(db, MIGRATIONS);
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}
