import { hasValue, type EntryState } from './entryModel';
import { INPUT_LABELS } from './format';
import { CHARGE_COLUMNS, KODOMO_COLUMNS } from './GridKindFields';

const LINE_LABELS: Readonly<Record<string, readonly { key: string; label: string }[]>> = {
  lines: KODOMO_COLUMNS,
  charges: [{ key: 'memberId', label: '対象者' }, ...CHARGE_COLUMNS],
};
const LIST_LABELS: Readonly<Record<string, string>> = { lines: '領収書の明細', charges: '医療機関ごとの一部負担金' };

/** A claim input error key named as staff see the form: 'input.lines.0.days' → '1行目の日数'. */
function inputLabel(key: string): string {
  const cell = /^(lines|charges)\.(\d+)\.([^.]+)/.exec(key);
  if (cell) return `${Number(cell[2]) + 1}行目の${LINE_LABELS[cell[1]!]!.find((c) => c.key === cell[3])?.label ?? cell[3]}`;
  const field = key.split('.')[0]!;
  return LIST_LABELS[field] ?? INPUT_LABELS[key] ?? INPUT_LABELS[field] ?? field;
}

/**
 * What the calculation still needs, cell by cell, for the breakdown while it cannot be computed: an empty cell
 * as '1行目の日数（未入力）', a typed one with what is wrong ('診療年月: …'). Only the claim input counts.
 */
export function missingForCalculation(entry: EntryState, errors: Record<string, string>): string[] {
  return Object.entries(errors)
    .filter(([key]) => key.startsWith('input.'))
    .map(([key, message]) => (hasValue(entry, key) ? `${inputLabel(key.slice(6))}: ${message}` : `${inputLabel(key.slice(6))}（未入力）`));
}
