import { z } from 'zod';
import { storableText, text, textProblem, wireText } from '../text';

/**
 * Wire format of the sync protocol between a terminal and the central server (see docs/sync-protocol.md).
 * Imported by both sides; nothing but zod. Every object is strict: a field not listed here does not cross
 * the wire.
 */

/** The domain tables that are synced: the source of DOMAIN_TABLES in electron/core/db/schema.ts. */
export const SYNC_ENTITIES = [
  'staff',
  'residents',
  'resident_guardians',
  'health_insurance',
  'certificates',
  'certificate_events',
  'number_blocks',
  'staff_grants',
  'authenticators',
  'password_history',
  'claims',
  'claim_events',
  'vaccination_records',
  'rule_profiles',
  'kokuho_shikaku',
  'kodomo_shikaku',
  'seiho_jukyu',
  'fujo_flows',
] as const;
export type SyncEntity = (typeof SYNC_ENTITIES)[number];

const COMMON = ['id', 'version', 'created_at', 'created_by', 'updated_at', 'updated_by', 'deleted'] as const;

/**
 * The fields that travel for each entity: columns of its local table. A payload naming any other field is
 * rejected. electron/core/db/__tests__/sync-fields.test.ts fails when a column of the table is neither listed
 * here nor declared local-only there (with a reason), or when a field listed here is no column.
 */
export const SYNC_ENTITY_FIELDS: Readonly<Record<SyncEntity, readonly string[]>> = {
  staff: [...COMMON, 'staff_id', 'name', 'role', 'password_hash', 'password_changed_at', 'disabled', 'demo', 'name_kana',
    'section', 'failed_count', 'locked_until', 'must_change_password', 'may_self_enroll', 'role_request', 'role_approval_json'],
  residents: [...COMMON, 'atena_no', 'name_kanji', 'name_kana', 'name_kana_key', 'alias_name', 'birth_date', 'sex',
    'postal_code', 'address', 'katagaki', 'household_no', 'has_my_number', 'dv_support', 'non_disclosure', 'view_suspended'],
  resident_guardians: [...COMMON, 'child_id', 'guardian_id', 'relationship'],
  health_insurance: [...COMMON, 'resident_id', 'insurer_no', 'symbol', 'number', 'branch'],
  certificates: [...COMMON, 'resident_id', 'cert_type', 'certificate_no', 'public_payer_no', 'issue_kind', 'reissue_reason',
    'issue_date', 'valid_from', 'valid_to', 'guardian_id', 'status', 'superseded_by', 'details_json', 'name_choice', 'print_sex',
    'end_reason', 'recall_status', 'recall_date', 'recall_kind'],
  certificate_events: [...COMMON, 'certificate_id', 'resident_id', 'event', 'reason'],
  number_blocks: [...COMMON, 'cert_type', 'next_serial', 'last_serial', 'source', 'expires_at'],
  staff_grants: [...COMMON, 'staff_id', 'right_name', 'approved_by', 'reason', 'valid_from', 'expires_at', 'revoked_at',
    'revoked_by', 'approval_status', 'approval_json'],
  authenticators: [...COMMON, 'staff_id', 'credential_id', 'public_key', 'counter', 'transports', 'label', 'registered_by',
    'revoked_at', 'revoked_by', 'revoke_reason', 'approver', 'approval_status', 'approval_json'],
  password_history: [...COMMON, 'staff_id', 'password_hash'],
  claims: [...COMMON, 'claim_kind', 'claim_no', 'resident_id', 'applicant_id', 'application_date', 'state', 'input_json',
    'identity_json', 'bank_json', 'calc_json', 'amount_yen', 'deadline', 'deadline_expired', 'entered_by', 'checked_by',
    'decided_by', 'decision', 'decision_reason', 'override_reason', 'decided_at', 'notice_no', 'revision'],
  claim_events: [...COMMON, 'claim_id', 'event', 'reason', 'detail_json'],
  rule_profiles: [...COMMON, 'municipality_code', 'profile_json', 'published_at'],
  kokuho_shikaku: [...COMMON, 'atena_no', 'household_no', 'insurer_no', 'symbol', 'number', 'branch', 'acquired_on', 'acquire_reason',
    'acquire_notified_on', 'lost_on', 'lose_reason', 'lose_notified_on', 'income_class'],
  kodomo_shikaku: [...COMMON, 'resident_id', 'atena_no', 'claim_id', 'guardian_id', 'acquired_on', 'acquire_reason', 'insurer_name',
    'insurance_kind', 'insured_relation', 'insurance_symbol', 'insurance_number', 'insurance_branch', 'delivery_json', 'lost_on',
    'lose_reason', 'lose_notified_on'],
  seiho_jukyu: [...COMMON, 'resident_id', 'case_no', 'atena_no', 'household_no', 'head_flag', 'started_on', 'changed_on', 'ended_on',
    'change_reason', 'caseworker', 'aid_kinds'],
  fujo_flows: [...COMMON, 'resident_id', 'flow_no', 'kind', 'state', 'applied_on', 'record_json', 'proofs_json'],
  vaccination_records: [...COMMON, 'resident_id', 'vaccine', 'stage', 'dose_number', 'administered_on', 'lot_number',
    'institution', 'overseas', 'source', 'invalid', 'invalidated_reason', 'invalidated_at', 'replaces', 'replaced_by'],
};

export function isSyncEntity(v: unknown): v is SyncEntity {
  return typeof v === 'string' && (SYNC_ENTITIES as readonly string[]).includes(v);
}

/** Terminal IDs: the CN of the terminal's client certificate. */
export const TerminalIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/);

export const MAX_BATCH = 500;
export const MAX_PULL_LIMIT = 5000;

/** Most characters of one field value (a string), counted in UTF-16 units like the rest of the wire limits. */
export const MAX_FIELD_CHARS = 100_000;

const FIELD_PROBLEMS = {
  surrogate: 'lone surrogate (not well-formed UTF-16)',
  control: 'control character',
  separator: 'line or paragraph separator',
  bidi: 'bidirectional override',
} as const;

/**
 * A field's text as it travels: a well-formed string without control characters other than LF, CR and TAB, no
 * line separators and no bidi overrides (shared/text.ts). Nothing is rewritten (the terminal and the server must
 * hold the same record); anything PostgreSQL could not store, or would store changed, is refused here.
 */
const FieldTextSchema = z
  .string()
  .max(MAX_FIELD_CHARS)
  .superRefine((s, ctx) => {
    const p = textProblem(s, true);
    if (p) ctx.addIssue({ code: 'custom', message: FIELD_PROBLEMS[p], abort: true });
  });

const FieldValueSchema = z.union([FieldTextSchema, z.number(), z.boolean(), z.null()]);

/**
 * The first string in a JSON value (parsed from a `*_json` field) that FieldTextSchema would refuse, as a
 * problem; null when there is none. Iterative: a deeply nested value cannot overflow the stack.
 */
function jsonTextProblem(value: unknown): string | null {
  const stack: unknown[] = [value];
  let nodes = 0;
  while (stack.length) {
    const v = stack.pop();
    if (++nodes > 200_000) return 'too many values';
    if (typeof v === 'string') {
      const p = textProblem(v, true);
      if (p) return FIELD_PROBLEMS[p];
    } else if (Array.isArray(v)) {
      stack.push(...v);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        const p = textProblem(k, true);
        if (p) return `${FIELD_PROBLEMS[p]} in a key`;
        stack.push(x);
      }
    }
  }
  return null;
}

/**
 * A record's fields: flat, scalar values only; `version` is the record version after this mutation. A field
 * named `*_json` holds JSON text (certificate details, claim input …): it must parse, and its strings and keys
 * follow the same rules (an escaped U+0000 there would otherwise reach a terminal that parses it).
 */
export const PayloadSchema = z.record(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/), FieldValueSchema).superRefine((payload, ctx) => {
  for (const [key, v] of Object.entries(payload)) {
    if (!key.endsWith('_json') || typeof v !== 'string') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      ctx.addIssue({ code: 'custom', path: [key], message: 'not JSON text' });
      continue;
    }
    const p = jsonTextProblem(parsed);
    if (p) ctx.addIssue({ code: 'custom', path: [key], message: p });
  }
});

/** Entity IDs: UUIDs (36 characters) on every table; nothing else may name a row. */
export const EntityIdSchema = z.string().regex(/^[0-9A-Za-z-]{36}$/);
/** Entity (table) names: the whitelist SYNC_ENTITIES is checked after the shape, with a reason naming it. */
const EntityNameSchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/);

/**
 * Text the server sends a terminal to show (a rejection's reason): made storable on arrival (shared/text.ts
 * storableText), so whatever the server says cannot put a character into the terminal's database that it
 * cannot give back.
 */
export const ServerTextSchema = (max: number) => z.string().max(max).overwrite(storableText);

export const SyncOpSchema = z.enum(['insert', 'update', 'delete']);
export type SyncOp = z.infer<typeof SyncOpSchema>;

/** One outbox entry as sent by a terminal. */
export const MutationSchema = z.strictObject({
  /** Per terminal, strictly increasing by 1 (the outbox sequence). */
  mutationId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  clientUuid: z.uuid(),
  entity: EntityNameSchema,
  entityId: EntityIdSchema,
  op: SyncOpSchema,
  payload: PayloadSchema,
  /**
   * Sent again because the server no longer holds it (its database was restored from a backup), after the
   * server had accepted it once. The server applies the restore rules of docs/sync-protocol.md §3 (replays).
   */
  replay: z.literal(true).optional(),
});
export type Mutation = z.infer<typeof MutationSchema>;

/**
 * In place of a mutation the server lost (restore) and the terminal no longer holds (pruned after
 * OUTBOX_RETENTION_DAYS): the server stores it as rejected (`lost: …`) so the queue goes on.
 */
export const LostMutationSchema = z.strictObject({
  mutationId: MutationSchema.shape.mutationId,
  lost: z.literal(true),
});
export type LostMutation = z.infer<typeof LostMutationSchema>;

/**
 * How long a terminal keeps outbox rows the server has confirmed, so that it can send them again after the
 * server's database was restored from a backup (docs/sync-protocol.md, restore). A backup older than this loses
 * the changes made between the backup and this many days ago (they are reported as lost, never silently).
 */
export const OUTBOX_RETENTION_DAYS = 30;

/**
 * The push envelope. Mutations are checked one by one (a malformed one becomes a permanent rejection and
 * does not block the queue), so the envelope only requires each to carry a valid mutationId.
 */
export const PushRequestSchema = z.strictObject({
  terminalId: TerminalIdSchema,
  mutations: z.array(z.looseObject({ mutationId: MutationSchema.shape.mutationId })).min(1).max(MAX_BATCH),
});
export type PushRequest = z.infer<typeof PushRequestSchema>;

export const MutationStatusSchema = z.enum(['applied', 'duplicate', 'rejected', 'gap']);
export type MutationStatus = z.infer<typeof MutationStatusSchema>;

export const MutationResultSchema = z.strictObject({
  mutationId: z.number().int(),
  status: MutationStatusSchema,
  reason: ServerTextSchema(4000).optional(),
});
export type MutationResult = z.infer<typeof MutationResultSchema>;

export const PushResponseSchema = z.strictObject({
  terminalId: TerminalIdSchema,
  /** The highest mutationId the server holds for this terminal after the batch. */
  lastMutationId: z.number().int().nonnegative(),
  results: z.array(MutationResultSchema),
});
export type PushResponse = z.infer<typeof PushResponseSchema>;

/** `GET /v1/push/state`: the highest mutationId the server holds for the asking terminal. */
export const PushStateResponseSchema = z.strictObject({
  terminalId: TerminalIdSchema,
  lastMutationId: z.number().int().nonnegative(),
});
export type PushStateResponse = z.infer<typeof PushStateResponseSchema>;

export const PullQuerySchema = z.strictObject({
  cursor: z.coerce.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().positive().max(MAX_PULL_LIMIT).default(1000),
  /** The scope key of the terminal's last pull; a different current scope means its copy must be rebuilt. */
  scopeKey: wireText(200).optional(),
  /** '1' while the terminal takes a snapshot: pruned tombstones do not matter then (the sweep handles them). */
  snapshot: z.enum(['1']).optional(),
});
export type PullQuery = z.infer<typeof PullQuerySchema>;

export const ChangeSchema = z.strictObject({
  serverSeq: z.number().int().positive(),
  entity: z.enum(SYNC_ENTITIES),
  entityId: EntityIdSchema,
  version: z.number().int().positive(),
  deleted: z.boolean(),
  /**
   * The record's person left the population of this terminal's 事務 (shared/domain/population.ts): the terminal
   * removes its copy. Sent with `deleted: true` and an empty payload, so nothing about the person travels.
   */
  dropped: z.literal(true).optional(),
  payload: PayloadSchema,
});
export type Change = z.infer<typeof ChangeSchema>;

export const PullResponseSchema = z.strictObject({
  changes: z.array(ChangeSchema),
  /** Pass back as `cursor` on the next pull. Equal to the request cursor when there is nothing new. */
  cursor: z.number().int().nonnegative(),
  /** True when `changes` was cut at `limit` (pull again at once). */
  more: z.boolean(),
  /** The scope these changes were selected for (shared/sync/scope.ts scopeKey). */
  scopeKey: z.string(),
  /**
   * Set instead of changes when the cursor cannot be continued: it is ahead of the server (a restored server
   * database), tombstones after it were pruned, or the terminal's scope changed. The terminal takes a fresh
   * snapshot from cursor 0 and then drops what the snapshot did not contain (`clear`).
   */
  reset: z.enum(['cursor_ahead', 'pruned', 'scope_changed']).optional(),
});
export type PullResponse = z.infer<typeof PullResponseSchema>;

/**
 * The pull answer as a terminal reads it: the envelope strictly, each change on its own (ChangeSchema), so that one
 * change the terminal cannot take is reported and skipped instead of failing every pull for ever.
 */
export const PullEnvelopeSchema = PullResponseSchema.extend({ changes: z.array(z.unknown()) });

/**
 * An order-independent digest of the live (not deleted) records in a terminal's scope at `cursor`:
 * count, and the sum modulo 2^52 of the first 13 hex digits of md5("entity:id:version") as a decimal string.
 * A terminal whose pull is at the same cursor with nothing unsent compares it with its own copy.
 */
export const ChecksumResponseSchema = z.strictObject({
  cursor: z.number().int().nonnegative(),
  count: z.number().int().nonnegative(),
  sum: z.string().regex(/^[0-9]{1,16}$/),
});
export type ChecksumResponse = z.infer<typeof ChecksumResponseSchema>;
export const CHECKSUM_MODULUS = 2n ** 52n;

/**
 * Number leases (縮退運用): blocks of certificate serials leased to a terminal in advance, so issuance works
 * while the server is unreachable. Blocks never overlap across terminals; leftovers are reported back.
 */
const LeaseRequestSchemaCertType = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/);
export const LeaseRequestSchema = z.strictObject({
  certType: LeaseRequestSchemaCertType,
  size: z.number().int().min(1).max(10_000),
});
export type LeaseRequest = z.infer<typeof LeaseRequestSchema>;

export const LeaseSchema = z.strictObject({
  leaseId: z.uuid(),
  certType: LeaseRequestSchemaCertType,
  first: z.number().int().positive(),
  last: z.number().int().positive(),
  expiresAt: z.string(),
});
export type Lease = z.infer<typeof LeaseSchema>;

export const LeaseReturnSchema = z.strictObject({
  leaseId: z.uuid(),
  /** The first serial of the lease that was never used (the rest of the block comes back). */
  unusedFrom: z.number().int().positive(),
});
export type LeaseReturn = z.infer<typeof LeaseReturnSchema>;

/** One session per member of staff across terminals: claimed at login, released at logout. */
export const SessionClaimSchema = z.strictObject({ staffId: z.string().regex(/^[A-Za-z0-9]{3,32}$/) });
export type SessionClaim = z.infer<typeof SessionClaimSchema>;
/** A claim older than this is considered abandoned (a terminal that crashed without releasing). */
export const SESSION_CLAIM_TTL_HOURS = 12;

/** Open conflicts as a supervisor sees them: the terminal's edit and the server's current record. */
export const ConflictListSchema = z.strictObject({
  conflicts: z.array(
    z.strictObject({
      conflictId: z.number().int(),
      terminalId: z.string(),
      mutationId: z.number().int(),
      entity: z.string(),
      entityId: z.string(),
      clientVersion: z.number().int().nullable(),
      serverVersion: z.number().int().nullable(),
      clientPayload: z.record(z.string(), z.unknown()),
      serverPayload: z.record(z.string(), z.unknown()).nullable(),
      createdAt: z.string(),
    }),
  ),
});
export type ConflictList = z.infer<typeof ConflictListSchema>;

/**
 * A supervisor's decision on an open conflict (`POST /v1/conflicts/:id/resolve`). `keep_server` leaves the
 * server's record as it is; `apply_terminal` writes the terminal's edited fields over the current server record
 * as a new version. Either way the conflict row keeps both payloads, so neither edit is lost.
 */
export const ConflictResolutionSchema = z.enum(['keep_server', 'apply_terminal']);
export type ConflictResolution = z.infer<typeof ConflictResolutionSchema>;

export const ResolveConflictRequestSchema = z.strictObject({
  resolution: ConflictResolutionSchema,
  /** The supervisor deciding, as logged in at the asking terminal (recorded as `<terminal>/<staffId>`). */
  staffId: SessionClaimSchema.shape.staffId,
  reason: text({ label: '理由', min: 1, max: 500 }),
});
export type ResolveConflictRequest = z.infer<typeof ResolveConflictRequestSchema>;

export const ResolveConflictResponseSchema = z.strictObject({
  conflictId: z.number().int(),
  resolution: ConflictResolutionSchema,
  entity: z.string(),
  entityId: z.string(),
  /** The server record's version after the decision (unchanged for keep_server). */
  version: z.number().int().positive(),
  resolvedAt: z.string(),
  resolvedBy: z.string(),
});
export type ResolveConflictResponse = z.infer<typeof ResolveConflictResponseSchema>;

/** `GET /v1/time`: the server's clock, which terminals compare with their own every round (clock skew). */
export const ServerTimeSchema = z.strictObject({ now: z.iso.datetime() });
export type ServerTime = z.infer<typeof ServerTimeSchema>;

/** How far a terminal's clock may differ from the server's before issuance stops (policy may set another). */
export const DEFAULT_MAX_CLOCK_SKEW_MINUTES = 5;
