import type { ClaimSummary } from '../../../../shared/ipc/claims-contract';
import { formatYen } from '../../../../shared/domain/claims';

export { formatYen };

export function yenOrDash(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : formatYen(n);
}

export function stateLabel(c: Pick<ClaimSummary, 'state' | 'decision'>): string {
  switch (c.state) {
    case 'received':
      return '受付済（二重チェック待ち）';
    case 'checked':
      return '確認済（決裁待ち）';
    case 'decided':
      return `決定済（${c.decision ?? ''}）`;
    case 'withdrawn':
      return '取下げ';
  }
}

export const EVENT_LABELS: Readonly<Record<string, string>> = {
  received: '受付',
  check_mismatch: '二重チェック（不一致）',
  checked: '二重チェック完了',
  corrected: '訂正',
  decided: '決裁',
  notice_printed: '通知書の印刷',
};

/**
 * Digits typed at the counter: full-width digits, commas, 円 and spaces are accepted. Empty → undefined;
 * anything else is passed on as typed so that the shared schema names the problem next to the field.
 */
export function parseAmount(raw: string): number | string | undefined {
  const s = raw.normalize('NFKC').replace(/[,\s円点日]/g, '');
  if (s === '') return undefined;
  return /^-?\d+$/.test(s) ? Number(s) : raw;
}
