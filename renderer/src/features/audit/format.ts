import { HIGHLIGHT_LABELS, type ReviewFilterInput } from '../../../../shared/ipc/audit-contract';
import { formatWareki, isoDateOrText } from '../../../../shared/domain/wareki';
import { foldIdentifier, normalizeAtenaNo, normalizeStaffId } from '../../../../shared/domain/identifiers';
import { AUDIT_ACTIONS, AUDIT_ACTION_GROUPS, AUDIT_OUTCOME_LABELS, auditActionLabel, type AuditAction, type AuditActionGroup } from '../../../../shared/audit/actions';
import type { ResponseOf } from '../../../../shared/ipc/contract';

export type ReviewRow = ResponseOf<'audit.review'>['rows'][number];
export type Highlight = keyof typeof HIGHLIGHT_LABELS;
export type Outcome = NonNullable<ReviewFilterInput['outcome']>;

/** The filter as typed in the form (strings; '' = no condition). */
export interface FilterDraft {
  from: string;
  to: string;
  staffId: string;
  atenaNo: string;
  /** '' (all), an action or group prefix of ACTION_GROUPS, or OTHER_ACTION to use `actionText`. */
  action: string;
  actionText: string;
  outcome: '' | Outcome;
  terminalId: string;
  reason: string;
}

export const EMPTY_FILTER: FilterDraft = { from: '', to: '', staffId: '', atenaNo: '', action: '', actionText: '', outcome: '', terminalId: '', reason: '' };

export const OTHER_ACTION = '__other__';

export interface ActionOptionGroup {
  /** The group's prefix (selects every action under it) and its label. */
  prefix: string;
  label: string;
  actions: readonly { value: AuditAction; label: string }[];
}

/** The 操作 select, derived from the one audit vocabulary: each group's 「（すべて）」 then its actions. */
export const ACTION_GROUPS: readonly ActionOptionGroup[] = (Object.entries(AUDIT_ACTION_GROUPS) as [AuditActionGroup, string][]).map(([prefix, label]) => ({
  prefix,
  label,
  actions: (Object.keys(AUDIT_ACTIONS) as AuditAction[]).filter((a) => a.startsWith(prefix)).map((a) => ({ value: a, label: AUDIT_ACTIONS[a] })),
}));

/** Every action outside the groups (e.g. 起動時の安全確認) in one more group. */
export const UNGROUPED_ACTIONS: readonly { value: AuditAction; label: string }[] = (Object.keys(AUDIT_ACTIONS) as AuditAction[])
  .filter((a) => !Object.keys(AUDIT_ACTION_GROUPS).some((p) => a.startsWith(p)))
  .map((a) => ({ value: a, label: AUDIT_ACTIONS[a] }));

export const OUTCOME_LABELS: Record<Outcome, string> = AUDIT_OUTCOME_LABELS;

/** The stored action by its Japanese name (an unknown code is shown as stored; the code itself is in the cell's title). */
export function actionLabel(action: string): string {
  return auditActionLabel(action);
}

/** A group prefix of the filter (e.g. 'claims.') by its name: 「請求（すべて）」. */
function groupLabel(prefix: string): string {
  const name = (AUDIT_ACTION_GROUPS as Record<string, string>)[prefix];
  return name ? `${name}（すべて）` : `${prefix}*`;
}

export function outcomeLabel(outcome: string): string {
  return OUTCOME_LABELS[outcome as Outcome] ?? outcome;
}

export function highlightLabel(h: Highlight): string {
  return HIGHLIGHT_LABELS[h];
}

const orNull = (s: string, normalize: (s: string) => string = (x) => x): string | null => (s.trim() ? normalize(s.trim()) : null);

/** The contract's filter from the form (empty fields = no condition; dates as ISO, identifiers width-folded). */
export function toRequestFilter(d: FilterDraft): ReviewFilterInput {
  return {
    from: orNull(d.from, isoDateOrText),
    to: orNull(d.to, isoDateOrText),
    staffId: orNull(d.staffId, normalizeStaffId),
    atenaNo: orNull(d.atenaNo, normalizeAtenaNo),
    action: d.action === OTHER_ACTION ? orNull(d.actionText) : orNull(d.action),
    outcome: d.outcome || null,
    terminalId: orNull(d.terminalId, foldIdentifier),
    reason: orNull(d.reason),
  };
}

/** A one-line Japanese summary of a filter (stored with an export request, or the current one). */
export function describeFilter(f: Record<string, unknown>): string {
  const s = (k: string): string | null => (typeof f[k] === 'string' && f[k] ? (f[k] as string) : null);
  const parts: string[] = [];
  const from = s('from');
  const to = s('to');
  if (from || to) parts.push(`期間 ${from ? formatWareki(from) : ''}〜${to ? formatWareki(to) : ''}`);
  if (s('staffId')) parts.push(`職員 ${s('staffId')}`);
  if (s('atenaNo')) parts.push(`宛名番号 ${s('atenaNo')}`);
  const action = s('action');
  if (action) parts.push(`操作 ${action.endsWith('.') ? groupLabel(action) : actionLabel(action)}`);
  if (s('outcome')) parts.push(`結果 ${outcomeLabel(s('outcome')!)}`);
  if (s('terminalId')) parts.push(`端末 ${s('terminalId')}`);
  if (s('reason')) parts.push(`事由「${s('reason')}」を含む`);
  return parts.length ? parts.join('、') : 'すべての監査ログ';
}

/** Field errors of the contract come keyed 'filter.staffId' etc.; the form's fields use the bare names. */
export function filterErrors(fieldErrors: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fieldErrors)) if (k.startsWith('filter.')) out[k.slice('filter.'.length)] = v;
  return out;
}
