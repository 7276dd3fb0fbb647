import { rmSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditEntryWireSchema, CheckpointWireSchema } from '../../../../shared/sync/audit-protocol';
import { SYNC_ENTITIES, SYNC_ENTITY_FIELDS, type SyncEntity } from '../../../../shared/sync/protocol';
import { databasePath, keyFilePath } from '../../app-core';
import { tempDir } from '../../../../testing/db';
import { openDatabase, type Db } from '../database';
import { FileKeyProvider } from '../file-key-provider';
import type { Migration } from '../migration-runner';
import { MIGRATIONS } from '../schema';

/**
 * What goes on the wire, checked against the tables of a freshly migrated terminal database: every column of a
 * synced table is either in SYNC_ENTITY_FIELDS (shared/sync/protocol.ts) or declared local-only here with its
 * reason, and every synced field is a column. A new column therefore cannot silently stay off the wire, nor
 * leak onto it. The same for the audit and checkpoint uploads (shared/sync/audit-protocol.ts), and every other
 * table must say why it is not synced. The server's side is checked in server/__tests__/schema.test.ts.
 */

/**
 * Columns of synced tables that deliberately never travel, per table, with the reason. None today. Declaring one
 * is not enough by itself: insertRecord/updateRecord (db/records.ts) put what they write into the outbox payload,
 * so such a column must also be kept out of it there (the server refuses unknown fields).
 */
const LOCAL_ONLY_COLUMNS: Record<SyncEntity, Readonly<Record<string, string>>> = {
  staff: {},
  residents: {},
  resident_guardians: {},
  health_insurance: {},
  certificates: {},
  certificate_events: {},
  number_blocks: {},
  staff_grants: {},
  authenticators: {},
  password_history: {},
  claims: {},
  claim_events: {},
  vaccination_records: {},
  rule_profiles: {},
  kokuho_shikaku: {},
  kodomo_shikaku: {},
  seiho_jukyu: {},
  fujo_flows: {},
};

/** Tables (and views) that are not synced record by record, with the reason. */
const LOCAL_TABLES: Readonly<Record<string, string>> = {
  terminal_settings: "this terminal's provisioning (its ID and settings)",
  outbox: "the queue of this terminal's unsent mutations: it is the push envelope, not a record",
  sync_state: "this terminal's sync cursors and flags (pull cursor, acknowledged audit seq, sweep/purge flags)",
  sync_rejections: "the server's permanent rejections of this terminal's mutations, shown to its staff",
  sync_snapshot_seen: 'bookkeeping of a snapshot pull in progress',
  sync_waiting: 'pulled changes waiting for a record they refer to (the server\'s; applied when it arrives)',
  claim_drafts: 'unsaved entry forms of one member of staff at this terminal',
  mailing_runs: 'batch mailings run at this terminal, resumable after a restart',
  mailing_items: 'the items of those mailing runs',
  audit_log: 'goes up entry by entry through the audit upload (checked against AuditEntryWireSchema below)',
  audit_checkpoints: 'go up through the checkpoint upload (checked against CheckpointWireSchema below)',
  audit_purged_hashes: 'chain values of purged entries, kept so that the remaining local chain still verifies',
  audit_purges: "this terminal's retention purges",
  audit_leaves: 'a view over audit_purged_hashes and audit_log',
  audit_exports: 'export requests decided at this terminal under the two-person rule',
  retention_purged: 'IDs and versions of records this terminal purged past their retention (a local purge, never pushed)',
};

/** Columns of the uploaded audit tables that stay local, with the reason. */
const LOCAL_ONLY_AUDIT_COLUMNS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  audit_log: {},
  audit_checkpoints: { frontier: 'the compact range that lets the next checkpoint hash only new entries; not signed, local cache' },
};

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const columnsOf = (db: Db, table: string): string[] => (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);

/** One table against the fields that travel for it and the columns declared local-only. */
function tableProblems(table: string, columns: readonly string[], wire: readonly string[], localOnly: Readonly<Record<string, string>>, list: string): string[] {
  if (columns.length === 0) return [`${table}: no such table`];
  const problems: string[] = [];
  for (const c of columns) {
    const onWire = wire.includes(c);
    const local = c in localOnly;
    if (!onWire && !local) problems.push(`${table}.${c}: neither in ${list} nor declared local-only (with a reason): decide whether it travels`);
    if (onWire && local) problems.push(`${table}.${c}: in ${list} and declared local-only`);
  }
  for (const f of wire) if (!columns.includes(f)) problems.push(`${table}.${f}: in ${list} but not a column of the table`);
  for (const c of Object.keys(localOnly)) if (!columns.includes(c)) problems.push(`${table}.${c}: declared local-only but not a column of the table`);
  return problems;
}

function syncFieldProblems(db: Db, fields: Readonly<Record<SyncEntity, readonly string[]>> = SYNC_ENTITY_FIELDS): string[] {
  const problems = SYNC_ENTITIES.flatMap((e) => tableProblems(e, columnsOf(db, e), fields[e], LOCAL_ONLY_COLUMNS[e], 'SYNC_ENTITY_FIELDS'));
  const tables = db.prepare<[], string>(`SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`).pluck().all();
  for (const t of tables) {
    if (!(SYNC_ENTITIES as readonly string[]).includes(t) && !(t in LOCAL_TABLES)) problems.push(`${t}: neither a synced entity (SYNC_ENTITIES) nor declared local (with a reason)`);
  }
  for (const t of Object.keys(LOCAL_TABLES)) if (!tables.includes(t)) problems.push(`${t}: declared local but there is no such table`);
  return problems;
}

function uploadProblems(db: Db): string[] {
  const wire = (table: string, keys: string[]) => tableProblems(table, columnsOf(db, table), keys.map(snake), LOCAL_ONLY_AUDIT_COLUMNS[table] ?? {}, 'the upload schema');
  return [...wire('audit_log', Object.keys(AuditEntryWireSchema.shape)), ...wire('audit_checkpoints', Object.keys(CheckpointWireSchema.shape))];
}

let dir: string;
beforeEach(() => (dir = tempDir()));
afterEach(() => rmSync(dir, { recursive: true, force: true }));
/** Runs `check` on a freshly migrated database (with `migrations`), closing it afterwards. */
function withDb(check: (db: Db) => void, migrations: readonly Migration[] = MIGRATIONS): void {
  const db = openDatabase({ path: databasePath(dir), keyProvider: new FileKeyProvider(keyFilePath(dir)), migrations });
  try {
    check(db);
  } finally {
    db.close();
  }
}

describe('sync field lists against the terminal tables', () => {
  it('every column of a synced table travels or is declared local-only, every synced field is a column, every other table says why it stays', () => {
    withDb((db) => expect(syncFieldProblems(db)).toEqual([]));
  });

  it('the audit and checkpoint uploads carry exactly the columns of audit_log and audit_checkpoints, less the declared local ones', () => {
    withDb((db) => expect(uploadProblems(db)).toEqual([]));
  });

  it('a new column or table that nobody placed, and a synced field that is no column, are reported', () => {
    const later: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'later',
      up: (db) => db.exec('ALTER TABLE residents ADD COLUMN nickname TEXT; ALTER TABLE audit_log ADD COLUMN device TEXT; CREATE TABLE scratch (x TEXT);'),
    };
    const fields = { ...SYNC_ENTITY_FIELDS, claims: [...SYNC_ENTITY_FIELDS.claims, 'paid_on'] };
    withDb((db) => {
      expect(syncFieldProblems(db, fields)).toEqual([
        'residents.nickname: neither in SYNC_ENTITY_FIELDS nor declared local-only (with a reason): decide whether it travels',
        'claims.paid_on: in SYNC_ENTITY_FIELDS but not a column of the table',
        'scratch: neither a synced entity (SYNC_ENTITIES) nor declared local (with a reason)',
      ]);
      expect(uploadProblems(db)).toEqual(['audit_log.device: neither in the upload schema nor declared local-only (with a reason): decide whether it travels']);
    }, [...MIGRATIONS, later]);
  });
});
