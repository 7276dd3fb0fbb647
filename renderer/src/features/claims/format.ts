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
  acquiredOn: '資格取得日', acquireReason: '取得の事由', guardianId: '保護者', insurance: '主保険', delivery: '交付方法',
  'insurance.insurerName': '主保険の保険者名', 'insurance.kind': '主保険の種別', 'insurance.relation': '主保険の本人・家族', 'insurance.symbol': '主保険の記号',
  'insurance.number': '主保険の番号', 'insurance.branch': '主保険の枝番', 'delivery.method': '交付方法', 'delivery.postalCode': '送付先の郵便番号',
  'delivery.address': '送付先の住所', 'delivery.addressee': '送付先の宛名',
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
