import { useEffect, useState } from 'react';
import { DEPOSIT_TYPES, normalizeAccountHolderKana, normalizeAccountNumber } from '../../../../shared/domain/bank-account';
import { call } from '../../lib/api';
import { Field } from '../../ui/Field';
import type { BankState } from './entryModel';

export const BANK_LOOKUP_DELAY_MS = 250;
type Entry = { code: string; name: string; kana: string };
export type BankNames = { bankName: string | null; branchName: string | null };

const digits = (s: string) => s.normalize('NFKC').trim();

/** banks.search as staff type (debounced): the exact code's name, or the closest candidates. */
function useDirectory(bankCode: string | null, query: string, enabled: boolean) {
  const [result, setResult] = useState<{ key: string; results: Entry[] } | null>(null);
  const key = `${bankCode ?? ''}|${query}`;
  useEffect(() => {
    if (!enabled || query === '') return;
    let live = true;
    const t = window.setTimeout(() => {
      call('banks.search', { bankCode, query }).then(
        (r) => live && setResult({ key, results: r.results }),
        () => live && setResult({ key, results: [] }),
      );
    }, BANK_LOOKUP_DELAY_MS);
    return () => {
      live = false;
      window.clearTimeout(t);
    };
  }, [bankCode, query, enabled, key]);
  return result && result.key === key && enabled && query !== '' ? result.results : null;
}

function lookupText(code: string, len: number, results: Entry[] | null, what: string): { name: string | null; text: string | null } {
  if (code === '') return { name: null, text: null };
  if (results === null) return { name: null, text: '検索中…' };
  const exact = results.find((r) => r.code === code);
  if (exact) return { name: exact.name, text: `${exact.name}（${exact.kana}）` };
  if (/^\d+$/.test(code) && code.length === len) return { name: null, text: `${what}コード ${code} は全銀コード一覧にありません` };
  return { name: null, text: results.length ? `候補: ${results.slice(0, 5).map((r) => `${r.code} ${r.name}`).join('、')}` : '該当がありません' };
}

/** 振込先口座: names as codes are typed, 名義人 shown as it will be sent (半角カナ), 公金受取口座 with consent. */
export function BankSection({ state, onChange, errors, onNames }: { state: BankState; onChange(s: BankState): void; errors: Record<string, string>; onNames(n: BankNames): void }) {
  const set = (p: Partial<BankState>) => onChange({ ...state, ...p });
  const bankCode = digits(state.bankCode);
  const branchCode = digits(state.branchCode);
  const banks = useDirectory(null, bankCode, true);
  const bank = lookupText(bankCode, 4, banks, '金融機関');
  const branches = useDirectory(bankCode, branchCode, bank.name !== null);
  const branch = bank.name ? lookupText(branchCode, 3, branches, '支店') : { name: null, text: branchCode ? '先に金融機関コードを入力してください' : null };
  useEffect(() => onNames({ bankName: bank.name, branchName: branch.name }), [bank.name, branch.name, onNames]);

  const kana = state.holderKana.trim() ? normalizeAccountHolderKana(state.holderKana) : null;
  const account = state.accountNumber.trim() ? normalizeAccountNumber(state.accountNumber) : null;
  return (
    <section className="bank" aria-label="振込先口座">
      <h2>振込先口座</h2>
      <div className="form-row">
        <Field label="金融機関コード" error={errors['bank.bankCode']}>
          {(p) => <input {...p} value={state.bankCode} inputMode="numeric" autoComplete="off" maxLength={8} onChange={(e) => set({ bankCode: e.target.value })} />}
        </Field>
        <output className="lookup" data-testid="bank-name" aria-live="polite">
          {bank.text}
        </output>
        <Field label="支店コード" error={errors['bank.branchCode']}>
          {(p) => <input {...p} value={state.branchCode} inputMode="numeric" autoComplete="off" maxLength={8} onChange={(e) => set({ branchCode: e.target.value })} />}
        </Field>
        <output className="lookup" data-testid="branch-name" aria-live="polite">
          {branch.text}
        </output>
      </div>
      <div className="form-row">
        <Field label="預金種別" error={errors['bank.depositType']}>
          {(p) => (
            <select {...p} value={state.depositType} onChange={(e) => set({ depositType: e.target.value })}>
              {DEPOSIT_TYPES.map((d) => (
                <option key={d}>{d}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="口座番号" error={errors['bank.accountNumber']} {...(account?.ok && account.note ? { hint: account.note } : {})}>
          {(p) => <input {...p} value={state.accountNumber} inputMode="numeric" autoComplete="off" maxLength={16} onChange={(e) => set({ accountNumber: e.target.value })} />}
        </Field>
        <Field label="口座名義（カナ）" error={errors['bank.holderKana'] ?? (kana && !kana.ok ? kana.message : undefined)}>
          {(p) => <input {...p} value={state.holderKana} autoComplete="off" maxLength={60} onChange={(e) => set({ holderKana: e.target.value })} />}
        </Field>
        <output className="lookup" data-testid="holder-kana" aria-live="polite">
          {kana?.ok ? `振込名義: ${kana.value}` : null}
        </output>
      </div>
      <label className="check">
        <input type="checkbox" checked={state.publicFundAccount} onChange={(e) => set({ publicFundAccount: e.target.checked, publicFundConsent: e.target.checked && state.publicFundConsent })} /> 公金受取口座を利用する
      </label>
      {state.publicFundAccount && (
        <label className="check">
          <input type="checkbox" checked={state.publicFundConsent} onChange={(e) => set({ publicFundConsent: e.target.checked })} /> 申請者が公金受取口座の利用に同意した
        </label>
      )}
      {errors['bank.publicFundConsent'] && <div className="field__error">{errors['bank.publicFundConsent']}</div>}
    </section>
  );
}
