import type { ResidentDetail, ResidentSummary, SearchRequest } from '../../../shared/ipc/contract';
import type { AuditAction } from '../../../shared/audit/actions';
import type { SexCode } from '../../../shared/domain/resident';
import { kodomoEligibility } from '../../../shared/domain/eligibility';
import { offersFor, type KokuhoShikaku, type PersonFacts } from '../../../shared/domain/availability';
import { kanaPrefixUpperBound, normalizeKana } from '../../../shared/domain/kana';
import { todayInJapan } from '../../../shared/domain/wareki';
import type { AuditLog } from '../audit/audit-log';
import { requireRight, type Actor } from '../actor';
import type { Db } from '../db/database';
import { DomainError } from '../errors';
import type { Clock } from '../platform';
import type { PrivacySettings } from '../../../shared/domain/profile';
import { kodomoShikakuLastDay, kodomoShikakuText, type KodomoShikaku } from '../../../shared/domain/kodomo-shikaku';
import type { ServerTransport } from '../net/transport';
import {
  MYNUMBER_REVEAL_PATH,
  MYNUMBER_SEARCH_PATH,
  MyNumberRevealResponseSchema,
  MyNumberSearchResponseSchema,
} from '../../../shared/sync/mynumber-protocol';

/** Shown when a 個人番号 is asked for and the central server cannot be reached (or none is configured). */
export const MYNUMBER_OFFLINE = '中央サーバに接続できないため、個人番号を表示できません。個人番号は端末には保存していません。';
export const MYNUMBER_SEARCH_OFFLINE = '中央サーバに接続できないため、個人番号で検索できません。個人番号は端末には保存していません。';

export const SEARCH_LIMIT = 100;
export const WITHHELD_ADDRESS = '（支援措置対象のため住所は表示しません）';

export interface ResidentRow {
  id: string;
  version: number;
  atena_no: string;
  name_kanji: string;
  name_kana: string;
  alias_name: string | null;
  birth_date: string;
  sex: SexCode;
  postal_code: string;
  address: string;
  katagaki: string;
  household_no: string;
  /** Whether the central server holds a 個人番号 for the person (the number itself is never on a terminal). */
  has_my_number: 0 | 1;
  dv_support: 0 | 1;
  non_disclosure: 0 | 1;
  view_suspended: 0 | 1;
}

/** A こども医療 受給資格 row (migration 0013). */
export interface KodomoShikakuRow {
  id: string;
  version: number;
  created_at: string;
  resident_id: string;
  atena_no: string;
  claim_id: string;
  guardian_id: string | null;
  acquired_on: string;
  acquire_reason: string;
  insurer_name: string;
  insurance_kind: string;
  insured_relation: string;
  insurance_symbol: string;
  insurance_number: string;
  insurance_branch: string;
  delivery_json: string;
  lost_on: string | null;
  lose_reason: string | null;
  lose_notified_on: string | null;
}

export function kodomoFacts(k: KodomoShikakuRow, birthDate: string): KodomoShikaku {
  return { id: k.id, birthDate, acquiredOn: k.acquired_on, acquireReason: k.acquire_reason, guardianId: k.guardian_id, lostOn: k.lost_on, loseReason: k.lose_reason, loseNotifiedOn: k.lose_notified_on };
}

/** Columns a search reads. */
const SUMMARY_COLUMNS =
  'id, version, atena_no, name_kanji, name_kana, alias_name, birth_date, sex, postal_code, address, katagaki, household_no, dv_support, non_disclosure, view_suspended';

type SummaryRow = Omit<ResidentRow, 'has_my_number'>;

export function addressShown(r: SummaryRow): boolean {
  return r.dv_support === 0 && r.non_disclosure === 0;
}

function toSummary(r: SummaryRow): ResidentSummary {
  return {
    id: r.id,
    atenaNo: r.atena_no,
    nameKanji: r.name_kanji,
    nameKana: r.name_kana,
    aliasName: r.alias_name,
    birthDate: r.birth_date,
    sex: r.sex,
    address: addressShown(r) ? r.address : WITHHELD_ADDRESS,
    householdNo: r.household_no,
    flags: { dvSupport: r.dv_support === 1, nonDisclosure: r.non_disclosure === 1 },
  };
}

export class ResidentService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly privacy: PrivacySettings = { myNumberShownSeconds: 30 },
    /** The pinned client to the central server, asked for each 個人番号 (null: none configured, 縮退運用). */
    private readonly server: () => ServerTransport | null = () => null,
  ) {}

  /**
   * Every read of a record carries the 処理事由 the member of staff chose (the contract requires one; this is the
   * core's own check, so no caller can open a record with an empty reason).
   */
  private requireReason(actor: Actor, action: AuditAction, residentId: string, reason: string): void {
    if (!reason.trim()) {
      this.audit.refuse({ staffId: actor.staffId, action, detail: { residentId, why: 'no_reason' } }, new DomainError('VALIDATION', '処理事由を選択してください。', { reason: '処理事由を選択してください' }));
    }
  }

  search(actor: Actor, q: SearchRequest): { results: ResidentSummary[]; truncated: boolean; limit: number } {
    requireRight(actor, 'resident.search');
    const where: string[] = ['deleted = 0', 'view_suspended = 0'];
    const params: Record<string, string> = {};
    const kana = q.kana ? normalizeKana(q.kana) : '';
    if (kana) {
      where.push('name_kana_key >= @kana AND name_kana_key < @kanaEnd');
      params.kana = kana;
      params.kanaEnd = kanaPrefixUpperBound(kana);
    }
    if (q.birthDate) {
      where.push('birth_date = @birthDate');
      params.birthDate = q.birthDate;
    }
    if (q.atenaNo) {
      where.push('atena_no = @atenaNo');
      params.atenaNo = q.atenaNo;
    }
    const sql = `SELECT ${SUMMARY_COLUMNS} FROM residents WHERE ${where.join(' AND ')}
                 ORDER BY name_kana_key, birth_date, atena_no LIMIT ${SEARCH_LIMIT + 1}`;
    return this.db.transaction(() => {
      const rows = this.db.prepare<Record<string, string>, SummaryRow>(sql).all(params);
      const truncated = rows.length > SEARCH_LIMIT;
      const results = rows.slice(0, SEARCH_LIMIT).map(toSummary);
      this.audit.append({
        staffId: actor.staffId,
        action: 'residents.search',
        outcome: 'success',
        detail: { query: { kana: kana || undefined, birthDate: q.birthDate, atenaNo: q.atenaNo }, resultCount: results.length, truncated },
      });
      return { results, truncated, limit: SEARCH_LIMIT };
    })();
  }

  /**
   * A resident as the services see it (including the 個人番号); never returned to the renderer as is. `removed`:
   * also a person taken off the 住民票 (消除: 転出, 死亡 — a tombstone that keeps its items), for the 回収 of the
   * certificates they still hold.
   */
  findRow(residentId: string, opts: { removed?: boolean } = {}): ResidentRow | null {
    const row = this.db
      .prepare<[string], ResidentRow>(`SELECT * FROM residents WHERE id = ? ${opts.removed ? '' : 'AND deleted = 0'} AND view_suspended = 0`)
      .get(residentId);
    return row ?? null;
  }

  requireRow(actor: Actor, residentId: string, action: AuditAction, opts: { removed?: boolean } = {}): ResidentRow {
    const row = this.findRow(residentId, opts);
    if (!row) {
      this.audit.refuse({ staffId: actor.staffId, action, detail: { residentId, why: 'not_found' } }, new DomainError('NOT_FOUND', '該当する住民が見つかりません。'));
    }
    return row;
  }

  get(actor: Actor, residentId: string, reason: string): ResidentDetail {
    requireRight(actor, 'resident.view');
    this.requireReason(actor, 'residents.view', residentId, reason);
    const row = this.requireRow(actor, residentId, 'residents.view');
    return this.db.transaction(() => {
      const detail = this.detailOf(row);
      this.audit.append({ staffId: actor.staffId, action: 'residents.view', targetAtenaNo: row.atena_no, reason, outcome: 'success' });
      return detail;
    })();
  }

  /**
   * Sends one 個人番号 request to the central server; audits and refuses (with the screen's message) when there is
   * no server, it cannot be reached, or it refuses. Returns the body of a 200.
   */
  private async askServer(actor: Actor, action: AuditAction, path: string, body: unknown, audited: { targetAtenaNo?: string; reason: string }, offline: string): Promise<unknown> {
    const transport = this.server();
    const refuse = (why: string, error: DomainError, technical?: string): never =>
      this.audit.refuse({ staffId: actor.staffId, action, ...audited, detail: { why, ...(technical ? { technical } : {}) } }, error);
    if (!transport) refuse('offline_not_configured', new DomainError('RULE', offline));
    let r: { status: number; json: unknown };
    try {
      r = await transport!.request('POST', path, body);
    } catch {
      return refuse('offline_unreachable', new DomainError('RULE', offline));
    }
    if (r.status === 200) return r.json;
    const message = typeof (r.json as { message?: unknown } | null)?.message === 'string' ? String((r.json as { message: string }).message) : null;
    if (r.status === 403) {
      // no_session: the server's claims do not have this member of staff logged in at this terminal.
      const why = (r.json as { error?: unknown } | null)?.error === 'no_session' ? 'server_no_session' : 'server_forbidden';
      return refuse(why, new DomainError('FORBIDDEN', message ?? '中央サーバが個人番号の閲覧を認めませんでした。'), 'HTTP 403');
    }
    if (r.status === 404) return refuse(String((r.json as { error?: unknown } | null)?.error ?? 'not_found'), new DomainError('NOT_FOUND', message ?? '該当する住民が中央サーバに見つかりません。'), 'HTTP 404');
    const failed = DomainError.failure('RULE', '中央サーバが個人番号の要求を受け付けませんでした。時間をおいてもう一度操作し、続く場合はIT担当者に連絡してください。');
    return refuse('server_error', failed, `HTTP ${r.status}`);
  }

  /**
   * The 個人番号, asked of the central server (terminals hold none), with the instant (core clock) after which the
   * screen masks it again (the profile's time). Offline it is refused; audited either way.
   */
  async revealMyNumber(actor: Actor, residentId: string, reason: string): Promise<{ myNumber: string; hideAt: string; shownSeconds: number }> {
    requireRight(actor, 'mynumber.reveal');
    this.requireReason(actor, 'residents.revealMyNumber', residentId, reason);
    const row = this.requireRow(actor, residentId, 'residents.revealMyNumber');
    const audited = { targetAtenaNo: row.atena_no, reason };
    if (!row.has_my_number) {
      this.audit.refuse({ staffId: actor.staffId, action: 'residents.revealMyNumber', ...audited, detail: { why: 'not_registered' } }, new DomainError('NOT_FOUND', 'この住民には個人番号が登録されていません。'));
    }
    const json = await this.askServer(actor, 'residents.revealMyNumber', MYNUMBER_REVEAL_PATH, { staffId: actor.staffId, residentId, reason }, audited, MYNUMBER_OFFLINE);
    const parsed = MyNumberRevealResponseSchema.safeParse(json);
    if (!parsed.success) {
      this.audit.refuse({ staffId: actor.staffId, action: 'residents.revealMyNumber', ...audited, detail: { why: 'bad_response' } }, DomainError.failure('RULE', '中央サーバの応答の形式が正しくありません。'));
    }
    this.audit.append({ staffId: actor.staffId, action: 'residents.revealMyNumber', ...audited, outcome: 'success', detail: { source: 'server' } });
    const shownSeconds = this.privacy.myNumberShownSeconds;
    return { myNumber: parsed.data.myNumber, hideAt: new Date(this.clock.now().getTime() + shownSeconds * 1000).toISOString(), shownSeconds };
  }

  /**
   * The resident holding a 個人番号, asked of the central server; null when the server knows none in the
   * municipality, or the one it names is not on this terminal. The number is never written to the audit log.
   */
  async searchByMyNumber(actor: Actor, myNumber: string, reason: string): Promise<{ residentId: string | null }> {
    requireRight(actor, 'mynumber.reveal');
    if (!reason.trim()) {
      this.audit.refuse({ staffId: actor.staffId, action: 'residents.searchByMyNumber', detail: { why: 'no_reason' } }, new DomainError('VALIDATION', '処理事由を選択してください。', { reason: '処理事由を選択してください' }));
    }
    const json = await this.askServer(actor, 'residents.searchByMyNumber', MYNUMBER_SEARCH_PATH, { staffId: actor.staffId, myNumber, reason }, { reason }, MYNUMBER_SEARCH_OFFLINE);
    const parsed = MyNumberSearchResponseSchema.safeParse(json);
    if (!parsed.success) {
      this.audit.refuse({ staffId: actor.staffId, action: 'residents.searchByMyNumber', reason, detail: { why: 'bad_response' } }, DomainError.failure('RULE', '中央サーバの応答の形式が正しくありません。'));
    }
    const found = parsed.data.residentId ? this.findRow(parsed.data.residentId) : null;
    this.audit.append({ staffId: actor.staffId, action: 'residents.searchByMyNumber', targetAtenaNo: found?.atena_no ?? null, reason, outcome: 'success', detail: { resultCount: found ? 1 : 0 } });
    return { residentId: found?.id ?? null };
  }

  related(residentId: string, as: 'guardians' | 'children') {
    const [mine, theirs] = as === 'guardians' ? ['child_id', 'guardian_id'] : ['guardian_id', 'child_id'];
    return this.db
      .prepare<[string], { id: string; atena_no: string; name_kanji: string; name_kana: string; birth_date: string; relationship: string }>(
        `SELECT r.id, r.atena_no, r.name_kanji, r.name_kana, r.birth_date, g.relationship
           FROM resident_guardians g JOIN residents r ON r.id = g.${theirs}
          WHERE g.${mine} = ? AND g.deleted = 0 AND r.deleted = 0 AND r.view_suspended = 0
          ORDER BY r.birth_date`,
      )
      .all(residentId)
      .map((r) => ({ id: r.id, atenaNo: r.atena_no, nameKanji: r.name_kanji, nameKana: r.name_kana, birthDate: r.birth_date, relationship: r.relationship }));
  }

  insuranceOf(residentId: string) {
    const r = this.db
      .prepare<[string], { insurer_no: string; symbol: string; number: string; branch: string }>(
        'SELECT insurer_no, symbol, number, branch FROM health_insurance WHERE resident_id = ? AND deleted = 0 ORDER BY created_at DESC LIMIT 1',
      )
      .get(residentId);
    return r ? { insurerNo: r.insurer_no, symbol: r.symbol, number: r.number, branch: r.branch } : null;
  }

  /** The person's 国保 資格 periods as pulled from the central server (kokuho_shikaku, read-only here), latest 取得 first. */
  kokuhoOf(atenaNo: string): KokuhoShikaku[] {
    return this.db
      .prepare<[string], { insurer_no: string; symbol: string; number: string; branch: string; acquired_on: string; acquire_reason: string; lost_on: string | null; lose_reason: string | null; income_class: string | null }>(
        `SELECT insurer_no, symbol, number, branch, acquired_on, acquire_reason, lost_on, lose_reason, income_class
         FROM kokuho_shikaku WHERE atena_no = ? AND deleted = 0 ORDER BY acquired_on DESC`,
      )
      .all(atenaNo)
      .map((r) => ({
        insurerNo: r.insurer_no, symbol: r.symbol, number: r.number, branch: r.branch, acquiredOn: r.acquired_on, acquireReason: r.acquire_reason,
        lostOn: r.lost_on, loseReason: r.lose_reason, incomeClass: r.income_class,
      }));
  }

  /** The person's こども医療 受給資格 rows, latest 取得 first. */
  kodomoRowsOf(residentId: string): KodomoShikakuRow[] {
    return this.db
      .prepare<[string], KodomoShikakuRow>('SELECT * FROM kodomo_shikaku WHERE resident_id = ? AND deleted = 0 ORDER BY acquired_on DESC, created_at DESC')
      .all(residentId);
  }

  /** The person's こども医療 受給資格 as the rules read them (shared/domain/kodomo-shikaku). */
  kodomoOf(row: Pick<ResidentRow, 'id' | 'birth_date'>): KodomoShikaku[] {
    return this.kodomoRowsOf(row.id).map((k) => kodomoFacts(k, row.birth_date));
  }

  /** What the availability rules read about a person (shared/domain/availability). */
  factsOf(row: ResidentRow): PersonFacts {
    return { birthDate: row.birth_date, kokuho: this.kokuhoOf(row.atena_no), kodomo: this.kodomoOf(row) };
  }

  private kodomoView(row: ResidentRow) {
    return this.kodomoRowsOf(row.id).map((k) => {
      const facts = kodomoFacts(k, row.birth_date);
      return {
        id: k.id,
        claimId: k.claim_id,
        acquiredOn: k.acquired_on,
        acquireReason: k.acquire_reason,
        guardianId: k.guardian_id,
        guardianName: k.guardian_id ? (this.findRow(k.guardian_id)?.name_kanji ?? null) : null,
        insurance: { insurerName: k.insurer_name, kind: k.insurance_kind, relation: k.insured_relation, symbol: k.insurance_symbol, number: k.insurance_number, branch: k.insurance_branch },
        delivery: JSON.parse(k.delivery_json) as Record<string, string>,
        lostOn: k.lost_on,
        loseReason: k.lose_reason,
        loseNotifiedOn: k.lose_notified_on,
        lastDay: kodomoShikakuLastDay(facts),
        text: kodomoShikakuText(facts),
        version: k.version,
      };
    });
  }

  private detailOf(row: ResidentRow): ResidentDetail {
    const today = todayInJapan(this.clock.now());
    const e = kodomoEligibility(row.birth_date, today);
    const facts = this.factsOf(row);
    return {
      ...toSummary(row),
      address: row.address,
      postalCode: row.postal_code,
      katagaki: row.katagaki,
      hasMyNumber: row.has_my_number === 1,
      insurance: this.insuranceOf(row.id),
      kokuhoShikaku: facts.kokuho.map((k) => ({ ...k })),
      kodomoShikaku: this.kodomoView(row),
      guardians: this.related(row.id, 'guardians'),
      children: this.related(row.id, 'children'),
      kodomoEligibility: e.eligible ? { eligible: true, endsOn: e.endsOn, reason: null } : { eligible: false, endsOn: e.endsOn, reason: e.reason },
      offers: offersFor(facts, today),
      version: row.version,
    };
  }
}
