import Database from 'better-sqlite3-multiple-ciphers';
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../../testing/clock';
import { createSeededCore, type SeededCore, loginSeeded } from '../../../../testing/core';
import { DEMO_LOGINS } from '../../../../testing/seed';
import { count, freshDb, JAPANESE, must, rawOpen, tempDir, UUID_V7, type FreshDb } from '../../../../testing/db';
import { databasePath, keyFilePath } from '../../app-core';
import { DomainError, DatabaseOpenError } from '../../errors';
import { openDatabase } from '../database';
import { FileKeyProvider } from '../file-key-provider';
import type { Migration } from '../migration-runner';
import { insertRecord, updateRecord } from '../records';
import { DOMAIN_TABLES, MIGRATIONS } from '../schema';

const sideFiles = (p: string) => [p, `${p}-wal`, `${p}-shm`].filter((f) => existsSync(f));
const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');

/** Which of the needles occur (as UTF-8 bytes) in which of the files. */
function leaks(files: string[], needles: string[]): string[] {
  const found: string[] = [];
  for (const f of files) {
    const bytes = readFileSync(f);
    for (const n of needles) if (bytes.includes(Buffer.from(n, 'utf8'))) found.push(`${f}: ${n}`);
  }
  return found;
}

const stamp = { by: 'TEST', at: '2026-11-22T01:00:00.000Z' };
const block = { cert_type: 'test', next_serial: 1, last_serial: 10, source: 'test', expires_at: null };

describe('encryption at rest (seeded core)', () => {
  let s: SeededCore;
  let path: string;
  beforeEach(async () => {
    s = await createSeededCore({ clock: clockFrom('2026-11-22T01:00:00Z'), households: 20 });
    path = databasePath(s.dataDir);
  });
  afterEach(() => s.cleanup());

  it('no resident name or 個人番号 in the db, -wal or -shm, before and after close; a plaintext db would show them', async () => {
    const child = must(s.edges.byName.testChild);
    const parent = must(s.edges.byName.testParent);
    const needles = ['シケン', '試験', must(child.myNumber), must(parent.myNumber)];
    const clerk = must(DEMO_LOGINS[0]);
    const actor = await loginSeeded(s, 's1', clerk.staffId);
    s.core.residents.search(actor, { kana: 'シケン' });
    // Rewrite the child's row so the page holding its name and number is in the WAL.
    s.core.db.prepare(`UPDATE residents SET katagaki = '方書' WHERE id = ?`).run(child.id);
    s.core.lifecycle.issue(actor, { type: 'kodomo', residentId: child.id, issueKind: 'new', reissueReason: null, details: { guardianId: parent.id }, nameChoice: 'real', printSex: true, residentVersion: 1 });

    expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
    expect(sideFiles(path)).toHaveLength(3);
    expect(leaks(sideFiles(path), needles)).toEqual([]);
    s.core.close();
    expect(leaks(sideFiles(path), needles)).toEqual([]);

    // Positive control: the same check finds the bytes in an unencrypted WAL-mode database.
    const plainPath = join(s.dataDir, 'plain.db');
    const plain = new Database(plainPath);
    plain.pragma('journal_mode = WAL');
    plain.exec('CREATE TABLE t (name TEXT, kanji TEXT, my_number TEXT)');
    plain.prepare('INSERT INTO t VALUES (?, ?, ?)').run(child.nameKana, child.nameKanji, child.myNumber);
    expect(leaks(sideFiles(plainPath), needles).length).toBeGreaterThan(0);
    plain.close();
    expect(leaks(sideFiles(plainPath), needles).length).toBeGreaterThanOrEqual(3);
  });

  it('has no plain SQLite header and opens as standard SQLCipher 4 with the raw key', () => {
    s.core.close();
    expect(readFileSync(path).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    const raw = rawOpen(path, keyFilePath(s.dataDir));
    try {
      expect(count(raw, 'SELECT count(*) AS n FROM residents')).toBeGreaterThan(40);
    } finally {
      raw.close();
    }
    // The same key with the library's default cipher (not SQLCipher) cannot read it.
    const other = new Database(path, { fileMustExist: true });
    try {
      other.pragma(`key="x'${readFileSync(keyFilePath(s.dataDir), 'utf8').trim()}'"`);
      expect(() => other.prepare('SELECT count(*) FROM residents').get()).toThrow();
    } finally {
      other.close();
    }
  });

  it('a wrong key fails closed: DatabaseOpenError in Japanese, file untouched, nothing created', () => {
    s.core.close();
    const dir = tempDir();
    try {
      const copy = databasePath(dir);
      copyFileSync(path, copy);
      writeFileSync(keyFilePath(dir), randomBytes(32).toString('hex'), { mode: 0o600 });
      const before = { sha: sha256(copy), size: statSync(copy).size };
      let error: unknown;
      try {
        openDatabase({ path: copy, keyProvider: new FileKeyProvider(keyFilePath(dir)) });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DatabaseOpenError);
      expect((error as Error).message).toMatch(JAPANESE);
      expect((error as Error).message).toContain('暗号鍵');
      expect({ sha: sha256(copy), size: statSync(copy).size }).toEqual(before);
      expect(readdirSync(dir).sort()).toEqual(['madoguchi.db', 'madoguchi.key']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an existing database with a missing key fails closed and no key is created', () => {
    s.core.close();
    const dir = tempDir();
    try {
      const copy = databasePath(dir);
      copyFileSync(path, copy);
      const before = sha256(copy);
      expect(() => openDatabase({ path: copy, keyProvider: new FileKeyProvider(keyFilePath(dir)) })).toThrow(DatabaseOpenError);
      expect(() => openDatabase({ path: copy, keyProvider: new FileKeyProvider(keyFilePath(dir)) })).toThrow(/暗号鍵/);
      expect(sha256(copy)).toBe(before);
      expect(existsSync(keyFilePath(dir))).toBe(false);
      expect(readdirSync(dir)).toEqual(['madoguchi.db']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the database, its -wal/-shm and the key file are owner-only (0600)', () => {
    const files = sideFiles(path);
    expect(files).toHaveLength(3);
    for (const f of [...files, keyFilePath(s.dataDir)]) expect({ f, mode: statSync(f).mode & 0o777 }).toEqual({ f, mode: 0o600 });
  });

  it('tightens a pre-existing loose file and creates a missing data directory as 0700', () => {
    const dir = tempDir();
    try {
      const loose = databasePath(dir);
      writeFileSync(loose, '', { mode: 0o644 });
      openDatabase({ path: loose, keyProvider: new FileKeyProvider(keyFilePath(dir)) }).close();
      expect(statSync(loose).mode & 0o777).toBe(0o600);
      const nested = join(dir, 'nested', 'madoguchi.db');
      openDatabase({ path: nested, keyProvider: new FileKeyProvider(join(dir, 'nested.key')) }).close();
      expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a malformed key file is refused without touching the database', () => {
    s.core.close();
    const before = sha256(path);
    writeFileSync(keyFilePath(s.dataDir), 'not-a-key');
    expect(() => openDatabase({ path, keyProvider: new FileKeyProvider(keyFilePath(s.dataDir)) })).toThrow(/暗号鍵の形式/);
    expect(sha256(path)).toBe(before);
  });

  it('runs with WAL, synchronous=FULL and foreign keys on', () => {
    expect(s.core.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.core.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(s.core.db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('every domain table has the common columns, and insertRecord ids are UUIDv7', () => {
    for (const t of DOMAIN_TABLES) {
      const cols = (s.core.db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name);
      expect({ t, cols }).toEqual({ t, cols: expect.arrayContaining(['id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'deleted']) });
    }
    const ids = s.core.db.prepare(`SELECT entity_id AS id FROM outbox WHERE op = 'insert'`).pluck().all() as string[];
    expect(ids.length).toBeGreaterThanOrEqual(DEMO_LOGINS.length + 1);
    const id = s.core.db.transaction(() => insertRecord(s.core.db, 'number_blocks', block, stamp))();
    for (const x of [...ids, id]) expect(x).toMatch(UUID_V7);
  });
});

describe('migrations', () => {
  let dir: string;
  beforeEach(() => (dir = tempDir()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const open = (migrations: Migration[]) =>
    openDatabase({ path: databasePath(dir), keyProvider: new FileKeyProvider(keyFilePath(dir)), migrations });
  const m1: Migration = { version: 1, name: 'a', up: (db) => db.exec('CREATE TABLE a (x)') };
  const tables = (db: Database.Database) => db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();

  it('a migration that fails midway leaves the database at the previous version', () => {
    const m2bad: Migration = {
      version: 2,
      name: 'b',
      up: (db) => {
        db.exec('CREATE TABLE b (x)');
        throw new Error('migration 2 failed');
      },
    };
    expect(() => open([m1, m2bad])).toThrow('migration 2 failed');
    const db = open([m1]);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(1);
      expect(tables(db)).toContain('a');
      expect(tables(db)).not.toContain('b');
    } finally {
      db.close();
    }
  });

  it('refuses a database at a newer schema version than the app knows', () => {
    const m2: Migration = { version: 2, name: 'b', up: (db) => db.exec('CREATE TABLE b (x)') };
    open([m1, m2]).close();
    expect(() => open([m1])).toThrow(/スキーマ版 \(2\)/);
    const db = open([m1, m2]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });
});

describe('records and the outbox', () => {
  let f: FreshDb;
  beforeEach(() => (f = freshDb()));
  afterEach(() => f.cleanup());
  const outboxFor = (id: string) => count(f.db, 'SELECT count(*) AS n FROM outbox WHERE entity_id = ?', id);

  it('insertRecord writes the row and its outbox row together', () => {
    const id = f.db.transaction(() => insertRecord(f.db, 'number_blocks', block, stamp))();
    expect(id).toMatch(UUID_V7);
    expect(count(f.db, 'SELECT count(*) AS n FROM number_blocks WHERE id = ?', id)).toBe(1);
    const ob = f.db.prepare(`SELECT entity, op, payload FROM outbox WHERE entity_id = ?`).get(id) as { entity: string; op: string; payload: string };
    expect(ob).toMatchObject({ entity: 'number_blocks', op: 'insert' });
    expect(JSON.parse(ob.payload)).toMatchObject({ id, version: 1, cert_type: 'test' });
  });

  it('a transaction that inserts then throws leaves neither the row nor the outbox row', () => {
    let id = '';
    expect(() =>
      f.db.transaction(() => {
        id = insertRecord(f.db, 'number_blocks', block, stamp);
        throw new Error('after insert');
      })(),
    ).toThrow('after insert');
    expect(id).toMatch(UUID_V7);
    expect(count(f.db, 'SELECT count(*) AS n FROM number_blocks')).toBe(0);
    expect(count(f.db, 'SELECT count(*) AS n FROM outbox')).toBe(0);
  });

  it('updateRecord bumps the version with an outbox row; a stale version is a CONFLICT that changes nothing', () => {
    const id = insertRecord(f.db, 'number_blocks', block, stamp);
    expect(updateRecord(f.db, 'number_blocks', id, 1, { next_serial: 2 }, stamp)).toBe(2);
    expect(outboxFor(id)).toBe(2);
    const snapshot = f.db.prepare('SELECT * FROM number_blocks WHERE id = ?').get(id);
    let error: unknown;
    try {
      updateRecord(f.db, 'number_blocks', id, 1, { next_serial: 9 }, { by: 'OTHER', at: '2026-11-23T00:00:00.000Z' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('CONFLICT');
    expect(f.db.prepare('SELECT * FROM number_blocks WHERE id = ?').get(id)).toEqual(snapshot);
    expect(outboxFor(id)).toBe(2);
  });

  it('an update that throws inside the transaction rolls back the row and the outbox', () => {
    const id = insertRecord(f.db, 'number_blocks', block, stamp);
    expect(() =>
      f.db.transaction(() => {
        updateRecord(f.db, 'number_blocks', id, 1, { next_serial: 5 }, stamp);
        throw new Error('after update');
      })(),
    ).toThrow('after update');
    expect(f.db.prepare('SELECT version, next_serial FROM number_blocks WHERE id = ?').get(id)).toEqual({ version: 1, next_serial: 1 });
    expect(outboxFor(id)).toBe(1);
  });
});

describe('migration 6 (certificate lifecycle) on a database with data', () => {
  it('rebuilds certificates and their events keeping every row, reference and the one-valid rule', () => {
    const f = freshDb(MIGRATIONS.slice(0, 5));
    try {
      const s = { by: 'T', at: '2026-11-22T00:00:00.000Z' };
      const res = insertRecord(f.db, 'residents', { atena_no: '1', name_kanji: '移行 太郎', name_kana: 'イコウ タロウ', name_kana_key: 'イコウタロウ', birth_date: '2015-01-01', sex: '1', postal_code: '', address: '', household_no: '1', dv_support: 0, non_disclosure: 0, view_suspended: 0 }, s);
      const cert = (no: string, status: string) => insertRecord(f.db, 'certificates', { resident_id: res, cert_type: 'kodomo', certificate_no: no, public_payer_no: '82270006', issue_kind: 'new', reissue_reason: null, issue_date: '2026-01-01', valid_from: '2026-01-01', valid_to: '2027-03-31', guardian_id: null, status, superseded_by: null }, s);
      const old = cert('0000011', 'superseded');
      const cur = cert('0000029', 'valid');
      f.db.prepare('UPDATE certificates SET superseded_by = ? WHERE id = ?').run(cur, old);
      insertRecord(f.db, 'certificate_events', { certificate_id: old, resident_id: res, event: 'issue', reason: null }, s);
      insertRecord(f.db, 'certificate_events', { certificate_id: cur, resident_id: res, event: 'reissue', reason: '紛失' }, s);
      f.db.close();

      const db = openDatabase({ path: f.path, keyProvider: f.keyProvider });
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
        expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
        expect(db.prepare('SELECT certificate_no, status, superseded_by, recall_status, details_json FROM certificates ORDER BY certificate_no').all()).toEqual([
          { certificate_no: '0000011', status: 'superseded', superseded_by: cur, recall_status: 'pending', details_json: '{}' },
          { certificate_no: '0000029', status: 'valid', superseded_by: null, recall_status: 'none', details_json: '{}' },
        ]);
        expect(db.prepare('SELECT event FROM certificate_events ORDER BY event').all()).toEqual([{ event: 'issue' }, { event: 'reissue' }]);
        expect(() => db.prepare(`UPDATE certificates SET status = 'valid' WHERE id = ?`).run(old)).toThrow(/UNIQUE/);
        expect(db.pragma('foreign_key_check')).toEqual([]);
      } finally {
        db.close();
      }
    } finally {
      f.cleanup();
    }
  });
});
