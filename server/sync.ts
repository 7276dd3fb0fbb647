/**
 * Push and pull against PostgreSQL. Each mutation is applied in its own transaction; the terminal's row in
 * `terminals` is locked for the duration, so two servers (or two requests) handling the same terminal are
 * serialised and `last_mutation_id` stays exact.
 */
import { ENTITY_WRITE_LOCK, Rollback, withTransaction, type Pool, type PoolClient } from './db';
import { DEFAULT_APPROVAL_RP_ID, identityProblem, type Ctx } from './identity';
import { storableJson, storableText } from '../shared/text';
import { certificateAvailability, kodomoClaimCoverage, kokuhoClaimCoverage, type KokuhoShikaku } from '../shared/domain/availability';
import { kodomoDeliverySchema, kodomoShikakuApplicationSchema, kodomoShikakuLastDay, kodomoShikakuOn, type KodomoShikaku } from '../shared/domain/kodomo-shikaku';
import { formatWareki } from '../shared/domain/wareki';
import { isCertType, isTicketType, TICKET_KIND_OF_TYPE, TICKET_TYPES } from '../shared/domain/certificate-types';
import { findDuplicateTicket, ticketValidity, type ExistingTicket, type ShinryoKind } from '../shared/domain/seikatsu/ticket';
import { aidPeriodFor, type FlowRecord } from '../shared/domain/seikatsu/flows';
import { CLAIM_KINDS, type ClaimKind } from '../shared/domain/claims/claim-kinds';
import { PERSON_ENTITIES, PERSON_REFERENCE_FIELDS } from '../shared/domain/population';
import { fujoFlowProblem } from './fujo';
import { refreshPopulationIn } from './population';
import { publishedProfile } from './profiles';
import { refreshStaffPopulationIn } from './staff-population';
import { STAFF_ENTITIES, mayChangeStaffScope, type StaffEntity } from '../shared/sync/staff-scope';
import { ENTITY_SCOPE, JIMU_PARENT, SERVER_ONLY_ENTITIES, jimuOfPayload, scopeKey, validateEntityRecord, type TerminalScope } from '../shared/sync/scope';
import {
  CHECKSUM_MODULUS,
  LostMutationSchema,
  MutationSchema,
  SYNC_ENTITY_FIELDS,
  isSyncEntity,
  type Change,
  type ChecksumResponse,
  type Mutation,
  type MutationResult,
  type PullResponse,
  type PushRequest,
  type ResolveConflictRequest,
  type ResolveConflictResponse,
  type SyncEntity,
} from '../shared/sync/protocol';

// The lock every write that draws a server_seq takes (defined in db.ts, below every server module).
export { ENTITY_WRITE_LOCK } from './db';

/** `note` (kept in mutations.reason) says why an applied mutation did not follow the plain version rule. */
type Outcome = { status: 'applied'; note?: string } | { status: 'rejected'; reason: string; conflict?: ConflictInfo };

interface ConflictInfo {
  clientVersion: number | null;
  serverVersion: number | null;
  serverPayload: unknown;
}

interface StoredEntity {
  version: number;
  deleted: boolean;
  payload: Record<string, unknown>;
  municipality: string | null;
  jimu: string | null;
  owner_terminal: string | null;
}

/** The terminal a request speaks for, as its client certificate proves: ID and scope. */
export interface TerminalPeer {
  terminalId: string;
  scope: TerminalScope;
  /** The WebAuthn RP ID approvals are verified for (server/identity.ts); DEFAULT_APPROVAL_RP_ID when absent. */
  approvalRpId?: string;
}

const FORBIDDEN = 'forbidden: この端末の担当範囲（団体・事務）外の記録です';

/** Stored for a mutation the server lost (restore) that the terminal could no longer send (LostMutationSchema). */
export const LOST_REASON = 'lost: 中央サーバの復元で失われ、端末の保持期間も過ぎていたため再送できなかった変更です';

/** Bookkeeping fields of an edit, left out when asking whether the server's record already holds it. */
const BOOKKEEPING = new Set(['id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by']);

/** Whether the stored record already holds everything the edit sets (its deletion included). */
function containedIn(m: Mutation, stored: StoredEntity): boolean {
  const deletes = m.op === 'delete' || m.payload.deleted === 1 || m.payload.deleted === true;
  if (deletes !== stored.deleted) return false;
  return Object.entries(m.payload).every(([k, v]) => BOOKKEEPING.has(k) || k === 'deleted' || stored.payload[k] === v);
}

function inScope(peer: TerminalPeer, row: { municipality: string | null; jimu: string | null; owner_terminal: string | null }): boolean {
  return (
    row.municipality === peer.scope.municipality &&
    (row.jimu === null || (peer.scope.jimu as string[]).includes(row.jimu)) &&
    (row.owner_terminal === null || row.owner_terminal === peer.terminalId)
  );
}

/** The 事務 a record belongs to: from its own fields, or from the parent record it names. */
async function recordJimu(c: PoolClient, municipality: string, entity: string, merged: Record<string, unknown>, storedJimu: string | null | undefined): Promise<string | null> {
  if (!isSyncEntity(entity) || ENTITY_SCOPE[entity] !== 'jimu') return null;
  const own = jimuOfPayload(entity, merged);
  if (own) return own;
  const parent = JIMU_PARENT[entity];
  if (!parent) return storedJimu ?? null;
  const parentId = merged[parent.field];
  if (typeof parentId !== 'string') return null;
  const r = await c.query<{ jimu: string | null; municipality: string | null }>(
    'SELECT jimu, municipality FROM entities WHERE entity = $1 AND entity_id = $2',
    [parent.entity, parentId],
  );
  const row = r.rows[0];
  return row && row.municipality === municipality ? row.jimu : null;
}

/**
 * A new 国保 certificate or claim (or a claim whose input is corrected) against the person's 国保 資格 as imported on this server (kokuho_shikaku), with the
 * rules the terminal applies (shared/domain/availability): a certificate on its 交付日, a claim on its 診療月 or date.
 * Checked once the municipality has an applied 国保 資格 file: before that the server holds nothing to check against.
 */
async function kokuhoProblem(c: PoolClient, municipality: string, entity: SyncEntity, rec: Record<string, unknown>): Promise<string | null> {
  const kind = entity === 'certificates' ? rec.cert_type : entity === 'claims' ? rec.claim_kind : null;
  if (typeof kind !== 'string' || !kind.startsWith('kokuho_') || typeof rec.resident_id !== 'string') return null;
  const r = await c.query<{ atena_no: string | null; fed: boolean }>(
    `SELECT (SELECT payload->>'atena_no' FROM entities WHERE entity = 'residents' AND entity_id = $2 AND municipality = $1) AS atena_no,
            EXISTS (SELECT 1 FROM import_log WHERE interface = 'KOKUHO' AND municipality = $1 AND result = 'applied') AS fed`,
    [municipality, rec.resident_id],
  );
  const { atena_no: atena, fed } = r.rows[0]!;
  if (!fed) return null;
  const rows = atena
    ? (await c.query<{ insurer_no: string; symbol: string; number: string; branch: string; acquired_on: string; acquire_reason: string; lost_on: string | null; lose_reason: string | null; income_class: string | null }>(
        `SELECT insurer_no, symbol, number, branch, to_char(acquired_on, 'YYYY-MM-DD') AS acquired_on, acquire_reason,
                to_char(lost_on, 'YYYY-MM-DD') AS lost_on, lose_reason, income_class
         FROM kokuho_shikaku WHERE municipality = $1 AND atena_no = $2`,
        [municipality, atena],
      )).rows
    : [];
  const records: KokuhoShikaku[] = rows.map((k) => ({
    insurerNo: k.insurer_no, symbol: k.symbol, number: k.number, branch: k.branch, acquiredOn: k.acquired_on, acquireReason: k.acquire_reason,
    lostOn: k.lost_on, loseReason: k.lose_reason, incomeClass: k.income_class,
  }));
  if (entity === 'certificates') {
    const on = typeof rec.issue_date === 'string' ? rec.issue_date : typeof rec.valid_from === 'string' ? rec.valid_from : null;
    if (!on || !isCertType(kind)) return null;
    const offer = certificateAvailability(kind, { birthDate: '1900-01-01', kokuho: records, kodomo: [] }, on);
    return offer.available ? null : `invalid: ${offer.reason}`;
  }
  if (!(CLAIM_KINDS as readonly string[]).includes(kind)) return null;
  let input: unknown;
  try {
    input = typeof rec.input_json === 'string' ? JSON.parse(rec.input_json) : null;
  } catch {
    input = null;
  }
  const covered = kokuhoClaimCoverage(kind as ClaimKind, input, records);
  return covered.available ? null : `invalid: ${covered.reason}`;
}

/**
 * A new 生活保護の給付券 that duplicates a valid one already on this server — same recipient, month, 指定機関 and
 * 診療別, from any terminal of the municipality (seikatsu/ticket.ts findDuplicateTicket, the rule each terminal
 * applies to what it holds): the second is refused.
 */
async function ticketDuplicateProblem(c: PoolClient, municipality: string, entity: SyncEntity, rec: Record<string, unknown>): Promise<string | null> {
  if (entity !== 'certificates' || !isTicketType(rec.cert_type) || rec.status !== 'valid' || typeof rec.resident_id !== 'string') return null;
  const details = parseJson(rec.details_json) as { month?: string; institutionCode?: string; shinryo?: ShinryoKind } | null;
  if (!details?.month || !details.institutionCode || !details.shinryo) return null;
  const rows = await c.query<{ id: string; payload: Record<string, unknown> }>(
    `SELECT entity_id AS id, payload FROM entities WHERE entity = 'certificates' AND municipality = $1 AND NOT deleted
       AND payload->>'resident_id' = $2 AND payload->>'cert_type' = ANY($3::text[]) AND payload->>'status' = 'valid'`,
    [municipality, rec.resident_id, [...TICKET_TYPES]],
  );
  const existing: ExistingTicket[] = rows.rows.map((r) => {
    const d = (parseJson(r.payload.details_json) ?? {}) as { month?: string; institutionCode?: string; shinryo?: ShinryoKind };
    return { id: r.id, issueNo: String(r.payload.certificate_no ?? ''), status: 'valid', residentId: String(r.payload.resident_id), month: String(d.month), institutionCode: String(d.institutionCode), shinryo: d.shinryo as ShinryoKind };
  });
  const dup = findDuplicateTicket(existing, { residentId: rec.resident_id, month: details.month, institutionCode: details.institutionCode, shinryo: details.shinryo });
  return dup ? `invalid: ${dup.message}` : null;
}

/**
 * A new 生活保護の給付券 outside the 扶助 the server holds: the server decides, from its own copy of the person's
 * 扶助 flows (entity fujo_flows, each version verified on push by server/fujo.ts), with the rule the terminal
 * issues by (seikatsu/flows.ts aidPeriodFor): a flow of the ticket's 扶助 of the same municipality and resident,
 * decided 開始 (介護券: its 居宅介護支援計画 received), whose 扶助開始日 is the ticket's and whose period — with
 * the server's 廃止日 — covers the ticket's month (seikatsu/ticket.ts ticketValidity). A ticket for a month after a
 * 廃止 the server already holds is refused even when the terminal issued it offline. The flow pushed before the
 * ticket in the same push counts (each mutation is applied, and committed, in the outbox's order).
 */
async function ticketFlowProblem(c: PoolClient, municipality: string, entity: SyncEntity, rec: Record<string, unknown>): Promise<string | null> {
  if (entity !== 'certificates' || !isTicketType(rec.cert_type) || rec.status !== 'valid' || typeof rec.resident_id !== 'string') return null;
  const kind = TICKET_KIND_OF_TYPE[rec.cert_type];
  // The details were checked by validateEntityRecord (shared/domain/certificate-types.ts ticketRecordProblem).
  const details = parseJson(rec.details_json) as { month?: unknown; aidStartOn?: unknown } | null;
  if (typeof details?.month !== 'string' || typeof details.aidStartOn !== 'string') return `invalid: ${kind}の対象年月または扶助開始日がありません`;
  const rows = await c.query<{ record_json: unknown }>(
    `SELECT payload->'record_json' AS record_json FROM entities WHERE entity = 'fujo_flows' AND municipality = $1 AND NOT deleted AND payload->>'resident_id' = $2`,
    [municipality, rec.resident_id],
  );
  const flows = rows.rows
    .map((r) => parseJson(r.record_json) as FlowRecord | null)
    .filter((f): f is FlowRecord => !!f && typeof f === 'object' && f.residentId === rec.resident_id && !!f.facts && typeof f.facts === 'object');
  const p = aidPeriodFor(flows, kind, details.month, details.aidStartOn);
  if (!p.ok) return `invalid: 中央サーバの扶助の記録では、${p.message}`;
  const v = ticketValidity(details.month, p.aidStartOn, p.abolishedOn);
  return v.ok ? null : `invalid: 中央サーバの扶助の記録では、${kind}: ${v.message}`;
}

/**
 * The numbers on a new 生活保護の給付券, as the server knows them: the 公費負担者番号 is the 福祉事務所's in the
 * municipality's published profile (`seikatsu.publicPayerNo`, when it has one), and a 受給者番号 belongs to one person —
 * the same person keeps theirs on every 券 and nobody else's is reused (terminals number them from leased blocks;
 * a typed one could collide).
 */
async function ticketNumberProblem(c: PoolClient, municipality: string, entity: SyncEntity, rec: Record<string, unknown>): Promise<string | null> {
  if (entity !== 'certificates' || !isTicketType(rec.cert_type) || rec.status !== 'valid' || typeof rec.resident_id !== 'string') return null;
  const kind = TICKET_KIND_OF_TYPE[rec.cert_type];
  const details = parseJson(rec.details_json) as { publicPayerNo?: unknown; recipientNo?: unknown } | null;
  if (typeof details?.publicPayerNo !== 'string' || typeof details.recipientNo !== 'string') return `invalid: ${kind}の公費負担者番号または受給者番号がありません`;
  const profile = await publishedProfile(c, municipality);
  if (profile?.seikatsu && details.publicPayerNo !== profile.seikatsu.publicPayerNo) {
    return `invalid: ${kind}の公費負担者番号が、この団体のルールプロファイルの生活保護の公費負担者番号（${profile.seikatsu.publicPayerNo}）と違います`;
  }
  const rows = await c.query<{ resident_id: string; recipient_no: string }>(
    `SELECT DISTINCT payload->>'resident_id' AS resident_id, (payload->>'details_json')::jsonb->>'recipientNo' AS recipient_no
       FROM entities WHERE entity = 'certificates' AND municipality = $1 AND NOT deleted AND payload->>'cert_type' = ANY($2::text[])
        AND (payload->>'resident_id' = $3 OR (payload->>'details_json')::jsonb->>'recipientNo' = $4)`,
    [municipality, [...TICKET_TYPES], rec.resident_id, details.recipientNo],
  );
  const own = rows.rows.find((r) => r.resident_id === rec.resident_id && r.recipient_no !== details.recipientNo);
  if (own) return `invalid: この方の受給者番号は ${own.recipient_no} です（中央サーバにある券の番号）。別の番号の${kind}は受け付けません`;
  if (rows.rows.some((r) => r.resident_id !== rec.resident_id)) return `invalid: 受給者番号 ${details.recipientNo} は別の方の券に使われています`;
  return null;
}

/** The fields of a こども 受給資格 a terminal may change after its 認定: the 喪失 (日, 事由, 届出日). */
const KODOMO_LOSS_FIELDS = new Set(['lost_on', 'lose_reason', 'lose_notified_on']);

/** The fields of a こども 受給資格, for staff. */
const KODOMO_FIELD_LABELS: Readonly<Record<string, string>> = {
  resident_id: '住民', atena_no: '宛名番号', claim_id: '交付申請', guardian_id: '保護者', acquired_on: '資格取得日', acquire_reason: '資格取得の事由',
  insurer_name: '主保険', insurance_kind: '主保険', insured_relation: '主保険', insurance_symbol: '主保険', insurance_number: '主保険', insurance_branch: '主保険',
  delivery_json: '交付方法',
};

const parseJson = (v: unknown): unknown => {
  try {
    return typeof v === 'string' ? JSON.parse(v) : null;
  } catch {
    return null;
  }
};

/**
 * A こども 受給資格 (kodomo_shikaku) as a terminal pushes it. The server decides: a new record stands only for a
 * 交付申請 the server holds (the claim it names, of the same municipality and child) that is 決裁済み with 認定, whose
 * input (取得日・事由, 保護者, 主保険, 交付方法) the record repeats as the terminal's 認定 writes it
 * (electron/core/claims/kodomo-shikaku-service.ts certify), and that no other record names. After that only the
 * 喪失 may change; a deletion is refused.
 */
async function kodomoShikakuProblem(c: PoolClient, municipality: string, op: 'insert' | 'update' | 'delete', stored: StoredEntity | undefined, rec: Record<string, unknown>): Promise<string | null> {
  if (op !== 'insert') {
    if (op === 'delete') return 'invalid: こども医療費の受給資格は削除できません（喪失を登録してください）';
    const changed = Object.keys(rec).filter((k) => !BOOKKEEPING.has(k) && !KODOMO_LOSS_FIELDS.has(k) && (stored?.payload[k] ?? null) !== (rec[k] ?? null));
    const labels = [...new Set(changed.map((k) => KODOMO_FIELD_LABELS[k] ?? k))];
    return changed.length ? `invalid: こども医療費の受給資格は認定後に喪失（喪失日・事由・届出日）のほかは変更できません（${labels.join('・')}）` : null;
  }
  const r = await c.query<{ payload: Record<string, unknown>; deleted: boolean; atena: string | null; taken: boolean }>(
    `SELECT e.payload, e.deleted,
            (SELECT payload->>'atena_no' FROM entities WHERE entity = 'residents' AND entity_id = $3 AND municipality = $1) AS atena,
            EXISTS (SELECT 1 FROM entities k WHERE k.entity = 'kodomo_shikaku' AND NOT k.deleted AND k.payload->>'claim_id' = $2 AND k.entity_id <> $4) AS taken
     FROM entities e WHERE e.entity = 'claims' AND e.entity_id = $2 AND e.municipality = $1`,
    [municipality, rec.claim_id, rec.resident_id, rec.id],
  );
  const claim = r.rows[0];
  if (!claim || claim.deleted) return 'invalid: 受給資格の交付申請（請求）が中央サーバにありません。認定された交付申請のない受給資格は登録できません';
  const p = claim.payload;
  if (p.claim_kind !== 'kodomo_shikaku') return 'invalid: 受給資格が指す請求はこども医療費 受給資格の交付申請ではありません';
  if (p.resident_id !== rec.resident_id) return 'invalid: 受給資格の住民が交付申請の住民と一致しません';
  if (p.state !== 'decided' || p.decision !== '認定') return 'invalid: 交付申請が認定されていません（決裁で認定された交付申請にのみ受給資格を登録できます）';
  if (claim.atena !== null && claim.atena !== rec.atena_no) return 'invalid: 受給資格の宛名番号が住民記録と一致しません';
  if (claim.taken) return 'invalid: この交付申請の受給資格はすでに登録されています';
  const input = kodomoShikakuApplicationSchema.safeParse(parseJson(p.input_json));
  if (!input.success) return 'invalid: 交付申請の入力内容を読み取れません';
  const v = input.data;
  const delivery = kodomoDeliverySchema.safeParse(parseJson(rec.delivery_json));
  const differ = [
    rec.acquired_on !== v.acquiredOn && '資格取得日',
    rec.acquire_reason !== v.acquireReason && '資格取得の事由',
    rec.guardian_id !== v.guardianId && '保護者',
    (rec.insurer_name !== v.insurance.insurerName || rec.insurance_kind !== v.insurance.kind || rec.insured_relation !== v.insurance.relation ||
      rec.insurance_symbol !== v.insurance.symbol || rec.insurance_number !== v.insurance.number || rec.insurance_branch !== v.insurance.branch) && '主保険',
    (!delivery.success || JSON.stringify(delivery.data) !== JSON.stringify(v.delivery)) && '交付方法',
  ].filter((x): x is string => typeof x === 'string');
  return differ.length ? `invalid: 受給資格の${differ.join('・')}が認定された交付申請と一致しません` : null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A kodomo_shikaku entity's payload (its synced fields) as the rules read it. */
function kodomoFromPayload(p: Record<string, unknown>, birthDate: string): KodomoShikaku {
  return {
    id: String(p.id), birthDate, acquiredOn: String(p.acquired_on), acquireReason: String(p.acquire_reason), guardianId: str(p.guardian_id),
    lostOn: str(p.lost_on), loseReason: str(p.lose_reason), loseNotifiedOn: str(p.lose_notified_on),
  };
}

/**
 * A new こども医療証 or a こども医療費 償還 (or a 訂正 of its input) against the child's 受給資格 held on this server,
 * with the rules the terminal applies (shared/domain): the 医療証 on its 交付日 and its 有効期限 not after the 資格's
 * last day; each 診療月 of a claim within a 資格. Checked once the municipality has a 受給資格 on the server: before
 * that (the old world, 資格 kept on paper) the server holds nothing to check against.
 */
async function kodomoProblem(c: PoolClient, municipality: string, entity: SyncEntity, rec: Record<string, unknown>): Promise<string | null> {
  const kind = entity === 'certificates' ? rec.cert_type : entity === 'claims' ? rec.claim_kind : null;
  if ((kind !== 'kodomo' && kind !== 'kodomo_shokan') || typeof rec.resident_id !== 'string') return null;
  const r = await c.query<{ birth: string | null; fed: boolean }>(
    `SELECT (SELECT payload->>'birth_date' FROM entities WHERE entity = 'residents' AND entity_id = $2 AND municipality = $1) AS birth,
            EXISTS (SELECT 1 FROM entities WHERE entity = 'kodomo_shikaku' AND municipality = $1) AS fed`,
    [municipality, rec.resident_id],
  );
  const { birth, fed } = r.rows[0]!;
  if (!fed) return null;
  if (!birth) return 'invalid: 住民記録（生年月日）が中央サーバにないため、こども医療費の受給資格を確かめられません';
  const rows = await c.query<{ payload: Record<string, unknown> }>(
    `SELECT payload FROM entities WHERE entity = 'kodomo_shikaku' AND municipality = $1 AND NOT deleted AND payload->>'resident_id' = $2`,
    [municipality, rec.resident_id],
  );
  const records = rows.rows.map((k) => kodomoFromPayload(k.payload, birth));
  if (entity === 'certificates') {
    const on = typeof rec.issue_date === 'string' ? rec.issue_date : typeof rec.valid_from === 'string' ? rec.valid_from : null;
    if (!on) return null;
    const offer = certificateAvailability('kodomo', { birthDate: birth, kokuho: [], kodomo: records }, on);
    if (!offer.available) return `invalid: ${offer.reason}`;
    const last = kodomoShikakuLastDay(kodomoShikakuOn(records, on)!);
    return typeof rec.valid_to === 'string' && rec.valid_to > last
      ? `invalid: 有効期限（${formatWareki(rec.valid_to)}）が受給資格の最終日（${formatWareki(last)}）を過ぎています`
      : null;
  }
  const covered = kodomoClaimCoverage('kodomo_shokan', parseJson(rec.input_json), records);
  return covered.available ? null : `invalid: ${covered.reason}`;
}

/** Checks a mutation against the protocol and the entity whitelist; returns a reason when it is refused. */
export function validateMutation(raw: unknown): { ok: true; mutation: Mutation } | { ok: false; reason: string } {
  const parsed = MutationSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return { ok: false, reason: `invalid: ${first ? `${first.path.join('.') || '(mutation)'}: ${first.message}` : 'malformed'}` };
  }
  const m = parsed.data;
  if (!isSyncEntity(m.entity)) return { ok: false, reason: `unknown entity: ${m.entity}` };
  const allowed = SYNC_ENTITY_FIELDS[m.entity];
  const unknown = Object.keys(m.payload).filter((k) => !allowed.includes(k));
  if (unknown.length) return { ok: false, reason: `unknown fields for ${m.entity}: ${unknown.join(', ')}` };
  const version = m.payload.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { ok: false, reason: 'invalid: payload.version must be a positive integer' };
  }
  if (m.op === 'insert' && version !== 1) return { ok: false, reason: 'invalid: an insert must carry version 1' };
  if (m.op !== 'insert' && version < 2) return { ok: false, reason: `invalid: an ${m.op} must carry version >= 2` };
  if ('id' in m.payload && m.payload.id !== m.entityId) return { ok: false, reason: 'invalid: payload.id differs from entityId' };
  return { ok: true, mutation: m };
}

/**
 * Why the server refuses to change a record it holds, or null: the one judgement of an update or a delete, whether
 * a terminal pushes it or a supervisor applies a terminal's edit by resolving its conflict. `rec` is the record as
 * it would be stored, `sent` the fields the change carries. Form and 事務 are checked by each caller before this.
 */
async function updateProblem(
  identity: Ctx, entity: SyncEntity, entityId: string, stored: StoredEntity, rec: Record<string, unknown>, sent: Record<string, unknown>, deleted: boolean, now: Date,
): Promise<string | null> {
  const municipality = identity.scope.municipality;
  // A 訂正 of a claim's input (its 診療月 …) meets the 資格 again.
  const outside = !deleted && entity === 'claims' && 'input_json' in sent
    ? (await kokuhoProblem(identity.c, municipality, entity, rec)) ?? (await kodomoProblem(identity.c, municipality, entity, rec))
    // A こども 受給資格 changes by its 喪失 only.
    : entity === 'kodomo_shikaku' ? await kodomoShikakuProblem(identity.c, municipality, deleted ? 'delete' : 'update', stored, rec)
      // A 扶助 flow: its history replayed through the state machine with the server's own grants (server/fujo.ts).
      : entity === 'fujo_flows' ? await fujoFlowProblem(identity, entityId, stored.payload, rec, deleted, now) : null;
  // Staff, their grants and authenticators: only what the server's rules allow this terminal (server/identity.ts).
  return outside ?? (await identityProblem(identity, entity, entityId, deleted ? 'delete' : 'update', stored.payload, rec, sent));
}

async function applyMutation(c: PoolClient, peer: TerminalPeer, m: Mutation, now: Date): Promise<Outcome> {
  const terminalId = peer.terminalId;
  await c.query('SELECT pg_advisory_xact_lock($1)', [ENTITY_WRITE_LOCK]);
  const cur = await c.query<StoredEntity>(
    'SELECT version, deleted, payload, municipality, jimu, owner_terminal FROM entities WHERE entity = $1 AND entity_id = $2 FOR UPDATE',
    [m.entity, m.entityId],
  );
  const stored = cur.rows[0];
  const serverOnly = SERVER_ONLY_ENTITIES[m.entity as SyncEntity];
  if (serverOnly) return { status: 'rejected', reason: `forbidden: ${serverOnly}` };
  // A record outside the terminal's scope is neither shown nor changed (its payload is not put in a conflict).
  if (stored && !inScope(peer, stored)) return { status: 'rejected', reason: FORBIDDEN };
  const entity = m.entity as SyncEntity;
  const check = async (merged: Record<string, unknown>): Promise<Outcome | { jimu: string | null }> => {
    const problems = validateEntityRecord(entity, merged);
    if (problems.length) return { status: 'rejected', reason: `invalid: ${problems.join('、')}` };
    const jimu = await recordJimu(c, peer.scope.municipality, m.entity, merged, stored?.jimu);
    if (ENTITY_SCOPE[entity] === 'jimu') {
      if (!jimu) return { status: 'rejected', reason: 'invalid: 記録の事務を決められません' };
      if (!(peer.scope.jimu as string[]).includes(jimu)) return { status: 'rejected', reason: FORBIDDEN };
    }
    return { jimu };
  };
  const clientVersion = m.payload.version as number;
  const conflict = (why: string): Outcome => ({
    status: 'rejected',
    reason: `conflict: ${why}`,
    conflict: { clientVersion, serverVersion: stored?.version ?? null, serverPayload: stored?.payload ?? null },
  });

  const identity = { c, scope: { ...peer.scope, terminalId }, rpId: peer.approvalRpId ?? DEFAULT_APPROVAL_RP_ID };
  if (m.op === 'insert') {
    if (stored) return conflict('record already exists');
    const payload = { ...m.payload, id: m.entityId, deleted: 0 };
    const ok = await check(payload);
    if ('status' in ok) return ok;
    const outside = (await kokuhoProblem(c, peer.scope.municipality, entity, payload)) ?? (await kodomoProblem(c, peer.scope.municipality, entity, payload))
      ?? (entity === 'kodomo_shikaku' ? await kodomoShikakuProblem(c, peer.scope.municipality, 'insert', undefined, payload) : null)
      ?? (entity === 'fujo_flows' ? await fujoFlowProblem(identity, m.entityId, null, payload, false, now) : null)
      ?? (await ticketDuplicateProblem(c, peer.scope.municipality, entity, payload))
      ?? (await ticketFlowProblem(c, peer.scope.municipality, entity, payload))
      ?? (await ticketNumberProblem(c, peer.scope.municipality, entity, payload));
    if (outside) return { status: 'rejected', reason: outside };
    const refused = await identityProblem(identity, m.entity, m.entityId, 'insert', null, payload, m.payload);
    if (refused) return { status: 'rejected', reason: refused };
    await c.query(
      `INSERT INTO entities (entity, entity_id, version, payload, updated_by_terminal, deleted, municipality, jimu, owner_terminal)
       VALUES ($1, $2, 1, $3, $4, false, $5, $6, $7)`,
      [m.entity, m.entityId, JSON.stringify(payload), terminalId, peer.scope.municipality, ok.jimu,
        ENTITY_SCOPE[entity] === 'terminal' ? terminalId : null],
    );
    return { status: 'applied' };
  }
  // Restore rules (docs/sync-protocol.md §10, version rules for replays). A replay edits a record another terminal has not sent
  // back yet: kept for a supervisor rather than refused, so the edit can be applied once the record is back.
  if (!stored) return m.replay ? conflict('record not on the server (its database was restored; not sent back yet)') : { status: 'rejected', reason: 'not_found: no such record on the server' };
  const base = clientVersion - 1;
  // A replay the server's record already holds (a later replay, sent whole, was built on it) is not a conflict.
  if (m.replay && base < stored.version && containedIn(m, stored)) return { status: 'applied', note: `replay: already held by version ${stored.version}` };
  if (stored.deleted) return conflict('record was deleted');
  if (base < stored.version) return conflict(`based on version ${base}, server has ${stored.version}`);
  // A base the server does not hold (its database was restored from an older backup): nobody's edit on the
  // server is overwritten, since the server never had the version the edit was built on.
  const note = base > stored.version ? `restore: based on version ${base}, server had ${stored.version}` : undefined;
  // The terminal soft-deletes with an update setting deleted = 1 (electron/core/db/records.ts); op 'delete' is the same.
  const deleted = m.op === 'delete' || m.payload.deleted === 1 || m.payload.deleted === true;
  // An update carries the changed fields (or the whole row); fields it does not name keep their value.
  const payload = { ...stored.payload, ...m.payload, id: m.entityId, deleted: deleted ? 1 : 0 };
  const ok = deleted ? { jimu: stored.jimu } : await check(payload);
  if ('status' in ok) return ok;
  const refused = await updateProblem(identity, entity, m.entityId, stored, payload, m.payload, deleted, now);
  if (refused) return { status: 'rejected', reason: refused };
  await c.query(
    `UPDATE entities SET version = $3, payload = $4, deleted = $5, updated_by_terminal = $6, jimu = $7,
            server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq')), updated_at = now()
     WHERE entity = $1 AND entity_id = $2`,
    [m.entity, m.entityId, clientVersion, JSON.stringify(payload), deleted, terminalId, ok.jimu ?? stored.jimu],
  );
  return note ? { status: 'applied', note } : { status: 'applied' };
}

function rawField(raw: unknown, key: string): unknown {
  return raw && typeof raw === 'object' ? (raw as Record<string, unknown>)[key] : undefined;
}

/** SQLSTATE of a PostgreSQL error (five characters), or null for anything else. */
export function sqlState(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/**
 * Whether a database error says something about this mutation's data rather than about the server: a data
 * exception (class 22: U+0000 in JSONB, a value out of range …), an integrity constraint (23) or a program limit
 * (54: a row or value too large). Those are the same every time the mutation is sent, so the mutation is stored as
 * rejected and the batch goes on. Anything else (a lost connection, a deadlock, a timeout, a missing table) may
 * pass: the request fails (5xx) and the terminal sends the batch again.
 */
export function isMutationDataError(err: unknown): boolean {
  const state = sqlState(err);
  return state !== null && ['22', '23', '54'].includes(state.slice(0, 2));
}

/** What the server logs of an error: its kind and SQLSTATE, never its message, detail, where or parameters. */
export function errorSummary(err: unknown): { type: string; code?: string } {
  const type = err instanceof Error ? err.name : typeof err;
  // A SQLSTATE, or a Node error code (ECONNRESET …): short, and never data.
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? { type, code } : { type };
}

/** Where push reports what it did not let through (server/app.ts passes the request's logger). */
export interface PushLog {
  warn(obj: Record<string, unknown>, msg: string): void;
}

/** Reason stored for a mutation the database refused (its SQLSTATE only: the error text may quote the row). */
export function databaseRejection(err: unknown): string {
  return `invalid: 中央サーバのデータベースがこの変更を保存できませんでした（SQLSTATE ${sqlState(err) ?? '不明'}）`;
}

/**
 * Handles one push batch for `terminalId` (already checked against the client certificate). Mutations are
 * handled in order, each in its own transaction. Inside it, the mutation's own writes run under a savepoint:
 * a database error about the mutation's data (isMutationDataError) rolls back to it and stores the mutation as
 * rejected (its SQLSTATE as the reason), so one bad mutation never stops the batch or the terminal's queue.
 * Any other database error aborts the batch (the caller answers 5xx; what was committed stays committed and is
 * reported as 'duplicate' on retry).
 */
export async function push(pool: Pool, peer: TerminalPeer, req: PushRequest, now: Date, log?: PushLog): Promise<{ lastMutationId: number; results: MutationResult[] }> {
  const terminalId = peer.terminalId;
  const results: MutationResult[] = [];
  let gapAt: number | null = null;
  let lastMutationId = 0;
  const c = await pool.connect();
  let broken: Error | undefined;
  // A connection killed between two queries (failover, pg_terminate_backend) emits 'error' on the checked-out
  // client; without a listener that would crash the process. The next query fails and aborts the batch.
  const onClientError = (err: Error): void => {
    broken = err;
  };
  c.on('error', onClientError);
  /** The mutation's row in `mutations` (and its conflict), as decided. */
  const record = async (mutationId: number, raw: unknown, m: Mutation | null, outcome: Outcome): Promise<void> => {
    const keepUuid = m !== null && !(outcome.status === 'rejected' && outcome.reason.startsWith('invalid: clientUuid'));
    const rawEntity = rawField(raw, 'entity');
    await c.query(
      `INSERT INTO mutations (terminal_id, mutation_id, client_uuid, entity, entity_id, op, payload, status, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        terminalId,
        mutationId,
        keepUuid ? m!.clientUuid : null,
        m?.entity ?? (typeof rawEntity === 'string' ? storableText(rawEntity.slice(0, 64)) : null),
        m?.entityId ?? null,
        m?.op ?? null,
        // A refused mutation is kept as sent, made storable (U+0000 and lone surrogates cannot go into JSONB).
        JSON.stringify(m ? m.payload : storableJson(raw)),
        outcome.status,
        outcome.status === 'rejected' ? outcome.reason : (outcome.note ?? null),
      ],
    );
    if (outcome.status === 'rejected' && outcome.conflict && m) {
      await c.query(
        `INSERT INTO conflicts (terminal_id, mutation_id, entity, entity_id, op, client_version, server_version,
                                client_payload, server_payload)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          terminalId, mutationId, m.entity, m.entityId, m.op, outcome.conflict.clientVersion,
          outcome.conflict.serverVersion, JSON.stringify(m.payload),
          outcome.conflict.serverPayload === null ? null : JSON.stringify(outcome.conflict.serverPayload),
        ],
      );
    }
  };
  try {
    await c.query('INSERT INTO terminals (terminal_id) VALUES ($1) ON CONFLICT (terminal_id) DO NOTHING', [terminalId]);
    for (const raw of req.mutations) {
      const mutationId = raw.mutationId;
      if (gapAt !== null) {
        results.push({ mutationId, status: 'gap', reason: `after gap at ${gapAt}` });
        continue;
      }
      await c.query('BEGIN');
      try {
        const t = await c.query<{ last: string }>(
          'SELECT last_mutation_id AS last FROM terminals WHERE terminal_id = $1 FOR UPDATE',
          [terminalId],
        );
        const last = Number(t.rows[0]!.last);
        lastMutationId = last;
        if (mutationId <= last) {
          // Idempotent replay, but only of the same mutation: an ID reused for a different clientUuid means the
          // terminal's outbox numbering was reset (restore, reinstall). Answering 'duplicate' would make the
          // terminal drop a mutation the server never saw, so refuse it loudly instead (operator action).
          const prev = await c.query<{ client_uuid: string | null }>(
            'SELECT client_uuid FROM mutations WHERE terminal_id = $1 AND mutation_id = $2',
            [terminalId, mutationId],
          );
          await c.query('ROLLBACK');
          const stored = prev.rows[0]?.client_uuid ?? null;
          const sent = rawField(raw, 'clientUuid');
          if (stored !== null && typeof sent === 'string' && sent.toLowerCase() !== stored) {
            results.push({ mutationId, status: 'rejected', reason: `id_reused: mutationId ${mutationId} was already used for another mutation` });
          } else {
            results.push({ mutationId, status: 'duplicate' });
          }
          continue;
        }
        if (mutationId > last + 1) {
          await c.query('ROLLBACK');
          gapAt = mutationId;
          results.push({ mutationId, status: 'gap', reason: `expected ${last + 1}` });
          continue;
        }
        const v = validateMutation(raw);
        let outcome: Outcome;
        let m: Mutation | null = null;
        await c.query('SAVEPOINT mutation');
        try {
          if (LostMutationSchema.safeParse(raw).success) {
            // The terminal declares this mutation lost (restore + its retention): recorded, and the queue goes on.
            outcome = { status: 'rejected', reason: LOST_REASON };
          } else if (!v.ok) {
            outcome = { status: 'rejected', reason: v.reason };
          } else {
            m = v.mutation;
            const dup = await c.query('SELECT 1 FROM mutations WHERE client_uuid = $1', [m.clientUuid]);
            outcome = dup.rowCount
              ? { status: 'rejected', reason: 'invalid: clientUuid already used by another mutation' }
              : await applyMutation(c, peer, m, now);
            if (outcome.status === 'applied') await followPopulation(c, peer, m, now);
          }
          await record(mutationId, raw, m, outcome);
        } catch (err) {
          if (!isMutationDataError(err)) throw err;
          // The database refused this mutation's data: undo its writes, keep it as rejected, go on with the batch.
          await c.query('ROLLBACK TO SAVEPOINT mutation');
          log?.warn({ terminalId, mutationId, err: errorSummary(err) }, 'mutation refused by the database; stored as rejected');
          outcome = { status: 'rejected', reason: databaseRejection(err) };
          try {
            await record(mutationId, raw, null, outcome);
          } catch (again) {
            // Even the mutation as sent cannot be kept (too large …): its number and reason are.
            if (!isMutationDataError(again)) throw again;
            await c.query('ROLLBACK TO SAVEPOINT mutation');
            await record(mutationId, {}, null, outcome);
          }
        }
        await c.query('UPDATE terminals SET last_mutation_id = $2, last_push_at = now() WHERE terminal_id = $1', [terminalId, mutationId]);
        await c.query('COMMIT');
        lastMutationId = mutationId;
        results.push(
          outcome.status === 'applied'
            ? { mutationId, status: 'applied' }
            : { mutationId, status: 'rejected', reason: outcome.reason },
        );
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    }
  } catch (err) {
    broken = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    // A connection that failed mid-batch is discarded rather than returned to the pool.
    c.off('error', onClientError);
    c.release(broken);
  }
  return { lastMutationId, results };
}

/**
 * After an applied mutation: the people its record names (a resident, a link's ends, a record's 対象者/申請者/保護者)
 * may have entered a population (server/population.ts); they are looked at again in the same transaction. When
 * someone entered, the record's own server_seq is drawn again after theirs, so a terminal that newly holds the person
 * receives the person before the record that refers to them.
 */
async function followPopulation(c: PoolClient, peer: TerminalPeer, m: Mutation, now: Date): Promise<void> {
  const row = (await c.query<{ payload: Record<string, unknown>; jimu: string | null }>('SELECT payload, jimu FROM entities WHERE entity = $1 AND entity_id = $2', [m.entity, m.entityId])).rows[0];
  if (!row) return;
  if ((STAFF_ENTITIES as readonly string[]).includes(m.entity)) {
    // An identity record: where its member of staff (and whoever waits for them as 所属長) goes is looked at again,
    // unless the change cannot move anything (an authenticator's counter at each login, a failed login count).
    const moves = mayChangeStaffScope(m.entity as StaffEntity, m.op, Object.keys(m.payload));
    if (moves && typeof row.payload.staff_id === 'string') await refreshStaffPopulationIn(c, peer.scope.municipality, now, [row.payload.staff_id]);
    return;
  }
  const person = (PERSON_ENTITIES as readonly string[]).includes(m.entity);
  if (!person && row.jimu === null) return;
  const refs = new Set<string>(m.entity === 'residents' ? [m.entityId] : []);
  for (const f of [...PERSON_REFERENCE_FIELDS, 'child_id']) if (typeof row.payload[f] === 'string') refs.add(row.payload[f] as string);
  if (refs.size === 0) return;
  if (!person) {
    const held = await c.query<{ n: string }>('SELECT count(*) AS n FROM population WHERE municipality = $1 AND jimu = $2 AND resident_id = ANY($3::text[])', [peer.scope.municipality, row.jimu, [...refs]]);
    if (Number(held.rows[0]!.n) === refs.size) return; // the usual case: everyone named is already held
  }
  const r = await refreshPopulationIn(c, peer.scope.municipality, now, [...refs]);
  if (r.touched > 0 && !person) {
    await c.query(`UPDATE entities SET server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq')) WHERE entity = $1 AND entity_id = $2`, [m.entity, m.entityId]);
  }
}

/** The highest mutationId the server holds for `terminalId` (0: none): where its next push must start. */
export async function pushState(pool: Pool, terminalId: string): Promise<number> {
  const r = await pool.query<{ last: string }>('SELECT last_mutation_id AS last FROM terminals WHERE terminal_id = $1', [terminalId]);
  return Number(r.rows[0]?.last ?? 0);
}

/** What became of a supervisor's decision on a conflict (server/app.ts maps it to 200/404/409/422). */
export type ResolveOutcome =
  | { status: 'resolved'; body: ResolveConflictResponse }
  | { status: 'not_found' }
  | { status: 'already_resolved'; resolvedAt: string; resolvedBy: string | null }
  | { status: 'rejected'; reason: string };

/** Bookkeeping fields of the terminal's edit that are not copied when it is applied by a supervisor. */
const NOT_APPLIED = new Set(['id', 'version', 'deleted', 'created_at', 'created_by', 'updated_at', 'updated_by']);

/**
 * A supervisor's decision on an open conflict, asked for by `peer` (the conflict's record must be in its
 * municipality, as for the list). `keep_server` only marks the conflict resolved. `apply_terminal` writes the
 * terminal's edited fields over the CURRENT server record as a new version (version + 1, a new server_seq, the
 * same shared/domain validation as a push), in one transaction with the entity write lock, and marks the
 * conflict resolved. The conflict row keeps both payloads either way; a resolved conflict is not decided again.
 */
export async function resolveConflict(pool: Pool, peer: TerminalPeer, conflictId: number, req: ResolveConflictRequest, now: Date): Promise<ResolveOutcome> {
  return withTransaction<ResolveOutcome>(pool, async (c) => {
    const outcome = await decide(c, peer, conflictId, req, now);
    return outcome.status === 'resolved' ? outcome : new Rollback(outcome);
  });
}

async function decide(c: PoolClient, peer: TerminalPeer, conflictId: number, req: ResolveConflictRequest, now: Date): Promise<ResolveOutcome> {
  // Same lock order as a push (entity write lock, then rows), so the two never deadlock.
  if (req.resolution === 'apply_terminal') await c.query('SELECT pg_advisory_xact_lock($1)', [ENTITY_WRITE_LOCK]);
  const cf = await c.query<{
    entity: string; entity_id: string; op: string; client_payload: Record<string, unknown>; resolved_at: Date | null; resolved_by: string | null;
  }>(
    `SELECT c.entity, c.entity_id, c.op, c.client_payload, c.resolved_at, c.resolved_by
     FROM conflicts c JOIN entities e ON e.entity = c.entity AND e.entity_id = c.entity_id
     WHERE c.conflict_id = $1 AND ${scopeSql('e', 2, peer.scope.admin === true)} FOR UPDATE OF c`,
    [conflictId, ...scopeParams(peer)],
  );
  const conflict = cf.rows[0];
  if (!conflict) return { status: 'not_found' };
  if (conflict.resolved_at) return { status: 'already_resolved', resolvedAt: new Date(conflict.resolved_at).toISOString(), resolvedBy: conflict.resolved_by };
  const cur = await c.query<StoredEntity>(
    'SELECT version, deleted, payload, municipality, jimu, owner_terminal FROM entities WHERE entity = $1 AND entity_id = $2 FOR UPDATE',
    [conflict.entity, conflict.entity_id],
  );
  const stored = cur.rows[0]!;
  let version = stored.version;
  let text = `keep_server: ${req.reason}`;
  if (req.resolution === 'apply_terminal') {
    if (!isSyncEntity(conflict.entity)) return { status: 'rejected', reason: `unknown entity: ${conflict.entity}` };
    const entity: SyncEntity = conflict.entity;
    if (stored.deleted) return { status: 'rejected', reason: 'conflict: この記録は中央サーバで削除されています。端末の変更は適用できません' };
    const client = conflict.client_payload;
    const deleted = conflict.op === 'delete' || client.deleted === 1 || client.deleted === true;
    const fields = Object.fromEntries(Object.entries(client).filter(([k]) => !NOT_APPLIED.has(k)));
    version = stored.version + 1;
    const payload = {
      ...stored.payload, ...fields, id: conflict.entity_id, version, deleted: deleted ? 1 : 0,
      updated_at: now.toISOString(), updated_by: req.staffId,
    };
    // Judged as the same change pushed by the resolving terminal would be (a 受給資格's 喪失, a 扶助 flow's history,
    // a claim's 資格, an identity record's rules).
    const identity = { c, scope: { ...peer.scope, terminalId: peer.terminalId }, rpId: peer.approvalRpId ?? DEFAULT_APPROVAL_RP_ID };
    const refused = await updateProblem(identity, entity, conflict.entity_id, stored, payload, fields, deleted, now);
    if (refused) return { status: 'rejected', reason: refused };
    if (!deleted) {
      const problems = validateEntityRecord(entity, payload);
      if (problems.length) return { status: 'rejected', reason: `invalid: ${problems.join('、')}` };
      if (ENTITY_SCOPE[entity] === 'jimu') {
        const jimu = await recordJimu(c, peer.scope.municipality, entity, payload, stored.jimu);
        // Moving a record to another 事務 would take it away from the terminals that hold it: not by resolution.
        if (jimu !== stored.jimu) return { status: 'rejected', reason: 'invalid: 事務が変わる変更は競合の解決では適用できません' };
      }
    }
    await c.query(
      `UPDATE entities SET version = $3, payload = $4, deleted = $5, updated_by_terminal = $6,
              server_seq = nextval(pg_get_serial_sequence('entities', 'server_seq')), updated_at = now()
       WHERE entity = $1 AND entity_id = $2`,
      [conflict.entity, conflict.entity_id, version, JSON.stringify(payload), deleted, peer.terminalId],
    );
    // An identity record applied so: where its member of staff goes is looked at again, as after a push.
    const staffId = (payload as Record<string, unknown>).staff_id;
    if ((STAFF_ENTITIES as readonly string[]).includes(entity) && typeof staffId === 'string') await refreshStaffPopulationIn(c, peer.scope.municipality, now, [staffId]);
    text = `apply_terminal (version ${version}): ${req.reason}`;
  }
  const resolvedBy = `${peer.terminalId}/${req.staffId}`;
  const done = await c.query<{ resolved_at: Date }>(
    'UPDATE conflicts SET resolved_at = now(), resolved_by = $2, resolution = $3 WHERE conflict_id = $1 RETURNING resolved_at',
    [conflictId, resolvedBy, text],
  );
  return {
    status: 'resolved',
    body: {
      conflictId, resolution: req.resolution, entity: conflict.entity, entityId: conflict.entity_id, version,
      resolvedAt: new Date(done.rows[0]!.resolved_at).toISOString(), resolvedBy,
    },
  };
}

/**
 * A record as it leaves the server for a terminal (pull, snapshot, conflicts): the 個人番号 stays here. A resident
 * carries `has_my_number` (whether the server holds one) instead; the number is asked for online
 * (server/mynumber.ts). Every payload sent to a terminal goes through this.
 */
export function forTerminal(entity: string, payload: Record<string, unknown>): Record<string, unknown>;
export function forTerminal(entity: string, payload: Record<string, unknown> | null): Record<string, unknown> | null;
export function forTerminal(entity: string, payload: Record<string, unknown> | null): Record<string, unknown> | null {
  if (entity !== 'residents' || payload === null || !('my_number' in payload)) return payload;
  const { my_number: myNumber, ...rest } = payload;
  return { ...rest, has_my_number: myNumber === null || myNumber === undefined || myNumber === '' ? 0 : 1 };
}

type EntityRow = {
  server_seq: string; entity: string; entity_id: string; version: number; deleted: boolean; payload: Record<string, unknown>;
};

/**
 * Rows of the entities table (as `alias`) the peer may see — its municipality, its 事務, its own number blocks, the
 * people and staff its 事務 hold — as SQL over three parameters from $`first` (municipality, jimu[], terminal;
 * `scopeParams`); `admin` (the peer's certificate says identity administration) lets every staff record through.
 * Pull, checksum and conflicts all use this one predicate.
 */
export function scopeSql(alias: string, first: number, admin: boolean): string {
  return `${baseScopeSql(alias, first)} AND ${memberSql(alias, first, admin)}`;
}

/** The scope without the populations: the municipality, the 事務, the owner. */
function baseScopeSql(alias: string, first: number): string {
  const [m, j, t] = [first, first + 1, first + 2];
  return `${alias}.municipality = $${m} AND (${alias}.jimu IS NULL OR ${alias}.jimu = ANY($${j}::text[])) AND (${alias}.owner_terminal IS NULL OR ${alias}.owner_terminal = $${t})`;
}

/**
 * A person's own records (shared/domain/population.ts PERSON_ENTITIES) only for people in the population of one of
 * the peer's 事務 (server/population.ts); a 保護者 link only when both ends are. Staff records
 * (shared/sync/staff-scope.ts STAFF_ENTITIES) only where `staff_population` puts them for one of the peer's 事務
 * (server/staff-population.ts), or all of them for an administration terminal. Every other entity: true.
 */
function memberSql(alias: string, first: number, admin: boolean): string {
  const [m, j] = [first, first + 1];
  const member = (id: string) => `EXISTS (SELECT 1 FROM population p WHERE p.municipality = $${m} AND p.resident_id = ${id} AND p.jimu = ANY($${j}::text[]))`;
  const staff = admin ? 'TRUE' : `EXISTS (SELECT 1 FROM staff_population sp WHERE sp.entity = ${alias}.entity AND sp.entity_id = ${alias}.entity_id AND sp.jimu = ANY($${j}::text[]))`;
  return `(CASE ${alias}.entity
    WHEN 'residents' THEN ${member(`${alias}.entity_id`)}
    WHEN 'health_insurance' THEN ${member(`${alias}.payload->>'resident_id'`)}
    WHEN 'resident_guardians' THEN ${member(`${alias}.payload->>'child_id'`)} AND ${member(`${alias}.payload->>'guardian_id'`)}
    ${STAFF_ENTITIES.map((e) => `WHEN '${e}' THEN ${staff}`).join('\n    ')}
    ELSE TRUE END)`;
}
export function scopeParams(peer: TerminalPeer): [string, string[], string] {
  return [peer.scope.municipality, [...peer.scope.jimu], peer.terminalId];
}
const BASE_SCOPE_SQL = baseScopeSql('entities', 1);
const MEMBER_SQL = { admin: memberSql('entities', 1, true), other: memberSql('entities', 1, false) };
const SCOPE_SQL = { admin: scopeSql('entities', 1, true), other: scopeSql('entities', 1, false) };
const isAdmin = (peer: TerminalPeer): 'admin' | 'other' => (peer.scope.admin === true ? 'admin' : 'other');

/**
 * Changes after `cursor` in the peer's scope, in server_seq order, read in one snapshot. When nothing more is
 * in scope the cursor moves to the newest server_seq of that snapshot (writes are serialised by
 * ENTITY_WRITE_LOCK, so no smaller seq can commit later). A cursor that cannot be continued gets `reset`.
 */
export async function pull(pool: Pool, peer: TerminalPeer, q: { cursor: number; limit: number; scopeKey?: string | undefined; snapshot?: '1' | undefined }): Promise<PullResponse> {
  const key = scopeKey(peer.scope);
  return withTransaction(
    pool,
    async (c) => {
      if (q.cursor > 0) {
        const seq = await c.query<{ last_value: string; is_called: boolean }>('SELECT last_value, is_called FROM entities_server_seq_seq');
        const issued = seq.rows[0]!.is_called ? Number(seq.rows[0]!.last_value) : 0;
        const pr = await c.query<{ value: string }>("SELECT value FROM server_state WHERE key = 'pruned_through_seq'");
        const prunedThrough = Number(pr.rows[0]?.value ?? 0);
        const reset = q.cursor > issued ? 'cursor_ahead' : q.cursor < prunedThrough && q.snapshot !== '1' ? 'pruned' : q.scopeKey !== undefined && q.scopeKey !== key ? 'scope_changed' : null;
        if (reset) return { changes: [], cursor: 0, more: true, scopeKey: key, reset };
      }
      // A person's own record (or a staff record) that changed after the cursor but is outside the population (the
      // staff population) goes out as `dropped` (no content): the person left it, and the terminal removes its copy.
      // A snapshot sends members only (what it does not deliver is swept anyway).
      const drops = q.cursor > 0 && q.snapshot !== '1';
      const member = MEMBER_SQL[isAdmin(peer)];
      const { rows } = await c.query<EntityRow & { member: boolean }>(
        `SELECT server_seq, entity, entity_id, version, deleted, payload, ${member} AS member FROM entities
         WHERE server_seq > $4 AND ${BASE_SCOPE_SQL} AND ($6 OR ${member}) ORDER BY server_seq LIMIT $5`,
        [peer.scope.municipality, peer.scope.jimu, peer.terminalId, q.cursor, q.limit + 1, drops],
      );
      const more = rows.length > q.limit;
      const page = rows.slice(0, q.limit);
      const changes = page.map((r) =>
        r.member
          ? { serverSeq: Number(r.server_seq), entity: r.entity, entityId: r.entity_id, version: r.version, deleted: r.deleted, payload: forTerminal(r.entity, r.payload) }
          : { serverSeq: Number(r.server_seq), entity: r.entity, entityId: r.entity_id, version: r.version, deleted: true, dropped: true, payload: {} },
      ) as Change[];
      let cursor = changes.length ? changes[changes.length - 1]!.serverSeq : q.cursor;
      if (!more) {
        const high = await c.query<{ m: string | null }>('SELECT max(server_seq) AS m FROM entities');
        cursor = Math.max(cursor, Number(high.rows[0]!.m ?? 0));
      }
      return { changes, cursor, more, scopeKey: key };
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
}

/** The digest of the peer's live records (see ChecksumResponseSchema), with the cursor it belongs to. */
export async function checksum(pool: Pool, peer: TerminalPeer): Promise<ChecksumResponse> {
  return withTransaction(
    pool,
    async (c) => {
      const high = await c.query<{ m: string | null }>('SELECT max(server_seq) AS m FROM entities');
      const r = await c.query<{ n: string; s: string | null }>(
        `SELECT count(*) AS n,
                sum(('x' || substr(md5(entity || ':' || entity_id || ':' || version), 1, 13))::bit(52)::bigint) % $4 AS s
         FROM entities WHERE NOT deleted AND ${SCOPE_SQL[isAdmin(peer)]}`,
        [peer.scope.municipality, peer.scope.jimu, peer.terminalId, CHECKSUM_MODULUS.toString()],
      );
      return { cursor: Number(high.rows[0]!.m ?? 0), count: Number(r.rows[0]!.n), sum: BigInt(r.rows[0]!.s ?? '0').toString() };
    },
    'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY',
  );
}

/**
 * Drops tombstones (deleted records) not changed for `olderThanDays`, and remembers the highest server_seq
 * dropped: terminals whose cursor is below it are told to take a fresh snapshot. Returns how many went.
 */
export async function pruneTombstones(pool: Pool, olderThanDays: number): Promise<number> {
  return withTransaction(pool, async (c) => {
    await c.query('SELECT pg_advisory_xact_lock($1)', [ENTITY_WRITE_LOCK]);
    const r = await c.query<{ n: string; m: string | null }>(
      `WITH gone AS (DELETE FROM entities WHERE deleted AND updated_at < now() - make_interval(days => $1) RETURNING server_seq)
       SELECT count(*) AS n, max(server_seq) AS m FROM gone`,
      [olderThanDays],
    );
    const n = Number(r.rows[0]!.n);
    if (n > 0) {
      await c.query(
        `INSERT INTO server_state (key, value) VALUES ('pruned_through_seq', $1)
         ON CONFLICT (key) DO UPDATE SET value = GREATEST(server_state.value::bigint, excluded.value::bigint)::text`,
        [r.rows[0]!.m],
      );
    }
    return n;
  });
}

/** Tombstone retention when TOMBSTONE_RETENTION_DAYS is not set. */
export const DEFAULT_TOMBSTONE_RETENTION_DAYS = 90;
/** How often each app server prunes (several servers pruning at once are serialised by ENTITY_WRITE_LOCK). */
export const TOMBSTONE_PRUNE_INTERVAL_MS = 60 * 60_000;

/** TOMBSTONE_RETENTION_DAYS as a positive whole number of days; unset or blank → the default. */
export function tombstoneRetentionDays(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_TOMBSTONE_RETENTION_DAYS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`TOMBSTONE_RETENTION_DAYS must be a positive whole number of days (got "${raw}")`);
  return n;
}

/**
 * Prunes tombstones older than `days` every `intervalMs` (unref'd: it never keeps the process alive). A failed
 * run is logged and tried again at the next tick; it never throws. Returns a function that stops it.
 */
export function scheduleTombstonePruning(
  pool: Pool,
  days: number,
  opts: { intervalMs?: number; log?: (message: string, err?: unknown) => void } = {},
): () => void {
  const log = opts.log ?? ((message: string, err?: unknown) => (err === undefined ? console.log(message) : console.error(message, err)));
  let running = false;
  const timer = setInterval(() => {
    if (running) return; // a slow run is not overlapped by the next tick
    running = true;
    pruneTombstones(pool, days)
      .then((n) => {
        if (n > 0) log(`[server] pruned ${n} tombstone(s) older than ${days} days`);
      })
      .catch((err: unknown) => log('[server] tombstone pruning failed; trying again at the next run:', err instanceof Error ? err.message : err))
      .finally(() => {
        running = false;
      });
  }, opts.intervalMs ?? TOMBSTONE_PRUNE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
