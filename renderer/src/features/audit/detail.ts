import { AUDIT_DETAIL_VALUE_LABELS, auditDetailLabel } from '../../../../shared/audit/detail-labels';
import { HIGHLIGHT_LABELS } from '../../../../shared/ipc/audit-contract';
import { jstDateTime } from '../../../../shared/domain/wareki';
import { staffNameAndId } from '../../../../shared/domain/staff-status';
import { actionLabel, describeFilter, outcomeLabel, type ReviewRow } from './format';

/** One line of an entry's detail as the supervisor reads it: a Japanese label and a formatted value. */
export interface DetailLine {
  label: string;
  value: string;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** 「氏名（職員ID）」, the bare ID when the staff table does not know it, 「—」 for the system. */
export function staffLabel(staffId: string | null, staffName: string | null): string {
  return staffId === null ? '—（システム）' : staffNameAndId(staffId, staffName);
}

/** A stored detail value in words: はい/いいえ, 和暦 times, thousands separators, codes by their Japanese name. */
export function formatDetailValue(key: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '（なし）';
  if (typeof v === 'boolean') return v ? 'はい' : 'いいえ';
  if (typeof v === 'number') return v.toLocaleString('ja-JP');
  if (typeof v === 'string') {
    if (ISO_INSTANT.test(v)) return jstDateTime(v, { seconds: true });
    if (key === 'action') return actionLabel(v);
    if (key === 'outcome') return outcomeLabel(v);
    return Object.prototype.hasOwnProperty.call(AUDIT_DETAIL_VALUE_LABELS, v) ? (AUDIT_DETAIL_VALUE_LABELS[v] as string) : v;
  }
  if (Array.isArray(v)) return v.length === 0 ? '（なし）' : v.map((x) => formatDetailValue(key, x)).join('、');
  if (typeof v === 'object') {
    if (key === 'filter' || key === 'query') return describeFilter(v as Record<string, unknown>);
    const parts = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${auditDetailLabel(k)}: ${formatDetailValue(k, x)}`);
    return parts.length ? parts.join('、') : '（なし）';
  }
  return String(v);
}

/**
 * An entry as a labelled table: the entry's own fields, then each field of its stored detail with its Japanese
 * name (shared/audit/detail-labels.ts). No JSON reaches the screen; a detail that is not an object (an entry of
 * an older version) is shown as one line of text.
 */
export function detailLines(r: ReviewRow): DetailLine[] {
  const lines: DetailLine[] = [
    { label: '連番', value: String(r.seq) },
    { label: '日時', value: jstDateTime(r.at, { seconds: true }) },
    { label: '職員', value: staffLabel(r.staffId, r.staffName) },
    { label: '端末', value: r.terminalId },
    { label: '操作', value: actionLabel(r.action) },
    { label: '対象（宛名番号）', value: r.targetAtenaNo ?? '（なし）' },
    { label: '処理事由', value: r.reason ?? '（なし）' },
    { label: '結果', value: outcomeLabel(r.outcome) },
  ];
  if (r.highlights.length) lines.push({ label: '注意', value: r.highlights.map((h) => HIGHLIGHT_LABELS[h]).join('、') });
  let detail: unknown;
  try {
    detail = JSON.parse(r.detail);
  } catch {
    detail = r.detail;
  }
  if (detail && typeof detail === 'object' && !Array.isArray(detail)) {
    for (const [k, v] of Object.entries(detail as Record<string, unknown>)) lines.push({ label: auditDetailLabel(k), value: formatDetailValue(k, v) });
  } else if (detail !== null && detail !== '' && detail !== undefined) {
    lines.push({ label: '詳細', value: formatDetailValue('', detail) });
  }
  return lines;
}
