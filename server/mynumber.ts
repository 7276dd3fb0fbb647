/**
 * 個人番号 on request (issue 16 §2): terminals hold none; a member of staff with the right `mynumber.reveal` reveals
 * one, or searches by one, through this server. The server decides on its own records — the staff member of the
 * terminal's municipality (not disabled, role), their grant of the right (in force, within the role's ceiling, not
 * revoked, started, not expired), the member's live session claim at the asking terminal (server/sessions.ts: the
 * staff ID a terminal names must be logged in there), the resident in the terminal's municipality — and records every
 * request in mynumber_access (never the number).
 */
import { z } from 'zod';
import { ENTITY_WRITE_LOCK, Rollback, withTransaction, type Pool } from './db';
import type { TerminalPeer } from './sync';
import { text } from '../shared/text';
import type { CommonRight } from '../shared/domain/rights';
import { rightProblem } from './staff-rights';
import { sessionProblem, type SessionProblem } from './sessions';
import type { MyNumberRevealRequest, MyNumberSearchRequest } from '../shared/sync/mynumber-protocol';

export type MyNumberOutcome<T> = { status: 'ok'; body: T } | { status: 'forbidden' | 'no_session' | 'not_found' | 'not_registered'; message: string };


async function record(
  pool: Pool, peer: TerminalPeer, at: Date, action: 'reveal' | 'search', staffId: string, reason: string,
  resident: { id: string; atenaNo: string | null } | null, why: string | null, outcome: 'success' | 'refused' = why ? 'refused' : 'success',
): Promise<void> {
  await pool.query(
    `INSERT INTO mynumber_access (at, municipality, terminal_id, staff_id, action, resident_id, atena_no, reason, outcome, why)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [at, peer.scope.municipality, peer.terminalId, staffId, action, resident?.id ?? null, resident?.atenaNo ?? null, reason, outcome, why],
  );
}

const FORBIDDEN = '中央サーバの記録では、この職員に個人番号の閲覧権限がありません。';

/** What the screen says when the member of staff is not logged in at the asking terminal by the server's claims. */
export const NO_SESSION_MESSAGES: Record<SessionProblem, string> = {
  no_session: '中央サーバの記録では、この職員はこの端末にログインしていません。ログインし直してから操作してください。',
  session_elsewhere: '中央サーバの記録では、この職員は別の端末でログイン中です。この端末では個人番号を扱えません。',
  session_expired: '中央サーバの記録では、この職員のこの端末でのログインは期限を過ぎています。ログインし直してから操作してください。',
};

/**
 * Why the request may not be answered, recorded as mynumber_access.why: the right by the server's staff and grant
 * records, then the session — the staff ID the terminal names must be logged in at that terminal (its live claim).
 */
async function staffProblem(pool: Pool, peer: TerminalPeer, staffId: string, at: Date): Promise<{ why: string; refusal: MyNumberOutcome<never> } | null> {
  const right = await rightProblem(pool, peer.scope.municipality, staffId, 'mynumber.reveal', at.toISOString());
  if (right) return { why: right, refusal: { status: 'forbidden', message: FORBIDDEN } };
  const session = await sessionProblem(pool, peer, staffId);
  if (session) return { why: session, refusal: { status: 'no_session', message: NO_SESSION_MESSAGES[session] } };
  return null;
}

/** The 個人番号 of a resident of the terminal's municipality, for a member of staff the server knows holds the right. */
export async function revealMyNumber(pool: Pool, peer: TerminalPeer, req: MyNumberRevealRequest, at: Date): Promise<MyNumberOutcome<{ myNumber: string }>> {
  const municipality = peer.scope.municipality;
  const r = await pool.query<{ atena_no: string | null; my_number: string | null }>(
    `SELECT payload->>'atena_no' AS atena_no, payload->>'my_number' AS my_number FROM entities
      WHERE entity = 'residents' AND entity_id = $1 AND municipality = $2 AND NOT deleted`,
    [req.residentId, municipality],
  );
  const row = r.rows[0];
  const resident = row ? { id: req.residentId, atenaNo: row.atena_no } : { id: req.residentId, atenaNo: null };
  const problem = await staffProblem(pool, peer, req.staffId, at);
  if (problem) {
    await record(pool, peer, at, 'reveal', req.staffId, req.reason, resident, problem.why);
    return problem.refusal;
  }
  if (!row) {
    await record(pool, peer, at, 'reveal', req.staffId, req.reason, resident, 'not_found');
    return { status: 'not_found', message: 'この端末の団体の住民として中央サーバに見つかりません。' };
  }
  if (!row.my_number) {
    await record(pool, peer, at, 'reveal', req.staffId, req.reason, resident, 'not_registered');
    return { status: 'not_registered', message: 'この住民には個人番号が登録されていません。' };
  }
  await record(pool, peer, at, 'reveal', req.staffId, req.reason, resident, null);
  return { status: 'ok', body: { myNumber: row.my_number } };
}

/** The resident of the terminal's municipality holding a 個人番号 (null for none), for a member of staff with the right. */
export async function searchByMyNumber(pool: Pool, peer: TerminalPeer, req: MyNumberSearchRequest, at: Date): Promise<MyNumberOutcome<{ residentId: string | null }>> {
  const municipality = peer.scope.municipality;
  const problem = await staffProblem(pool, peer, req.staffId, at);
  if (problem) {
    await record(pool, peer, at, 'search', req.staffId, req.reason, null, problem.why);
    return problem.refusal;
  }
  const r = await pool.query<{ entity_id: string; atena_no: string | null }>(
    `SELECT entity_id, payload->>'atena_no' AS atena_no FROM entities
      WHERE entity = 'residents' AND municipality = $1 AND NOT deleted AND payload->>'my_number' = $2 LIMIT 1`,
    [municipality, req.myNumber],
  );
  const row = r.rows[0];
  await record(pool, peer, at, 'search', req.staffId, req.reason, row ? { id: row.entity_id, atenaNo: row.atena_no } : null, row ? null : 'no_match', 'success');
  return { status: 'ok', body: { residentId: row?.entity_id ?? null } };
}

/** An open confirmation (seed 001) as a supervisor's list shows it: what would change, never the numbers. */
export interface MyNumberConfirmation {
  confirmationId: number;
  municipality: string;
  atenaNo: string;
  importId: number;
  /** 別の個人番号: the line brought a different number; 空欄: it brought none. */
  change: '別の個人番号' | '空欄';
  createdAt: string;
}

/**
 * The 住基 lines held back because they would link a different 個人番号 to a person who has one, or blank it
 * (server/import/import.ts applyJuki; the person kept their number), oldest first.
 */
export async function openMyNumberConfirmations(pool: Pool): Promise<MyNumberConfirmation[]> {
  const r = await pool.query<{ confirmation_id: string; municipality: string; atena_no: string; import_id: string; blank: boolean; created_at: Date }>(
    `SELECT confirmation_id, municipality, atena_no, import_id, proposed_number IS NULL AS blank, created_at
       FROM mynumber_confirmations WHERE resolved_at IS NULL ORDER BY created_at, confirmation_id`,
  );
  return r.rows.map((x) => ({
    confirmationId: Number(x.confirmation_id), municipality: x.municipality, atenaNo: x.atena_no, importId: Number(x.import_id),
    change: x.blank ? '空欄' : '別の個人番号', createdAt: new Date(x.created_at).toISOString(),
  }));
}

/** The right a supervisor's decision on a held 個人番号 change asks for: the supervisor's review (as for conflicts). */
export const CONFIRMATION_RIGHT = 'audit.review' satisfies CommonRight;

/** A supervisor's decision on one held change (`npm run server:job -- mynumber-confirm`), checked as typed input. */
export const MyNumberDecisionSchema = z.strictObject({
  confirmationId: z.number({ error: '確認番号は正の整数で指定してください' }).int('確認番号は正の整数で指定してください').positive('確認番号は正の整数で指定してください'),
  /** apply: the proposed number (or the blank) becomes the resident's; dismiss: the held number stays. */
  decision: z.enum(['apply', 'dismiss'], { error: '決定は apply（適用）か dismiss（却下）で指定してください' }),
  staffId: z.string().regex(/^[A-Za-z0-9]{3,32}$/, '職員IDは英数字3〜32文字で指定してください'),
  reason: text({ label: '理由', min: 1, max: 500 }),
});
export type MyNumberDecision = z.input<typeof MyNumberDecisionSchema>;

export type MyNumberDecisionOutcome =
  | { status: 'decided'; confirmationId: number; decision: 'apply' | 'dismiss'; atenaNo: string; municipality: string; version: number | null; resolvedAt: string; resolvedBy: string }
  | { status: 'refused'; message: string };

const STAFF_REFUSALS: Record<string, (staffId: string, municipality: string) => string> = {
  no_staff: (s, m) => `職員ID ${s} は団体 ${m} の職員として中央サーバに登録されていません。`,
  staff_disabled: (s) => `職員ID ${s} は無効にされています。`,
  outside_role: (s) => `職員ID ${s} の役割では個人番号の変更を決定できません（監督者の権限「監査ログの点検」が必要です）。`,
  no_grant: (s) => `職員ID ${s} には監督者の権限「監査ログの点検」が付与されていない（または期限切れ・取消し済み）ため、個人番号の変更を決定できません。`,
};

/**
 * A supervisor's decision on a held 個人番号 change (seed 001). `apply` writes the proposed number, or the blank,
 * onto the resident as a new version (new server_seq, under the entity write lock as an import does; terminals pull
 * has_my_number); `dismiss` keeps the held number. Either marks the confirmation resolved with the decision and the
 * reason. Refused, changing nothing: input outside the rules, a confirmation that does not exist or is already
 * resolved, a member of staff who is not an enabled supervisor of the confirmation's municipality with the right in
 * force (the server's staff and grant records), and an apply whose resident no longer holds the number that was
 * held (changed or removed since).
 */
export async function decideMyNumberConfirmation(pool: Pool, input: MyNumberDecision, at: Date): Promise<MyNumberDecisionOutcome> {
  const parsed = MyNumberDecisionSchema.safeParse(input);
  if (!parsed.success) return { status: 'refused', message: parsed.error.issues.map((i) => i.message).join('、') };
  const d = parsed.data;
  return withTransaction<MyNumberDecisionOutcome>(pool, async (c) => {
    const refuse = (message: string) => new Rollback<MyNumberDecisionOutcome>({ status: 'refused', message });
    // The entity write lock first, as for a push or an import (server_seq in commit order; the same lock order).
    await c.query('SELECT pg_advisory_xact_lock($1)', [ENTITY_WRITE_LOCK]);
    const cf = await c.query<{ municipality: string; atena_no: string; entity_id: string; held_number: string; proposed_number: string | null; resolved_at: Date | null; resolved_by: string | null; decision: string | null }>(
      `SELECT municipality, atena_no, entity_id, held_number, proposed_number, resolved_at, resolved_by, decision
         FROM mynumber_confirmations WHERE confirmation_id = $1 FOR UPDATE`,
      [d.confirmationId],
    );
    const cfm = cf.rows[0];
    if (!cfm) return refuse(`確認番号 ${d.confirmationId} の個人番号の変更は見つかりません。`);
    if (cfm.resolved_at) {
      const how = cfm.decision === 'apply' ? '適用' : '却下';
      return refuse(`確認番号 ${d.confirmationId} の個人番号の変更は ${new Date(cfm.resolved_at).toISOString()} に ${cfm.resolved_by ?? '不明'} が決定済み（${how}）です。変更はしていません。`);
    }
    const staff = await rightProblem(c, cfm.municipality, d.staffId, CONFIRMATION_RIGHT, at.toISOString());
    if (staff) return refuse(STAFF_REFUSALS[staff]!(d.staffId, cfm.municipality));
    let version: number | null = null;
    if (d.decision === 'apply') {
      const cur = await c.query<{ version: number; deleted: boolean; my_number: string | null }>(
        `SELECT version, deleted, NULLIF(payload->>'my_number', '') AS my_number FROM entities
          WHERE entity = 'residents' AND entity_id = $1 AND municipality = $2 FOR UPDATE`,
        [cfm.entity_id, cfm.municipality],
      );
      const r = cur.rows[0];
      if (!r || r.deleted) return refuse(`宛名番号 ${cfm.atena_no} の住民は中央サーバで消除されているか見つからないため、個人番号の変更を適用できません。却下してください。`);
      if (r.my_number !== cfm.held_number) {
        return refuse(`宛名番号 ${cfm.atena_no} の個人番号は、この変更が保留された後に変わっています。適用できません（却下するか、住基の内容を確認してください）。`);
      }
      version = r.version + 1;
      await c.query(
        `UPDATE entities SET version = $2,
                payload = payload || jsonb_build_object('my_number', $3::text, 'version', $2::int, 'updated_at', $4::text, 'updated_by', $5::text),
                updated_by_terminal = 'SERVER', server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq')), updated_at = now()
          WHERE entity = 'residents' AND entity_id = $1`,
        [cfm.entity_id, version, cfm.proposed_number, at.toISOString(), d.staffId],
      );
    }
    await c.query(
      `UPDATE mynumber_confirmations SET resolved_at = $2, resolved_by = $3, decision = $4, reason = $5 WHERE confirmation_id = $1`,
      [d.confirmationId, at, d.staffId, d.decision, d.reason],
    );
    return {
      status: 'decided', confirmationId: d.confirmationId, decision: d.decision, atenaNo: cfm.atena_no, municipality: cfm.municipality,
      version, resolvedAt: at.toISOString(), resolvedBy: d.staffId,
    };
  });
}
