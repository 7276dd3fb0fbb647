import { z } from 'zod';
import { JIMU, ROLES, type Jimu } from '../domain/rights';
import { isValidMyNumber } from '../domain/mynumber';
import { SEX_CODES } from '../domain/resident';
import { isCertType, isTicketType, ticketRecordProblem } from '../domain/certificate-types';
import { KODOMO_ACQUIRE_REASONS, KODOMO_LOSE_REASONS } from '../domain/kodomo-shikaku';
import { FLOW_KINDS, FLOW_STATES } from '../domain/seikatsu/flows';
import type { SyncEntity } from './protocol';

/**
 * Which records a terminal may see and change. A terminal belongs to one municipality and serves some 事務;
 * both are written into its client certificate at enrollment (OU=municipality:NNNNNN, OU=jimu:xxx), so the
 * scope is as trustworthy as the certificate. Pure: imported by the server and the terminal alike.
 */
export const TerminalScopeSchema = z.strictObject({
  municipality: z.string().regex(/^[0-9]{6}$/, '団体コードは6桁の数字です'),
  jimu: z.array(z.enum(JIMU)).min(1, '事務を1つ以上指定してください'),
  /** Enrolled for identity administration (OU=admin:identity): only such a terminal creates or changes staff, grants, authenticators. */
  admin: z.boolean().optional(),
  /** Staff IDs whose provisioned first records (bootstrap) this admin terminal may push (OU=bootstrap:ID). */
  bootstrap: z.array(z.string().regex(/^[A-Za-z0-9]{3,32}$/, '職員IDは英数字3〜32文字です')).optional(),
});
export type TerminalScope = z.infer<typeof TerminalScopeSchema>;

/**
 * How an entity is scoped:
 * - `municipality`: terminals of the municipality — people only where the population of one of the terminal's
 *   事務 holds them (shared/domain/population.ts), staff and their credentials only where the staff rule puts them
 *   (shared/sync/staff-scope.ts: who works in one of its 事務, offline login needs their password hash and
 *   authenticators), rule profiles everywhere;
 * - `jimu`: only terminals serving the record's 事務 (certificates, their events);
 * - `terminal`: only the terminal that owns it (its leased number blocks).
 */
export type EntityScopeKind = 'municipality' | 'jimu' | 'terminal';

export const ENTITY_SCOPE: Readonly<Record<SyncEntity, EntityScopeKind>> = {
  staff: 'municipality',
  residents: 'municipality',
  resident_guardians: 'municipality',
  health_insurance: 'municipality',
  certificates: 'jimu',
  certificate_events: 'jimu',
  number_blocks: 'terminal',
  staff_grants: 'municipality',
  authenticators: 'municipality',
  password_history: 'municipality',
  claims: 'jimu',
  claim_events: 'jimu',
  vaccination_records: 'jimu',
  rule_profiles: 'municipality',
  kokuho_shikaku: 'jimu',
  kodomo_shikaku: 'jimu',
  seiho_jukyu: 'jimu',
  fujo_flows: 'jimu',
};

/**
 * Entities only the central server writes (published there, or imported from the municipality's systems; pulled by
 * terminals, never pushed), with the reason a pushed one is refused.
 */
export const SERVER_ONLY_ENTITIES: Partial<Readonly<Record<SyncEntity, string>>> = {
  rule_profiles: 'ルールプロファイルは中央サーバで公開します（端末からは変更できません）',
  kokuho_shikaku: '国保の資格は国保システムから中央サーバに取り込みます（端末からは変更できません）',
  seiho_jukyu: '保護受給は生活保護システムから中央サーバに取り込みます（端末からは変更できません）',
};

/** A record that takes its 事務 from another record (a certificate event from its certificate). */
export const JIMU_PARENT: Partial<Readonly<Record<SyncEntity, { entity: SyncEntity; field: string }>>> = {
  certificate_events: { entity: 'certificates', field: 'certificate_id' },
  claim_events: { entity: 'claims', field: 'claim_id' },
};

/** The 事務 of a certificate type: the part before the first underscore ('kodomo', 'kokuho_shikaku' …). */
export function jimuOfCertType(certType: unknown): Jimu | null {
  if (typeof certType !== 'string') return null;
  const head = certType.split('_')[0];
  return (JIMU as readonly string[]).includes(head ?? '') ? (head as Jimu) : null;
}

/** The 事務 a record belongs to, from its own fields; null when it has none or takes it from a parent. */
export function jimuOfPayload(entity: SyncEntity, payload: Record<string, unknown>): Jimu | null {
  if (entity === 'certificates') return jimuOfCertType(payload.cert_type);
  if (entity === 'claims') return jimuOfCertType(payload.claim_kind);
  if (entity === 'vaccination_records') return 'yobou';
  if (entity === 'kokuho_shikaku') return 'kokuho';
  if (entity === 'kodomo_shikaku') return 'kodomo';
  if (entity === 'seiho_jukyu' || entity === 'fujo_flows') return 'seikatsu';
  return null;
}

/**
 * What the scope selects, versioned: changed when the selection itself changes, so every terminal takes one fresh
 * snapshot and drops what it no longer may hold. p1: people by the population of the terminal's 事務 (issue 16 §1);
 * p2: staff records too (shared/sync/staff-scope.ts).
 */
const SCOPE_RULES = 'p2';

/**
 * A stable key for a scope; the terminal resets its copy when the key it synced with changes. An administration
 * terminal holds every staff record, so enrolling a terminal for it (or no longer) changes the key too.
 */
export function scopeKey(s: TerminalScope): string {
  return `${s.municipality}:${[...new Set(s.jimu)].sort().join(',')}:${SCOPE_RULES}${s.admin ? ':admin' : ''}`;
}

/** Scope from certificate subject OU values (string or array as Node reports them). */
export function scopeFromOu(ou: unknown): TerminalScope | null {
  const values = typeof ou === 'string' ? [ou] : Array.isArray(ou) ? ou.filter((v): v is string => typeof v === 'string') : [];
  const municipality = values.find((v) => v.startsWith('municipality:'))?.slice('municipality:'.length);
  const jimu = values.filter((v) => v.startsWith('jimu:')).map((v) => v.slice('jimu:'.length));
  const admin = values.includes('admin:identity');
  const bootstrap = values.filter((v) => v.startsWith('bootstrap:')).map((v) => v.slice('bootstrap:'.length));
  const parsed = TerminalScopeSchema.safeParse({ municipality, jimu, ...(admin ? { admin } : {}), ...(admin && bootstrap.length ? { bootstrap } : {}) });
  return parsed.success ? parsed.data : null;
}

const isoDate = (v: unknown): boolean => {
  if (typeof v !== 'string' || !/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
};
const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v.trim().length > 0;
const nullOr = (v: unknown, ok: (x: unknown) => boolean): boolean => v === null || v === undefined || ok(v);

/**
 * Domain checks the server runs on a record as it would be stored (after merging an update), with the same
 * shared/domain rules the terminal's services use. Returns Japanese problems; empty when the record is fine.
 * Only fields present are checked, except the ones a record cannot exist without.
 */
export function validateEntityRecord(entity: SyncEntity, rec: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const need = (ok: boolean, message: string) => {
    if (!ok) problems.push(message);
  };
  switch (entity) {
    case 'residents':
      need(nonEmpty(rec.atena_no) && /^[0-9]{1,15}$/.test(String(rec.atena_no)), '宛名番号は1〜15桁の数字です');
      need(nonEmpty(rec.name_kanji), '氏名がありません');
      need(isoDate(rec.birth_date), '生年月日が正しい日付ではありません');
      need(nullOr(rec.sex, (v) => (SEX_CODES as readonly unknown[]).includes(v)), '性別コードが正しくありません');
      need(nullOr(rec.my_number, (v) => typeof v === 'string' && isValidMyNumber(v)), '個人番号の検査用数字が一致しません');
      break;
    case 'certificates':
      // A known type only (its 事務 then decides which terminals may push it: the caller's scope check).
      need(isCertType(rec.cert_type), '証の種類が正しくありません');
      if (isTicketType(rec.cert_type)) {
        const p = ticketRecordProblem(rec.cert_type, rec);
        if (p) problems.push(p);
      }
      need(nonEmpty(rec.certificate_no), '証番号がありません');
      need(isoDate(rec.valid_from) && nullOr(rec.valid_to, isoDate), '有効期間が正しい日付ではありません');
      need(!(isoDate(rec.valid_from) && isoDate(rec.valid_to)) || String(rec.valid_from) <= String(rec.valid_to), '有効期間の開始が終了より後です');
      need(nullOr(rec.status, (v) => ['valid', 'superseded', 'cancelled'].includes(String(v))), '証の状態が正しくありません');
      break;
    case 'staff':
      need(nonEmpty(rec.staff_id) && /^[A-Za-z0-9]{3,32}$/.test(String(rec.staff_id)), '職員IDの形式が正しくありません');
      need((ROLES as readonly unknown[]).includes(rec.role), '役割が正しくありません');
      break;
    case 'claims':
      need(jimuOfCertType(rec.claim_kind) !== null, '請求の種類が正しくありません');
      need(isoDate(rec.application_date), '申請日が正しい日付ではありません');
      need(nullOr(rec.amount_yen, (v) => Number.isInteger(v) && Number(v) >= 0), '支給額が正しくありません');
      need(rec.checked_by === null || rec.checked_by === undefined || rec.checked_by !== rec.entered_by, '入力者が自分の請求を確認しています');
      need(rec.decided_by === null || rec.decided_by === undefined || (rec.decided_by !== rec.entered_by && rec.decided_by !== rec.checked_by), '入力者または確認者が決裁しています');
      break;
    case 'kodomo_shikaku':
      need(nonEmpty(rec.resident_id) && nonEmpty(rec.claim_id), '受給資格の住民または交付申請がありません');
      need(isoDate(rec.acquired_on), '資格取得日が正しい日付ではありません');
      need(nullOr(rec.lost_on, isoDate) && nullOr(rec.lose_notified_on, isoDate), '資格喪失日または届出日が正しい日付ではありません');
      need(!(isoDate(rec.acquired_on) && isoDate(rec.lost_on)) || String(rec.acquired_on) <= String(rec.lost_on), '資格喪失日が資格取得日より前です');
      need(Object.keys(KODOMO_ACQUIRE_REASONS).includes(String(rec.acquire_reason)), '資格取得の事由が正しくありません');
      need((rec.lost_on === null || rec.lost_on === undefined) === (rec.lose_reason === null || rec.lose_reason === undefined), '資格喪失日と事由はそろえて指定してください');
      need(nullOr(rec.lose_reason, (v) => Object.keys(KODOMO_LOSE_REASONS).includes(String(v))), '資格喪失の事由が正しくありません');
      break;
    case 'fujo_flows':
      // The history itself is replayed by the server against its own grants (server/fujo.ts).
      need(nonEmpty(rec.resident_id) && nonEmpty(rec.flow_no), '扶助の記録の住民または受付番号がありません');
      need((FLOW_KINDS as readonly unknown[]).includes(rec.kind), '扶助の種類が正しくありません');
      need((FLOW_STATES as readonly unknown[]).includes(rec.state), '扶助の状態が正しくありません');
      need(isoDate(rec.applied_on), '申請日が正しい日付ではありません');
      break;
    case 'vaccination_records':
      need(isoDate(rec.administered_on), '接種日が正しい日付ではありません');
      break;
    case 'number_blocks':
      need(Number.isInteger(rec.next_serial) && Number.isInteger(rec.last_serial) && Number(rec.next_serial) >= 1, '番号ブロックの範囲が正しくありません');
      break;
    default:
      break;
  }
  return problems;
}
