import type { z } from 'zod';
import { kogakuChargeSchema, receiptLineSchema, type ClaimKind } from '../../../../shared/domain/claims';
import { chargeInput, isBlankChargeRow, isBlankKodomoRow, kodomoLineInput, type KindState, type KindStates, type Names } from './kindState';

/**
 * Cell messages for a line that is still being typed. The shared schema checks the relations within a line
 * (日数 against the 診療月, 支払額 against the total, …) only once every required cell parses, so a wrong
 * 日数 would wait for the 支払額 at the end of the line. Here the empty required cells are stood in for by
 * neutral values, the same shared schema runs, and what it says about the cells actually typed is kept.
 */
function hintsFor(schema: z.ZodType, value: Record<string, unknown>, subs: Record<string, unknown>, prefix: string, drop: readonly string[]): Record<string, string> {
  const r = schema.safeParse({ ...value, ...subs });
  const out: Record<string, string> = {};
  if (r.success) return out;
  for (const issue of r.error.issues) {
    const key = String(issue.path[0] ?? '').replace(/^totalPoints$/, 'totalCostYen');
    if (!key || key in subs || drop.includes(key)) continue;
    out[`${prefix}.${key}`] ??= issue.message;
  }
  return out;
}

const num = (v: unknown) => (typeof v === 'number' ? v : 0);
const missing = (v: unknown) => v === '' || v === undefined;

export function rowHints(kind: ClaimKind, state: KindState, names: Names): Record<string, string> {
  const out: Record<string, string> = {};
  if (kind === 'kodomo_shokan') {
    (state as KindStates['kodomo_shokan']).lines.forEach((row, i) => {
      if (isBlankKodomoRow(row)) return;
      const line = kodomoLineInput(row);
      const subs: Record<string, unknown> = {};
      if (missing(line.serviceMonth)) subs.serviceMonth = '2000-01';
      if (missing(line.institutionCode)) subs.institutionCode = '0000000';
      if (missing(line.institutionName)) subs.institutionName = '—';
      if (missing(line.days)) subs.days = 1;
      if (missing(line.paidYen)) subs.paidYen = num(line.highCostBenefitYen) + num(line.supplementaryBenefitYen) + num(line.otherPublicYen);
      Object.assign(out, hintsFor(receiptLineSchema, line, subs, `input.lines.${i}`, subs.serviceMonth ? ['days'] : []));
    });
  } else if (kind === 'kokuho_kogaku') {
    (state as KindStates['kokuho_kogaku']).charges.forEach((row, i) => {
      if (isBlankChargeRow(row)) return;
      const c = chargeInput(row, names);
      const subs: Record<string, unknown> = {};
      if (missing(c.memberId)) subs.memberId = 'x';
      if (missing(c.institutionCode)) subs.institutionCode = '0000000';
      if (missing(c.institutionName)) subs.institutionName = '—';
      if (missing(c.copayYen)) subs.copayYen = 0;
      if (missing(c.totalCostYen)) subs.totalCostYen = num(c.copayYen);
      Object.assign(out, hintsFor(kogakuChargeSchema, c, subs, `input.charges.${i}`, []));
    });
  }
  return out;
}
