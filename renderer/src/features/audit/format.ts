import { HIGHLIGHT_LABELS, type ReviewFilterInput } from '../../../../shared/ipc/audit-contract';
import { formatWareki } from '../../../../shared/domain/wareki';
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
  /** A value of ACTION_OPTIONS, or OTHER_ACTION to use `actionText`. */
  action: string;
  actionText: string;
  outcome: '' | Outcome;
  terminalId: string;
  reason: string;
}

export const EMPTY_FILTER: FilterDraft = { from: '', to: '', staffId: '', atenaNo: '', action: '', actionText: '', outcome: '', terminalId: '', reason: '' };

export const OTHER_ACTION = '__other__';

/** Common actions for the 操作 select; values ending in '.' select every action with that prefix. */
export const ACTION_OPTIONS: readonly { value: string; label: string }[] = [
  { value: '', label: 'すべての操作' },
  { value: 'auth.', label: 'ログイン・認証（すべて）' },
  { value: 'auth.login', label: 'ログイン' },
  { value: 'session.', label: '画面ロック・業務終了（すべて）' },
  { value: 'residents.', label: '住民（すべて）' },
  { value: 'residents.search', label: '住民検索' },
  { value: 'residents.view', label: '住民の表示' },
  { value: 'residents.revealMyNumber', label: '個人番号の表示' },
  { value: 'certificates.', label: '証明書（すべて）' },
  { value: 'claims.', label: '請求（すべて）' },
  { value: 'vaccinations.', label: '予防接種（すべて）' },
  { value: 'mailing.', label: '一斉発送（すべて）' },
  { value: 'admin.', label: '職員・権限管理（すべて）' },
  { value: 'audit.', label: '監査ログ（すべて）' },
  { value: 'ipc.', label: '拒否された要求（すべて）' },
  { value: 'sync.', label: '同期（すべて）' },
  { value: OTHER_ACTION, label: 'その他（直接入力）' },
];

export const OUTCOME_LABELS: Record<Outcome, string> = { success: '成功', failure: '失敗', rejected: '拒否' };

const ACTION_LABELS: Record<string, string> = Object.fromEntries(ACTION_OPTIONS.filter((o) => o.value && !o.value.endsWith('.') && o.value !== OTHER_ACTION).map((o) => [o.value, o.label]));

/** The stored action with its Japanese name where there is one. */
export function actionLabel(action: string): string {
  const ja = ACTION_LABELS[action];
  return ja ? `${ja}（${action}）` : action;
}

export function outcomeLabel(outcome: string): string {
  return OUTCOME_LABELS[outcome as Outcome] ?? outcome;
}

export function highlightLabel(h: Highlight): string {
  return HIGHLIGHT_LABELS[h];
}

const JST_MS = 9 * 3_600_000;

/** A stored instant (UTC ISO) in JST: 和暦 date and time, e.g. 令和8年11月24日 10:00:05. */
export function jstDateTime(at: string): string {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return at;
  const j = new Date(t + JST_MS).toISOString();
  return `${formatWareki(j.slice(0, 10))} ${j.slice(11, 19)}`;
}

/** The same instant as ISO 8601 with the JST offset (for the title / detail). */
export function jstIso(at: string): string {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return at;
  return `${new Date(t + JST_MS).toISOString().slice(0, 19)}+09:00`;
}

const orNull = (s: string): string | null => (s.trim() ? s.trim() : null);

/** The contract's filter from the form (empty fields = no condition). */
export function toRequestFilter(d: FilterDraft): ReviewFilterInput {
  return {
    from: orNull(d.from),
    to: orNull(d.to),
    staffId: orNull(d.staffId),
    atenaNo: orNull(d.atenaNo),
    action: d.action === OTHER_ACTION ? orNull(d.actionText) : orNull(d.action),
    outcome: d.outcome || null,
    terminalId: orNull(d.terminalId),
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
  if (action) parts.push(`操作 ${action.endsWith('.') ? `${action}*` : actionLabel(action)}`);
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
