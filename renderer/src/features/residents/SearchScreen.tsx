import { useState, type FormEvent } from 'react';
import { call } from '../../lib/api';
import { useAction } from '../../lib/useAction';
import { ErrorBanner, Field } from '../../ui/Field';
import { useApp } from '../../lib/store';
import { SubmitButton } from '../../ui/SubmitButton';
import { DateField } from '../../ui/DateInput';
import { isoDateOrText } from '../../../../shared/domain/wareki';
import { normalizeAtenaNo } from '../../../../shared/domain/identifiers';
import { ResultsTable } from './ResultsTable';
import { useSearch } from './searchStore';

export function SearchScreen() {
  const { go } = useApp();
  const s = useSearch();
  const act = useAction();
  const errors = act.fieldErrors;
  const [focusTick, setFocusTick] = useState(0);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const r = await act.run(() =>
      call('residents.search', {
        ...(s.kana.trim() ? { kana: s.kana } : {}),
        ...(s.birthDate.trim() ? { birthDate: isoDateOrText(s.birthDate) } : {}),
        ...(s.atenaNo.trim() ? { atenaNo: normalizeAtenaNo(s.atenaNo) } : {}),
      }),
    );
    if (!r) return;
    s.setResults(r.results, r.truncated);
    if (r.results.length > 0) setFocusTick((n) => n + 1);
  }

  return (
    <main className="screen">
      <h1>住民検索</h1>
      <ErrorBanner message={act.message} />
      <form onSubmit={submit} className="search-form" noValidate aria-label="住民検索">
        <Field label="カナ氏名（前方一致）" error={errors.kana}>
          {(p) => <input {...p} name="kana" value={s.kana} onChange={(e) => s.set({ kana: e.target.value })} autoFocus placeholder="例: ヤマダ" />}
        </Field>
        <DateField label="生年月日" name="birthDate" error={errors.birthDate} value={s.birthDate} onChange={(birthDate) => s.set({ birthDate })} placeholder="例: H28.5.10" />
        <Field label="宛名番号" error={errors.atenaNo}>
          {(p) => <input {...p} name="atenaNo" inputMode="numeric" value={s.atenaNo} onChange={(e) => s.set({ atenaNo: e.target.value })} />}
        </Field>
        <SubmitButton busy={act.busy} busyLabel="検索中…">
          検索
        </SubmitButton>
      </form>
      {s.results && (
        <section aria-live="polite">
          <p className="result-count">
            {s.results.length === 0 ? '該当する住民はいません。' : `${s.results.length}件${s.truncated ? '（上限に達しました。条件を絞り込んでください）' : ''}`}
            {s.results.length > 0 && <span className="muted"> — ↑↓で選択、Enterで開く（開くときに処理事由を選びます）</span>}
          </p>
          {s.results.length > 0 && <ResultsTable rows={s.results} focusFirst={focusTick} onOpen={(r) => go({ name: 'resident', residentId: r.id })} />}
        </section>
      )}
    </main>
  );
}
