import type { RetentionSettings } from '../../../shared/domain/profile';
import { certificateEnd, claimEnd, fujoFlowEnd, kodomoShikakuEnd, pastRetention, RETENTION_KINDS, retentionCutoff, retentionYearsOf, type RetentionKind } from '../../../shared/domain/retention';
import { todayInJapan } from '../../../shared/domain/wareki';
import type { AuditLog } from '../audit/audit-log';
import type { Db } from '../db/database';
import type { Clock } from '../platform';
import { confirmedMutationId } from '../sync/sync-engine';

/** What one purge removed, per table, and the first end date each kind still keeps. */
export interface RecordPurgeResult {
  counts: { certificates: number; certificate_events: number; claims: number; claim_events: number; kodomo_shikaku: number; fujo_flows: number; mailing_items: number };
  cutoffs: Record<RetentionKind, string>;
  /** Past retention but kept for now: a change not yet confirmed by the server, or still referred to. */
  held: number;
}

type Table = keyof RecordPurgeResult['counts'];

/**
 * The retention purge of domain records (issue 16 §3), run by the core at every start beside the audit retention
 * (electron/core/audit/retention.ts). In one transaction (secure_delete is on, so the content is overwritten):
 * - こども医療 受給資格 whose 喪失日, claims whose 決定, 扶助 flows (fujo_flows) whose 却下 or 廃止, certificates
 *   (給付券 too) whose end (shared/domain/retention.ts) is before today minus the profile's 保存年限 are removed, with
 *   their events (certificate_events, claim_events) and the finished mailing items that name such a certificate;
 * - kept for now (held): a record with a change the server has not confirmed (unsent, after its lastMutationId or
 *   rejected: the 同期の状態 screen shows those), a 交付申請 whose 受給資格 stays, a certificate another kept
 *   certificate names as its successor or an unfinished mailing still lists;
 * - the purge is local: nothing goes to the outbox (the server is the system of record and keeps its copy). The
 *   entity, ID and version of each record go into retention_purged, so a pull or a snapshot does not bring it back
 *   and the checksum still matches the server's; the confirmed outbox rows of those records (their content) go;
 * - one audit entry with the counts, the cutoffs and how many were held, never content; none when nothing went.
 * 接種歴 are never purged (seed 004, see retentionSettingsSchema).
 */
export function purgeExpiredRecords(db: Db, audit: AuditLog, clock: Clock, settings: RetentionSettings): RecordPurgeResult {
  const now = clock.now();
  const today = todayInJapan(now);
  const years = retentionYearsOf(settings);
  const cutoffs = Object.fromEntries(RETENTION_KINDS.map((k) => [k, retentionCutoff(today, years[k])])) as Record<RetentionKind, string>;
  return db.transaction((): RecordPurgeResult => {
    const confirmed = confirmedMutationId(db);
    // Records with a change the server has not confirmed (or that it rejected): never purged.
    const unconfirmed = new Set(
      db
        .prepare<[number], { k: string }>(
          `SELECT entity || ':' || entity_id AS k FROM outbox
            WHERE sent_at IS NULL OR mutation_id > ? OR mutation_id IN (SELECT mutation_id FROM sync_rejections)`,
        )
        .all(confirmed)
        .map((r) => r.k),
    );
    const settled = (entity: string, id: string) => !unconfirmed.has(`${entity}:${id}`);
    const childrenSettled = (table: 'certificate_events' | 'claim_events', parentCol: string, id: string) =>
      db.prepare<[string], { id: string }>(`SELECT id FROM ${table} WHERE ${parentCol} = ?`).all(id).every((c) => settled(table, c.id));
    let held = 0;

    const shikaku = db
      .prepare<[string], { id: string; lost_on: string | null }>('SELECT id, lost_on FROM kodomo_shikaku WHERE lost_on IS NOT NULL AND lost_on < ?')
      .all(cutoffs.kodomo_shikaku)
      .filter((r) => pastRetention(kodomoShikakuEnd(r), cutoffs.kodomo_shikaku));
    const shikakuIds = shikaku.filter((r) => settled('kodomo_shikaku', r.id)).map((r) => r.id);
    held += shikaku.length - shikakuIds.length;
    const goingShikaku = new Set(shikakuIds);

    // decided_at is an instant: one whose date in Japan is before the cutoff is before it in UTC too.
    const claims = db
      .prepare<[string], { id: string; state: string; decided_at: string | null }>("SELECT id, state, decided_at FROM claims WHERE state = 'decided' AND decided_at < ?")
      .all(cutoffs.claims)
      .filter((r) => pastRetention(claimEnd(r), cutoffs.claims));
    const shikakuClaimKept = db.prepare<[string], { id: string }>('SELECT id FROM kodomo_shikaku WHERE claim_id = ?');
    const claimIds = claims
      .filter((r) => {
        const keep = !settled('claims', r.id) || !childrenSettled('claim_events', 'claim_id', r.id) || shikakuClaimKept.all(r.id).some((s) => !goingShikaku.has(s.id));
        if (keep) held++;
        return !keep;
      })
      .map((r) => r.id);

    // 扶助 flows: the end (却下 or 廃止) is in record_json; an open or current flow has none.
    const flows = db
      .prepare<[], { id: string; record_json: string }>("SELECT id, record_json FROM fujo_flows WHERE state IN ('rejected', 'abolished')")
      .all()
      .filter((r) => pastRetention(fujoFlowEnd(r.record_json), cutoffs.fujo_flows));
    const flowIds = flows.filter((r) => settled('fujo_flows', r.id)).map((r) => r.id);
    held += flows.length - flowIds.length;

    const certs = db
      .prepare<[string, string], { id: string; status: string; valid_to: string | null; recall_status: string; recall_date: string | null }>(
        `SELECT id, status, valid_to, recall_status, recall_date FROM certificates
          WHERE (valid_to IS NOT NULL AND valid_to < ?) OR (status <> 'valid' AND recall_status IN ('recalled','not_returned') AND recall_date < ?)`,
      )
      .all(cutoffs.certificates, cutoffs.certificates)
      .filter((r) => pastRetention(certificateEnd(r), cutoffs.certificates));
    const openMailing = db.prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM mailing_items i JOIN mailing_runs r ON r.id = i.run_id WHERE i.certificate_id = ? AND r.state <> 'done'",
    );
    const goingCerts = new Set(
      certs.filter((r) => settled('certificates', r.id) && childrenSettled('certificate_events', 'certificate_id', r.id) && openMailing.get(r.id)?.n === 0).map((r) => r.id),
    );
    // A certificate named as the successor (superseded_by) of one that stays, stays too, until nothing changes.
    const namedBy = db.prepare<[string], { id: string }>('SELECT id FROM certificates WHERE superseded_by = ?');
    for (let changed = true; changed; ) {
      changed = false;
      for (const id of goingCerts) {
        if (namedBy.all(id).some((r) => !goingCerts.has(r.id))) {
          goingCerts.delete(id);
          changed = true;
        }
      }
    }
    held += certs.length - goingCerts.size;

    const counts: RecordPurgeResult['counts'] = { certificates: 0, certificate_events: 0, claims: 0, claim_events: 0, kodomo_shikaku: 0, fujo_flows: 0, mailing_items: 0 };
    const at = now.toISOString();
    const remember = (table: Table, where: string, id: string) => {
      db.prepare(`INSERT OR REPLACE INTO retention_purged (entity, entity_id, version, purged_at) SELECT ?, id, version, ? FROM ${table} WHERE ${where} = ? AND deleted = 0`).run(table, at, id);
      db.prepare(`DELETE FROM outbox WHERE entity = ? AND entity_id IN (SELECT id FROM ${table} WHERE ${where} = ?)`).run(table, id);
      counts[table] += db.prepare(`DELETE FROM ${table} WHERE ${where} = ?`).run(id).changes;
    };
    for (const id of shikakuIds) remember('kodomo_shikaku', 'id', id);
    for (const id of flowIds) remember('fujo_flows', 'id', id);
    for (const id of claimIds) {
      remember('claim_events', 'claim_id', id);
      remember('claims', 'id', id);
    }
    // Children before parents, and a certificate before the one it names as its successor.
    for (const id of goingCerts) {
      remember('certificate_events', 'certificate_id', id);
      counts.mailing_items += db.prepare('DELETE FROM mailing_items WHERE certificate_id = ?').run(id).changes;
    }
    deleteCertificates(db, goingCerts, (id) => remember('certificates', 'id', id));

    const purged = counts.certificates + counts.claims + counts.kodomo_shikaku + counts.fujo_flows;
    if (purged > 0) audit.append({ staffId: null, action: 'records.retentionPurge', outcome: 'success', detail: { counts, cutoffs, held } });
    return { counts, cutoffs, held };
  })();
}

/** Deletes the certificates so that none is removed while another still names it as its successor. */
function deleteCertificates(db: Db, ids: Set<string>, remove: (id: string) => void): void {
  const left = new Set(ids);
  const namedBy = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM certificates WHERE superseded_by = ?');
  while (left.size > 0) {
    const ready = [...left].filter((id) => namedBy.get(id)?.n === 0);
    // A cycle (a certificate naming itself through others) cannot happen; stop rather than loop if it does.
    if (ready.length === 0) throw new Error('certificate successor cycle');
    for (const id of ready) {
      remove(id);
      left.delete(id);
    }
  }
}
