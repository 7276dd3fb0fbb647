import type { ReactNode } from 'react';
import { B_VACCINES, KYUSAI_ATTACHMENTS } from '../../../../shared/domain/claims';
import { TAX_STATUSES } from '../../../../shared/domain/vaccination-exemption';
import { Field } from '../../ui/Field';
import { SelectField } from '../../ui/SelectField';
import { DateField } from '../../ui/DateInput';
import { errorAt } from './entryModel';
import type { KindStates } from './kindState';
import { groupDigits } from './format';

interface Props<S> {
  state: S;
  onChange(s: S): void;
  errors: Record<string, string>;
}

function Text({ label, value, error, onChange, placeholder, hint, amount, required }: { label: string; value: string; error: string | undefined; onChange(v: string): void; placeholder?: string; hint?: string; amount?: boolean; required?: boolean }) {
  return (
    <Field label={label} error={error} required={required} {...(hint ? { hint } : {})}>
      {(p) => (
        <input
          {...p}
          value={value}
          placeholder={placeholder}
          autoComplete="off"
          inputMode={amount ? 'numeric' : undefined}
          onChange={(e) => onChange(e.target.value)}
          // An amount gets its thousands separators once the field is left (read back with or without them).
          onBlur={amount ? (e) => groupDigits(e.target.value) !== e.target.value && onChange(groupDigits(e.target.value)) : undefined}
        />
      )}
    </Field>
  );
}

function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange(v: boolean): void }) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {label}
    </label>
  );
}

const Row = ({ children }: { children: ReactNode }) => <div className="form-row">{children}</div>;

export function RyoyohiFields({ state, onChange, errors }: Props<KindStates['kokuho_ryoyohi']>) {
  const set = (p: Partial<KindStates['kokuho_ryoyohi']>) => onChange({ ...state, ...p });
  return (
    <Row>
      <Text label="費用額（円）" amount value={state.costYen} error={errorAt(errors, 'input.costYen')} onChange={(v) => set({ costYen: v })} required />
      <Text label="給付割合" hint="空欄なら市の定める給付割合で計算します（例: 0.7）" value={state.benefitRate} error={errorAt(errors, 'input.benefitRate')} onChange={(v) => set({ benefitRate: v })} />
      <DateField label="支払日" value={state.paidOn} error={errorAt(errors, 'input.paidOn')} onChange={(v) => set({ paidOn: v })} required />
    </Row>
  );
}

export function ShussanFields({ state, onChange, errors }: Props<KindStates['kokuho_shussan']>) {
  const set = (p: Partial<KindStates['kokuho_shussan']>) => onChange({ ...state, ...p });
  return (
    <>
      <Row>
        <DateField label="出産日" value={state.birthDate} error={errorAt(errors, 'input.birthDate')} onChange={(v) => set({ birthDate: v })} required />
        <Text label="出生児数" value={state.childCount} error={errorAt(errors, 'input.childCount')} onChange={(v) => set({ childCount: v })} required />
      </Row>
      <Row>
        <Check label="産科医療補償制度に加入している医療機関等での出産" checked={state.obstetricCompensationScheme} onChange={(v) => set({ obstetricCompensationScheme: v })} />
        <Check label="妊娠22週以降の出産" checked={state.atLeast22Weeks} onChange={(v) => set({ atLeast22Weeks: v })} />
        <Check label="直接支払制度を利用した" checked={state.directPayment} onChange={(v) => set({ directPayment: v })} />
      </Row>
      {state.directPayment && <Text label="出産費用（円）" amount value={state.deliveryCostYen} error={errorAt(errors, 'input.deliveryCostYen')} onChange={(v) => set({ deliveryCostYen: v })} required />}
    </>
  );
}

export function SousaiFields({ state, onChange, errors }: Props<KindStates['kokuho_sousai']>) {
  const set = (p: Partial<KindStates['kokuho_sousai']>) => onChange({ ...state, ...p });
  return (
    <Row>
      <DateField label="葬祭を行った日" value={state.funeralDate} error={errorAt(errors, 'input.funeralDate')} onChange={(v) => set({ funeralDate: v })} required />
      <Text label="喪主の氏名" value={state.mournerName} error={errorAt(errors, 'input.mournerName')} onChange={(v) => set({ mournerName: v })} required />
    </Row>
  );
}

export function GenmenFields({ state, onChange, errors }: Props<KindStates['yobou_genmen']>) {
  const set = (p: Partial<KindStates['yobou_genmen']>) => onChange({ ...state, ...p });
  return (
    <Row>
      <SelectField<string> label="課税有無" value={state.taxStatus} choices={TAX_STATUSES} error={errorAt(errors, 'input.taxStatus')} onChange={(v) => set({ taxStatus: v })} required />
      <SelectField<string> label="ワクチン" value={state.vaccine} choices={B_VACCINES} error={errorAt(errors, 'input.vaccine')} onChange={(v) => set({ vaccine: v })} required />
    </Row>
  );
}

export function KyusaiFields({ state, onChange, errors }: Props<KindStates['yobou_kyusai']>) {
  const set = (p: Partial<KindStates['yobou_kyusai']>) => onChange({ ...state, ...p });
  const toggle = (a: string, on: boolean) => set({ attachments: on ? [...state.attachments, a] : state.attachments.filter((x) => x !== a) });
  return (
    <>
      <Row>
        <SelectField<string> label="請求の種類" value={state.benefit} choices={['医療費', '医療手当']} error={errorAt(errors, 'input.benefit')} onChange={(v) => set({ benefit: v })} required />
        <Text label="ワクチン名" value={state.vaccine} error={errorAt(errors, 'input.vaccine')} onChange={(v) => set({ vaccine: v })} required />
        <DateField label="接種日" value={state.vaccinatedOn} error={errorAt(errors, 'input.vaccinatedOn')} onChange={(v) => set({ vaccinatedOn: v })} required />
        <DateField label="書類の到達日" value={state.arrivedOn} error={errorAt(errors, 'input.arrivedOn')} onChange={(v) => set({ arrivedOn: v })} required />
      </Row>
      <fieldset>
        <legend>添付書類</legend>
        {KYUSAI_ATTACHMENTS.map((a) => (
          <Check key={a} label={a} checked={state.attachments.includes(a)} onChange={(on) => toggle(a, on)} />
        ))}
      </fieldset>
    </>
  );
}
