/**
 * Test helper process (temp-files.test.ts): opens the encrypted database in `dataDir` and runs a sort far larger
 * than SQLite's page cache, the kind that spills to a temporary file when temp_store allows it.
 */
import { openDatabase } from '../database';
import { FileKeyProvider } from '../file-key-provider';
import { databasePath, keyFilePath } from '../../app-core';

const [dataDir] = process.argv.slice(2) as [string];
const db = openDatabase({ path: databasePath(dataDir), keyProvider: new FileKeyProvider(keyFilePath(dataDir)) });
db.pragma('cache_size = -256'); // 256 KiB: the sort below (≈16 MB) cannot stay in the cache
db.exec('CREATE TEMP TABLE probe (my_number TEXT, address TEXT)');
const insert = db.prepare('INSERT INTO probe VALUES (?, ?)');
db.transaction(() => {
  for (let i = 0; i < 20_000; i++) insert.run(String(123456789018 + i), `大阪市北区梅田${i}-${'x'.repeat(700)}`);
})();
let n = 0;
for (const _row of db.prepare('SELECT my_number, address FROM probe ORDER BY address DESC').iterate()) n++;
db.close();
process.stdout.write(JSON.stringify({ sorted: n }));
