import { v7 as uuidv7 } from 'uuid';
import { DomainError } from '../errors';
import type { Db } from './database';
import { type DOMAIN_TABLES } from './schema';

export { uuidv7 };

type DomainTable = (typeof DOMAIN_TABLES)[number];
type Row = Record<string, string | number | null>;

/** Who made a change and when: stamped on the row and its outbox entry. */
export interface Stamp {
  by: string;
  at: string;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;
function assertIdent(name: string): void {
  if (!IDENT.test(name)) throw new Error(`invalid column name: ${name}`);
}

function writeOutbox(db: Db, table: DomainTable, id: string, op: 'insert' | 'update', payload: Row, s: Stamp): void {
  db.prepare(
    `INSERT INTO outbox (client_uuid, entity, entity_id, op, payload, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(uuidv7(), table, id, op, JSON.stringify(payload), s.at, s.by);
}

/**
 * Insert a domain record with its common columns and its outbox row. Call inside the caller's
 * transaction so the change, its outbox row and its audit entry commit together.
 */
export function insertRecord(db: Db, table: DomainTable, values: Row, s: Stamp, id: string = uuidv7()): string {
  const row: Row = { ...values, id, version: 1, created_at: s.at, created_by: s.by, updated_at: s.at, updated_by: s.by };
  const cols = Object.keys(row);
  cols.forEach(assertIdent);
  db.prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`).run(row);
  writeOutbox(db, table, id, 'insert', row, s);
  return id;
}

/**
 * Update a domain record if it is still at `expectedVersion`; bump the version; write the outbox row.
 * A stale version raises CONFLICT (never last-writer-wins).
 */
export function updateRecord(db: Db, table: DomainTable, id: string, expectedVersion: number, changes: Row, s: Stamp): number {
  const cols = Object.keys(changes);
  cols.forEach(assertIdent);
  const sets = [...cols.map((c) => `${c} = @${c}`), 'version = version + 1', 'updated_at = @__at', 'updated_by = @__by'];
  const result = db
    .prepare(`UPDATE ${table} SET ${sets.join(', ')} WHERE id = @__id AND version = @__version AND deleted = 0`)
    .run({ ...changes, __at: s.at, __by: s.by, __id: id, __version: expectedVersion });
  if (result.changes !== 1) {
    throw new DomainError('CONFLICT', 'ほかの操作によりデータが更新されています。画面を開き直してから、もう一度操作してください。');
  }
  const version = expectedVersion + 1;
  writeOutbox(db, table, id, 'update', { ...changes, id, version, updated_at: s.at, updated_by: s.by }, s);
  return version;
}
