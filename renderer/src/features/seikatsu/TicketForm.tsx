import { useState, type FormEvent } from 'react';
import { SHINRYO_OF_TYPE, TICKET_KIND_OF_TYPE, type TicketType } from '../../../../shared/domain/certificate-types';
import { COVERAGE_KINDS, seikatsuRecipientNumber, ticketRequestSchema } from '../../../../shared/domain/seikatsu';
import type { FujoDetail } from '../../../../shared/ipc/seikatsu-contract';
import { call } from '../../lib/api';
import { dateJa } from '../../lib/format';
import { useApp, type Screen } from '../../lib/store';
import { useAction } from '../../lib/useAction';
import { MonthField, readDate } from '../../ui/DateInput';
import { ErrorBanner, Field } from '../../ui/Field';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { SelectField } from '../../ui/SelectField';
import { SubmitButton } from '../../ui/SubmitButton';
import type { FlowFactsView } from './steps';

type Form = Record<
  'type' | 'shinryo' | 'month' | 'recipientNo' | 'publicPayerNo' | 'institutionCode' | 'institutionName' | 'prescriberCode' | 'caseNo' | 'caseworker' | 'diseaseNames' | 'selfPayYen' | 'coverage' | 'insurerNo' | 'symbol' | 'number' | 'branch',
  string
>;

const TYPE_LABELS = { seikatsu_iryo: '医療券', seikatsu_chozai: '調剤券', seikatsu_kaigo: '介護券' } as const;

/**
 * 医療券・調剤券・介護券 from a decided 扶助 (certificates.issue with the ticket types, the one issue path of every
 * 証): the ticket's fields are typed here; the 扶助開始日 and 廃止日 are the flow's (shown, never typed: the core
 * takes them from the 決定). Checked with the shared ticket schema before sending; the core checks again (期間,
 * 重複, ケース番号) and the issued ticket opens in the certificate print preview.
 */
/** A well-formed 公費負担者番号 (法別12) standing in for a blank one in the form's own check; never sent. */
const STAND_IN_PAYER = '12270104';

export function TicketForm({ flow, back }: { flow: FujoDetail; back: Screen }) {
  const go = useApp((s) => s.go);
  const facts = flow.facts as FlowFactsView;
  const types: TicketType[] = flow.kind === 'kaigo' ? ['seikatsu_kaigo'] : ['seikatsu_iryo', 'seikatsu_chozai'];
  const opinion = facts.opinionInstitution;
  const [form, setForm] = useState<Form>({
    type: types[0]!, shinryo: '', month: '', recipientNo: '', publicPayerNo: '',
    institutionCode: opinion?.code ?? '', institutionName: opinion?.name ?? '', prescriberCode: '',
    caseNo: flow.caseNo ?? '', caseworker: flow.caseworker ?? '', diseaseNames: '', selfPayYen: '0', coverage: '単独',
    insurerNo: '', symbol: '', number: '', branch: '',
  });
  const act = useAction();
  const type = form.type as TicketType;
  const set = (k: keyof Form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const input = (k: keyof Form) => (e: { target: { value: string } }) => set(k)(e.target.value);
  const err = (k: string) => act.fieldErrors[`details.${k}`] ?? act.fieldErrors[k];

  function details(): Record<string, unknown> {
    const month = readDate('month', form.month);
    const yen = form.selfPayYen.normalize('NFKC').replace(/[,円\s]/g, '');
    return {
      shinryo: form.shinryo,
      month: month?.ok ? month.iso : form.month.trim(),
      recipientNo: form.recipientNo.normalize('NFKC').trim(),
      publicPayerNo: form.publicPayerNo.normalize('NFKC').trim(),
      institutionCode: form.institutionCode.normalize('NFKC').trim(),
      institutionName: form.institutionName.trim(),
      prescriberCode: type === 'seikatsu_chozai' ? form.prescriberCode.normalize('NFKC').trim() || null : null,
      caseNo: form.caseNo.normalize('NFKC').trim(),
      caseworker: form.caseworker.trim(),
      diseaseNames: type === 'seikatsu_kaigo' ? [] : form.diseaseNames.split(/[、,，\n]/).map((d) => d.trim()).filter(Boolean),
      selfPayYen: /^[0-9]+$/.test(yen) ? Number(yen) : Number.NaN,
      coverage: form.coverage,
      socialInsurance:
        form.coverage === '併用' ? { insurerNo: form.insurerNo.normalize('NFKC').trim(), symbol: form.symbol.trim(), number: form.number.trim(), branch: form.branch.normalize('NFKC').trim() } : null,
    };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (act.busy) return;
    const d = details();
    // The shared ticket schema with the flow's period (the core adds the same when issuing). A number left blank is
    // the core's to fill in (the 福祉事務所's 公費負担者番号, the person's 受給者番号 or a new one): a stand-in of the
    // right form is checked here instead.
    const stand = { recipientNo: d.recipientNo || seikatsuRecipientNumber('', 1), publicPayerNo: d.publicPayerNo || STAND_IN_PAYER };
    const local = ticketRequestSchema.safeParse({ ...d, ...stand, kind: TICKET_KIND_OF_TYPE[type], residentId: flow.residentId, aidStartOn: facts.aidStartOn, abolishedOn: facts.abolishedOn ?? null });
    if (!local.success) {
      const errors: Record<string, string> = {};
      for (const i of local.error.issues) errors[`details.${String(i.path[0] ?? '')}`] ??= i.message;
      act.fail('入力内容を確認してください。', errors);
      return;
    }
    const cert = await act.run(async () => {
      const prep = await call('certificates.prepare', { type, residentId: flow.residentId });
      return call('certificates.issue', { type, residentId: flow.residentId, issueKind: 'new', reissueReason: null, details: d, nameChoice: 'real', printSex: true, residentVersion: prep.residentVersion });
    });
    if (cert) go({ name: 'certPreview', residentId: flow.residentId, certificateId: cert.id, back });
  }

  return (
    <section className="panel" aria-label="給付券の交付">
      <h2>給付券の交付</h2>
      <p>
        扶助開始日 {dateJa(facts.aidStartOn)}
        {facts.abolishedOn ? `・廃止日 ${dateJa(facts.abolishedOn)}` : ''}（扶助の決定から取ります）
      </p>
      <ErrorBanner message={act.bannerFor(Object.keys(act.fieldErrors))} />
      <form onSubmit={submit} noValidate aria-label="給付券の交付" className="inline-form">
        <ErrorSummary errors={act.fieldErrors} />
        <SelectField<TicketType>
          label="券の種類"
          required
          value={type}
          choices={types.map((t) => ({ value: t, label: TYPE_LABELS[t] }))}
          onChange={(v) => setForm((f) => ({ ...f, type: v || types[0]!, shinryo: '' }))}
        />
        <SelectField<string> label="診療別" required error={err('shinryo')} value={form.shinryo} choices={SHINRYO_OF_TYPE[type]} onChange={set('shinryo')} />
        <MonthField label="対象年月" required error={err('month')} value={form.month} onChange={(t) => set('month')(t)} />
        <Text label="受給者番号" error={err('recipientNo')} value={form.recipientNo} onChange={input('recipientNo')} hint="7桁。空欄なら交付済みの券の番号、初めての方は新しい番号を自動で記載します" />
        <Text label="公費負担者番号" error={err('publicPayerNo')} value={form.publicPayerNo} onChange={input('publicPayerNo')} hint="8桁（法別12）。空欄ならこの福祉事務所の番号を記載します" />
        <Text label={type === 'seikatsu_kaigo' ? '指定介護機関番号' : '指定医療機関コード'} required error={err('institutionCode')} value={form.institutionCode} onChange={input('institutionCode')} />
        <Text label="指定機関名" required error={err('institutionName')} value={form.institutionName} onChange={input('institutionName')} />
        {type === 'seikatsu_chozai' && <Text label="処方箋発行元医療機関コード" required error={err('prescriberCode')} value={form.prescriberCode} onChange={input('prescriberCode')} />}
        <Text label="ケース番号" required error={err('caseNo')} value={form.caseNo} onChange={input('caseNo')} />
        <Text label="地区担当員" required error={err('caseworker')} value={form.caseworker} onChange={input('caseworker')} />
        {type !== 'seikatsu_kaigo' && <Text label="傷病名" required={type === 'seikatsu_iryo'} error={err('diseaseNames')} value={form.diseaseNames} onChange={input('diseaseNames')} hint="複数は「、」で区切る" />}
        <Text label="本人支払額（円）" required error={err('selfPayYen')} value={form.selfPayYen} onChange={input('selfPayYen')} />
        <SelectField<string> label="単独・併用の別" required error={err('coverage')} value={form.coverage} choices={COVERAGE_KINDS} onChange={set('coverage')} />
        {form.coverage === '併用' && (
          <fieldset>
            <legend>社会保険</legend>
            {err('socialInsurance') && (
              <div className="field__error" role="alert">
                {err('socialInsurance')}
              </div>
            )}
            <Text label="保険者番号" value={form.insurerNo} onChange={input('insurerNo')} />
            <Text label="被保険者証記号" value={form.symbol} onChange={input('symbol')} />
            <Text label="被保険者証番号" value={form.number} onChange={input('number')} />
            <Text label="枝番" value={form.branch} onChange={input('branch')} />
          </fieldset>
        )}
        <SubmitButton busy={act.busy} busyLabel="交付中…">
          交付して印刷プレビューへ
        </SubmitButton>
      </form>
    </section>
  );
}

function Text({ label, value, onChange, error, required, hint }: { label: string; value: string; onChange(e: { target: { value: string } }): void; error?: string | undefined; required?: boolean; hint?: string }) {
  return (
    <Field label={label} error={error} required={required} {...(hint ? { hint } : {})}>
      {(p) => <input {...p} value={value} maxLength={100} autoComplete="off" onChange={onChange} />}
    </Field>
  );
}
