/**
 * The daily 異動 job (issue 15 §2): turns the 住民記録 異動 the import stored in juki_ido (server/import/) into work.
 *
 * For each applied 異動 file not yet processed (juki_ido_processed is the marker), a 転出, 国外転出 or 死亡 of a
 * person (the first such line per person):
 * - every certificate of that person that is still valid (status 'valid') gets a new server-authoritative version:
 *   取消 (status 'cancelled', as the certificate lifecycle's 取消 — the 失効 it knows) with the end reason
 *   「転出（異動日 …）」/「死亡（異動日 …）」 and recall_status 'pending', so it is on the 回収リスト of every
 *   terminal of its 事務 after the next pull; a certificate event 'cancel' records it in the certificate's history;
 * - a 喪失 candidate per 事務 with 資格 (shikaku_candidates, status open).
 * Other 異動 (転入, 転居, 記載事項変更 …) change no certificate.
 *
 * こども医療 受給資格 (kodomo_shikaku entities, made by a 認定 at a terminal):
 * - the open candidates of the 事務 kodomo are consumed: a 受給資格 of the person (by 宛名番号: the record's own, or
 *   the residents entity it names) without a 喪失 gets a new server-authoritative version with 喪失日 = 異動日 + 1,
 *   事由 転出 (also 国外転出) or 死亡 and 届出日 = the 異動's; the candidate becomes 'applied', or 'no_shikaku' when
 *   the person had none to end. The 事務 kokuho's stay open (its 資格 come from the 国保 system);
 * - every 受給資格 without a 喪失 whose child's 18歳年度末 (birth date of the residents entity) is before the job's
 *   today (Japan date of its clock) gets 喪失日 = 年度末 + 1 (4月1日), 事由 年齢到達.
 *
 * One run is one transaction under the import lock (no file is applied while it runs) and the entity write lock
 * (server_seq stays in commit order, as for a push). Running it again changes nothing: the files are marked, a
 * cancelled certificate is no longer valid, and a candidate is unique. Every run is written to job_log with the
 * server's clock and counts only.
 */
import { withTransaction, type Pool, type PoolClient } from '../db';
import { scheduleDailyJob } from './daily';
import { ENTITY_WRITE_LOCK, errorSummary, sqlState } from '../sync';
import { refreshAllPopulationsIn } from '../population';
import { IMPORT_LOCK } from '../import/import';
import { JUKI_IDO_REASONS } from '../../shared/interfaces/juki';
import type { Jimu } from '../../shared/domain/rights';
import { eighteenthFiscalYearEnd } from '../../shared/domain/eligibility';
import { LOSE_AGE, LOSE_DIED, LOSE_MOVED_OUT } from '../../shared/domain/kodomo-shikaku';
import { addDays, todayInJapan } from '../../shared/domain/wareki';

/** 異動事由 that make a person's certificates invalid and a 喪失 candidate, with the reason recorded. */
export const IDO_LOSS_REASONS: Readonly<Record<string, string>> = {
  '31': JUKI_IDO_REASONS['31'], // 転出
  '32': JUKI_IDO_REASONS['32'], // 死亡
  '34': JUKI_IDO_REASONS['34'], // 国外転出
};

/** The こども 喪失事由 of each 異動事由 label a candidate carries. */
export const KODOMO_LOSS_OF_IDO: Readonly<Record<string, string>> = {
  [JUKI_IDO_REASONS['31']]: LOSE_MOVED_OUT,
  [JUKI_IDO_REASONS['34']]: LOSE_MOVED_OUT,
  [JUKI_IDO_REASONS['32']]: LOSE_DIED,
};

/** The 事務 whose 資格 a 転出 or 死亡 may end: one 喪失 candidate each. */
export const CANDIDATE_JIMU: readonly Jimu[] = ['kodomo', 'kokuho'];

/** Who the job's versions name as their writer (payload created_by / updated_by). */
export const JOB_WRITER = 'JOB';

export interface IdoWorkCounts {
  /** 異動 files processed. */
  files: number;
  /** Their 異動 lines. */
  idoLines: number;
  /** Persons with a 転出, 国外転出 or 死亡. */
  removals: number;
  /** Certificates invalidated and put on the 回収リスト. */
  certificates: number;
  /** 喪失 candidates recorded. */
  candidates: number;
  /** 喪失 candidates of the 事務 kodomo dealt with (applied, or no 受給資格 to end). */
  candidatesClosed: number;
  /** こども 受給資格 ended by a 転出・死亡. */
  kodomoIdoLosses: number;
  /** こども 受給資格 ended at the 18歳年度末. */
  kodomoAgeLosses: number;
}

export interface IdoWorkResult {
  result: 'done' | 'error';
  /** Its row in job_log. */
  jobId: number;
  counts: IdoWorkCounts;
  /** Japanese, for IT. */
  message: string;
}

export interface IdoWorkOptions {
  clock: { now(): Date };
  source: 'timer' | 'cli';
}

const ZERO: IdoWorkCounts = { files: 0, idoLines: 0, removals: 0, certificates: 0, candidates: 0, candidatesClosed: 0, kodomoIdoLosses: 0, kodomoAgeLosses: 0 };

function messageOf(n: IdoWorkCounts): string {
  const parts: string[] = [];
  if (n.files) parts.push(`異動ファイル ${n.files}件（${n.idoLines}行）— 転出・死亡 ${n.removals}人、証の取消・回収リスト ${n.certificates}件、喪失候補 ${n.candidates}件`);
  if (n.candidatesClosed || n.kodomoAgeLosses) {
    parts.push(`こども医療 受給資格の喪失 — 転出・死亡 ${n.kodomoIdoLosses}件（喪失候補 ${n.candidatesClosed}件を処理）、18歳年度末 ${n.kodomoAgeLosses}件`);
  }
  return parts.length ? `処理済み: ${parts.join('。')}` : '変更なし: 未処理の異動ファイルも、18歳年度末を過ぎたこども医療の受給資格もありません';
}

/** Runs the job once; never throws for a failure of its own (it is the result, logged), only when the database is unreachable. */
export async function runIdoWork(pool: Pool, opts: IdoWorkOptions): Promise<IdoWorkResult> {
  const startedAt = opts.clock.now();
  try {
    return await withTransaction<IdoWorkResult>(pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
      const log = await c.query<{ job_id: string }>(
        `INSERT INTO job_log (job, source, result, started_at, finished_at) VALUES ('ido-work', $1, 'done', $2, $2) RETURNING job_id`,
        [opts.source, startedAt],
      );
      const jobId = Number(log.rows[0]!.job_id);
      await c.query(
        `CREATE TEMP TABLE pend ON COMMIT DROP AS
         SELECT l.import_id FROM import_log l
         WHERE l.result = 'applied' AND l.interface = 'JUKI' AND l.file_kind = 'DIFF'
           AND NOT EXISTS (SELECT 1 FROM juki_ido_processed p WHERE p.import_id = l.import_id)`,
      );
      const codes = Object.keys(IDO_LOSS_REASONS);
      const labels = codes.map((k) => IDO_LOSS_REASONS[k]!);
      // The first 転出/死亡 line of each person in the files, with the person's record ID.
      await c.query(
        `CREATE TEMP TABLE rm ON COMMIT DROP AS
         SELECT DISTINCT ON (i.municipality, i.atena_no) i.municipality, i.atena_no, r.label, i.ido_date, i.notified_on, i.import_id, i.line_no,
                j.entity_id, r.label || '（異動日 ' || to_char(i.ido_date, 'YYYY-MM-DD') || '）' AS why
         FROM juki_ido i
         JOIN unnest($1::text[], $2::text[]) AS r(code, label) ON r.code = i.ido_reason
         LEFT JOIN juki_residents j ON j.municipality = i.municipality AND j.atena_no = i.atena_no
         WHERE i.import_id IN (SELECT import_id FROM pend)
         ORDER BY i.municipality, i.atena_no, i.import_id, i.line_no`,
        [codes, labels],
      );
      await c.query('SELECT pg_advisory_xact_lock($1)', [ENTITY_WRITE_LOCK]);
      // The person's certificates still valid, locked against a concurrent push.
      await c.query(
        `CREATE TEMP TABLE hit ON COMMIT DROP AS
         SELECT e.entity_id, e.version, e.municipality, e.jimu, e.owner_terminal, e.payload->>'resident_id' AS resident_id, rm.why
         FROM rm JOIN entities e ON e.entity = 'certificates' AND e.payload->>'resident_id' = rm.entity_id AND e.municipality = rm.municipality
         WHERE NOT e.deleted AND e.payload->>'status' = 'valid'`,
      );
      const at = opts.clock.now().toISOString();
      const certs = await c.query(
        `UPDATE entities e SET version = h.version + 1,
                payload = e.payload || jsonb_build_object('status', 'cancelled', 'end_reason', h.why, 'recall_status', 'pending',
                                                          'version', h.version + 1, 'updated_at', $1::text, 'updated_by', $2::text),
                updated_by_terminal = 'SERVER', server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq')), updated_at = now()
         FROM hit h WHERE e.entity = 'certificates' AND e.entity_id = h.entity_id`,
        [at, JOB_WRITER],
      );
      // The certificate's history, as the lifecycle's 取消 writes it (pulled with the certificate's 事務).
      await c.query(
        `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted, municipality, jimu, owner_terminal)
         SELECT 'certificate_events', h.id, 1,
                jsonb_build_object('id', h.id, 'version', 1, 'created_at', $1::text, 'created_by', $2::text, 'updated_at', $1::text,
                                   'updated_by', $2::text, 'deleted', 0, 'certificate_id', h.entity_id, 'resident_id', h.resident_id,
                                   'event', 'cancel', 'reason', h.why),
                'SERVER', false, h.municipality, h.jimu, h.owner_terminal
         FROM (SELECT hit.*, gen_random_uuid()::text AS id FROM hit) h`,
        [at, JOB_WRITER],
      );
      const cand = await c.query(
        `INSERT INTO shikaku_candidates (municipality, atena_no, jimu, loss_reason, ido_date, notified_on, import_id, line_no, job_id, created_at)
         SELECT rm.municipality, rm.atena_no, j.jimu, rm.label, rm.ido_date, rm.notified_on, rm.import_id, rm.line_no, $1, $2
         FROM rm CROSS JOIN unnest($3::text[]) AS j(jimu)
         ON CONFLICT (municipality, atena_no, jimu, loss_reason, ido_date) DO NOTHING`,
        [jobId, startedAt, CANDIDATE_JIMU],
      );
      const kodomo = await kodomoLosses(c, jobId, opts.clock.now(), at);
      const files = await c.query('INSERT INTO juki_ido_processed (import_id, job_id) SELECT import_id, $1 FROM pend', [jobId]);
      const sums = await c.query<{ lines: string; removals: string }>(
        `SELECT (SELECT count(*) FROM juki_ido WHERE import_id IN (SELECT import_id FROM pend)) AS lines, (SELECT count(*) FROM rm) AS removals`,
      );
      const counts: IdoWorkCounts = {
        files: files.rowCount ?? 0, idoLines: Number(sums.rows[0]!.lines), removals: Number(sums.rows[0]!.removals),
        certificates: certs.rowCount ?? 0, candidates: cand.rowCount ?? 0, ...kodomo,
      };
      const message = messageOf(counts);
      await c.query(
        `UPDATE job_log SET files = $2, ido_lines = $3, removals = $4, certificates = $5, candidates = $6, message = $7, finished_at = $8,
                kodomo_ido_losses = $9, kodomo_age_losses = $10, candidates_closed = $11 WHERE job_id = $1`,
        [jobId, counts.files, counts.idoLines, counts.removals, counts.certificates, counts.candidates, message, opts.clock.now(),
          counts.kodomoIdoLosses, counts.kodomoAgeLosses, counts.candidatesClosed],
      );
      await refreshAllPopulationsIn(c, opts.clock.now()); // who terminals hold follows (issue 16 §1)
      return { result: 'done', jobId, counts, message };
    });
  } catch (err) {
    const state = sqlState(err);
    const s = errorSummary(err);
    const message = `異動処理エラー: 中央サーバでエラーが発生しました（${state ? `SQLSTATE ${state}` : s.code ? `${s.type} ${s.code}` : s.type}）。何も変更していません（次回の実行で処理します）`;
    const row = await pool.query<{ job_id: string }>(
      `INSERT INTO job_log (job, source, result, message, started_at, finished_at) VALUES ('ido-work', $1, 'error', $2, $3, $4) RETURNING job_id`,
      [opts.source, message, startedAt, opts.clock.now()],
    );
    return { result: 'error', jobId: Number(row.rows[0]!.job_id), counts: ZERO, message };
  }
}

/**
 * The こども 受給資格 the run ends, inside its transaction (the entity write lock held): the open kodomo candidates,
 * then the 18歳年度末. Each ended 資格 is a new version (version + 1, updated_by JOB, a new server_seq) that the
 * terminals of the 事務 kodomo pull.
 */
async function kodomoLosses(c: PoolClient, jobId: number, now: Date, at: string): Promise<Pick<IdoWorkCounts, 'candidatesClosed' | 'kodomoIdoLosses' | 'kodomoAgeLosses'>> {
  const labels = Object.keys(KODOMO_LOSS_OF_IDO);
  // Each open candidate with the person's 受給資格 still without a 喪失 that began by the 異動日 (none: entity_id NULL).
  await c.query(
    `CREATE TEMP TABLE kc ON COMMIT DROP AS
     SELECT s.candidate_id, s.ido_date, s.notified_on, r.code, k.entity_id
     FROM shikaku_candidates s
     LEFT JOIN unnest($1::text[], $2::text[]) AS r(label, code) ON r.label = s.loss_reason
     LEFT JOIN LATERAL (
       SELECT e.entity_id FROM entities e
       WHERE e.entity = 'kodomo_shikaku' AND e.municipality = s.municipality AND NOT e.deleted
         AND e.payload->>'lost_on' IS NULL AND e.payload->>'acquired_on' <= to_char(s.ido_date, 'YYYY-MM-DD')
         AND (e.payload->>'atena_no' = s.atena_no
              OR e.payload->>'resident_id' IN (SELECT p.entity_id FROM entities p
                                               WHERE p.entity = 'residents' AND p.municipality = s.municipality AND p.payload->>'atena_no' = s.atena_no))
     ) k ON r.code IS NOT NULL
     WHERE s.status = 'open' AND s.jimu = 'kodomo'`,
    [labels, labels.map((l) => KODOMO_LOSS_OF_IDO[l]!)],
  );
  const ido = await c.query(
    `UPDATE entities e SET version = e.version + 1,
            payload = e.payload || jsonb_build_object('lost_on', x.lost_on, 'lose_reason', x.code, 'lose_notified_on', x.notified_on,
                                                      'version', e.version + 1, 'updated_at', $1::text, 'updated_by', $2::text),
            updated_by_terminal = 'SERVER', server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq')), updated_at = now()
     FROM (SELECT DISTINCT ON (entity_id) entity_id, code, to_char(ido_date + 1, 'YYYY-MM-DD') AS lost_on, to_char(notified_on, 'YYYY-MM-DD') AS notified_on
           FROM kc WHERE entity_id IS NOT NULL ORDER BY entity_id, ido_date, candidate_id) x
     WHERE e.entity = 'kodomo_shikaku' AND e.entity_id = x.entity_id`,
    [at, JOB_WRITER],
  );
  const closed = await c.query(
    `UPDATE shikaku_candidates s SET status = CASE WHEN k.hit THEN 'applied' ELSE 'no_shikaku' END, done_job_id = $1
     FROM (SELECT candidate_id, bool_or(entity_id IS NOT NULL) AS hit FROM kc GROUP BY candidate_id) k
     WHERE s.candidate_id = k.candidate_id`,
    [jobId],
  );
  // 18歳年度末: only children old enough for it to have passed are read (born 17 years before today or earlier).
  const today = todayInJapan(now);
  const oldest = `${String(Number(today.slice(0, 4)) - 17).padStart(4, '0')}${today.slice(4)}`;
  const open = await c.query<{ entity_id: string; birth: string }>(
    `SELECT e.entity_id, p.payload->>'birth_date' AS birth
     FROM entities e JOIN entities p ON p.entity = 'residents' AND p.entity_id = e.payload->>'resident_id' AND p.municipality = e.municipality
     WHERE e.entity = 'kodomo_shikaku' AND NOT e.deleted AND e.payload->>'lost_on' IS NULL AND p.payload->>'birth_date' <= $1`,
    [oldest],
  );
  const ended = open.rows
    .map((r) => ({ id: r.entity_id, end: eighteenthFiscalYearEnd(r.birth) }))
    .filter((r) => r.end < today);
  const age = ended.length
    ? await c.query(
        `UPDATE entities e SET version = e.version + 1,
                payload = e.payload || jsonb_build_object('lost_on', x.lost_on, 'lose_reason', $3::text, 'lose_notified_on', NULL::text,
                                                          'version', e.version + 1, 'updated_at', $1::text, 'updated_by', $2::text),
                updated_by_terminal = 'SERVER', server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq')), updated_at = now()
         FROM unnest($4::text[], $5::text[]) AS x(entity_id, lost_on)
         WHERE e.entity = 'kodomo_shikaku' AND e.entity_id = x.entity_id`,
        [at, JOB_WRITER, LOSE_AGE, ended.map((r) => r.id), ended.map((r) => addDays(r.end, 1))],
      )
    : null;
  return { candidatesClosed: closed.rowCount ?? 0, kodomoIdoLosses: ido.rowCount ?? 0, kodomoAgeLosses: age?.rowCount ?? 0 };
}

/**
 * Runs the job once a day (scheduleDailyJob): checked every `checkMs` (default 10 minutes), it runs when the server's
 * clock (Japan time) is at or past `hour` and no timer run has been done that day. Returns a stop function.
 */
export function scheduleIdoWork(pool: Pool, opts: { clock: { now(): Date }; hour: number; checkMs?: number; onResult?: (r: IdoWorkResult) => void }): () => void {
  return scheduleDailyJob(pool, { ...opts, job: 'ido-work', run: () => runIdoWork(pool, { clock: opts.clock, source: 'timer' }) });
}
