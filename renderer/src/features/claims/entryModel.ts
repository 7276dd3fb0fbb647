import type { ClaimDetail } from '../../../../shared/ipc/claims-contract';
import { ClaimInputError, computeClaim, paysMoney, type ClaimComputation, type ClaimKind, type ClaimRules } from '../../../../shared/domain/claims';
import { bankAccountSchema } from '../../../../shared/domain/bank-account';
import { checkIdentity, type FieldError } from '../../../../shared/domain/identity-check';
import { isoDateOrText, isValidIsoDate, parseDateInput } from '../../../../shared/domain/wareki';
import { rowHints } from './rowHints';
import { fromInput, initialKindState, toInput, type KindState, type Names } from './kindState';

export type IdentityState = {
  presenter: '本人' | '代理人';
  documents: string[];
  powerOfAttorney: boolean;
  agentDocuments: string[];
  confirmed: { name: boolean; birthDate: boolean; sex: boolean; address: boolean };
};
export type BankState = { bankCode: string; branchCode: string; depositType: string; accountNumber: string; holderKana: string; publicFundAccount: boolean; publicFundConsent: boolean };
/** The whole entry form; this is also what a draft holds. */
export type EntryState = { applicantId: string; applicationDate: string; kindState: KindState; identity: IdentityState; bank: BankState };

export const emptyIdentity = (): IdentityState => ({ presenter: '本人', documents: [], powerOfAttorney: false, agentDocuments: [], confirmed: { name: false, birthDate: false, sex: false, address: false } });
export const emptyBank = (): BankState => ({ bankCode: '', branchCode: '', depositType: '普通', accountNumber: '', holderKana: '', publicFundAccount: false, publicFundConsent: false });

export function initialEntry(kind: ClaimKind, opts: { today: string; applicantId: string; memberId: string; guardianId?: string }): EntryState {
  return { applicantId: opts.applicantId, applicationDate: opts.today, kindState: initialKindState(kind, { memberId: opts.memberId, ...(opts.guardianId !== undefined ? { guardianId: opts.guardianId } : {}) }), identity: emptyIdentity(), bank: emptyBank() };
}

/** The stored claim back into the form, for a correction. */
export function entryFromClaim(c: ClaimDetail, memberId: string): EntryState {
  const id = c.identity;
  const agent = id.agent && typeof id.agent === 'object' ? (id.agent as { powerOfAttorney?: boolean; documents?: string[] }) : null;
  const confirmed = (id.confirmed ?? {}) as Partial<IdentityState['confirmed']>;
  return {
    applicantId: c.applicantId ?? '',
    applicationDate: c.applicationDate,
    kindState: fromInput(c.kind, c.input, { memberId }),
    identity: {
      presenter: id.presenter === '代理人' ? '代理人' : '本人',
      documents: Array.isArray(id.documents) ? (id.documents as string[]) : [],
      powerOfAttorney: agent?.powerOfAttorney === true,
      agentDocuments: agent?.documents ?? [],
      confirmed: { name: confirmed.name === true, birthDate: confirmed.birthDate === true, sex: confirmed.sex === true, address: confirmed.address === true },
    },
    bank: c.bank
      ? { bankCode: c.bank.bankCode, branchCode: c.bank.branchCode, depositType: c.bank.depositType, accountNumber: c.bank.accountNumber, holderKana: c.bank.holderKana, publicFundAccount: c.bank.publicFundAccount, publicFundConsent: c.bank.publicFundAccount }
      : emptyBank(),
  };
}

export function identityPayload(s: IdentityState): Record<string, unknown> {
  return { presenter: s.presenter, documents: s.documents, agent: s.presenter === '代理人' ? { powerOfAttorney: s.powerOfAttorney, documents: s.agentDocuments } : null, confirmed: s.confirmed };
}

export function bankPayload(s: BankState) {
  return { ...s };
}

/** Error keys as the core names them ('input.lines.0.days'), with input lines mapped to form rows. */
export function mapInputPath(path: string, rowMap: readonly number[]): string {
  const m = /^(lines|charges)\.(\d+)(.*)$/.exec(path);
  let p = path;
  if (m) p = `${m[1]}.${rowMap[Number(m[2])] ?? m[2]}${m[3]}`;
  p = p.replace(/\.totalPoints$/, '.totalCostYen').replace(/^previousApplicableMonths\..*$/, 'previousApplicableMonths').replace(/^directPayment\./, '');
  return p === 'applicationDate' ? p : `input.${p}`;
}

export function mapServerErrors(fieldErrors: Record<string, string>, rowMap: readonly number[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fieldErrors)) out[k.startsWith('input.') ? mapInputPath(k.slice(6), rowMap) : k] = v;
  return out;
}

export interface Evaluation {
  input: Record<string, unknown>;
  rowMap: number[];
  computation: ClaimComputation | null;
  /** Everything wrong now, keyed like the core's fieldErrors. */
  errors: Record<string, string>;
  /** What the identity check still misses (shown as a list). */
  identity: { ok: boolean; method: string | null; missing: FieldError[] };
  general: string | null;
}

export function evaluate(kind: ClaimKind, s: EntryState, rules: ClaimRules, today: string, names: Names): Evaluation {
  const { input, rowMap } = toInput(kind, s.kindState, names);
  const errors: Record<string, string> = {};
  const add = (k: string, m: string) => {
    errors[k] ??= m;
  };
  const date = isoDateOrText(s.applicationDate);
  const read = parseDateInput(s.applicationDate);
  if (!read.ok) add('applicationDate', s.applicationDate.trim() ? read.message : '申請日を入力してください');
  else if (date > today) add('applicationDate', '申請日に未来の日付は入力できません');
  let computation: ClaimComputation | null = null;
  let general: string | null = null;
  try {
    computation = computeClaim(kind, input, rules, isValidIsoDate(date) ? date : today);
  } catch (e) {
    if (e instanceof ClaimInputError) for (const i of e.issues) add(mapInputPath(i.path, rowMap), i.message);
    else general = e instanceof Error ? e.message : '計算できませんでした。';
  }
  for (const [k, m] of Object.entries(rowHints(kind, s.kindState, names))) add(k, m);
  const id = checkIdentity(identityPayload(s.identity));
  if (paysMoney(kind)) {
    const b = bankAccountSchema.safeParse(bankPayload(s.bank));
    if (!b.success) for (const i of b.error.issues) add(`bank.${i.path.map(String).join('.')}`, i.message);
  }
  return { input, rowMap, computation, errors, identity: id.ok ? { ok: true, method: id.method, missing: [] } : { ok: false, method: null, missing: id.errors }, general };
}

/**
 * Whether the form value behind an error key has been typed (errors of untouched fields wait for 確認へ進む). A
 * whole list (the lines, the charges, the attachments) is never "typed": its error ('at least one line') waits.
 */
export function hasValue(s: EntryState, key: string): boolean {
  const parts = key.split('.');
  let cur: unknown = parts[0] === 'input' ? s.kindState : parts[0] === 'bank' ? s.bank : s;
  for (const p of parts[0] === 'input' || parts[0] === 'bank' ? parts.slice(1) : parts) {
    if (cur === null || typeof cur !== 'object') return false;
    cur = (cur as Record<string, unknown>)[p];
  }
  if (typeof cur === 'string') return cur.trim() !== '';
  if (Array.isArray(cur)) return false;
  return cur !== undefined && cur !== null && cur !== false;
}

/** Error lookup: the key itself, or the first error under it. */
export function errorAt(errors: Record<string, string>, key: string): string | undefined {
  if (errors[key]) return errors[key];
  const k = Object.keys(errors).find((e) => e.startsWith(`${key}.`));
  return k ? errors[k] : undefined;
}
