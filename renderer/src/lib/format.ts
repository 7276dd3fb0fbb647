import { formatWareki, isValidIsoDate } from '../../../shared/domain/wareki';

/** A date (YYYY-MM-DD) in 和暦; nothing → '—'; anything that is not a date is shown as it is. */
export function dateJa(iso: string | null | undefined): string {
  if (!iso) return '—';
  return isValidIsoDate(iso) ? formatWareki(iso) : iso;
}

/** A 郵便番号 as printed: 「530-0001」 (seven digits get their hyphen; anything else is shown as stored). */
export function formatPostalCode(s: string): string {
  const d = s.normalize('NFKC').replace(/[-‐－ー]/gu, '');
  return /^\d{7}$/.test(d) ? `${d.slice(0, 3)}-${d.slice(3)}` : s;
}
