/**
 * Writes the schema snapshots (`npm run schema:snapshot`): electron/core/db/schema.snapshot.sql from a fresh
 * encrypted terminal database after all migrations, and server/schema.snapshot.sql from a freshly migrated
 * embedded PostgreSQL (the one the server tests start). Run it after adding a migration and commit the result;
 * the schema tests fail while a snapshot and the migrations disagree.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../electron/core/db/database';
import { FileKeyProvider } from '../electron/core/db/file-key-provider';
import { dumpSchema } from '../electron/core/db/schema-dump';
import { startPostgres } from '../testing/server';
import { dumpServerSchema } from '../server/schema-dump';

const ROOT = join(import.meta.dirname, '..');
const TERMINAL_SNAPSHOT = join(ROOT, 'electron/core/db/schema.snapshot.sql');
const SERVER_SNAPSHOT = join(ROOT, 'server/schema.snapshot.sql');

function terminalSchema(): string {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-schema-'));
  try {
    const db = openDatabase({ path: join(dir, 'madoguchi.db'), keyProvider: new FileKeyProvider(join(dir, 'madoguchi.key')) });
    try {
      return dumpSchema(db);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function serverSchema(): Promise<string> {
  const pg = await startPostgres();
  try {
    return await dumpServerSchema(pg.pool);
  } finally {
    await pg.stop();
  }
}

writeFileSync(TERMINAL_SNAPSHOT, terminalSchema());
console.log(`wrote ${TERMINAL_SNAPSHOT}`);
writeFileSync(SERVER_SNAPSHOT, await serverSchema());
console.log(`wrote ${SERVER_SNAPSHOT}`);
