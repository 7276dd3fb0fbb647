/**
 * Issue 16 §2: a terminal never stores a 個人番号. This scans a terminal's database decrypted — every table (the
 * WAL checkpointed first), exported into a plaintext copy — and its -wal file, for any 12-digit string with a valid
 * 個人番号 check digit (shared/domain/mynumber), and for the numbers the central server is known to hold.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidMyNumber, toHalfWidthDigits } from '../shared/domain/mynumber';
import { rawOpen } from './db';

const UUID_RE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Valid 個人番号 in a text: 12 digits (half- or full-width), plain or grouped 4-4-4 by a space or hyphen, standing
 * as a token of their own — not inside a longer run of letters and digits (a hex digest, a base64url key) nor a UUID.
 */
export function myNumbersIn(text: string): string[] {
  // A UUID's groups (8-4-4-4-12 hex) are identifiers, not numbers: its last group is all digits one time in 280.
  const t = toHalfWidthDigits(text).replace(UUID_RE, ' ');
  const re = /(?<![0-9A-Za-z])(\d{4})[ \u3000\-\u2010-\u2015\u2212\uFF0D]?(\d{4})[ \u3000\-\u2010-\u2015\u2212\uFF0D]?(\d{4})(?![0-9A-Za-z])/g;
  return [...t.matchAll(re)].map((m) => `${m[1]}${m[2]}${m[3]}`).filter(isValidMyNumber);
}

export interface ScanResult {
  /** Tables exported and scanned. */
  tables: number;
  /** Values scanned. */
  values: number;
  /** Each hit as `table.column: number`. */
  hits: string[];
}

/**
 * Decrypts the terminal database at `dbPath` (SQLCipher key file `keyPath`): checkpoints its WAL, exports every
 * table into a plaintext database, and scans every value there, then the plaintext file's bytes and the -wal's
 * bytes for each of `known` (numbers the server holds). The database may still be open elsewhere (the core).
 */
export function scanTerminalForMyNumbers(dbPath: string, keyPath: string, known: readonly string[] = []): ScanResult {
  const dir = mkdtempSync(join(tmpdir(), 'madoguchi-scan-'));
  const plainPath = join(dir, 'plain.db');
  const hits: string[] = [];
  let tables = 0;
  let values = 0;
  try {
    // The raw connection may not create files (fileMustExist): an empty file is an empty database to attach.
    writeFileSync(plainPath, '');
    const db = rawOpen(dbPath, keyPath);
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.prepare(`ATTACH DATABASE ? AS plain KEY ''`).run(plainPath);
      const names = db.prepare(`SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
      for (const name of names) db.exec(`CREATE TABLE plain."${name}" AS SELECT * FROM main."${name}"`);
      db.exec(`CREATE TABLE plain.schema_sql AS SELECT type, name, sql FROM main.sqlite_master`);
      db.exec('DETACH DATABASE plain');
    } finally {
      db.close();
    }
    const plain = new Database(plainPath, { readonly: true, fileMustExist: true });
    try {
      const names = plain.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).pluck().all() as string[];
      for (const name of names) {
        tables++;
        for (const row of plain.prepare(`SELECT * FROM "${name}"`).iterate() as Iterable<Record<string, unknown>>) {
          for (const [column, v] of Object.entries(row)) {
            values++;
            const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : Buffer.isBuffer(v) ? v.toString('latin1') : '';
            for (const n of myNumbersIn(s)) hits.push(`${name}.${column}: ${n}`);
          }
        }
      }
    } finally {
      plain.close();
    }
    for (const file of [plainPath, `${dbPath}-wal`]) {
      if (!existsSync(file)) continue;
      const bytes = readFileSync(file);
      for (const n of known) if (bytes.includes(Buffer.from(n, 'latin1'))) hits.push(`${file === plainPath ? 'plaintext export' : '-wal'}: ${n}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { tables, values, hits };
}
