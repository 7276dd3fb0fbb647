import { useState, type FormEvent } from 'react';
import type { ClaimDetail } from '../../../../shared/ipc/claims-contract';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { ErrorBanner, Field } from '../../ui/Field';
import { SubmitButton } from '../../ui/SubmitButton';

export type CheckMode = 'blind' | 'confirm';

interface Props {
  claim: ClaimDetail;
  mode: CheckMode;
  onMode(m: CheckMode): void;
  onChecked(c: ClaimDetail, mismatches: { key: string; label: string }[]): void;
}

/**
 * 二重チェック by a second person. Blind: the key figures are typed again from the paper while the entry's
 * values stay hidden; the core names the figures that differ. Confirm: every field checked against the paper.
 */
export function CheckPanel({ claim, mode, onMode, onChecked }: Props) {
  const [figures, setFigures] = useState<Record<string, string>>({});
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  const act = useAction();
  const items = [...claim.checkFields.map((f) => f.label), '本人確認の内容', ...(claim.bank ? ['振込先口座'] : []), '申請日・申請者'];

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (act.busy) return;
    if (mode === 'confirm' && !items.every((i) => ticked[i])) return act.fail('すべての項目を申請書と照合してから確認してください。');
    const r = await act.run(() => call('claims.check', { claimId: claim.id, version: claim.version, mode, figures: mode === 'blind' ? figures : {}, confirmedAll: mode === 'confirm' }));
    if (r) onChecked(r.claim, r.mismatches);
  }

  return (
    <section className="panel" aria-label="二重チェック">
      <h2>二重チェック</h2>
      <fieldset>
        <legend>確認の方法</legend>
        <label className="radio">
          <input type="radio" name="checkMode" checked={mode === 'blind'} onChange={() => onMode('blind')} /> 見ずに再入力（入力内容は隠します）
        </label>
        <label className="radio">
          <input type="radio" name="checkMode" checked={mode === 'confirm'} onChange={() => onMode('confirm')} /> 項目ごとに申請書と照合
        </label>
      </fieldset>
      <ErrorBanner message={act.message} />
      <form onSubmit={submit} noValidate aria-label={mode === 'blind' ? '見ずに再入力' : '項目ごとに照合'} className="inline-form">
        {mode === 'blind' &&
          claim.checkFields.map((f, i) => (
            <Field key={f.key} label={f.label}>
              {(p) => <input {...p} value={figures[f.key] ?? ''} autoComplete="off" autoFocus={i === 0} onChange={(e) => setFigures((o) => ({ ...o, [f.key]: e.target.value }))} />}
            </Field>
          ))}
        {mode === 'confirm' && (
          <fieldset className="checklist">
            <legend>申請書と照合した項目</legend>
            {items.map((i) => (
              <label key={i} className="check">
                <input type="checkbox" checked={ticked[i] ?? false} onChange={(e) => setTicked((o) => ({ ...o, [i]: e.target.checked }))} /> {i}
              </label>
            ))}
          </fieldset>
        )}
        <SubmitButton busy={act.busy} busyLabel="確認中…">
          確認する
        </SubmitButton>
      </form>
    </section>
  );
}
