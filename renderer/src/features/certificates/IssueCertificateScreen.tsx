import { useState, type FormEvent } from 'react';
import type { CertType } from '../../../../shared/domain/certificate-types';
import { REISSUE_REASONS, type ReissueReason } from '../../../../shared/domain/resident';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';
import { useApp } from '../../lib/store';
import { dateJa } from '../../lib/format';
import { BackNav } from '../../ui/BackNav';
import { SelectField } from '../../ui/SelectField';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { buildDetails, DetailsFields, detailsErrors, detailsSummary, EMPTY_DETAILS, type DetailsForm } from './DetailsFields';
import { ISSUE_KIND_LABELS } from './model';
import { NameSexFields } from './NameSexFields';

type Kind = 'new' | 'renew' | 'reissue';

/**
 * 交付 of any certificate type (certificates.prepare → form → confirmation → certificates.issue → preview).
 * Nothing typed is lost when the core refuses: the form comes back with the message next to the field.
 */
export function IssueCertificateScreen({ residentId, type }: { residentId: string; type: CertType }) {
  const { go } = useApp();
  const { data: prep, error: loadError } = useLoad(() => call('certificates.prepare', { type, residentId }), [type, residentId]);
  const [issueKind, setIssueKind] = useState<Kind | null>(null);
  const [reissueReason, setReissueReason] = useState<ReissueReason | ''>('');
  const [typed, setDetails] = useState<DetailsForm>(EMPTY_DETAILS);
  // 限度額適用認定証: the 適用区分 starts from the 所得区分 of the person's 国保 資格 (the core refuses another one).
  const details = type === 'kokuho_gendogaku' && !typed.kubun && prep?.limitKubun ? { ...typed, kubun: prep.limitKubun } : typed;
  const [nameChoice, setNameChoice] = useState<'real' | 'alias'>('real');
  const [printSex, setPrintSex] = useState(true);
  const [confirming, setConfirming] = useState(false);
  const act = useAction();
  const errors = act.fieldErrors;
  const back = () => go({ name: 'resident', residentId });
  useEscape(back);
  // The confirmation step is a dialog: Esc closes it first and returns to the control that opened it.
  useEscape(() => setConfirming(false), 'dialog', confirming);

  const kind: Kind = issueKind ?? prep?.suggestedIssueKind ?? 'new';
  const name = prep?.typeName ?? '証';

  function toConfirm(e: FormEvent) {
    e.preventDefault();
    if (!prep) return;
    const errs = detailsErrors(type, details, prep);
    if (kind === 'reissue' && !reissueReason) errs.reissueReason = '再交付の事由を選択してください';
    if (kind === 'new' && prep.current) errs.issueKind = `有効な${name}があります。更新か再交付を選んでください`;
    if (kind !== 'new' && !prep.current) errs.issueKind = `有効な${name}がありません。新規交付を選んでください`;
    const invalid = Object.keys(errs).length > 0;
    act.fail(invalid ? '入力内容を確認してください。' : null, errs);
    if (!invalid) setConfirming(true);
  }

  async function issue() {
    if (!prep || act.busy) return;
    const cert = await act.run(() =>
      call('certificates.issue', {
        type,
        residentId,
        issueKind: kind,
        reissueReason: kind === 'reissue' && reissueReason ? reissueReason : null,
        details: buildDetails(type, details, prep),
        nameChoice: prep.aliasName ? nameChoice : 'real',
        printSex: prep.sexChoice ? printSex : true,
        residentVersion: prep.residentVersion,
      }),
    );
    if (cert) go({ name: 'certPreview', residentId, certificateId: cert.id, back: { name: 'certHistory', residentId } });
    else setConfirming(false);
  }

  const validity = prep && `${dateJa(prep.validFrom)} 〜 ${prep.validTo ? dateJa(prep.validTo) : '（期限なし）'}`;
  return (
    <main className="screen">
      <BackNav label="住民の詳細に戻る" onBack={back} />
      <h1>{name}の交付</h1>
      <ErrorBanner message={loadError ?? (Object.keys(errors).length > 0 && !confirming ? null : act.message)} />
      {prep && !confirming && (
        <form onSubmit={toConfirm} noValidate aria-label="交付内容の入力">
          <ErrorSummary errors={errors} />
          {prep.current && (
            <div className="banner banner--info" role="note">
              有効な{name}があります（番号 {prep.current.certificateNo}
              {prep.current.validTo ? `、${dateJa(prep.current.validTo)}まで` : ''}）。更新・再交付すると現在の証は失効し、回収の対象になります。
            </div>
          )}
          <fieldset>
            <legend>交付区分</legend>
            {(['new', 'renew', 'reissue'] as const).map((k) => (
              <label key={k} className="radio">
                <input type="radio" name="issueKind" value={k} checked={kind === k} onChange={() => setIssueKind(k)} autoFocus={kind === k} />
                {ISSUE_KIND_LABELS[k]}
              </label>
            ))}
            {errors.issueKind && (
              <div className="field__error" role="alert">
                {errors.issueKind}
              </div>
            )}
          </fieldset>
          {kind === 'reissue' && (
            <SelectField label="再交付の事由" error={errors.reissueReason} value={reissueReason} choices={REISSUE_REASONS} onChange={setReissueReason} required />
          )}
          <DetailsFields type={type} form={details} set={setDetails} errors={errors} prep={prep} />
          <NameSexFields aliasName={prep.aliasName} sexChoice={prep.sexChoice} nameChoice={nameChoice} printSex={printSex} setNameChoice={setNameChoice} setPrintSex={setPrintSex} errors={errors} />
          <dl className="detail">
            <dt>有効期間</dt>
            <dd data-testid="validity">{validity}</dd>
            {prep.eligibilityEndsOn && <Pair label="資格の終期（18歳年度末）" value={dateJa(prep.eligibilityEndsOn)} />}
            {prep.publicPayerNo && <Pair label="公費負担者番号" value={prep.publicPayerNo} />}
            <dt>{type === 'kodomo' ? '受給者番号' : '番号'}</dt>
            <dd>交付時に払い出します</dd>
          </dl>
          <button type="submit" className="primary">
            確認へ進む
          </button>
        </form>
      )}
      {prep && confirming && (
        <section aria-label="交付内容の確認">
          <h2>この内容で交付します。よろしいですか？</h2>
          <dl className="detail">
            <dt>証の種類</dt>
            <dd>{name}</dd>
            <dt>交付区分</dt>
            <dd>
              {ISSUE_KIND_LABELS[kind]}
              {kind === 'reissue' ? `（${reissueReason}）` : ''}
            </dd>
            {detailsSummary(type, buildDetails(type, details, prep), prep.guardians).map(([label, value]) => (
              <Pair key={label} label={label} value={value} />
            ))}
            {prep.aliasName && <Pair label="印字する氏名" value={nameChoice === 'alias' ? `通称名（${prep.aliasName}）` : '本名'} />}
            {prep.sexChoice && <Pair label="性別" value={printSex ? '裏面に記載する' : '記載しない'} />}
            <Pair label="有効期間" value={validity ?? ''} />
          </dl>
          <div className="actions">
            <button type="button" className="primary" onClick={issue} disabled={act.busy} autoFocus>
              {act.busy ? '交付中…' : '交付する'}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              修正する
            </button>
          </div>
        </section>
      )}
    </main>
  );
}

function Pair({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </>
  );
}
