/**
 * The オンライン資格確認 file for 医療扶助 (issue 17; docs/interfaces/online-shikaku.md): produced by the central
 * server from its own records and placed in the policy's outbox (server/export/outbox.ts) — the only place ONSHI
 * is written. Per municipality (団体コード), one file per run when there is something to send:
 *
 * - 受給者資格 (レコード種別 1): a resident's latest 保護 period in seiho_jukyu (SEIHO import) whose 扶助の種類 includes
 *   医療扶助 (04) and that has not ended before the window; 資格開始年月日 = 保護開始年月日, 資格終了年月日 = the day
 *   before the 保護廃止年月日; 氏名_フリガナ・生年月日・性別 from the resident record. 受給者番号 and 公費負担者番号
 *   are the ones on the person's latest 医療券/調剤券 (the server holds them nowhere else): a recipient with no
 *   医療券/調剤券 yet has no 資格 record (counted as 未採番).
 * - 医療券・調剤券 (レコード種別 2): certificates seikatsu_iryo / seikatsu_chozai, status valid, not deleted, valid to
 *   the window's first day or later, from their details (the terminal's ticket) and their 交付番号 (certificate_no).
 *   資格確認方法 is 2 (紙): every ticket Madoguchi issues is printed and mailed; the terminal records no per-institution
 *   オンライン資格確認 method. 介護券 (seikatsu_kaigo) are never read: ONSHI is 医療扶助 only.
 * - The window: from the first day of the previous month (Japan date of the server's clock) on.
 *
 * FULL the first time for the municipality (every record above), DIFF afterwards: the records whose content differs
 * from what onshi_sent says was last sent (new ones included). ファイル連番 continues per municipality over written
 * files. A cancelled or superseded 券 is not written (the definition has no 取消 record); one already sent is counted
 * once as withdrawn in export_log and the message, for IT to withdraw at the 中間サーバー by hand.
 *
 * The file is made by writeOnshiFile: a value outside the definition is a 連携エラー and nothing reaches the outbox;
 * export_log records it ('error'). Each municipality is one transaction under EXPORT_LOCK: the file is placed
 * (atomically) before the commit, and taken back out if the commit fails.
 */
import { createHash } from 'node:crypto';
import { withTransaction, type Pool, type PoolClient } from '../db';
import { errorSummary, sqlState } from '../sync';
import { scheduleDailyJob } from '../jobs/daily';
import { writeToOutbox, withdrawFromOutbox } from './outbox';
import { ONSHI_ITEMS, OnshiLinkError, writeOnshiFile, type OnshiRecord } from '../../shared/interfaces/online-shikaku';
import { addDays, todayInJapan } from '../../shared/domain/wareki';

/** Serialises ONSHI exports (numbering and onshi_sent never interleave). */
export const EXPORT_LOCK = 0x6d616465; // 'made'

/** 作成システム in the header. */
export const ONSHI_SYSTEM = '窓口端末 中央サーバ';

/** The certificate types exported, and their 医療券/調剤券別. */
const TICKET_KIND: Readonly<Record<string, string>> = { seikatsu_iryo: '1', seikatsu_chozai: '2' };
/** The same list as SQL, as the partial index entities_seikatsu_tickets (migration 20) names it, so the planner uses it. */
const TICKET_TYPES_SQL = `(${Object.keys(TICKET_KIND).map((k) => `'${k}'`).join(', ')})`;
const SHINRYO: Readonly<Record<string, string>> = { 入院: '1', 入院外: '2', 歯科: '3', 調剤: '4', 訪問看護: '5' };
const COVERAGE: Readonly<Record<string, string>> = { 単独: '1', 併用: '2' };

export interface OnshiExportOptions {
  clock: { now(): Date };
  source: 'timer' | 'cli';
  /** The policy's outbox folder (EXPORT_OUTBOX), or null when exports are off. */
  outbox: string | null;
}

export interface OnshiFileResult {
  municipality: string;
  /** written: a file is in the outbox; nothing: no record to send (no file); error: 連携エラー or failure (no file). */
  result: 'written' | 'nothing' | 'error';
  /** null when the run failed before it knew. */
  kind: 'FULL' | 'DIFF' | null;
  seq: number | null;
  fileName: string | null;
  /** Its export_log row (0 for nothing). */
  exportId: number;
  qualifications: number;
  tickets: number;
  withdrawn: number;
  /** Recipients with a 医療扶助 保護 period but no 医療券/調剤券 yet (no 受給者番号 on the server): no 資格 record. */
  unnumbered: number;
  /** Japanese, for IT. */
  message: string;
}

export interface OnshiExportResult {
  result: 'done' | 'error' | 'disabled';
  /** Its job_log row (0 when disabled). */
  jobId: number;
  files: OnshiFileResult[];
  message: string;
}

interface Built {
  record: OnshiRecord;
  key: string;
  sha: string;
  sourceEntity: 'residents' | 'certificates';
  sourceId: string;
  /** For a 連携エラー: which record it is (no personal data). */
  label: string;
}

const sha256Hex = (d: Uint8Array | string) => createHash('sha256').update(d).digest('hex');

const parseDetails = (raw: unknown): Record<string, unknown> => {
  try {
    const v: unknown = typeof raw === 'string' ? JSON.parse(raw) : null;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};

/** A value for the writer: a string as it is (the writer judges it), anything else as its text, absent as null. */
const raw = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : String(v));
const mapped = (table: Readonly<Record<string, string>>, v: unknown): string | null => (typeof v === 'string' && Object.hasOwn(table, v) ? table[v]! : raw(v));
const flag = (v: unknown): string | null => (v === true ? '1' : v === false ? '0' : raw(v));

/** 社会保険状況 of a ticket: 0 none (単独); 国保 (6-digit 保険者番号) 2; 後期高齢者医療 (8 digits from 39) 3; else 被用者保険 1. */
function socialInsuranceCode(coverage: unknown, si: unknown): string | null {
  if (coverage === '単独') return si === null || si === undefined ? '0' : null;
  if (!si || typeof si !== 'object') return null;
  const insurer = (si as Record<string, unknown>).insurerNo;
  if (typeof insurer !== 'string') return null;
  if (/^[0-9]{6}$/.test(insurer)) return '2';
  if (/^39[0-9]{6}$/.test(insurer)) return '3';
  return /^[0-9]{8}$/.test(insurer) ? '1' : null;
}

interface TicketRow {
  entity_id: string;
  resident_id: string | null;
  cert_type: string;
  certificate_no: string;
  valid_from: string | null;
  valid_to: string | null;
  details_json: unknown;
}

function ticketRecord(t: TicketRow): OnshiRecord {
  const d = parseDetails(t.details_json);
  const diseases = Array.isArray(d.diseaseNames) ? d.diseaseNames.map((x) => raw(x) ?? '').join('、') : raw(d.diseaseNames);
  return {
    record_kind: '2',
    recipient_no: raw(d.recipientNo),
    public_payer_no: raw(d.publicPayerNo),
    institution_code: raw(d.institutionCode),
    prescriber_code: raw(d.prescriberCode),
    ticket_kind: TICKET_KIND[t.cert_type]!,
    infectious_37_2: flag(d.infectiousDisease37_2),
    late_elderly: flag(d.lateElderly),
    issue_no: t.certificate_no,
    confirm_method: '2',
    social_insurance: socialInsuranceCode(d.coverage, d.socialInsurance),
    disease_names: diseases === '' ? null : diseases,
    shinryo: mapped(SHINRYO, d.shinryo),
    coverage: mapped(COVERAGE, d.coverage),
    self_pay_yen: raw(d.selfPayYen),
    prefectural: flag(d.prefecturalCost),
    valid_from: t.valid_from,
    valid_to: t.valid_to,
  };
}

const built = (record: OnshiRecord, key: string, sourceEntity: Built['sourceEntity'], sourceId: string, label: string): Built => ({
  record, key, sourceEntity, sourceId, label,
  // The record's content in the definition's item order (an absent item as empty, as the file writes it).
  sha: sha256Hex(ONSHI_ITEMS.map((i) => record[i.id] ?? '').join('\u001f')),
});

/** Every ONSHI record of the municipality as of `today`, and the count of 医療扶助 recipients without a 受給者番号. */
async function currentRecords(c: PoolClient, municipality: string, today: string): Promise<{ records: Built[]; unnumbered: number }> {
  const windowStart = `${addDays(`${today.slice(0, 7)}-01`, -1).slice(0, 7)}-01`;
  const cert = (k: string) => `e.payload->>'${k}'`;
  const tickets = (await c.query<TicketRow>(
    `SELECT e.entity_id, ${cert('resident_id')} AS resident_id, ${cert('cert_type')} AS cert_type, ${cert('certificate_no')} AS certificate_no,
            ${cert('valid_from')} AS valid_from, ${cert('valid_to')} AS valid_to, ${cert('details_json')} AS details_json
       FROM entities e
      WHERE e.entity = 'certificates' AND e.municipality = $1 AND NOT e.deleted AND ${cert('status')} = 'valid'
        AND ${cert('cert_type')} IN ${TICKET_TYPES_SQL} AND ${cert('valid_to')} >= $2
      ORDER BY ${cert('valid_from')}, ${cert('certificate_no')}, e.entity_id`,
    [municipality, windowStart],
  )).rows;
  // The numbers of each recipient: those of the latest valid 医療券/調剤券 (any month).
  const numbers = new Map((await c.query<{ resident_id: string; details_json: unknown }>(
    `SELECT DISTINCT ON (${cert('resident_id')}) ${cert('resident_id')} AS resident_id, ${cert('details_json')} AS details_json
       FROM entities e
      WHERE e.entity = 'certificates' AND e.municipality = $1 AND NOT e.deleted AND ${cert('status')} = 'valid' AND ${cert('cert_type')} IN ${TICKET_TYPES_SQL}
      ORDER BY ${cert('resident_id')}, ${cert('valid_from')} DESC, ${cert('issue_date')} DESC, e.entity_id`,
    [municipality],
  )).rows.map((r) => [r.resident_id, parseDetails(r.details_json)]));
  const periods = (await c.query<{ resident_id: string; started_on: string; last_day: string | null; name_kana: unknown; birth_date: unknown; sex: unknown }>(
    `SELECT k.resident_id, to_char(k.started_on, 'YYYY-MM-DD') AS started_on, to_char(k.ended_on - 1, 'YYYY-MM-DD') AS last_day,
            r.payload->'name_kana' AS name_kana, r.payload->'birth_date' AS birth_date, r.payload->'sex' AS sex
       FROM (SELECT DISTINCT ON (resident_id) * FROM seiho_jukyu
              WHERE municipality = $1 AND resident_id IS NOT NULL ORDER BY resident_id, started_on DESC) k
       JOIN entities r ON r.entity = 'residents' AND r.entity_id = k.resident_id
      WHERE ' ' || k.aid_kinds || ' ' LIKE '% 04 %' AND (k.ended_on IS NULL OR k.ended_on > $2::date)
      ORDER BY k.started_on, k.resident_id`,
    [municipality, windowStart],
  )).rows;
  const records: Built[] = [];
  let unnumbered = 0;
  for (const p of periods) {
    const n = numbers.get(p.resident_id);
    if (!n) {
      unnumbered++;
      continue;
    }
    const record: OnshiRecord = {
      record_kind: '1', recipient_no: raw(n.recipientNo), public_payer_no: raw(n.publicPayerNo),
      name_kana: raw(p.name_kana), birth_date: raw(p.birth_date), sex: raw(p.sex), qualified_from: p.started_on, qualified_to: p.last_day,
    };
    records.push(built(record, `1|${record.recipient_no}|${record.public_payer_no}`, 'residents', p.resident_id, `受給者資格 住民記録ID ${p.resident_id}`));
  }
  for (const t of tickets) {
    const record = ticketRecord(t);
    const label = `${t.cert_type === 'seikatsu_chozai' ? '調剤券' : '医療券'} 記録ID ${t.entity_id}`;
    records.push(built(record, `2|${record.recipient_no}|${record.public_payer_no}|${t.certificate_no}`, 'certificates', t.entity_id, label));
  }
  return { records, unnumbered };
}

/** The 連携エラー message with the records it names (by their record IDs: no personal data). */
function linkErrorMessage(err: OnshiLinkError, records: readonly Built[]): string {
  const named = [...new Set([...err.message.matchAll(/([0-9]+)件目/g)].map((m) => Number(m[1])))].slice(0, 5);
  const which = named.map((n) => (records[n - 1] ? `${n}件目 = ${records[n - 1]!.label}` : null)).filter(Boolean);
  return `${err.message}${which.length ? `（${which.join('、')}）` : ''}。ファイルは送信箱に出力していません`;
}

/** One municipality's file: written to the outbox with its export_log and onshi_sent rows, or nothing, or an error. */
async function exportMunicipality(pool: Pool, municipality: string, outbox: string, opts: OnshiExportOptions): Promise<OnshiFileResult> {
  const startedAt = opts.clock.now();
  let placed: string | null = null;
  let attempt: { kind: 'FULL' | 'DIFF'; seq: number; fileName: string; records: Built[] } | null = null;
  const base = { municipality, qualifications: 0, tickets: 0, withdrawn: 0, unnumbered: 0 };
  try {
    return await withTransaction<OnshiFileResult>(pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [EXPORT_LOCK]);
      const last = await c.query<{ seq: string | null }>(
        `SELECT max(seq) AS seq FROM export_log WHERE interface = 'ONSHI' AND municipality = $1 AND result = 'written'`, [municipality],
      );
      const lastSeq = Number(last.rows[0]!.seq ?? 0);
      const kind = lastSeq === 0 ? 'FULL' : 'DIFF';
      const seq = lastSeq + 1;
      const today = todayInJapan(opts.clock.now());
      const { records: all, unnumbered } = await currentRecords(c, municipality, today);
      const sent = new Map((await c.query<{ record_key: string; line_sha256: string }>(
        'SELECT record_key, line_sha256 FROM onshi_sent WHERE municipality = $1', [municipality],
      )).rows.map((r) => [r.record_key, r.line_sha256]));
      const records = kind === 'FULL' ? all : all.filter((r) => sent.get(r.key) !== r.sha);
      const withdrawn = (await c.query<{ record_key: string }>(
        `SELECT s.record_key FROM onshi_sent s JOIN entities e ON e.entity = 'certificates' AND e.entity_id = s.source_id
          WHERE s.municipality = $1 AND s.source_entity = 'certificates' AND s.withdrawn_export_id IS NULL
            AND (e.deleted OR e.payload->>'status' IS DISTINCT FROM 'valid')`,
        [municipality],
      )).rows.map((r) => r.record_key);
      const counts = {
        ...base,
        qualifications: records.filter((r) => r.record.record_kind === '1').length,
        tickets: records.filter((r) => r.record.record_kind === '2').length,
        withdrawn: withdrawn.length,
        unnumbered,
      };
      const notes = `${withdrawn.length ? `。送信済みで取消・再交付された券 ${withdrawn.length}件（定義に取消のレコードがないため、中間サーバー側での取消が必要です）` : ''}${unnumbered ? `。医療券・調剤券がなく受給者番号が未採番の受給者 ${unnumbered}人は資格を送っていません` : ''}`;
      if (records.length === 0) {
        return { ...counts, result: 'nothing', kind, seq: null, fileName: null, exportId: 0, message: `送信なし: 前回から変わった記録はありません${notes}` };
      }
      const header = { kind, municipality, system: ONSHI_SYSTEM, createdOn: today, seq } as const;
      const fileName = `ONSHI_${municipality}_${today.replace(/-/g, '')}_${seq}.csv`;
      attempt = { kind, seq, fileName, records };
      const file = writeOnshiFile(header, records.map((r) => r.record), sha256Hex);
      const dataSha = file.lines.at(-1)!.split(',')[2]!;
      placed = await writeToOutbox(outbox, file.fileName, file.bytes);
      const message = `出力済み: ${file.fileName}（${kind === 'FULL' ? '全件' : '異動'}、受給者資格 ${counts.qualifications}件、医療券・調剤券 ${counts.tickets}件）${notes}`;
      const log = await c.query<{ export_id: string }>(
        `INSERT INTO export_log (interface, municipality, source, file_kind, seq, file_name, qualification_records, ticket_records, withdrawn,
                                 file_sha256, data_sha256, result, message, started_at, finished_at)
         VALUES ('ONSHI', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'written', $11, $12, $13) RETURNING export_id`,
        [municipality, opts.source, kind, seq, file.fileName, counts.qualifications, counts.tickets, counts.withdrawn, sha256Hex(file.bytes), dataSha, message, startedAt, opts.clock.now()],
      );
      const exportId = Number(log.rows[0]!.export_id);
      await c.query(
        `INSERT INTO onshi_sent (municipality, record_key, line_sha256, source_entity, source_id, export_id)
         SELECT $1, k, s, e, i, $6 FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS x(k, s, e, i)
         ON CONFLICT (municipality, record_key) DO UPDATE SET line_sha256 = excluded.line_sha256, source_entity = excluded.source_entity,
           source_id = excluded.source_id, export_id = excluded.export_id, withdrawn_export_id = NULL`,
        [municipality, records.map((r) => r.key), records.map((r) => r.sha), records.map((r) => r.sourceEntity), records.map((r) => r.sourceId), exportId],
      );
      if (withdrawn.length) {
        await c.query('UPDATE onshi_sent SET withdrawn_export_id = $3 WHERE municipality = $1 AND record_key = ANY($2::text[])', [municipality, withdrawn, exportId]);
      }
      return { ...counts, result: 'written', kind, seq, fileName: file.fileName, exportId, message };
    });
  } catch (err) {
    if (placed) await withdrawFromOutbox(placed).catch(() => undefined);
    const a = attempt as { kind: 'FULL' | 'DIFF'; seq: number; fileName: string; records: Built[] } | null;
    const message = err instanceof OnshiLinkError
      ? linkErrorMessage(err, a?.records ?? [])
      : `出力エラー: ${err instanceof Error && err.name === 'OutboxError' ? err.message : `中央サーバでエラーが発生しました（${describe(err)}）`}。ファイルは送信箱に出力していません`;
    if (!a) throw err; // before a file was attempted: the database itself failed
    const log = await pool.query<{ export_id: string }>(
      `INSERT INTO export_log (interface, municipality, source, file_kind, seq, file_name, result, message, started_at, finished_at)
       VALUES ('ONSHI', $1, $2, $3, $4, $5, 'error', $6, $7, $8) RETURNING export_id`,
      [municipality, opts.source, a.kind, a.seq, a.fileName, message, startedAt, opts.clock.now()],
    );
    return { ...base, result: 'error', kind: a.kind, seq: a.seq, fileName: null, exportId: Number(log.rows[0]!.export_id), message };
  }
}

function describe(err: unknown): string {
  const state = sqlState(err);
  if (state) return `SQLSTATE ${state}`;
  const s = errorSummary(err);
  return s.code ? `${s.type} ${s.code}` : s.type;
}

async function jobLog(pool: Pool, source: string, result: 'done' | 'error', files: number, tickets: number, message: string, startedAt: Date, finishedAt: Date): Promise<number> {
  const r = await pool.query<{ job_id: string }>(
    `INSERT INTO job_log (job, source, result, files, certificates, message, started_at, finished_at) VALUES ('onshi-export', $1, $2, $3, $4, $5, $6, $7) RETURNING job_id`,
    [source, result, files, tickets, message, startedAt, finishedAt],
  );
  return Number(r.rows[0]!.job_id);
}

/**
 * Runs the export once for every municipality with 保護受給 or 医療券/調剤券 on the server. A 連携エラー of one
 * municipality's file does not stop the others. Each run is one job_log row ('onshi-export'; counts only).
 */
export async function runOnshiExport(pool: Pool, opts: OnshiExportOptions): Promise<OnshiExportResult> {
  const startedAt = opts.clock.now();
  if (opts.outbox === null) {
    return { result: 'disabled', jobId: 0, files: [], message: '無効: 送信箱（EXPORT_OUTBOX）が off のため、オンライン資格確認のファイルは出力しません' };
  }
  const municipalities = (await pool.query<{ m: string }>(
    `SELECT municipality AS m FROM seiho_jukyu
      UNION SELECT municipality FROM entities WHERE entity = 'certificates' AND municipality IS NOT NULL AND payload->>'cert_type' IN ${TICKET_TYPES_SQL}
      ORDER BY 1`,
  )).rows.map((r) => r.m);
  const files: OnshiFileResult[] = [];
  for (const m of municipalities) {
    if (!/^[0-9]{6}$/.test(m)) continue;
    try {
      files.push(await exportMunicipality(pool, m, opts.outbox, opts));
    } catch (err) {
      // Failed before a file was attempted (no kind or number yet, so no export_log row): the others still run.
      files.push({
        municipality: m, result: 'error', kind: null, seq: null, fileName: null, exportId: 0, qualifications: 0, tickets: 0, withdrawn: 0, unnumbered: 0,
        message: `出力エラー: 中央サーバでエラーが発生しました（${describe(err)}）。ファイルは送信箱に出力していません`,
      });
    }
  }
  const failed = files.filter((f) => f.result === 'error');
  const written = files.filter((f) => f.result === 'written');
  const message = files.length === 0
    ? '送信なし: 生活保護（医療扶助）の記録がありません'
    : files.map((f) => `団体 ${f.municipality}: ${f.message}`).join('\n');
  const tickets = written.reduce((n, f) => n + f.tickets, 0);
  const result = failed.length ? 'error' : 'done';
  const jobId = await jobLog(pool, opts.source, result, written.length, tickets, message, startedAt, opts.clock.now());
  return { result, jobId, files, message };
}

/** Runs the export once a day from `hour` (Japan time) on the server's clock (scheduleDailyJob, job 'onshi-export'). */
export function scheduleOnshiExport(pool: Pool, opts: { clock: { now(): Date }; hour: number; outbox: string; checkMs?: number; onResult?: (r: OnshiExportResult) => void }): () => void {
  return scheduleDailyJob(pool, {
    job: 'onshi-export',
    clock: opts.clock,
    hour: opts.hour,
    checkMs: opts.checkMs,
    run: () => runOnshiExport(pool, { clock: opts.clock, source: 'timer', outbox: opts.outbox }),
    onResult: opts.onResult,
  });
}
