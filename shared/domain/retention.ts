import type { RetentionSettings } from './profile';
import { daysInMonth, jstParts, parseIso, toIso } from './wareki';

/**
 * Retention of domain records (issue 16 §3): each kind is kept for its 保存年限 (rule profile `retention`, see
 * retentionSettingsSchema for what the assessments say) counted from its end event; a record without an end
 * event is never purged. Used by the terminal's purge (electron/core/retention/purge.ts) and the server's job
 * (server/jobs/retention-purge.ts), so that both read one rule.
 */

/**
 * The record kinds with a retention (their children go with them: certificate_events, claim_events). The 生活保護
 * 給付券 (医療券・調剤券・介護券) are certificates (cert_type seikatsu_*, valid for their month): the certificates rule.
 */
export const RETENTION_KINDS = ['certificates', 'claims', 'kodomo_shikaku', 'fujo_flows'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** Years each kind is kept after its end event, from the profile's settings. */
export function retentionYearsOf(s: RetentionSettings): Record<RetentionKind, number> {
  return { certificates: s.certificatesYears, claims: s.claimsYears, kodomo_shikaku: s.kodomoShikakuYears, fujo_flows: s.fujoFlowsYears };
}

/**
 * The first end date still kept: `years` before today (Japan date); 2月29日 becomes 2月28日 in a common year.
 * A record whose end date is before the cutoff is past its retention.
 */
export function retentionCutoff(today: string, years: number): string {
  const { y, m, d } = parseIso(today);
  return toIso(y - years, m, Math.min(d, daysInMonth(y - years, m)));
}

export interface CertificateEndFacts {
  status: string;
  valid_to: string | null;
  recall_status: string;
  recall_date: string | null;
}

/**
 * A certificate's end: a valid one ends with its validity (valid_to); a superseded or cancelled one with its 回収
 * (回収 or 未回収 recorded: recall_date) or with the end of its validity if that comes first. A valid certificate
 * without valid_to, or an ended one whose 回収 is still pending and whose validity has no end, has none.
 */
export function certificateEnd(c: CertificateEndFacts): string | null {
  if (c.status === 'valid') return c.valid_to;
  const recalled = (c.recall_status === 'recalled' || c.recall_status === 'not_returned') && c.recall_date !== null ? c.recall_date : null;
  if (recalled === null) return c.valid_to;
  return c.valid_to !== null && c.valid_to < recalled ? c.valid_to : recalled;
}

/** A claim's end: its 決定 (decided_at, the date in Japan). Undecided and withdrawn claims have none. */
export function claimEnd(c: { state: string; decided_at: string | null }): string | null {
  if (c.state !== 'decided' || c.decided_at === null) return null;
  return jstParts(c.decided_at)?.date ?? null;
}

/** A こども医療 受給資格's end: its 喪失日 (lost_on). One not lost has none. */
export function kodomoShikakuEnd(s: { lost_on: string | null }): string | null {
  return s.lost_on;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoOrNull = (v: unknown): string | null => (typeof v === 'string' && ISO_DATE.test(v) ? v : null);

/**
 * A 医療扶助/介護扶助 flow's end (shared/domain/seikatsu/flows.ts), from its record_json (the FlowRecord): a 却下
 * ('rejected') from the 決定日 of its 決定 (the last 'decide' step's decidedOn); a 廃止 ('abolished') from the
 * 廃止日 (facts.abolishedOn). Any other state — an open flow, a 決定（扶助開始） not abolished, a 廃止 only proposed
 * — and an unreadable record have none.
 */
export function fujoFlowEnd(recordJson: string | null): string | null {
  let flow: unknown;
  try {
    flow = JSON.parse(recordJson ?? 'null');
  } catch {
    return null;
  }
  if (!flow || typeof flow !== 'object') return null;
  const f = flow as { state?: unknown; facts?: { abolishedOn?: unknown } | null; history?: unknown };
  if (f.state === 'abolished') return isoOrNull(f.facts?.abolishedOn);
  if (f.state !== 'rejected' || !Array.isArray(f.history)) return null;
  for (let i = f.history.length - 1; i >= 0; i--) {
    const step = f.history[i] as { action?: unknown; input?: { decidedOn?: unknown } | null } | null;
    if (step?.action === 'decide') return isoOrNull(step.input?.decidedOn);
  }
  return null;
}

/** Past its retention: it has an end, and that end is before the cutoff. */
export function pastRetention(end: string | null, cutoff: string): boolean {
  return end !== null && end < cutoff;
}
