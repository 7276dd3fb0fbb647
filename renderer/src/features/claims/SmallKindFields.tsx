import type { ReactNode } from 'react';
import { B_VACCINES, KYUSAI_ATTACHMENTS } from '../../../../shared/domain/claims';
import { TAX_STATUSES } from '../../../../shared/domain/vaccination-exemption';
import { DELIVERY_METHODS, INSURANCE_KINDS, INSURED_RELATIONS, KODOMO_ACQUIRE_REASONS } from '../../../../shared/domain/kodomo-shikaku';
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

const ACQUIRE_CHOICES = Object.entries(KODOMO_ACQUIRE_REASONS).map(([value, label]) => ({ value, label }));

/**
 * 受給資格の交付申請: 資格取得日・事由, the 保護者 (one of the child's guardians; also the 申請者), the 主保険 and how the
 * 医療証 is handed over (送付先 only for 郵送). Errors are keyed as the core names them ('input.insurance.number').
 */
export function ShikakuFields({ state, onChange, errors, guardians }: Props<KindStates['kodomo_shikaku']> & { guardians: readonly { id: string; label: string }[] }) {
  const set = (p: Partial<KindStates['kodomo_shikaku']>) => onChange({ ...state, ...p });
  const ins = (p: Partial<KindStates['kodomo_shikaku']['insurance']>) => set({ insurance: { ...state.insurance, ...p } });
  const del = (p: Partial<KindStates['kodomo_shikaku']['delivery']>) => set({ delivery: { ...state.delivery, ...p } });
  const i = state.insurance;
  const d = state.delivery;
  return (
    <>
      <Row>
        <DateField label="資格取得日" value={state.acquiredOn} error={errorAt(errors, 'input.acquiredOn')} onChange={(v) => set({ acquiredOn: v })} required />
        <SelectField<string> label="取得の事由" value={state.acquireReason} choices={ACQUIRE_CHOICES} error={errorAt(errors, 'input.acquireReason')} onChange={(v) => set({ acquireReason: v })} required />
        <SelectField<string>
          label="保護者（申請者）"
          value={state.guardianId}
          choices={guardians.map((g) => ({ value: g.id, label: g.label }))}
          error={errorAt(errors, 'input.guardianId')}
          onChange={(v) => set({ guardianId: v })}
          required
        />
      </Row>
      <fieldset>
        <legend>主保険（加入している健康保険）</legend>
        <Row>
          <Text label="保険者名" value={i.insurerName} error={errorAt(errors, 'input.insurance.insurerName')} onChange={(v) => ins({ insurerName: v })} required />
          <SelectField<string> label="保険の種別" value={i.kind} choices={INSURANCE_KINDS} error={errorAt(errors, 'input.insurance.kind')} onChange={(v) => ins({ kind: v })} required />
          <SelectField<string> label="本人・家族" value={i.relation} choices={INSURED_RELATIONS} error={errorAt(errors, 'input.insurance.relation')} onChange={(v) => ins({ relation: v })} required />
        </Row>
        <Row>
          <Text label="記号" value={i.symbol} error={errorAt(errors, 'input.insurance.symbol')} onChange={(v) => ins({ symbol: v })} />
          <Text label="番号" value={i.number} error={errorAt(errors, 'input.insurance.number')} onChange={(v) => ins({ number: v })} required />
          <Text label="枝番" placeholder="例: 01" value={i.branch} error={errorAt(errors, 'input.insurance.branch')} onChange={(v) => ins({ branch: v })} />
        </Row>
      </fieldset>
      <fieldset>
        <legend>医療証の交付方法</legend>
        <Row>
          <SelectField<string> label="交付方法" value={d.method} choices={DELIVERY_METHODS} error={errors['input.delivery'] ?? errors['input.delivery.method']} onChange={(v) => del({ method: v })} required />
        </Row>
        {d.method === '郵送' && (
          <Row>
            <Text label="送付先の郵便番号" placeholder="例: 530-0001" value={d.postalCode} error={errorAt(errors, 'input.delivery.postalCode')} onChange={(v) => del({ postalCode: v })} required />
            <Text label="送付先の住所" value={d.address} error={errorAt(errors, 'input.delivery.address')} onChange={(v) => del({ address: v })} required />
            <Text label="送付先の宛名" value={d.addressee} error={errorAt(errors, 'input.delivery.addressee')} onChange={(v) => del({ addressee: v })} required />
          </Row>
        )}
      </fieldset>
    </>
  );
}
