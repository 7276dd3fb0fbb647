import { useRef, useState, type FormEvent } from 'react';
import { CERT_TYPE_DEFS, type CertType } from '../../../../shared/domain/certificate-types';
import type { MailingProgressView } from '../../../../shared/ipc/certificates-contract';
import { isoDateOrText, parseDateInput } from '../../../../shared/domain/wareki';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { useEscape, useLoad } from '../../lib/useLoad';
import { ErrorBanner, Field } from '../../ui/Field';
import { useApp } from '../../lib/store';
import { DateField } from '../../ui/DateInput';
import { SubmitButton } from '../../ui/SubmitButton';
import { Table } from '../../ui/Table';
import { mailableTypes } from './model';

const STATE_LABELS: Record<MailingProgressView['state'], string> = { selected: '選択済（内容の確認前）', validated: '確認済', printing: '発行中', done: '完了' };

/**
 * 一斉発送 (e.g. 資格確認書 renewal each 8月1日): select → validation pass (records changed since the selection
 * are listed and left out; DV等支援措置 held) → 「発行を続ける」 issues in steps with progress. A run that
 * was interrupted (or the terminal restarted) is listed under 未完了の発送 and resumes where it stopped.
 */
export function MailingScreen() {
  const { go, session } = useApp();
  const types = mailableTypes(session?.rights);
  const { data: open, reload: reloadOpen } = useLoad(() => call('mailing.openRuns', {}), []);
  const [run, setRun] = useState<MailingProgressView | null>(null);
  const [form, setForm] = useState<{ title: string; certType: CertType | ''; validTo: string }>({ title: '', certType: types[0] ?? '', validTo: '' });
  const act = useAction();
  const { busy, fieldErrors: errors } = act;
  const stop = useRef(false);
  useEscape(() => (busy ? undefined : go({ name: 'search' })));

  async function step(perform: () => Promise<void>) {
    if (busy) return;
    await act.run(perform);
    reloadOpen();
  }

  function select(e: FormEvent) {
    e.preventDefault();
    const read = parseDateInput(form.validTo);
    const iso = isoDateOrText(form.validTo);
    const errs: Record<string, string> = {};
    if (!form.title.trim()) errs.title = '件名を入力してください';
    if (!form.certType) errs.certType = '証の種類を選択してください';
    if (!read.ok) errs.validToOnOrBefore = form.validTo.trim() ? read.message : '有効期限を入力してください';
    if (!act.check(errs, act.message) || !form.certType) return;
    const certType = form.certType;
    void step(async () => setRun(await call('mailing.select', { title: form.title.trim(), certType, validToOnOrBefore: iso })));
  }

  const validate = (r: MailingProgressView) => step(async () => setRun(await call('mailing.validate', { runId: r.runId })));
  const issueAll = (r: MailingProgressView) =>
    step(async () => {
      stop.current = false;
      let p = r;
      do {
        p = await call('mailing.issueNext', { runId: p.runId });
        setRun(p);
      } while (p.pending > 0 && !stop.current);
    });

  return (
    <main className="screen screen--wide">
      <h1>一斉発送（更新）</h1>
      <ErrorBanner message={act.message} />
      {!run && (
        <form onSubmit={select} noValidate aria-label="発送対象の選択" className="form-row">
          <Field label="件名" error={errors.title}>
            {(p) => <input {...p} value={form.title} maxLength={60} autoComplete="off" autoFocus onChange={(e) => setForm({ ...form, title: e.target.value })} />}
          </Field>
          <Field label="証の種類" error={errors.certType}>
            {(p) => (
              <select {...p} value={form.certType} onChange={(e) => setForm({ ...form, certType: e.target.value as CertType })}>
                {types.map((t) => (
                  <option key={t} value={t}>
                    {CERT_TYPE_DEFS[t].name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <DateField label="有効期限がこの日以前" error={errors.validToOnOrBefore} value={form.validTo} onChange={(validTo) => setForm({ ...form, validTo })} />
          <SubmitButton busy={busy}>
            対象を選択する
          </SubmitButton>
        </form>
      )}
      {run && <RunView run={run} busy={busy} onValidate={() => validate(run)} onIssue={() => issueAll(run)} onStop={() => (stop.current = true)} onClose={() => setRun(null)} />}
      {!run && open && open.runs.length > 0 && (
        <section aria-label="未完了の発送">
          <h2>未完了の発送</h2>
          <Table className="history" headers={['件名', '種類', '状態', '発行済／全件', '']}>
            {open.runs.map((r) => (
              <tr key={r.runId} data-run={r.title}>
                <td>{r.title}</td>
                <td>{CERT_TYPE_DEFS[r.certType].name}</td>
                <td>{STATE_LABELS[r.state]}</td>
                <td>
                  {r.printed}／{r.total}件
                </td>
                <td>
                  <button type="button" onClick={() => setRun(r)}>
                    再開する
                  </button>
                </td>
              </tr>
            ))}
          </Table>
        </section>
      )}
    </main>
  );
}

function RunView({ run, busy, onValidate, onIssue, onStop, onClose }: { run: MailingProgressView; busy: boolean; onValidate(): void; onIssue(): void; onStop(): void; onClose(): void }) {
  const changed = run.items.filter((i) => i.status === 'changed');
  const held = run.items.filter((i) => i.status === 'held');
  const handled = run.total - run.pending;
  return (
    <section aria-label="発送の進み具合">
      <h2>
        {run.title}（{CERT_TYPE_DEFS[run.certType].name}）— {STATE_LABELS[run.state]}
      </h2>
      <progress max={Math.max(run.total, 1)} value={handled} aria-label="進み具合" />
      <p data-testid="mailing-counts">
        発行済 {run.printed}件／未処理 {run.pending}件／変更あり {run.changed}件／保留 {run.held}件／全 {run.total}件
      </p>
      {changed.length > 0 && <ItemList title="選択後に変更があったもの（発行しません）" items={changed} />}
      {held.length > 0 && <ItemList title="保留（支援措置・不開示）" items={held} />}
      <div className="actions">
        {run.state === 'selected' && (
          <button type="button" className="primary" onClick={onValidate} disabled={busy} autoFocus>
            内容を確認する
          </button>
        )}
        {run.state !== 'selected' && run.pending > 0 && (
          <button type="button" className="primary" onClick={onIssue} disabled={busy} autoFocus>
            {busy ? '発行中…' : '発行を続ける'}
          </button>
        )}
        {busy && run.state !== 'selected' && (
          <button type="button" onClick={onStop}>
            中断する
          </button>
        )}
        {!busy && (
          <button type="button" onClick={onClose}>
            一覧に戻る
          </button>
        )}
      </div>
      {run.state === 'done' && <p role="status">発送処理が完了しました（発行 {run.printed}件）。</p>}
    </section>
  );
}

function ItemList({ title, items }: { title: string; items: MailingProgressView['items'] }) {
  return (
    <>
      <h3>
        {title}（{items.length}件）
      </h3>
      <ul className="mailing-items" aria-label={title}>
        {items.map((i) => (
          <li key={i.seq} data-seq={i.seq}>
            {i.seq}番目: {i.message ?? ''}
          </li>
        ))}
      </ul>
    </>
  );
}

