import { Fragment, useState, type ReactNode } from 'react';
import { useEscape } from '../../lib/useLoad';
import type { ResidentDetail } from '../../../../shared/ipc/contract';
import { CLAIM_KIND_LABELS, paysMoney, type ClaimKind } from '../../../../shared/domain/claims';
import { normalizeAccountHolderKana, normalizeAccountNumber } from '../../../../shared/domain/bank-account';
import { Field } from '../../ui/Field';
import { dateJa } from '../../lib/format';
import { isoDateOrText } from '../../../../shared/domain/wareki';
import type { BankNames } from './BankSection';
import type { EntryState } from './entryModel';
import { toInput } from './kindState';
import { shikakuInputLines } from './shikakuText';

interface Props {
  kind: ClaimKind;
  resident: ResidentDetail;
  entry: EntryState;
  names: Readonly<Record<string, string>>;
  identityMethod: string | null;
  bankNames: BankNames;
  breakdown: ReactNode;
  correction: boolean;
  busy: boolean;
  onSend(reason: string): void;
  onBack(): void;
}

/** The confirmation step: what will be received (or corrected, with its reason), read back to the resident. */
export function ConfirmClaim({ kind, resident, entry, names, identityMethod, bankNames, breakdown, correction, busy, onSend, onBack }: Props) {
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>();
  const b = entry.bank;
  const kana = normalizeAccountHolderKana(b.holderKana);
  const account = normalizeAccountNumber(b.accountNumber);

  // Esc goes back to the form (before the screen's own Esc, which leaves the entry), to the control that opened this.
  useEscape(onBack, 'dialog');

  function send() {
    if (correction && !reason.trim()) return setReasonError('訂正の理由を入力してください');
    onSend(reason.trim());
  }

  return (
    <section aria-label="受付内容の確認" className="claim-confirm">
      <h2>{correction ? 'この内容で訂正します。よろしいですか？' : 'この内容で受け付けます。よろしいですか？'}</h2>
      <dl className="detail">
        <dt>請求の種類</dt>
        <dd>{CLAIM_KIND_LABELS[kind]}</dd>
        <dt>対象者</dt>
        <dd>
          {resident.nameKanji}（宛名番号 {resident.atenaNo}）
        </dd>
        <dt>{kind === 'kodomo_shikaku' ? '申請者（保護者）' : '申請者'}</dt>
        <dd>{entry.applicantId ? names[entry.applicantId] : `本人（${resident.nameKanji}）`}</dd>
        <dt>申請日</dt>
        <dd>{dateJa(isoDateOrText(entry.applicationDate))}</dd>
        {kind === 'kodomo_shikaku' &&
          shikakuInputLines(toInput(kind, entry.kindState, names).input, names[entry.applicantId] ?? null)
            .filter(([label]) => label !== '保護者')
            .map(([label, value]) => (
              <Fragment key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </Fragment>
            ))}
        <dt>本人確認</dt>
        <dd>{identityMethod}</dd>
        {paysMoney(kind) && (
          <>
            <dt>振込先口座</dt>
            <dd>
              {bankNames.bankName} {bankNames.branchName} {b.depositType} {account.ok ? account.value : b.accountNumber} {kana.ok ? kana.value : b.holderKana}
              {b.publicFundAccount ? '（公金受取口座・同意あり）' : ''}
            </dd>
          </>
        )}
      </dl>
      {breakdown}
      {correction && (
        <Field label="訂正の理由" error={reasonError}>
          {(p) => <input {...p} className="wide" value={reason} autoFocus autoComplete="off" maxLength={400} onChange={(e) => setReason(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && !e.nativeEvent.isComposing && send()} />}
        </Field>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={send} disabled={busy} autoFocus={!correction}>
          {busy ? '送信中…' : correction ? '訂正する' : '受け付ける'}
        </button>
        <button type="button" onClick={onBack}>
          修正する
        </button>
      </div>
    </section>
  );
}
