import type { ClaimSummary } from '../../../../shared/ipc/claims-contract';
import { formatYen } from '../../../../shared/domain/claims';

export { formatYen };

/** The claim input's fields by name (the stored input view, the list of what the calculation still needs). */
export const INPUT_LABELS: Readonly<Record<string, string>> = {
  costYen: '費用額', benefitRate: '給付割合', paidOn: '支払日', birthDate: '出産日', childCount: '出生児数',
  obstetricCompensationScheme: '産科医療補償制度の対象', atLeast22Weeks: '妊娠22週以降の出産', directPayment: '直接支払制度',
  funeralDate: '葬祭を行った日', mournerName: '喪主の氏名', taxStatus: '課税有無', vaccine: 'ワクチン', benefit: '請求の種類',
  vaccinatedOn: '接種日', arrivedOn: '書類の到達日', attachments: '添付書類', kubun: '所得区分', serviceMonth: '診療年月',
  previousApplicableMonths: '過去の該当月', deliveryCostYen: '出産費用',
};

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

/** An amount as shown once the field is left: '１２３４５円' → '12,345'; text that is not an amount stays as typed. */
export function groupDigits(raw: string): string {
  const v = parseAmount(raw);
  return typeof v === 'number' ? String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : raw;
}
