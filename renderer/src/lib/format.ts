import { formatWareki, isValidIsoDate } from '../../../shared/domain/wareki';

/** A date (YYYY-MM-DD) in 和暦; nothing → '—'; anything that is not a date is shown as it is. */
export function dateJa(iso: string | null | undefined): string {
  if (!iso) return '—';
  return isValidIsoDate(iso) ? formatWareki(iso) : iso;
}

/** 20261120 → 2026-11-20, 202610 → 2026-10 (full-width digits and slashes accepted); otherwise as typed. */
export function normalizeDateText(raw: string): string {
  const s = raw.normalize('NFKC').trim().replace(/[/.]/g, '-');
  if (/^\d{8}$/.test(s)) return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`;
  if (/^\d{6}$/.test(s)) return `${s.slice(0, 4)}-${s.slice(4)}`;
  const m = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/.exec(s);
  if (m) return [m[1], m[2]!.padStart(2, '0'), ...(m[3] ? [m[3].padStart(2, '0')] : [])].join('-');
  return raw.trim();
}
