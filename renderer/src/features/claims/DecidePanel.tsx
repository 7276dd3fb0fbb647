import { useState, type FormEvent } from 'react';
import type { ClaimDetail } from '../../../../shared/ipc/claims-contract';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { ErrorBanner, Field } from '../../ui/Field';
import { dateJa } from '../../lib/format';
import { SubmitButton } from '../../ui/SubmitButton';
import { SelectField } from '../../ui/SelectField';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { decisionsOf, isNegativeDecision, type ClaimDecision as Decision } from '../../../../shared/domain/claims';


/**
 * 決裁 by a third person: the decisions of the kind (none preset: the checker's suggestion is shown beside it),
 * a reason for a negative one, an override past the deadline. 決定する asks once more (ConfirmDialog) before the
 * decision is sent; やめる/Esc sends nothing.
 */
export function DecidePanel({ claim, onDecided }: { claim: ClaimDetail; onDecided(c: ClaimDetail): void }) {
  const choices: readonly Decision[] = decisionsOf(claim.kind);
  const suggestion = claim.suggestion && choices.includes(claim.suggestion.decision as Decision) ? claim.suggestion : null;
  const [decision, setDecision] = useState<Decision | ''>('');
  const [reason, setReason] = useState('');
  const [override, setOverride] = useState('');
  const [asking, setAsking] = useState(false);
  const act = useAction();
  const errors = act.fieldErrors;
  const negative = decision !== '' && isNegativeDecision(decision);

  function choose(d: Decision | '') {
    setDecision(d);
    // The suggested reason is offered once the staff have chosen the suggested (negative) decision themselves.
    if (suggestion && d === suggestion.decision && !reason.trim() && suggestion.reason) setReason(suggestion.reason);
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (act.busy) return;
    if (!decision) return act.fail(act.message, { decision: '決定を選択してください' });
    act.fail(null);
    setAsking(true);
  }

  async function send() {
    setAsking(false);
    if (!decision) return;
    const r = await act.run(() => call('claims.decide', { claimId: claim.id, version: claim.version, decision, reason: reason.trim() || null, overrideReason: override.trim() || null }));
    if (r) onDecided(r);
  }

  return (
    <section className="panel" aria-label="決裁">
      <h2>決裁</h2>
      <ErrorBanner message={act.message} />
      <form onSubmit={submit} noValidate className="inline-form" aria-label="決裁">
        <SelectField
          label="決定"
          error={errors.decision}
          value={decision}
          choices={choices}
          onChange={choose}
          autoFocus
          {...(suggestion ? { hint: `確認時の提案: ${suggestion.decision}${suggestion.reason ? `（${suggestion.reason}）` : ''}` } : {})}
        />
        <Field label={negative ? `${decision}の理由（通知書に記載します）` : '理由・備考'} error={errors.reason}>
          {(p) => <input {...p} className="wide" value={reason} maxLength={400} autoComplete="off" onChange={(e) => setReason(e.target.value)} />}
        </Field>
        {claim.deadlineExpired && decision === '支給' && (
          <Field label={`期限（${dateJa(claim.deadline)}）を過ぎても支給する理由`} error={errors.overrideReason}>
            {(p) => <input {...p} className="wide" value={override} maxLength={400} autoComplete="off" onChange={(e) => setOverride(e.target.value)} />}
          </Field>
        )}
        <SubmitButton busy={act.busy} busyLabel="決裁中…">
          決定する
        </SubmitButton>
      </form>
      {asking && decision && (
        <ConfirmDialog title={`「${decision}」で決裁しますか？`} confirmLabel={`${decision}で決裁する`} onConfirm={() => void send()} onCancel={() => setAsking(false)}>
          <p>
            受付番号 {claim.claimNo}（{claim.residentName}）を「{decision}」と決定します。
            {reason.trim() && (
              <>
                <br />
                理由: {reason.trim()}
              </>
            )}
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
