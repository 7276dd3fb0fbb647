import { KODOMO_ACQUIRE_REASONS } from '../../../../shared/domain/kodomo-shikaku';
import { dateJa, formatPostalCode } from '../../lib/format';

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const rec = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {});

/** 主保険 for staff: '全国健康保険協会 協会けんぽ大阪（家族） 記号 … 番号 … 枝番 …'. */
export function insuranceText(v: unknown): string {
  const i = rec(v);
  return [`${str(i.insurerName)}（${str(i.kind)}・${str(i.relation)}）`, i.symbol ? `記号 ${str(i.symbol)}` : '', `番号 ${str(i.number)}`, i.branch ? `枝番 ${str(i.branch)}` : ''].filter(Boolean).join(' ');
}

/** 交付方法 for staff: '窓口' or '郵送（〒530-0001 住所 宛名 様）'. */
export function deliveryText(v: unknown): string {
  const d = rec(v);
  if (d.method !== '郵送') return str(d.method) || '—';
  return `郵送（〒${formatPostalCode(str(d.postalCode))} ${str(d.address)} ${str(d.addressee)} 様）`;
}

/**
 * The input of a 受給資格の交付申請 as [label, value] pairs in Japanese, for the confirmation step and for the checker
 * and approver (the 保護者 is the 申請者; its name comes from the caller).
 */
export function shikakuInputLines(input: Record<string, unknown>, guardianName: string | null): [string, string][] {
  const reason = (KODOMO_ACQUIRE_REASONS as Record<string, string>)[str(input.acquireReason)] ?? str(input.acquireReason);
  return [
    ['資格取得日', input.acquiredOn ? dateJa(str(input.acquiredOn)) : '—'],
    ['取得の事由', reason || '—'],
    ['保護者', guardianName ?? '—'],
    ['主保険', insuranceText(input.insurance)],
    ['交付方法', deliveryText(input.delivery)],
  ];
}
