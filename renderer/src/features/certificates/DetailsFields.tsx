import { TOKUTEI_DISEASES, type CertType } from '../../../../shared/domain/certificate-types';
import { KOGAKU_KUBUN } from '../../../../shared/domain/claims/rule-tables';
import type { ResponseOf } from '../../../../shared/ipc/contract';
import { isoDateOrText, parseDateInput } from '../../../../shared/domain/wareki';
import { Field } from '../../ui/Field';
import { dateJa } from '../../lib/format';
import { DateField } from '../../ui/DateInput';
import { SelectField } from '../../ui/SelectField';

type Prep = ResponseOf<'certificates.prepare'>;
/** What the details inputs need from certificates.prepare. */
type Choices = Pick<Prep, 'grantedExemptions' | 'vaccinationRecords' | 'guardians'>;
type Guardians = Prep['guardians'];

/** What the counter types for a type's 記載事項 (details); built into the core's details object on submit. */
export interface DetailsForm {
  /** こども医療証: the 保護者 chosen ('' = the first guardian, which the form pre-selects). */
  guardianId: string;
  limitKubun: string;
  kubun: string;
  longStayFrom: string;
  disease: string;
  limitYen: string;
  claimNo: string;
  purpose: string;
}

export const EMPTY_DETAILS: DetailsForm = { guardianId: '', limitKubun: '', kubun: '', longStayFrom: '', disease: '', limitYen: '', claimNo: '', purpose: '' };

/** The form of an existing certificate's details (訂正 starts from what was issued). */
export function detailsFormFrom(d: Record<string, unknown>): DetailsForm {
  const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return { guardianId: s(d.guardianId), limitKubun: s(d.limitKubun), kubun: s(d.kubun), longStayFrom: s(d.longStayFrom), disease: s(d.disease), limitYen: s(d.limitYen), claimNo: s(d.claimNo), purpose: s(d.purpose) };
}

/** Checks done before the confirmation step (the core checks again with the shared schema). */
/** The 保護者 the form has chosen: the one picked, else the first of the child's guardians. */
const guardianOf = (f: DetailsForm, guardians: Guardians): string => f.guardianId || guardians[0]?.id || '';

export function detailsErrors(type: CertType, f: DetailsForm, prep: Choices): Record<string, string> {
  const e: Record<string, string> = {};
  if (type === 'kodomo' && !guardianOf(f, prep.guardians)) e['details.guardianId'] = '受給者（保護者）を選択してください';
  if (type === 'kokuho_gendogaku' && !f.kubun) e['details.kubun'] = '適用区分（ア〜オ）を選択してください';
  const longStay = f.longStayFrom.trim() ? parseDateInput(f.longStayFrom) : null;
  if (type === 'kokuho_gengaku' && longStay && !longStay.ok) e['details.longStayFrom'] = longStay.message;
  if (type === 'kokuho_tokutei' && !f.disease) e['details.disease'] = '特定疾病を選択してください';
  if (type === 'kokuho_tokutei' && !f.limitYen) e['details.limitYen'] = '自己負担限度額を選択してください';
  if (type === 'yobou_genmen' && !prep.grantedExemptions.some((x) => x.claimNo === f.claimNo)) e['details.claimNo'] = '交付決定済みの減免申請を選択してください';
  if (type === 'yobou_shomei' && prep.vaccinationRecords.length === 0) e['details.records'] = '証明する接種記録がありません。先に接種歴を登録してください';
  return e;
}

export function buildDetails(type: CertType, f: DetailsForm, prep: Choices): Record<string, unknown> {
  switch (type) {
    case 'kodomo':
      return { guardianId: guardianOf(f, prep.guardians) };
    case 'kokuho_shikaku':
      return { limitKubun: f.limitKubun || null };
    case 'kokuho_gendogaku':
      return { kubun: f.kubun };
    case 'kokuho_gengaku':
      return { kubun: 'オ', longStayFrom: f.longStayFrom.trim() ? isoDateOrText(f.longStayFrom) : null };
    case 'kokuho_tokutei':
      return { disease: f.disease, limitYen: Number(f.limitYen) };
    case 'yobou_genmen':
      return { vaccine: prep.grantedExemptions.find((x) => x.claimNo === f.claimNo)?.vaccine ?? '', claimNo: f.claimNo };
    case 'yobou_shomei':
      return { records: prep.vaccinationRecords, purpose: f.purpose.trim() || null };
    default:
      return {};
  }
}

/** The details as label/value pairs for the confirmation step and the history (`guardians` names the 保護者). */
export function detailsSummary(type: CertType, d: Record<string, unknown>, guardians: readonly { id: string; nameKanji: string }[] = []): [string, string][] {
  switch (type) {
    case 'kodomo':
      return [['受給者（保護者）', guardians.find((g) => g.id === d.guardianId)?.nameKanji ?? '']];
    case 'kokuho_shikaku':
      return [['限度区分の記載', d.limitKubun ? `区分${String(d.limitKubun)}` : '記載しない']];
    case 'kokuho_gendogaku':
      return [['適用区分', String(d.kubun ?? '')]];
    case 'kokuho_gengaku':
      return [['適用区分', String(d.kubun ?? '')], ['長期入院該当年月日', d.longStayFrom ? dateJa(String(d.longStayFrom)) : '該当なし']];
    case 'kokuho_tokutei':
      return [['特定疾病', String(d.disease ?? '')], ['自己負担限度額', `${Number(d.limitYen).toLocaleString('ja-JP')}円`]];
    case 'yobou_genmen':
      return [['対象ワクチン', String(d.vaccine ?? '')], ['申請受付番号', String(d.claimNo ?? '')]];
    case 'yobou_shomei':
      return [['証明する接種記録', `${Array.isArray(d.records) ? d.records.length : 0}件`], ['提出先・用途', d.purpose ? String(d.purpose) : '—']];
    default:
      return [];
  }
}

interface Props {
  type: CertType;
  form: DetailsForm;
  set(f: DetailsForm): void;
  errors: Record<string, string>;
  prep: Choices;
}

const LIMIT_YEN_CHOICES = [
  { value: '10000', label: '10,000円' },
  { value: '20000', label: '20,000円（上位所得者の人工透析）' },
];

/** The 記載事項 inputs of one type (限度区分, 適用区分, 特定疾病, 減免申請, 接種記録 …). */
export function DetailsFields({ type, form, set, errors, prep }: Props) {
  const upd = (k: keyof DetailsForm) => (e: { target: { value: string } }) => pick(k)(e.target.value);
  const pick = (k: keyof DetailsForm) => (value: string) => set({ ...form, [k]: value });
  const err = (k: string) => errors[`details.${k}`] ?? errors[k];
  switch (type) {
    case 'kodomo':
      return (
        <Field label="受給者（保護者）" error={err('guardianId')} required>
          {(p) => (
            <select {...p} value={guardianOf(form, prep.guardians)} onChange={upd('guardianId')}>
              {prep.guardians.length === 0 && <option value="">保護者が登録されていません</option>}
              {prep.guardians.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.nameKanji}（{g.relationship}）
                </option>
              ))}
            </select>
          )}
        </Field>
      );
    case 'kokuho_shikaku':
      return (
        <SelectField<string>
          label="限度区分の記載"
          error={err('limitKubun')}
          hint="申請があった場合のみ、資格確認書に所得区分を記載します。"
          placeholder="記載しない"
          value={form.limitKubun}
          choices={KOGAKU_KUBUN.map((k) => ({ value: k, label: `区分${k}` }))}
          onChange={pick('limitKubun')}
        />
      );
    case 'kokuho_gendogaku':
      return (
        <SelectField<string> label="適用区分" error={err('kubun')} value={form.kubun} choices={KOGAKU_KUBUN} onChange={pick('kubun')} required />
      );
    case 'kokuho_gengaku':
      return (
        <>
          <p>適用区分: オ（住民税非課税世帯）</p>
          <DateField label="長期入院該当年月日（該当する場合）" error={err('longStayFrom')} value={form.longStayFrom} onChange={pick('longStayFrom')} />
        </>
      );
    case 'kokuho_tokutei':
      return (
        <>
          <SelectField<string> label="特定疾病" error={err('disease')} value={form.disease} choices={TOKUTEI_DISEASES} onChange={pick('disease')} required />
          <SelectField label="自己負担限度額" error={err('limitYen')} value={form.limitYen} choices={LIMIT_YEN_CHOICES} onChange={pick('limitYen')} required />
        </>
      );
    case 'yobou_genmen':
      return prep.grantedExemptions.length === 0 ? (
        <p className="field__error" role="alert">
          この方には「交付」と決定された減免申請がありません。減免券は減免申請の決定後に交付します。
        </p>
      ) : (
        <SelectField<string>
          label="減免申請（交付決定済み）"
          required
          error={err('claimNo')}
          value={form.claimNo}
          choices={prep.grantedExemptions.map((x) => ({ value: x.claimNo, label: `受付番号 ${x.claimNo}（${x.vaccine}）` }))}
          onChange={pick('claimNo')}
        />
      );
    case 'yobou_shomei':
      return <ShomeiFields form={form} upd={upd} err={err} prep={prep} />;
    default:
      return null;
  }
}

function ShomeiFields({ form, upd, err, prep }: { form: DetailsForm; upd(k: keyof DetailsForm): (e: { target: { value: string } }) => void; err(k: string): string | undefined; prep: Props['prep'] }) {
  if (prep.vaccinationRecords.length === 0) {
    return (
      <p className="field__error" role="alert">
        証明する接種記録がありません。先に接種歴を登録してください。
      </p>
    );
  }
  return (
    <>
      <table className="history" aria-label="証明する接種記録">
        <thead>
          <tr>
            <th>ワクチン</th>
            <th>期・回</th>
            <th>接種日</th>
            <th>医療機関</th>
            <th>ロット番号</th>
          </tr>
        </thead>
        <tbody>
          {prep.vaccinationRecords.map((r, i) => (
            <tr key={i}>
              <td>{r.vaccineName}</td>
              <td>{r.doseLabel}</td>
              <td>{dateJa(r.administeredOn)}</td>
              <td>{r.institution}</td>
              <td>{r.lotNumber ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Field label="提出先・用途（任意）" error={err('purpose')}>
        {(p) => <input {...p} value={form.purpose} maxLength={60} autoComplete="off" onChange={upd('purpose')} />}
      </Field>
    </>
  );
}
