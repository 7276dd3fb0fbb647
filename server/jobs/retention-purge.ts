/**
 * The server's retention purge of domain records (issue 16 §3), "per policy": the central server is the system of
 * record, so it purges nothing unless its policy says so (RECORD_PURGE=on; off by default). When on, the entities
 * past the same 保存年限 as the terminals' purge (shared/domain/retention.ts, the municipality's published rule
 * profile or the defaults) are removed: こども医療 受給資格 (from the 喪失日), claims (from the 決定) with their
 * claim_events, 扶助 flows (fujo_flows, from the 却下 or 廃止), certificates (from their end; 給付券 too) with their
 * certificate_events. Held back as on the terminal: a 交付申請
 * whose 受給資格 stays, a certificate a kept one names as its successor, a record with an unresolved conflict.
 *
 * The rows are deleted (no tombstone: a terminal drops its own copy by the same rule; one that still holds it
 * finds a checksum mismatch and its snapshot sweeps it). One transaction under the entity write lock. Every run
 * is written to job_log with counts only (job 'retention-purge'), never content. With the policy on, the running
 * server runs it once a day (scheduleRetentionPurge, from server/main.ts); `npm run server:job -- purge` runs it now.
 *
 * Not purged here (yet): the payloads kept in the mutations log and in conflicts.
 */
import { withTransaction, type Pool, type PoolClient } from '../db';
import { scheduleDailyJob } from './daily';
import { ENTITY_WRITE_LOCK, errorSummary, sqlState } from '../sync';
import { retentionSettingsSchema, type RetentionSettings } from '../../shared/domain/profile';
import { publishedProfiles } from '../profiles';
import { refreshAllPopulationsIn } from '../population';
import { certificateEnd, claimEnd, fujoFlowEnd, kodomoShikakuEnd, pastRetention, retentionCutoff, retentionYearsOf, type CertificateEndFacts, type RetentionKind } from '../../shared/domain/retention';
import { todayInJapan } from '../../shared/domain/wareki';

export interface RetentionPurgeCounts {
  certificates: number;
  certificateEvents: number;
  claims: number;
  claimEvents: number;
  kodomoShikaku: number;
  fujoFlows: number;
  held: number;
}

export interface RetentionPurgeResult {
  result: 'done' | 'disabled' | 'error';
  jobId: number;
  counts: RetentionPurgeCounts;
  /** Japanese, for IT. */
  message: string;
}

export interface RetentionPurgeOptions {
  clock: { now(): Date };
  source: 'timer' | 'cli';
  /** The server policy (RECORD_PURGE=on); off by default. */
  enabled: boolean;
}

const ZERO: RetentionPurgeCounts = { certificates: 0, certificateEvents: 0, claims: 0, claimEvents: 0, kodomoShikaku: 0, fujoFlows: 0, held: 0 };

/** RECORD_PURGE: 'on' enables the server's purge; unset or 'off' leaves it off; anything else is refused. */
export function recordPurgeEnabled(raw: string | undefined): boolean {
  const v = (raw ?? '').trim();
  if (v === '' || v === 'off') return false;
  if (v === 'on') return true;
  throw new Error(`RECORD_PURGE must be "on" or "off" (got "${raw}")`);
}

function messageOf(n: RetentionPurgeCounts): string {
  return `処理済み: 保存年限を過ぎた記録を削除しました — 証 ${n.certificates}件（履歴 ${n.certificateEvents}件）、請求 ${n.claims}件（履歴 ${n.claimEvents}件）、こども医療 受給資格 ${n.kodomoShikaku}件、扶助の記録 ${n.fujoFlows}件。保留 ${n.held}件`;
}

async function log(pool: Pool | PoolClient, source: string, result: string, message: string, startedAt: Date, finishedAt: Date, certificates = 0): Promise<number> {
  const row = await pool.query<{ job_id: string }>(
    `INSERT INTO job_log (job, source, result, certificates, message, started_at, finished_at) VALUES ('retention-purge', $1, $2, $3, $4, $5, $6) RETURNING job_id`,
    [source, result, certificates, message, startedAt, finishedAt],
  );
  return Number(row.rows[0]!.job_id);
}

/** Runs the purge once; a failure of its own is its result (logged); throws only when the database is unreachable. */
export async function runRetentionPurge(pool: Pool, opts: RetentionPurgeOptions): Promise<RetentionPurgeResult> {
  const startedAt = opts.clock.now();
  if (!opts.enabled) {
    const message = '無効: 中央サーバの記録は削除しない設定です（RECORD_PURGE=on で有効になります）。何も変更していません';
    return { result: 'disabled', jobId: await log(pool, opts.source, 'done', message, startedAt, opts.clock.now()), counts: ZERO, message };
  }
  try {
    return await withTransaction<RetentionPurgeResult>(pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [ENTITY_WRITE_LOCK]);
      const today = todayInJapan(opts.clock.now());
      const defaults = retentionSettingsSchema.parse({});
      const settingsOf = new Map<string, RetentionSettings>();
      for (const [municipality, p] of await publishedProfiles(c)) settingsOf.set(municipality, p.retention); // unreadable ones: the defaults
      const cutoffOf = (municipality: string | null, kind: RetentionKind) =>
        retentionCutoff(today, retentionYearsOf((municipality && settingsOf.get(municipality)) || defaults)[kind]);
      // The longest retention anywhere bounds what can be past it (a cheap prefilter; each record is then checked).
      const widest = (kind: RetentionKind) => [...settingsOf.values(), defaults].map((s) => retentionCutoff(today, retentionYearsOf(s)[kind])).sort().at(-1)!;
      const conflicted = new Set((await c.query<{ k: string }>("SELECT entity || ':' || entity_id AS k FROM conflicts WHERE resolved_at IS NULL")).rows.map((r) => r.k));
      let held = 0;

      const shikaku = (await c.query<{ entity_id: string; municipality: string | null; lost_on: string | null }>(
        `SELECT entity_id, municipality, payload->>'lost_on' AS lost_on FROM entities WHERE entity = 'kodomo_shikaku' AND NOT deleted AND payload->>'lost_on' < $1`, [widest('kodomo_shikaku')],
      )).rows.filter((r) => pastRetention(kodomoShikakuEnd(r), cutoffOf(r.municipality, 'kodomo_shikaku')));
      const shikakuIds = shikaku.filter((r) => !conflicted.has(`kodomo_shikaku:${r.entity_id}`)).map((r) => r.entity_id);
      held += shikaku.length - shikakuIds.length;

      const claims = (await c.query<{ entity_id: string; municipality: string | null; state: string; decided_at: string | null; kept_shikaku: number }>(
        `SELECT e.entity_id, e.municipality, e.payload->>'state' AS state, e.payload->>'decided_at' AS decided_at,
                (SELECT count(*)::int FROM entities s WHERE s.entity = 'kodomo_shikaku' AND NOT s.deleted AND s.payload->>'claim_id' = e.entity_id AND NOT (s.entity_id = ANY($2::text[]))) AS kept_shikaku
           FROM entities e WHERE e.entity = 'claims' AND NOT e.deleted AND e.payload->>'state' = 'decided' AND e.payload->>'decided_at' < $1`,
        [widest('claims'), shikakuIds],
      )).rows.filter((r) => pastRetention(claimEnd(r), cutoffOf(r.municipality, 'claims')));
      const claimIds = claims.filter((r) => r.kept_shikaku === 0 && !conflicted.has(`claims:${r.entity_id}`)).map((r) => r.entity_id);
      held += claims.length - claimIds.length;

      // 扶助 flows: the end (却下 or 廃止) is in record_json; an open or current flow has none.
      const flows = (await c.query<{ entity_id: string; municipality: string | null; record_json: string | null }>(
        `SELECT entity_id, municipality, payload->>'record_json' AS record_json FROM entities WHERE entity = 'fujo_flows' AND NOT deleted AND payload->>'state' IN ('rejected', 'abolished')`,
      )).rows.filter((r) => pastRetention(fujoFlowEnd(r.record_json), cutoffOf(r.municipality, 'fujo_flows')));
      const flowIds = flows.filter((r) => !conflicted.has(`fujo_flows:${r.entity_id}`)).map((r) => r.entity_id);
      held += flows.length - flowIds.length;

      const certs = (await c.query<CertificateEndFacts & { entity_id: string; municipality: string | null; superseded_by: string | null }>(
        `SELECT entity_id, municipality, payload->>'status' AS status, payload->>'valid_to' AS valid_to, payload->>'recall_status' AS recall_status,
                payload->>'recall_date' AS recall_date, payload->>'superseded_by' AS superseded_by
           FROM entities WHERE entity = 'certificates' AND NOT deleted
            AND ((payload->>'valid_to') < $1 OR (payload->>'status' <> 'valid' AND payload->>'recall_date' < $1))`,
        [widest('certificates')],
      )).rows.filter((r) => pastRetention(certificateEnd(r), cutoffOf(r.municipality, 'certificates')));
      const going = new Set(certs.filter((r) => !conflicted.has(`certificates:${r.entity_id}`)).map((r) => r.entity_id));
      // A certificate named as the successor of one that stays, stays too.
      for (let changed = true; changed; ) {
        changed = false;
        const naming = (await c.query<{ successor: string }>(
          `SELECT payload->>'superseded_by' AS successor FROM entities WHERE entity = 'certificates' AND payload->>'superseded_by' = ANY($1::text[]) AND NOT (entity_id = ANY($1::text[]))`,
          [[...going]],
        )).rows;
        for (const n of naming) if (going.delete(n.successor)) changed = true;
      }
      held += certs.length - going.size;
      const certIds = [...going];

      const del = async (sql: string, ids: string[]) => (ids.length ? (await c.query(sql, [ids])).rowCount ?? 0 : 0);
      const counts: RetentionPurgeCounts = {
        kodomoShikaku: await del("DELETE FROM entities WHERE entity = 'kodomo_shikaku' AND entity_id = ANY($1::text[])", shikakuIds),
        claimEvents: await del("DELETE FROM entities WHERE entity = 'claim_events' AND payload->>'claim_id' = ANY($1::text[])", claimIds),
        claims: await del("DELETE FROM entities WHERE entity = 'claims' AND entity_id = ANY($1::text[])", claimIds),
        fujoFlows: await del("DELETE FROM entities WHERE entity = 'fujo_flows' AND entity_id = ANY($1::text[])", flowIds),
        certificateEvents: await del("DELETE FROM entities WHERE entity = 'certificate_events' AND payload->>'certificate_id' = ANY($1::text[])", certIds),
        certificates: await del("DELETE FROM entities WHERE entity = 'certificates' AND entity_id = ANY($1::text[])", certIds),
        held,
      };
      const message = messageOf(counts);
      const jobId = await log(c, opts.source, 'done', message, startedAt, opts.clock.now(), counts.certificates);
      await refreshAllPopulationsIn(c, opts.clock.now()); // who terminals hold follows (issue 16 §1)
      return { result: 'done', jobId, counts, message };
    });
  } catch (err) {
    const state = sqlState(err);
    const s = errorSummary(err);
    const message = `削除処理エラー: 中央サーバでエラーが発生しました（${state ? `SQLSTATE ${state}` : s.code ? `${s.type} ${s.code}` : s.type}）。何も変更していません`;
    return { result: 'error', jobId: await log(pool, opts.source, 'error', message, startedAt, opts.clock.now()), counts: ZERO, message };
  }
}

/**
 * Runs the purge once a day (scheduleDailyJob, job 'retention-purge'): checked every `checkMs` (default 10 minutes),
 * it runs when the server's clock (Japan time) is at or past `hour` and no timer run has been done that day. Only
 * scheduled with the policy on (server/main.ts); returns a stop function.
 */
export function scheduleRetentionPurge(pool: Pool, opts: { clock: { now(): Date }; hour: number; checkMs?: number; onResult?: (r: RetentionPurgeResult) => void }): () => void {
  return scheduleDailyJob(pool, { ...opts, job: 'retention-purge', run: () => runRetentionPurge(pool, { clock: opts.clock, source: 'timer', enabled: true }) });
}
