import Database from 'better-sqlite3-multiple-ciphers';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseOpenError } from '../errors';
import type { KeyProvider } from '../platform';
import { runMigrations, type Migration } from './migration-runner';
import { MIGRATIONS } from './schema';
import { isRetired, RETIRED_MESSAGE } from './retired';

export type Db = Database.Database;

export interface OpenOptions {
  path: string;
  keyProvider: KeyProvider;
  /** Defaults to the application's migrations; tests pass their own to exercise failure paths. */
  migrations?: readonly Migration[];
}

/**
 * Open (or create) the encrypted database in SQLCipher 4 format with a raw 256-bit key.
 *
 * Fails closed: an existing file is never replaced or re-keyed. If the file exists and the key is missing
 * or wrong, this throws DatabaseOpenError without writing anything.
 */
export function openDatabase(opts: OpenOptions): Db {
  const { path, keyProvider } = opts;
  // A retired terminal's directory: refused before any key is read or created.
  if (isRetired(dirname(path))) throw new DatabaseOpenError(RETIRED_MESSAGE);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const exists = existsSync(path) && statSync(path).size > 0;
  let key = keyProvider.loadKey();
  if (exists && !key) {
    throw new DatabaseOpenError(
      `データベース ${path} は存在しますが、暗号鍵（${keyProvider.describe()}）がありません。新しいデータベースは作成しません。`,
    );
  }
  if (!key) key = keyProvider.createKey();
  if (!existsSync(path)) closeSync(openSync(path, 'wx', 0o600));

  const db = new Database(path, { fileMustExist: true });
  try {
    applyKey(db, key);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_NOTADB') {
        throw new DatabaseOpenError(
          `データベース ${path} を開けません。暗号鍵が一致しないか、ファイルが破損しています。データは変更していません。`,
        );
      }
      throw e;
    }
    applyPragmas(db);
    runMigrations(db, opts.migrations ?? MIGRATIONS);
    restrictFileModes(path);
    return db;
  } catch (e) {
    db.close();
    throw e;
  } finally {
    key.fill(0);
  }
}

/**
 * SQLite's page cache for the one connection, in KiB (negative cache_size = KiB, not pages): 512 MiB.
 *
 * Why: under SQLCipher every page SQLite reads from the OS (even from the OS file cache) is decrypted and its HMAC
 * checked (~12 µs per 4 KiB page here), and mmap is not used for an encrypted file, so only pages in this cache are
 * free to read again. A resident search reads up to ~100 random rows of `residents`; at 1,000,000 residents the
 * search's working set (the residents table ≈ 246 MiB, residents_kana ≈ 42, residents_birth ≈ 20, the atena_no
 * index ≈ 16 MiB; bench/search.bench.ts) is ≈ 330 MiB, which the library default (-16000 ≈ 16 MiB) cannot hold.
 *
 * Memory cost: at most ≈ 512 MiB of process memory, allocated only as pages are read, so a terminal with a small
 * database (a kodomo-only copy) or a short session uses far less; a full 1M-resident copy read through uses
 * ≈ 350 MiB. Counter PCs have 8–16 GiB.
 *
 * mmap_size stays 0 (the default): SQLite3MultipleCiphers does not map an encrypted file (the pragma is accepted but
 * no mapping appears), so it would only speed up a plaintext file.
 */
export const PAGE_CACHE_SIZE_KIB = 524_288;

/**
 * The connection pragmas of every terminal database (and of the bench's plaintext comparison database, so a
 * benchmark compares like with like). Called after the key is applied.
 */
export function applyPragmas(db: Db): void {
  // Sorts, indexes and temporary tables stay in memory: SQLite's temp files are not encrypted, and by default
  // they go to /var/tmp (or TMPDIR), outside the data directory, carrying whatever was sorted.
  db.pragma('temp_store = MEMORY');
  db.pragma(`cache_size = -${PAGE_CACHE_SIZE_KIB}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // Without this, INSERT OR REPLACE deletes conflicting rows without firing DELETE triggers, which would
  // let a REPLACE into audit_log rewrite an entry past the append-only triggers.
  db.pragma('recursive_triggers = ON');
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
}

function applyKey(db: Db, key: Buffer): void {
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.pragma(`key="x'${key.toString('hex')}'"`);
}

/** The database and its -wal/-shm side files are readable by the owner only. */
export function restrictFileModes(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(p)) chmodSync(p, 0o600);
  }
}
