import { useState } from 'react';
import type { ClaimDetail } from '../../../../shared/ipc/claims-contract';
import { CLAIM_KIND_LABELS } from '../../../../shared/domain/claims';
import { call } from '../../lib/api';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner } from '../../ui/Field';
import { useApp, type Screen } from '../../lib/store';
import { dateJa } from '../../lib/format';
import { BackNav } from '../../ui/BackNav';
import { Breakdown } from './Breakdown';
import { CheckPanel, type CheckMode } from './CheckPanel';
import { ClaimEvents, ClaimInputView } from './ClaimInputView';
import { DecidePanel } from './DecidePanel';
import { stateLabel, yenOrDash } from './format';

/**
 * One claim (claims.get): everything entered, the breakdown, the history, and what this member of staff may
 * do now (`may`): 二重チェック, 訂正, 決裁, 通知書. During a blind check the entry's figures stay hidden.
 */
export function ClaimDetailScreen({ claimId, back }: { claimId: string; back: Screen }) {
  const { go, setNotice } = useApp();
  const [mode, setModeState] = useState<CheckMode>('blind');
  // A checker sees the figures only after choosing the field-by-field check (the core records it).
  const { data, error } = useLoad(() => call('claims.get', { claimId, reveal: mode === 'confirm' }), [claimId, mode]);
  const [updated, setUpdated] = useState<ClaimDetail | null>(null);
  const setMode = (m: CheckMode) => {
    setUpdated(null);
    setModeState(m);
  };
  const [mismatches, setMismatches] = useState<{ key: string; label: string }[] | null>(null);
  useEscape(() => go(back));
  const c = updated ?? data;
  const hidden = Boolean(c?.may.check) && mode === 'blind';
  const here: Screen = { name: 'claim', claimId, back };

  return (
    <main className="screen screen--wide">
      <BackNav label="戻る" onBack={() => go(back)} />
      <ErrorBanner message={error} />
      {c && (
        <>
          <h1>
            {CLAIM_KIND_LABELS[c.kind]} <span className="kana">受付番号 {c.claimNo}</span>
          </h1>
          {mismatches && mismatches.length > 0 && (
            <div className="banner banner--error" role="alert" data-testid="check-mismatch">
              一致しない項目: {mismatches.map((m) => m.label).join('、')}（入力者に訂正を依頼してください。申請書の値を確認してください）
            </div>
          )}
          <dl className="detail">
            <dt>状態</dt>
            <dd data-testid="claim-state">
              {stateLabel(c)}（第{c.revision}版）
            </dd>
            <dt>対象者</dt>
            <dd>
              {c.residentName}（宛名番号 {c.atenaNo}）
            </dd>
            <dt>申請者</dt>
            <dd>{c.applicantName ?? '本人'}</dd>
            <dt>申請日</dt>
            <dd>{dateJa(c.applicationDate)}</dd>
            <dt>金額</dt>
            <dd data-testid="detail-amount">{hidden ? '（二重チェックが終わるまで表示しません）' : yenOrDash(c.amountYen)}</dd>
            <dt>請求期限</dt>
            <dd>
              {dateJa(c.deadline)}
              {c.deadlineExpired && <span className="flag">（期限超過）</span>}
            </dd>
            <dt>入力・確認・決裁</dt>
            <dd>
              入力 {c.enteredBy} ／ 確認 {c.checkedBy ?? '—'} ／ 決裁 {c.decidedBy ?? '—'}
            </dd>
            {c.decision && (
              <>
                <dt>決定</dt>
                <dd data-testid="claim-decision">
                  {c.decision}
                  {c.decisionReason ? `（理由: ${c.decisionReason}）` : ''}
                  {c.overrideReason ? `（期限超過の理由: ${c.overrideReason}）` : ''}
                  {c.noticeNo ? ` 通知書番号 ${c.noticeNo}` : ''}
                </dd>
              </>
            )}
            <dt>本人確認</dt>
            <dd>
              {String(c.identity.method ?? '')}（来庁者: {String(c.identity.presenter ?? '')}）
            </dd>
            {c.bank && (
              <>
                <dt>振込先口座</dt>
                <dd>
                  {c.bank.bankName}（{c.bank.bankCode}） {c.bank.branchName}（{c.bank.branchCode}） {c.bank.depositType} {hidden ? '＊＊＊＊＊＊＊' : c.bank.accountNumber} {c.bank.holderKana}
                  {c.bank.publicFundAccount ? '（公金受取口座）' : ''}
                </dd>
              </>
            )}
          </dl>
          {hidden ? (
            <p className="banner banner--info">見ずに再入力する二重チェックのため、入力内容と計算結果は確認が終わるまで表示しません。</p>
          ) : (
            <>
              <ClaimInputView claim={c} />
              <Breakdown amountYen={c.amountYen} lines={c.breakdown} deadline={c.deadline ? { deadline: c.deadline, expired: c.deadlineExpired } : null} suggestion={c.suggestion} notes={c.notes} />
            </>
          )}
          <div className="actions">
            {c.may.correct && !hidden && (
              <button type="button" onClick={() => go({ name: 'claimEntry', residentId: c.residentId, kind: c.kind, claimId: c.id })}>
                訂正
              </button>
            )}
            {c.may.printNotice && (
              <button type="button" className="primary" onClick={() => go({ name: 'claimNotice', claimId: c.id, back: here })}>
                通知書
              </button>
            )}
          </div>
          {c.may.check && (
            <CheckPanel
              key={c.version}
              claim={c}
              mode={mode}
              onMode={setMode}
              onChecked={(next, ms) => {
                setUpdated(next);
                setMismatches(ms);
                if (ms.length === 0) setNotice(`受付番号 ${next.claimNo} の二重チェックが完了しました。`);
              }}
            />
          )}
          {c.may.decide && (
            <DecidePanel
              claim={c}
              onDecided={(next) => {
                setUpdated(next);
                setNotice(`受付番号 ${next.claimNo} を「${next.decision ?? ''}」と決裁しました。`);
              }}
            />
          )}
          <ClaimEvents events={c.events} blind={hidden} />
        </>
      )}
    </main>
  );
}
