import { useState, type FormEvent } from 'react';
import { stepNeedsSignature, type FlowAction } from '../../../../shared/domain/seikatsu';
import type { FujoDetail } from '../../../../shared/ipc/seikatsu-contract';
import { call } from '../../lib/api';
import { signWithAuthenticator } from '../../lib/authenticator';
import { useAction } from '../../lib/useAction';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { DateField } from '../../ui/DateInput';
import { ErrorBanner, Field } from '../../ui/Field';
import { ErrorSummary } from '../../ui/ErrorSummary';
import { SelectField } from '../../ui/SelectField';
import { SubmitButton } from '../../ui/SubmitButton';
import { STEP_FIELDS, stepErrors, stepInput, type StepForm } from './steps';

/**
 * One step the member of staff may take now (the flow's `available`): its inputs (STEP_FIELDS), checked by the
 * step's own schema before sending. An entry (照会, 回答, 発行 …) is recorded at once; a check or a 決裁 is read back
 * (ConfirmDialog) and then signed with the member's own authenticator over exactly that step (fujo.stepBegin →
 * authenticator → fujo.step): a typed staff ID is never a check or a 決裁.
 */
export function StepPanel({ flow, action, label, autoFocus, onDone }: { flow: FujoDetail; action: FlowAction; label: string; autoFocus: boolean; onDone(next: FujoDetail): void }) {
  const [form, setForm] = useState<StepForm>({});
  const [asking, setAsking] = useState(false);
  const act = useAction();
  const signed = stepNeedsSignature(flow.kind, action);
  const fields = STEP_FIELDS[action];
  const set = (k: string, v: string | string[]) => setForm((f) => ({ ...f, [k]: v }));
  const str = (k: string) => (typeof form[k] === 'string' ? (form[k] as string) : '');

  function submit(e: FormEvent) {
    e.preventDefault();
    if (act.busy) return;
    const input = stepInput(action, form);
    if (!act.check(stepErrors(action, input), '入力内容を確認してください。')) return;
    if (signed) {
      act.fail(null);
      setAsking(true);
    } else void send();
  }

  async function send() {
    setAsking(false);
    const input = stepInput(action, form);
    const next = await act.run(async () => {
      const { options } = await call('fujo.stepBegin', { flowId: flow.id, version: flow.version, action, input });
      const assertion = options ? await signWithAuthenticator(options, { retry: label, aborted: `${label}を中止しました。` }) : null;
      return call('fujo.step', { flowId: flow.id, version: flow.version, action, input, assertion });
    });
    if (next) onDone(next);
  }

  const decision = str('decision');
  return (
    <section className="panel" aria-label={label}>
      <h2>{label}</h2>
      <ErrorBanner message={act.bannerFor(fields.map((f) => f.key))} />
      <form onSubmit={submit} noValidate className="inline-form" aria-label={label}>
        <ErrorSummary errors={act.fieldErrors} />
        {fields.map((f, i) => {
          const first = autoFocus && i === 0;
          const error = act.fieldErrors[f.key];
          if (f.kind === 'date') return <DateField key={f.key} label={f.label} value={str(f.key)} onChange={(t) => set(f.key, t)} error={error} autoFocus={first} required={f.required} {...(f.hint ? { hint: f.hint } : {})} />;
          if (f.kind === 'select') return <SelectField<string> key={f.key} label={f.label} value={str(f.key)} choices={f.choices} onChange={(v) => set(f.key, v)} error={error} autoFocus={first} required={f.required} {...(f.hint ? { hint: f.hint } : {})} />;
          if (f.kind === 'multi') {
            const ticked = Array.isArray(form[f.key]) ? (form[f.key] as string[]) : [];
            return (
              <fieldset key={f.key} className="checklist">
                <legend>{f.label}</legend>
                {f.choices.map((c, j) => (
                  <label key={c} className="check">
                    <input
                      type="checkbox"
                      checked={ticked.includes(c)}
                      autoFocus={first && j === 0}
                      onChange={(e) => set(f.key, e.target.checked ? [...ticked, c] : ticked.filter((x) => x !== c))}
                    />{' '}
                    {c}
                  </label>
                ))}
                {error && (
                  <div className="field__error" role="alert">
                    {error}
                  </div>
                )}
              </fieldset>
            );
          }
          return (
            <Field key={f.key} label={f.key === 'reason' && action === 'decide' && decision === '却下' ? '却下の理由' : f.label} error={error} required={f.required} {...(f.hint ? { hint: f.hint } : {})}>
              {(p) => <input {...p} className="wide" value={str(f.key)} maxLength={400} autoComplete="off" autoFocus={first} onChange={(e) => set(f.key, e.target.value)} />}
            </Field>
          );
        })}
        <SubmitButton busy={act.busy} busyLabel={signed ? '認証器を待っています…' : '記録中…'}>
          {signed ? '認証器で署名して記録する' : '記録する'}
        </SubmitButton>
      </form>
      {asking && (
        <ConfirmDialog title={`「${label}」を行いますか？`} confirmLabel="認証器で署名する" onConfirm={() => void send()} onCancel={() => setAsking(false)}>
          <p>
            受付番号 {flow.flowNo}（{flow.residentName}・{flow.kindLabel}）の{label}
            {action === 'decide' && decision ? `（${decision}）` : ''}を、あなたの認証器で署名して記録します。
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
