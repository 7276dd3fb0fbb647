import { formatWareki, isValidIsoDate } from '../../../shared/domain/wareki';

/** A date (YYYY-MM-DD) in 和暦; nothing → '—'; anything that is not a date is shown as it is. */
export function dateJa(iso: string | null | undefined): string {
  if (!iso) return '—';
  return isValidIsoDate(iso) ? formatWareki(iso) : iso;
}
