/**
 * Small helpers shared by the core and IPC unit tests. Everything here opens real encrypted databases in
 * temp dirs; nothing is mocked.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { databasePath, keyFilePath } from '../electron/core/app-core';
import type { AuditEntry } from '../electron/core/audit/audit-log';
import { openDatabase, type Db } from '../electron/core/db/database';
import type { Migration } from '../electron/core/db/migration-runner';
import { FileKeyProvider } from '../electron/core/db/file-key-provider';

export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Hiragana, katakana or CJK ideographs: the message is Japanese. */
export const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

export function must<T>(x: T | null | undefined, what = 'value'): T {
  if (x === null || x === undefined) throw new Error(`test setup: missing ${what}`);
  return x;
}

export function tempDir(prefix = 'madoguchi-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface FreshDb {
  db: Db;
  dir: string;
  path: string;
  keyPath: string;
  keyProvider: FileKeyProvider;
  cleanup(): void;
}

/** A new, empty (migrated) encrypted database with a key file in its own temp dir. */
export function freshDb(migrations?: readonly Migration[]): FreshDb {
  const dir = tempDir();
  const path = databasePath(dir);
  const keyPath = keyFilePath(dir);
  const keyProvider = new FileKeyProvider(keyPath);
  const db = openDatabase({ path, keyProvider, ...(migrations ? { migrations } : {}) });
  return {
    db,
    dir,
    path,
    keyPath,
    keyProvider,
    cleanup: () => {
      try {
        db.close();
      } catch {
        /* already closed */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A second, independent connection to an encrypted file, opened as any SQLCipher 4 client would. */
export function rawOpen(path: string, keyPath: string): Db {
  const hex = readFileSync(keyPath, 'utf8').trim();
  const db = new Database(path, { fileMustExist: true });
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.pragma(`key="x'${hex}'"`);
  return db;
}

export type AuditRecord = Pick<AuditEntry, 'seq' | 'staffId' | 'action' | 'targetAtenaNo' | 'reason' | 'outcome' | 'detail'>;

/** The audit entries of one action, oldest first. */
export function auditOf(db: Db, action: string): AuditRecord[] {
  const rows = db
    .prepare<[string], { seq: number; staff_id: string | null; action: string; target_atena_no: string | null; reason: string | null; outcome: AuditEntry['outcome']; detail: string }>(
      'SELECT seq, staff_id, action, target_atena_no, reason, outcome, detail FROM audit_log WHERE action = ? ORDER BY seq',
    )
    .all(action);
  return rows.map((r) => ({
    seq: r.seq,
    staffId: r.staff_id,
    action: r.action,
    targetAtenaNo: r.target_atena_no,
    reason: r.reason,
    outcome: r.outcome,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
}

export function count(db: Db, sql: string, ...params: unknown[]): number {
  return (db.prepare(sql).get(...params) as { n: number }).n;
}

/**
 * Edits the audit log of `f` through a second connection, as someone holding the key could, with the append-only
 * triggers dropped so the hash chain is the only remaining defence.
 */
export function tamperAuditLog(f: { path: string; keyPath: string }, fn: (db: Db) => void): void {
  const other = rawOpen(f.path, f.keyPath);
  try {
    other.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
    fn(other);
  } finally {
    other.close();
  }
}
