import { KOGAKU_KUBUN, RECEIPT_CATEGORIES, RECEIPT_CATEGORY_LABELS, type ClaimComputation } from '../../../../shared/domain/claims';
import { Field } from '../../ui/Field';
import { MonthField } from '../../ui/DateInput';
import { parseMonthInput } from '../../../../shared/domain/wareki';
import { errorAt } from './entryModel';
import { formatYen, parseAmount } from './format';
import { emptyChargeRow, emptyKodomoRow, type ChargeRow, type KindStates, type KodomoRow } from './kindState';
import { LineGrid, type GridColumn } from './LineGrid';

const categoryOptions = RECEIPT_CATEGORIES.map((c) => ({ value: c, label: RECEIPT_CATEGORY_LABELS[c] }));

export const KODOMO_COLUMNS: readonly GridColumn<KodomoRow>[] = [
  { key: 'serviceMonth', label: '診療年月', date: 'month', size: 's' },
  { key: 'institutionCode', label: '医療機関コード', numeric: true, size: 's' },
  { key: 'institutionName', label: '医療機関名', size: 'l' },
  { key: 'category', label: '区分', options: categoryOptions },
  { key: 'days', label: '日数', numeric: true, size: 's' },
  { key: 'costUnit', label: '単位', options: [{ value: 'yen', label: '円' }, { value: 'points', label: '点' }] },
  { key: 'totalCostYen', label: '医療費総額・総点数', numeric: true, amount: true },
  { key: 'highCostBenefitYen', label: '高額療養費', numeric: true, amount: true },
  { key: 'supplementaryBenefitYen', label: '附加給付金', numeric: true, amount: true },
  { key: 'otherPublicYen', label: '他公費', numeric: true, amount: true },
  { key: 'paidYen', label: '支払額', numeric: true, amount: true },
];

/** The cells of a 高額療養費 charge line but the 対象者 (whose choices are the household). */
export const CHARGE_COLUMNS: readonly GridColumn<ChargeRow>[] = [
  { key: 'institutionCode', label: '医療機関コード', numeric: true, size: 's' },
  { key: 'institutionName', label: '医療機関名', size: 'l' },
  { key: 'category', label: '区分', options: categoryOptions.filter((o) => o.value !== 'pharmacy') },
  { key: 'totalCostYen', label: '医療費', numeric: true, amount: true },
  { key: 'copayYen', label: '一部負担金', numeric: true, amount: true },
];

const sum = (xs: string[]) => xs.reduce((a, x) => a + (typeof parseAmount(x) === 'number' ? (parseAmount(x) as number) : 0), 0);

interface GridProps<S> {
  state: S;
  onChange(s: S): void;
  errors: Record<string, string>;
  computation: ClaimComputation | null;
  rowMap: readonly number[];
}

/** こども医療費 償還払い: one line per receipt, the 助成額 of each line and the totals update as staff type. */
export function KodomoFields({ state, onChange, errors, computation, rowMap }: GridProps<KindStates['kodomo_shokan']>) {
  const subsidy = new Map<number, number>();
  for (const l of computation?.breakdown ?? []) if (l.kind === 'result' && l.label === '助成額' && l.lineIndex !== undefined) subsidy.set(rowMap[l.lineIndex] ?? -1, l.amount);
  const lines = state.lines;
  return (
    <section aria-label="領収書の明細">
      <h2>領収書の明細</h2>
      {errors['input.lines'] && <div className="field__error">{errors['input.lines']}</div>}
      <LineGrid
        label="領収書の明細"
        rows={lines}
        columns={KODOMO_COLUMNS}
        onChange={(rows) => onChange({ lines: rows })}
        newRow={(prev) => emptyKodomoRow(prev?.serviceMonth ?? '')}
        errors={errors}
        errorPrefix="input.lines"
        extraHeader={<th scope="col">助成額</th>}
        extraCell={(i) => <td className="num" data-testid={`line-subsidy-${i + 1}`}>{subsidy.has(i) ? formatYen(subsidy.get(i)!) : '—'}</td>}
        footer={
          <tr className="line-grid__total">
            <th scope="row" colSpan={5}>
              合計（{lines.length}行）
            </th>
            <td className="num" data-testid="total-days">{sum(lines.map((l) => l.days))}日</td>
            <td colSpan={5} />
            <td className="num" data-testid="total-paid">{formatYen(sum(lines.map((l) => l.paidYen)))}</td>
            <td className="num" data-testid="total-subsidy">{computation?.amountYen !== null && computation ? formatYen(computation.amountYen) : '—'}</td>
            <td />
          </tr>
        }
      />
    </section>
  );
}

/** The hint under the earlier 該当 months: what each typed month was read as (or why it cannot be). */
function monthsHint(typed: string): string {
  const parts = typed.split(/[,、\s]+/u).filter(Boolean);
  if (parts.length === 0) return '高額療養費が支給された診療年月を「,」区切りで（多数回該当の判定）';
  return parts.map((p) => {
    const r = parseMonthInput(p);
    return r.ok ? `${r.wareki}（${r.ym}）` : `「${p}」: ${r.message}`;
  }).join('、');
}

/** 国保 高額療養費: 区分, 診療年月, the household's charges per member and institution, earlier 該当 months. */
export function KogakuFields({ state, onChange, errors, persons }: GridProps<KindStates['kokuho_kogaku']> & { persons: readonly { id: string; name: string }[] }) {
  const set = (patch: Partial<KindStates['kokuho_kogaku']>) => onChange({ ...state, ...patch });
  const columns: readonly GridColumn<ChargeRow>[] = [{ key: 'memberId', label: '対象者', options: persons.map((p) => ({ value: p.id, label: p.name })) }, ...CHARGE_COLUMNS];
  return (
    <section aria-label="高額療養費の明細">
      <div className="form-row">
        <Field label="所得区分" error={errorAt(errors, 'input.kubun')} required>
          {(p) => (
            <select {...p} value={state.kubun} onChange={(e) => set({ kubun: e.target.value })}>
              <option value="">選択してください</option>
              {KOGAKU_KUBUN.map((k) => (
                <option key={k} value={k}>
                  区分{k}
                </option>
              ))}
            </select>
          )}
        </Field>
        <MonthField label="診療年月" error={errorAt(errors, 'input.serviceMonth')} value={state.serviceMonth} onChange={(serviceMonth) => set({ serviceMonth })} required />
        <Field label="過去12か月の該当月" hint={monthsHint(state.previousApplicableMonths)} error={errorAt(errors, 'input.previousApplicableMonths')}>
          {(p) => <input {...p} value={state.previousApplicableMonths} placeholder="例: R8.5, R8.7" autoComplete="off" onChange={(e) => set({ previousApplicableMonths: e.target.value })} />}
        </Field>
      </div>
      <h2>医療機関ごとの一部負担金</h2>
      {errors['input.charges'] && <div className="field__error">{errors['input.charges']}</div>}
      <LineGrid
        label="医療機関ごとの一部負担金"
        rows={state.charges}
        columns={columns}
        onChange={(charges) => set({ charges })}
        newRow={(prev) => emptyChargeRow(prev?.memberId ?? persons[0]?.id ?? '')}
        errors={errors}
        errorPrefix="input.charges"
        footer={
          <tr className="line-grid__total">
            <th scope="row" colSpan={5}>
              合計
            </th>
            <td className="num">{formatYen(sum(state.charges.map((c) => c.totalCostYen)))}</td>
            <td className="num" data-testid="total-copay">{formatYen(sum(state.charges.map((c) => c.copayYen)))}</td>
            <td />
          </tr>
        }
      />
    </section>
  );
}
