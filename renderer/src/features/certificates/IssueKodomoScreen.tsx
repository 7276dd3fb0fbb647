import { useState, type FormEvent } from 'react';
import { ISSUE_KIND_LABELS, REISSUE_REASONS, type IssueKind, type ReissueReason } from '../../../../shared/domain/resident';
import { formatWareki } from '../../../../shared/domain/wareki';
import { ApiError, call, errorMessage } from '../../lib/api';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner, Field } from '../../ui/Field';
import { useApp } from '../../app/store';

/** 交付: prefilled form → confirmation step → issue → print preview. Nothing typed is lost on an error. */
export function IssueKodomoScreen({ residentId }: { residentId: string }) {
  const { go } = useApp();
  const { data: prep, error: loadError } = useLoad(() => call('certificates.prepareKodomo', { residentId }), [residentId]);
  const [issueKind, setIssueKind] = useState<IssueKind | null>(null);
  const [reissueReason, setReissueReason] = useState<ReissueReason | ''>('');
  const [guardianId, setGuardianId] = useState<string>('');
  const [confirming, setConfirming] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEscape(() => (confirming ? setConfirming(false) : go({ name: 'resident', residentId })));

  const kind: IssueKind = issueKind ?? prep?.suggestedIssueKind ?? 'new';
  const guardian = guardianId || prep?.guardians[0]?.id || '';
  const request = prep && {
    residentId,
    guardianId: guardian || null,
    issueKind: kind,
    reissueReason: kind === 'reissue' ? (reissueReason || null) : null,
    residentVersion: prep.residentVersion,
  };

  function toConfirm(e: FormEvent) {
    e.preventDefault();
    const errs: Record<string, string> = {};
    if (kind === 'reissue' && !reissueReason) errs.reissueReason = '再交付の事由を選択してください';
    if (!guardian) errs.guardianId = '受給者（保護者）を選択してください';
    setErrors(errs);
    if (Object.keys(errs).length === 0) setConfirming(true);
  }

  async function issue() {
    if (!request || busy) return;
    setBusy(true);
    setMessage(null);
    try {
      const cert = await call('certificates.issueKodomo', request);
      go({ name: 'preview', residentId, certificateId: cert.id });
    } catch (err) {
      setConfirming(false);
      setErrors(err instanceof ApiError ? err.fieldErrors : {});
      setMessage(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const guardianName = prep?.guardians.find((g) => g.id === guardian)?.nameKanji ?? '';
  return (
    <main className="screen">
      <nav className="crumbs">
        <button type="button" onClick={() => go({ name: 'resident', residentId })}>
          ← 住民の詳細に戻る（Esc）
        </button>
      </nav>
      <h1>{prep?.certificateName ?? 'こども医療証'}の交付</h1>
      <ErrorBanner message={loadError ?? message} />
      {prep && !confirming && (
        <form onSubmit={toConfirm} noValidate aria-label="交付内容の入力">
          {prep.current && (
            <div className="banner banner--info" role="note">
              有効な医療証があります（受給者番号 {prep.current.certificateNo}、{formatWareki(prep.current.validTo)}まで）。再交付すると現在の医療証は失効し、回収の対象になります。
            </div>
          )}
          <fieldset>
            <legend>交付区分</legend>
            {(['new', 'reissue'] as const).map((k) => (
              <label key={k} className="radio">
                <input type="radio" name="issueKind" value={k} checked={kind === k} onChange={() => setIssueKind(k)} autoFocus={kind === k} />
                {ISSUE_KIND_LABELS[k]}
              </label>
            ))}
            {errors.issueKind && <div className="field__error" role="alert">{errors.issueKind}</div>}
          </fieldset>
          {kind === 'reissue' && (
            <Field label="再交付の事由" error={errors.reissueReason}>
              {(p) => (
                <select {...p} name="reissueReason" value={reissueReason} onChange={(e) => setReissueReason(e.target.value as ReissueReason | '')}>
                  <option value="">選択してください</option>
                  {REISSUE_REASONS.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </select>
              )}
            </Field>
          )}
          <Field label="受給者（保護者）" error={errors.guardianId}>
            {(p) => (
              <select {...p} name="guardianId" value={guardian} onChange={(e) => setGuardianId(e.target.value)}>
                {prep.guardians.length === 0 && <option value="">保護者が登録されていません</option>}
                {prep.guardians.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.nameKanji}（{g.relationship}）
                  </option>
                ))}
              </select>
            )}
          </Field>
          <dl className="detail">
            <dt>有効期間</dt>
            <dd data-testid="validity">
              {formatWareki(prep.validFrom)} 〜 {formatWareki(prep.validTo)}
            </dd>
            <dt>資格の終期（18歳年度末）</dt>
            <dd>{formatWareki(prep.eligibilityEndsOn)}</dd>
            <dt>公費負担者番号</dt>
            <dd>{prep.publicPayerNo}</dd>
            <dt>受給者番号</dt>
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
            <dt>交付区分</dt>
            <dd>
              {ISSUE_KIND_LABELS[kind]}
              {kind === 'reissue' ? `（${reissueReason}）` : ''}
            </dd>
            <dt>受給者（保護者）</dt>
            <dd>{guardianName}</dd>
            <dt>有効期間</dt>
            <dd>
              {formatWareki(prep.validFrom)} 〜 {formatWareki(prep.validTo)}
            </dd>
          </dl>
          <div className="actions">
            <button type="button" className="primary" onClick={issue} disabled={busy} autoFocus>
              {busy ? '交付中…' : '交付する'}
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
