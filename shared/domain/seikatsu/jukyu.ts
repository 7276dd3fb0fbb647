/**
 * Whether a person receives 保護 on a day, from their 保護受給 records (the SEIHO interface, docs/interfaces/seiho.md:
 * one row per ケース番号, 世帯員 and 保護開始年月日, imported by the server, read-only at the terminal). A row is in
 * force from its 保護開始年月日 up to the day before its 保護廃止年月日, and not from a 保護停止 (異動事由 32) on.
 */
export interface JukyuRow {
  started_on: string;
  changed_on: string | null;
  ended_on: string | null;
  change_reason: string;
  case_no: string;
}

/** 異動事由 of a 保護停止: no 保護 from its 変更年月日 on (until a later 変更 replaces the row). */
export const SEIHO_SUSPENDED = '32';

export function jukyuInForce(row: JukyuRow, on: string): boolean {
  if (row.started_on > on) return false;
  if (row.ended_on !== null && on >= row.ended_on) return false;
  if (row.change_reason === SEIHO_SUSPENDED && row.changed_on !== null && row.changed_on <= on) return false;
  return true;
}

/** The record in force on `on` (the latest started), or null: the person is not a 保護受給者 that day. */
export function jukyuOn<R extends JukyuRow>(rows: readonly R[], on: string): R | null {
  return rows.filter((r) => jukyuInForce(r, on)).sort((a, b) => (a.started_on < b.started_on ? 1 : -1))[0] ?? null;
}
