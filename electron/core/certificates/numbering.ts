import { recipientCheckDigit } from '../../../shared/domain/houbetsu';
import type { Db } from '../db/database';
import { insertRecord, updateRecord, type Stamp } from '../db/records';
import { DomainError } from '../errors';

/**
 * Certificate numbers come from blocks of serials leased to this terminal (a local block at provisioning
 * now; the sync issue refills them from the server). Allocation runs inside the issuing transaction, and
 * `certificates` has UNIQUE (cert_type, certificate_no), so no number is ever used twice.
 */
export function addNumberBlock(db: Db, certType: string, first: number, last: number, source: string, s: Stamp, expiresAt: string | null = null): string {
  if (!Number.isInteger(first) || !Number.isInteger(last) || first < 1 || last < first) {
    throw new Error(`invalid number block ${first}..${last}`);
  }
  return insertRecord(db, 'number_blocks', { cert_type: certType, next_serial: first, last_serial: last, source, expires_at: expiresAt }, s);
}

export function allocateSerial(db: Db, certType: string, s: Stamp): number {
  const block = db
    .prepare<[string, string], { id: string; version: number; next_serial: number }>(
      `SELECT id, version, next_serial FROM number_blocks
        WHERE cert_type = ? AND deleted = 0 AND next_serial <= last_serial AND (expires_at IS NULL OR expires_at > ?)
        ORDER BY created_at, id LIMIT 1`,
    )
    .get(certType, s.at);
  if (!block) {
    throw new DomainError('RULE', '証番号の払出し枠がありません。システム管理者に番号ブロックの補充を依頼してください。');
  }
  updateRecord(db, 'number_blocks', block.id, block.version, { next_serial: block.next_serial + 1 }, s);
  return block.next_serial;
}

/** 受給者番号: profile prefix + zero-padded serial (6 digits in all) + check digit. */
export function recipientNumber(prefix: string, serial: number): string {
  const width = 6 - prefix.length;
  const body = String(serial).padStart(width, '0');
  if (body.length > width) throw new DomainError('RULE', '受給者番号の桁数を超えました。番号ブロックの設定を確認してください。');
  const first6 = prefix + body;
  return first6 + String(recipientCheckDigit(first6));
}
