import { useState, type FormEvent } from 'react';
import type { ClaimDetail } from '../../../../shared/ipc/claims-contract';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { ErrorBanner, Field } from '../../ui/Field';
import { dateJa } from '../../lib/format';
import { SubmitButton } from '../../ui/SubmitButton';
import { SelectField } from '../../ui/SelectField';

type Decision = '支給' | '不支給' | '交付' | '却下';

/** 決裁 by a third person: the decisions of the kind, a reason for a negative one, an override past the deadline. */
export function DecidePanel({ claim, onDecided }: { claim: ClaimDetail; onDecided(c: ClaimDetail): void }) {
  const choices: Decision[] = claim.kind === 'yobou_genmen' ? ['交付', '却下'] : ['支給', '不支給'];
  const suggested = claim.suggestion && choices.includes(claim.suggestion.decision as Decision) ? (claim.suggestion.decision as Decision) : '';
  const [decision, setDecision] = useState<Decision | ''>(suggested);
  const [reason, setReason] = useState(claim.suggestion?.reason ?? '');
  const [override, setOverride] = useState('');
  const act = useAction();
  const errors = act.fieldErrors;
  const negative = decision === '不支給' || decision === '却下';

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (act.busy) return;
    if (!decision) return act.fail(act.message, { decision: '決定を選択してください' });
    const r = await act.run(() => call('claims.decide', { claimId: claim.id, version: claim.version, decision, reason: reason.trim() || null, overrideReason: override.trim() || null }));
    if (r) onDecided(r);
  }

  return (
    <section className="panel" aria-label="決裁">
      <h2>決裁</h2>
      <ErrorBanner message={act.message} />
      <form onSubmit={submit} noValidate className="inline-form" aria-label="決裁">
        <SelectField label="決定" error={errors.decision} value={decision} choices={choices} onChange={setDecision} autoFocus />
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
    </section>
  );
}
